"""One page of search results across articles, sections, arguments and sources.

Matches are marked with two sentinel characters, everything is escaped, then the
sentinels become `<mark>` elements: user text is never trusted.
"""

import re
from dataclasses import dataclass
from functools import reduce

from django.db.models import QuerySet
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from articles.models import Argument, Article, Section, Source
from articles.search import engine
from articles.search.query import parse_query
from articles.search.searched import START, STOP, Hit

PAGE_SIZE = 20
MAX_PAGE = 50


@dataclass
class SearchResult:
    kind: str
    label: str
    title: SafeString
    snippet: SafeString
    url: str
    context: str  # where the hit lives, e.g. the article of a section


@dataclass
class SearchPage:
    query: str
    results: list[SearchResult]
    page: int = 1
    has_next: bool = False

    @property
    def first_number(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1


def page_number(value: str | int | None) -> int:
    try:
        return min(max(int(value or 1), 1), MAX_PAGE)
    except ValueError:
        return 1


def highlighted(text: str) -> SafeString:
    """`text` escaped, with each sentinel-marked match wrapped in <mark>."""
    parts = re.split(f"{START}(.*?){STOP}", text or "", flags=re.S)
    parts = [part.replace(START, "").replace(STOP, "") for part in parts]
    pairs = zip(parts[0:-1:2], parts[1::2], strict=True)
    return format_html("{}{}", format_html_join("", "{}<mark>{}</mark>", pairs), parts[-1])


def readable() -> list[QuerySet]:
    """What readers may find: the published articles and their parts, and every
    source. Hits of equal rank come in this order."""
    return [
        Article.objects.published(),
        Section.objects.published(),
        Argument.objects.published(),
        Source.objects.all(),
    ]


def lookup(row, path: str):
    """The value at a lookup path such as `debate__article__title`, from loaded objects."""
    return reduce(getattr, path.split("__"), row)


def result(hit: Hit) -> SearchResult:
    searched = hit.searched
    context = [lookup(hit.row, path) for path in searched.context]
    return SearchResult(
        searched.model,
        searched.label,
        highlighted(hit.title),
        highlighted(hit.snippet),
        hit.row.get_absolute_url(),
        ": ".join(part for part in context if part) or searched.label,
    )


def search(text: str | None, page: str | int | None = 1) -> SearchPage:
    """One page of results for `text`, best first; a query with nothing to find
    (empty, operators only, words left out only) runs no query."""
    query, number = parse_query(text), page_number(page)
    if not query:
        return SearchPage(query.text, [])
    matches = [queryset.search(query.text) for queryset in readable()]
    start = (number - 1) * PAGE_SIZE
    hits, has_next = engine(matches[0].db).hits(matches, query, start, PAGE_SIZE)
    return SearchPage(query.text, [result(hit) for hit in hits], number, has_next)
