"""One small wiki with every kind of object, the same text in every field.

`build_world(text)` puts `text` into every markdown and plain-text field that
some page shows (and into the source URLs, bypassing form validation as a
fixture would), in a second revision after a plain first one, so that history,
diffs and feeds show it too. It returns the values the URL table fills in;
`role_users()` makes a user for each of its roles.
"""

import reversion
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from rest_framework.authtoken.models import Token
from reversion.models import Version

from articles.models import Argument, Article, Debate, Rating, Section, Source
from articles.revisions import latest_revision_id
from tests.editing import editors_group, make_editor

PLAIN = "Plain words"


def fill(article: Article, text: str) -> None:
    article.title, article.lead = text, text
    article.save()
    for section in article.sections.all():
        section.heading = text
        section.body = text if section.anchor == "s1" else f"{text} [@src]"
        section.save()
    for debate in article.debates.all():
        debate.question, debate.summary = text, text
        debate.save()
        for argument in debate.arguments.all():
            argument.summary, argument.attributed_to = text, text
            argument.body = f"{text} [@src]"
            argument.save()


def login_records(text: str) -> dict[str, int]:
    """One row of each of django-axes' tables, which superusers read in the admin."""
    common = {"user_agent": text[:255], "ip_address": "127.0.0.1", "username": text[:255],
              "http_accept": text, "path_info": text[:255]}  # fmt: skip
    return {
        "attempt": AccessAttempt.objects.create(
            **common, get_data=text, post_data=text, failures_since_start=1
        ).pk,
        "access_log": AccessLog.objects.create(**common).pk,
        "failure_log": AccessFailureLog.objects.create(**common).pk,
    }


def build_world(text: str = PLAIN) -> dict:
    author = User.objects.create_user(text[:150])
    with reversion.create_revision():
        source = Source.objects.create(
            key="src",
            **dict.fromkeys(("title", "authors", "publisher", "quote", "notes"), text),
            url=text[:200],
            archive_url=text[:200],
        )
        article = Article.objects.create(slug="w", title=PLAIN, status=Article.Status.PUBLISHED)
        section = Section.objects.create(article=article, anchor="s1", heading=PLAIN, position=1)
        Section.objects.create(article=article, anchor="s2", heading=PLAIN, position=2)
        debate = Debate.objects.create(article=article, slug="d", question=PLAIN, section=section)
        supporter = Argument.objects.create(
            debate=debate, slug="a1", side="supporter", summary=PLAIN, attributed_to=PLAIN
        )
        Argument.objects.create(
            debate=debate,
            slug="a2",
            side="critic",
            summary=PLAIN,
            attributed_to=PLAIN,
            responds_to=supporter,
        )
        reversion.set_comment("First version")
    with reversion.create_revision():  # the register: its pages and the source's badge
        rating = Rating.objects.create(
            source=source, level=Rating.Level.DEPRECATED, reason=text, link="https://example.org/"
        )
    first = latest_revision_id(article)
    with reversion.create_revision():
        fill(article, text)
        reversion.set_comment(text)
        reversion.set_user(author)

    Token.objects.create(user=author)  # the admin's token pages show it

    def version(obj) -> int:
        return Version.objects.get_for_object(obj).order_by("-pk").first().pk

    return {
        "slug": article.slug,
        "anchor": section.anchor,
        "debate": debate.slug,
        "key": source.key,
        "rev1": first,
        "rev2": latest_revision_id(article),
        "article": article.pk,
        "section": section.pk,
        "source": source.pk,
        "debate_pk": debate.pk,
        "article_version": version(article),
        "source_version": version(source),
        "debate_version": version(debate),
        "rating": rating.pk,
        "rating_version": version(rating),
        "user": author.pk,
        "group": editors_group().pk,
        "article_type": ContentType.objects.get_for_model(Article).pk,
        **login_records(text),
        "text": text,
    }


def role_users() -> dict[str, User | None]:
    """One user for each of tests.url_table.ROLES (None: not logged in)."""
    unstaffed = User.objects.create_user("unstaffed", password="pw-for-tests")
    unstaffed.groups.add(editors_group())  # an editor whose staff status was removed
    return {
        "anonymous": None,
        "reader": User.objects.create_user("reader", password="pw-for-tests"),
        "staff": User.objects.create_user("staff", password="pw-for-tests", is_staff=True),
        "unstaffed": unstaffed,
        "editor": make_editor(),
        "superuser": User.objects.create_superuser("root", password="pw-for-tests"),
    }
