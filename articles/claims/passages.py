"""Every supporting passage quoted in the wiki, with where it is quoted.

`cited_passages()` is the plain entry point for a checker: it reads the current
texts of leads, sections and arguments (drafts included) in three queries and
returns, for each citation that quotes a passage, the place, the source key,
the locator and the passage as written (white space folded).
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from articles.citations import find_passages
from articles.models import Article
from articles.sources import Place, places_of


@dataclass(frozen=True)
class CitedPassage:
    place: Place
    key: str
    locator: str
    passage: str


def cited_passages(articles: QuerySet | None = None, key: str = "") -> list[CitedPassage]:
    """The supporting passages quoted in `articles` (default: all), in reading order;
    only those citing `key` when it is given."""
    articles = Article.objects.all() if articles is None else articles
    found = []
    for place in places_of(articles, containing=f"@{key}" if key else ""):
        found += [
            CitedPassage(place, item.key, item.locator, item.passage)
            for item in find_passages(place.text)
            if not key or item.key == key
        ]
    return found
