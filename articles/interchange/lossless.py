"""Lossless export of one article, and its restore into another database.

An export holds the article as it is now (with its sections, debates and
arguments), every django-reversion revision that holds it (date, user name,
comment and each stored version exactly as serialized), and the sources that
the current text or any revision cites. Restoring keeps every primary key: the
stored versions refer to rows by primary key, and revision ids appear in
permalinks and diff URLs, so keeping them is what makes history read back
identically. A restore therefore needs a database without those rows (an
empty one, or one that never had this article); sources already present by key
are left as they are.

Format (JSON): {"format": FORMAT, "version": 1, "slug", "exported_at",
"objects": [Django serializer rows of the article, sections, debates,
arguments], "sources": [rows by natural key], "revisions": [{"id",
"date_created", "user", "comment", "versions": [{"id", "model", "object_id",
"db", "format", "serialized_data", "object_repr"}]}]}.
"""

import json
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from reversion.models import Revision, Version

from articles.citations import cited_keys
from articles.models import Argument, Article, Debate, Section, Source
from articles.revisions import ArticleState, current_state, states_at

FORMAT = "miitwiki-article-export"
FORMAT_VERSION = 1
ARTICLE_MODELS = (Article, Section, Debate, Argument)


class ExportError(Exception):
    """An export file that cannot be restored here, with the reason."""


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts datetimes to milliseconds; an export keeps microseconds."""

    def default(self, o):
        return o.isoformat() if isinstance(o, datetime) else super().default(o)


def serialized(objects, **options) -> list[dict]:
    """Serializer rows as plain JSON values, datetimes exact."""
    rows = serializers.serialize("python", objects, **options)
    return json.loads(json.dumps(rows, cls=ExactJSONEncoder))


def export_article(article: Article) -> dict:
    """Everything needed to restore `article` and its whole history elsewhere."""
    holding = Version.objects.get_for_object(article).values("revision_id")
    revisions = list(
        Revision.objects.filter(pk__in=holding)
        .select_related("user")
        .prefetch_related("version_set__content_type")
        .order_by("pk")
    )
    now = current_state(article)
    history = states_at(article, [revision.pk for revision in revisions])
    texts = (text for state in [now, *history.values()] for text in state.texts())
    sources = Source.objects.filter(key__in=cited_keys(texts)).order_by("key")
    rows = [now.article, *now.sections, *(d.debate for d in now.debates)]
    rows += [argument for debate in now.debates for argument in debate.arguments]
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "slug": article.slug,
        "exported_at": timezone.now().isoformat(),
        "objects": serialized(rows),
        "sources": serialized(sources, use_natural_primary_keys=True),
        "revisions": [
            {
                "id": revision.pk,
                "date_created": revision.date_created.isoformat(),
                "user": revision.user.get_username() if revision.user else None,
                "comment": revision.comment,
                "versions": [
                    {
                        "id": version.pk,
                        "model": f"{version.content_type.app_label}.{version.content_type.model}",
                        "object_id": version.object_id,
                        "db": version.db,
                        "format": version.format,
                        "serialized_data": version.serialized_data,
                        "object_repr": version.object_repr,
                    }
                    for version in sorted(revision.version_set.all(), key=lambda v: v.pk)
                ],
            }
            for revision in revisions
        ],
    }


def article_markdown(state: ArticleState, sources: list[Source]) -> str:
    """The current text as one readable markdown file (what `import_article` reads)."""
    parts = [f"# {state.article.title}", state.article.lead]
    for section in state.sections:
        parts += [f"{'#' * section.level} {section.heading}", section.body]
    if sources:
        lines = [
            f"- [@{s.key}]: "
            + ", ".join(filter(None, [s.authors, s.title, s.publisher, s.date]))
            + (f" <{s.url}>" if s.url else "")
            for s in sources
        ]
        parts += ["## Sources", "\n".join(lines)]
    return "\n\n".join(part.strip() for part in parts if part.strip()) + "\n"


@dataclass
class Restored:
    article: Article
    revisions: int
    sources_added: int
    sources_kept: int
    users_added: list[str]


def clashes(data: dict) -> list[str]:
    """What the export would overwrite here: it restores only into free rows."""
    found = []
    if Article.objects.filter(slug=data["slug"]).exists():
        found.append(f"an article with slug “{data['slug']}” exists")
    for model in ARTICLE_MODELS:
        label = model._meta.label_lower
        pks = [row["pk"] for row in data["objects"] if row["model"] == label]
        if taken := sorted(model.objects.filter(pk__in=pks).values_list("pk", flat=True)):
            found.append(f"{model._meta.verbose_name} ids {taken[:5]} are taken")
    revision_ids = [revision["id"] for revision in data["revisions"]]
    if taken := sorted(Revision.objects.filter(pk__in=revision_ids).values_list("pk", flat=True)):
        found.append(f"revision ids {taken[:5]} are taken")
    version_ids = [v["id"] for revision in data["revisions"] for v in revision["versions"]]
    if Version.objects.filter(pk__in=version_ids).exists():
        found.append("version ids are taken")
    return found


def users_by_name(names: set[str]) -> tuple[dict, list[str]]:
    """Users for these names; missing ones are made inactive, without a password."""
    User = get_user_model()
    users = {user.get_username(): user for user in User.objects.filter(username__in=names)}
    added = sorted(names - set(users))
    for name in added:
        user = User(username=name, is_active=False)
        user.set_unusable_password()
        user.save()
        users[name] = user
    return users, added


@transaction.atomic
def restore_export(data: dict) -> Restored:
    """Write an export back, keeping every id; refuse if any of them is taken."""
    if data.get("format") != FORMAT or data.get("version") != FORMAT_VERSION:
        raise ExportError(f"not a {FORMAT} file of version {FORMAT_VERSION}")
    if problems := clashes(data):
        raise ExportError("this database already has part of it: " + "; ".join(problems))
    known = set(Source.objects.values_list("key", flat=True))
    new_sources = [row for row in data["sources"] if row["fields"]["key"] not in known]
    for stored in serializers.deserialize("python", [*new_sources, *data["objects"]]):
        stored.save()
    users, added = users_by_name({r["user"] for r in data["revisions"] if r["user"]})
    Revision.objects.bulk_create(
        Revision(
            pk=revision["id"],
            date_created=parse_datetime(revision["date_created"]),
            user=users.get(revision["user"]),
            comment=revision["comment"],
        )
        for revision in data["revisions"]
    )
    content_types = {}
    for revision in data["revisions"]:
        for version in revision["versions"]:
            if version["model"] not in content_types:
                app_label, model = version["model"].split(".")
                content_types[version["model"]] = ContentType.objects.get_by_natural_key(
                    app_label, model
                )
    Version.objects.bulk_create(
        Version(
            pk=version["id"],
            revision_id=revision["id"],
            content_type=content_types[version["model"]],
            object_id=version["object_id"],
            db=version["db"],
            format=version["format"],
            serialized_data=version["serialized_data"],
            object_repr=version["object_repr"],
        )
        for revision in data["revisions"]
        for version in revision["versions"]
    )
    # Rows were written with their own ids: move the id sequences past them.
    models = [*ARTICLE_MODELS, Source, Revision, Version, get_user_model()]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    return Restored(
        Article.objects.get(slug=data["slug"]),
        len(data["revisions"]),
        len(new_sources),
        len(data["sources"]) - len(new_sources),
        added,
    )
