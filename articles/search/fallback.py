"""The simple search of other databases (SQLite in development and most tests).

Every wanted word must occur in one of the searched fields (`icontains`) and no
left-out word in any; the rank adds up, for each word, the weight of the best
field it occurs in, with PostgreSQL's weights. The database matches raw
markdown, so hits are then checked in Python against the text without markup
(a citation key is not a word of the text) and cut into snippets.
"""

import re
import string
from functools import reduce
from operator import add, or_

from django.db.models import Case, FloatField, Q, QuerySet, Value, When
from django.db.models.functions import Greatest

from articles.search.query import OR, Query
from articles.search.searched import PLAIN_TEXT, START, STOP, WEIGHTS, Hit, Searched, searched_for

CANDIDATES = 200  # rows read per kind
# Common words it ignores, as PostgreSQL's English configuration does.
STOP_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "in",
    "is", "it", "its", "of", "on", "or", "that", "the", "their", "this", "to", "was", "were",
    "which", "with",
})  # fmt: skip


def simple_terms(query: Query, excluded: bool) -> list[str]:
    """The words and phrases to find (or to leave out): common words, single letters
    and `or` are ignored, so every remaining term must match."""
    found = []
    for part in query.parts:
        if part == OR or part.excluded != excluded:
            continue
        words = part.words.strip(string.punctuation)
        if len(words) > 1 and words.lower() not in STOP_WORDS:
            found.append(words)
    return found


def occurs(searched: Searched, word: str, weight: str = "") -> Q:
    """`word` in any searched field (of that weight, if given)."""
    names = [name for name, w in searched.fields if w == weight or not weight]
    return reduce(or_, (Q(**{f"{name}__icontains": word}) for name in names))


def rank(searched: Searched, words: list[str]):
    """For each word, the weight of the best field it occurs in; summed."""

    def best(word: str):
        weights = sorted({weight for _, weight in searched.fields})
        cases = [
            Case(When(occurs(searched, word, weight), then=Value(WEIGHTS[weight])), default=0.0)
            for weight in weights
        ]
        return Greatest(*cases, output_field=FloatField()) if len(cases) > 1 else cases[0]

    return reduce(add, (best(word) for word in words))


def matching(queryset: QuerySet, query: Query) -> QuerySet:
    """The rows of `queryset` with every wanted word and no left-out one, annotated
    with `rank`, best first."""
    searched = searched_for(queryset.model)
    wanted = simple_terms(query, excluded=False)
    if not wanted:
        return queryset.none()
    for word in wanted:
        queryset = queryset.filter(occurs(searched, word))
    for word in simple_terms(query, excluded=True):
        queryset = queryset.exclude(occurs(searched, word))
    return queryset.annotate(rank=rank(searched, wanted)).order_by("-rank", "pk")


def plain_text(text: str) -> str:
    for pattern, replacement in PLAIN_TEXT:
        text = re.sub(pattern, replacement, text or "")
    return " ".join(text.split())


def word_pattern(words: list[str]) -> re.Pattern:
    """Any of `words` at the start of a word, ignoring case."""
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)({alternatives})", re.I)


def marked(text: str, words: list[str]) -> str:
    return word_pattern(words).sub(f"{START}\\1{STOP}", text)


def excerpt(text: str, words: list[str], width: int = 240) -> str:
    """About `width` characters of `text` around the first word found."""
    found = word_pattern(words).search(text)
    start = max(0, found.start() - width // 3) if found else 0
    if start:
        start = text.find(" ", start) + 1 or start
    end = min(len(text), start + width)
    if end < len(text) and text.rfind(" ", start, end) > start:
        end = text.rfind(" ", start, end)
    return ("… " if start else "") + text[start:end] + (" …" if end < len(text) else "")


def in_text(row, searched: Searched, words: list[str]) -> bool:
    """Whether every word starts a word of the row's text, markup left out."""
    text = " ".join(plain_text(getattr(row, name)) for name, _ in searched.fields)
    return all(word_pattern([word]).search(text) for word in words)


def hits(matches: list[QuerySet], query: Query, start: int, count: int) -> tuple[list[Hit], bool]:
    """Hits `start` to `start + count` of these matches together, best first, and
    whether more follow; one query per kind."""
    words = simple_terms(query, excluded=False)
    found = []
    for order, matches_of_kind in enumerate(matches):
        searched = searched_for(matches_of_kind.model)
        for row in matches_of_kind.select_related(*searched.related)[:CANDIDATES]:
            if in_text(row, searched, words):
                found.append((-row.rank, order, row.pk, searched, row))
    found.sort(key=lambda item: item[:3])
    shown = []
    for *_, searched, row in found[start : start + count]:
        body = " · ".join(filter(None, (getattr(row, name) for name in searched.snippet)))
        shown.append(
            Hit(
                searched,
                row,
                marked(getattr(row, searched.title), words),
                marked(excerpt(plain_text(body), words), words),
            )
        )
    return shown, len(found) > start + count
