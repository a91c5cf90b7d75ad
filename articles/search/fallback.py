"""The simple search of other databases (SQLite in development and most tests).

Every wanted term must occur in one of the searched fields and no left-out term
in any; the rank adds up, for each term, the weight of the best field it occurs
in, with PostgreSQL's weights. Fields are compared folded (`han.fold`, a
function registered on each SQLite connection), so simplified and traditional
Chinese and full-width letters find each other. The database matches raw
markdown, so hits are then checked in Python against the text without markup
(a citation key is not a word of the text) and cut into snippets.
"""

from functools import reduce
from operator import add, or_

from django.db.models import Case, F, FloatField, Func, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Greatest
from django.db.models.lookups import IContains

from articles.search.han import fold
from articles.search.query import Query
from articles.search.searched import WEIGHTS, Hit, Searched, searched_for
from articles.search.snippets import hit, holds_all, query_terms

CANDIDATES = 200  # rows read per kind
FOLD = "search_fold"


def register_functions(sender, connection, **kwargs) -> None:
    """Give a new SQLite connection the fold function (`connection_created`)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            FOLD, 1, lambda text: None if text is None else fold(text), deterministic=True
        )


def occurs(searched: Searched, term: str, weight: str = "") -> Q:
    """`term` (folded) in any searched field (of that weight, if given), folded."""
    names = [name for name, w in searched.fields if w == weight or not weight]
    folded = (Func(F(name), function=FOLD, output_field=TextField()) for name in names)
    return reduce(or_, (Q(IContains(field, term)) for field in folded))


def rank(searched: Searched, terms: list[str]):
    """For each term, the weight of the best field it occurs in; summed."""

    def best(term: str):
        weights = sorted({weight for _, weight in searched.fields})
        cases = [
            Case(When(occurs(searched, term, weight), then=Value(WEIGHTS[weight])), default=0.0)
            for weight in weights
        ]
        return Greatest(*cases, output_field=FloatField()) if len(cases) > 1 else cases[0]

    return reduce(add, (best(term) for term in terms))


def matching(queryset: QuerySet, query: Query) -> QuerySet:
    """The rows of `queryset` with every wanted term and no left-out one, annotated
    with `rank`, best first."""
    searched = searched_for(queryset.model)
    wanted = query_terms(query)
    if not wanted:
        return queryset.none()
    for term in wanted:
        queryset = queryset.filter(occurs(searched, term))
    for term in query_terms(query, excluded=True):
        queryset = queryset.exclude(occurs(searched, term))
    return queryset.annotate(rank=rank(searched, wanted)).order_by("-rank", "pk")


def hits(matches: list[QuerySet], query: Query, start: int, count: int) -> tuple[list[Hit], bool]:
    """Hits `start` to `start + count` of these matches together, best first, and
    whether more follow; one query per kind."""
    terms = query_terms(query)
    found = []
    for order, matches_of_kind in enumerate(matches):
        searched = searched_for(matches_of_kind.model)
        for row in matches_of_kind.select_related(*searched.related)[:CANDIDATES]:
            if holds_all(row, searched, terms):
                found.append((-row.rank, order, row.pk, searched, row))
    found.sort(key=lambda item: item[:3])
    shown = [hit(row, searched, terms) for *_, searched, row in found[start : start + count]]
    return shown, len(found) > start + count
