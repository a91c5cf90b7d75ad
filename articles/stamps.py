"""Stamps: what a cached page depends on, read in one query.

A page's `Stamp` holds the values that change whenever what the page shows
changes: the article's `updated_at` (every write path touches it: admin saves,
section edits, debate edits, reverts, imports) and the source library's last
change and size (citations show source details; a deletion changes the size).
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

from articles.models import Article, Source

# Part of every stamp: bump it when the renderer or a cached template changes, so
# that a shared Redis does not serve HTML made by the previous release.
RENDER_VERSION = 3  # 3: ids of Chinese headings keep their characters


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


def as_datetime(value) -> datetime | None:
    """A column read by raw SQL: SQLite gives text for an aggregate, naive in UTC."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def fetch_row(sql: str, params: list | None = None) -> tuple | None:
    """One row of `sql`, in which {article} and {source} name the two tables."""
    connection = connections[router.db_for_read(Article)]
    quote = connection.ops.quote_name
    # Only quoted table names from the models go in; the values are parameters.
    tables = {"article": quote(Article._meta.db_table), "source": quote(Source._meta.db_table)}
    with connection.cursor() as cursor:
        cursor.execute(sql.format(**tables), params)
        return cursor.fetchone()


def article_stamp(slug: str, **_) -> ArticleStamp:
    """The stamp of the published article `slug` (404 if there is none), in one query.

    Raw SQL because every page view runs it and, measured, the ORM takes five
    times as long to build this query as the database takes to answer it.
    Other URL arguments of the page (`**_`) are added by `cached_page`.
    """
    row = fetch_row(
        "SELECT a.id, a.updated_at, (SELECT MAX(updated_at) FROM {source}),"
        " (SELECT COUNT(*) FROM {source}) FROM {article} a WHERE a.slug = %s AND a.status = %s",
        [slug, Article.Status.PUBLISHED],
    )
    if row is None:
        raise Http404("No published article has this address.")
    article_id, updated_at, sources_changed_at, sources_count = row
    updated_at, sources_changed_at = as_datetime(updated_at), as_datetime(sources_changed_at)
    library = Stamp(("sources", str(sources_changed_at), sources_count), sources_changed_at)
    return ArticleStamp(
        ("article", article_id, str(updated_at), *library.parts),
        max(filter(None, [updated_at, sources_changed_at])),
        article_id,
        library,
    )


def wiki_stamp(**_) -> Stamp:
    """The stamp of a page built from the whole wiki (the source pages count every
    citation in every article): the newest change and the number of articles and
    of sources, in one query."""
    articles_changed, articles, sources_changed, sources = fetch_row(
        "SELECT (SELECT MAX(updated_at) FROM {article}), (SELECT COUNT(*) FROM {article}),"
        " (SELECT MAX(updated_at) FROM {source}), (SELECT COUNT(*) FROM {source})"
    )
    changed = [as_datetime(articles_changed), as_datetime(sources_changed)]
    return Stamp(
        ("wiki", *map(str, changed), articles, sources), max(filter(None, changed), default=None)
    )
