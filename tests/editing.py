"""Build the POST data the admin's article form sends, as a browser would."""

from importlib import import_module
from urllib.parse import unquote_plus

from django.contrib.auth.models import Group, Permission, User

from articles.forms import SectionForm
from articles.models import Article
from articles.revisions import latest_revision_id
from tests.fuzzing import Page

CHANGE_URL = "/admin/articles/article/{}/change/"
ADD_URL = "/admin/articles/article/add/"


def editors_group() -> Group:
    """The group the data migration made; rebuilt the same way after a test flushed it."""
    group, created = Group.objects.get_or_create(name="Editors")
    if created:
        codenames = import_module("articles.migrations.0002_editors_group").editor_codenames()
        # And the reliability register's, which a later migration gave the group.
        codenames += [f"{action}_rating" for action in ("add", "change", "view", "delete")]
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )
    return group


def make_editor(username: str = "editor") -> User:
    user = User.objects.create_user(username, password="pw-for-tests", is_staff=True)
    user.groups.add(editors_group())
    return user


def article_form(article: Article | None, **fields) -> dict:
    """What the change form holds when opened now: article fields, sections, base revision."""
    sections = list(article.sections.all()) if article else []
    data = {
        "title": article.title if article else "",
        "slug": article.slug if article else "",
        "status": article.status if article else "published",
        "language": article.language if article else "en",
        "lead": article.lead if article else "",
        "source_url": article.source_url if article else "",
        "license": article.license if article else "",
        "attribution": article.attribution if article else "",
        "edit_summary": "",
        "base_revision": str(latest_revision_id(article)),
        "sections-TOTAL_FORMS": str(len(sections)),
        "sections-INITIAL_FORMS": str(len(sections)),
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
    }
    for index, section in enumerate(sections):
        data[f"sections-{index}-id"] = str(section.pk)
        data[f"sections-{index}-article"] = str(article.pk)
        for name in SectionForm.Meta.fields:
            data[f"sections-{index}-{name}"] = str(getattr(section, name))
    data.update(fields)
    return data


def index_of(data: dict, heading: str) -> int:
    for key, value in data.items():
        if key.endswith("-heading") and value == heading:
            return int(key.split("-")[1])
    raise KeyError(heading)


def set_section(data: dict, which: str, **fields) -> dict:
    index = index_of(data, which)
    for name, value in fields.items():
        data[f"sections-{index}-{name}"] = str(value)
    return data


def add_section(data: dict, **fields) -> dict:
    index = int(data["sections-TOTAL_FORMS"])
    data["sections-TOTAL_FORMS"] = str(index + 1)
    defaults = {"position": index + 1, "level": 2, "heading": "", "anchor": "", "body": ""}
    for name, value in {**defaults, **fields}.items():
        data[f"sections-{index}-{name}"] = str(value)
    return data


def form_values(response) -> dict:
    """The values a browser would submit from a rendered admin change form (the page's
    biggest POST form; the header's log-out form is small), read as the fuzz suite
    reads forms (tests.fuzzing.Page)."""
    page = Page(response.content.decode())
    form = max((f for f in page.forms if f.method == "POST"), key=lambda f: len(f.pairs))
    return {name: unquote_plus(value) for name, value in form.pairs}


def debate_form(debate, argument, **fields) -> dict:
    """The debate change form with one argument inline, as opened now."""
    data = {
        "article": debate.article_id, "section": debate.section_id or "", "slug": debate.slug,
        "position": debate.position, "summary": debate.summary, "question": debate.question,
        "edit_summary": "", "base_revision": latest_revision_id(debate.article),
        "arguments-TOTAL_FORMS": 1, "arguments-INITIAL_FORMS": 1,
        "arguments-MIN_NUM_FORMS": 0, "arguments-MAX_NUM_FORMS": 1000,
        "arguments-0-id": argument.pk, "arguments-0-debate": debate.pk,
        "arguments-0-side": argument.side, "arguments-0-position": argument.position,
        "arguments-0-summary": argument.summary,
        "arguments-0-attributed_to": argument.attributed_to,
        "arguments-0-body": argument.body, "arguments-0-responds_to": argument.responds_to_id or "",
        "arguments-0-slug": argument.slug,
    }  # fmt: skip
    return {**data, **fields}
