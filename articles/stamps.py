"""Stamps: what a cached page depends on, read in one query.

A page's `Stamp` holds the values that change whenever what the page shows
changes: the article's `updated_at` (every write path touches it: admin saves,
section edits, debate edits, reverts, imports) and the source library's last
change and size (citations show source details; a deletion changes the size),
the reliability register's too (references show badges), and its translations
(the language switcher names them): the group, when it last gained or lost a
member, its size and its members' newest change (a renamed or unpublished translation).
Cached pages and fragments live under a hash of the stamp, so nothing is ever
invalidated by hand: a write changes the stamp, the next view misses and renders
anew, and the stale entry expires. The same hash is the page's ETag.
"""

import hashlib
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from django.db import connections, router
from django.http import Http404
from django.utils.dateparse import parse_datetime

from articles.models import Article, Rating, Source, TranslationGroup, TranslationMember

# Part of every stamp: bump it when the renderer or a cached template changes, so
# that a shared Redis does not serve HTML made by the previous release.
# 3: ids of Chinese headings keep their characters; 4: reliability badges, passages;
# 5: each supporting passage's check.
RENDER_VERSION = 5


@dataclass(frozen=True)
class Stamp:
    """What a page depends on (`parts`) and when that last changed (`modified`)."""

    parts: tuple
    modified: datetime | None

    def extend(self, *parts) -> "Stamp":
        """The stamp of a page that also depends on `parts` (a revision id, a flag)."""
        return replace(self, parts=(*self.parts, *parts))

    @property
    def digest(self) -> str:
        return hashlib.sha256(repr((RENDER_VERSION, self.parts)).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class ArticleStamp(Stamp):
    """The stamp of a page of one published article: the article and the source library."""

    article_id: int = 0
    library: Stamp | None = None  # the source library alone: what an old revision depends on
    translation_group: int | None = None  # the article's group of translations, if any


def as_datetime(value) -> datetime | None:
    """A column read by raw SQL: SQLite gives text for an aggregate, naive in UTC."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def fetch_row(sql: str, params: list | None = None) -> tuple | None:
    """One row of `sql`, in which {article}, {source}, {rating}, {group} and {member}
    name the tables (translation groups and their members for the last two) and
    {library} reads the library's stamp (`LIBRARY`)."""
    connection = connections[router.db_for_read(Article)]
    quote = connection.ops.quote_name
    # Only quoted table names from the models go in; the values are parameters.
    models = {
        "article": Article,
        "source": Source,
        "rating": Rating,
        "group": TranslationGroup,
        "member": TranslationMember,
    }
    tables = {name: quote(model._meta.db_table) for name, model in models.items()}
    tables["library"] = LIBRARY.format(**tables)
    with connection.cursor() as cursor:
        cursor.execute(sql.format(**tables), params)
        return cursor.fetchone()


# The source library as pages show it: its sources and the reliability register
# (badges), each table's newest change and size (a deletion changes the size).
LIBRARY = (
    "(SELECT MAX(updated_at) FROM {source}), (SELECT COUNT(*) FROM {source}),"
    " (SELECT MAX(updated_at) FROM {rating}), (SELECT COUNT(*) FROM {rating})"
)


def library_stamp(sources_changed, sources, ratings_changed, ratings) -> Stamp:
    changed = [as_datetime(sources_changed), as_datetime(ratings_changed)]
    return Stamp(
        ("sources", *map(str, changed), sources, ratings), max(filter(None, changed), default=None)
    )


def article_stamp(slug: str, **_) -> ArticleStamp:
    """The stamp of the published article `slug` (404 if there is none), in one query.

    Raw SQL because every page view runs it and, measured, the ORM takes five
    times as long to build this query as the database takes to answer it.
    Other URL arguments of the page (`**_`) are added by `cached_page`.
    """
    row = fetch_row(
        "SELECT a.id, a.updated_at, g.id, g.changed_at,"
        " (SELECT COUNT(*) FROM {member} m2 WHERE m2.group_id = g.id),"
        " (SELECT MAX(t.updated_at) FROM {member} m3 JOIN {article} t ON t.id = m3.article_id"
        " WHERE m3.group_id = g.id), {library}"
        " FROM {article} a LEFT JOIN {member} m ON m.article_id = a.id"
        " LEFT JOIN {group} g ON g.id = m.group_id WHERE a.slug = %s AND a.status = %s",
        [slug, Article.Status.PUBLISHED],
    )
    if row is None:
        raise Http404("No published article has this address.")
    article_id, updated_at, group_id, group_changed_at, members, translated_at = row[:6]
    updated_at, group_changed_at = as_datetime(updated_at), as_datetime(group_changed_at)
    translated_at = as_datetime(translated_at)
    library = library_stamp(*row[6:])
    translated = ("translations", group_id, str(group_changed_at), members, str(translated_at))
    return ArticleStamp(
        ("article", article_id, str(updated_at), *library.parts, *translated),
        max(filter(None, [updated_at, library.modified, group_changed_at, translated_at])),
        article_id,
        library,
        group_id,
    )


def wiki_stamp(**_) -> Stamp:
    """The stamp of a page built from the whole wiki (the source pages count every
    citation in every article): the newest change and the number of articles, of
    sources and ratings and of translation links, in one query."""
    articles_changed, articles, links_changed, links, *library = fetch_row(
        "SELECT (SELECT MAX(updated_at) FROM {article}), (SELECT COUNT(*) FROM {article}),"
        " (SELECT MAX(changed_at) FROM {group}), (SELECT COUNT(*) FROM {member}), {library}"
    )
    library = library_stamp(*library)
    changed = [as_datetime(articles_changed), as_datetime(links_changed), library.modified]
    return Stamp(
        ("wiki", *map(str, changed[:2]), articles, links, *library.parts),
        max(filter(None, changed), default=None),
    )
