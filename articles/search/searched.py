"""What is searched: the weighted fields of each model, what a hit shows, the
text configuration, and the markdown that is not searched text.

Changing the fields or weights needs a new migration that installs the
PostgreSQL vectors again (`postgres.install_statements`), as 0004_search_vectors does.
"""

from dataclasses import dataclass

# PostgreSQL's text configuration: how words are split and stemmed, which are
# too common to count. One for every text today; per-language search (issue 16)
# chooses it here.
CONFIG = "english"
WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}  # PostgreSQL's ts_rank defaults
# Matches are marked with these in titles and snippets; control characters never
# reach a page, so `highlighted()` can tell them from the text.
START, STOP = "\x02", "\x03"


@dataclass(frozen=True)
class Searched:
    """One searched model: its weighted fields and what a hit shows.

    `context` are lookups (`article__title`) read from the hit to say where it
    lives; `related` is what they and the hit's `get_absolute_url()` read.
    """

    model: str  # the model's name, as in `Model._meta.model_name`
    label: str
    fields: tuple[tuple[str, str], ...]  # (field, weight A–D)
    title: str
    snippet: tuple[str, ...]
    context: tuple[str, ...] = ()
    related: tuple[str, ...] = ()


# Titles and headings (A) beat leads and section bodies (B); where they match as
# well, article text comes before debate arguments (B, C) and sources (C, D).
SEARCHED = {
    searched.model: searched
    for searched in (
        Searched(
            model="article",
            label="Article",
            fields=(("title", "A"), ("lead", "B")),
            title="title",
            snippet=("lead",),
        ),
        Searched(
            model="section",
            label="Section",
            fields=(("heading", "A"), ("body", "B")),
            title="heading",
            snippet=("body",),
            context=("article__title",),
            related=("article",),
        ),
        Searched(
            model="argument",
            label="Debate argument",
            fields=(("summary", "B"), ("attributed_to", "C"), ("body", "C")),
            title="summary",
            snippet=("body",),
            context=("debate__article__title", "debate__question"),
            related=("debate__article",),
        ),
        Searched(
            model="source",
            label="Source",
            fields=(
                ("title", "C"),
                ("authors", "D"),
                ("publisher", "D"),
                ("quote", "D"),
                ("notes", "D"),
            ),
            title="title",
            snippet=("authors", "publisher", "quote", "notes"),
            context=("publisher",),
        ),
    )
}


def searched_for(model) -> Searched:
    return SEARCHED[model._meta.model_name]


# Markdown that should not show in snippets, as (pattern, replacement); the
# patterns mean the same in Python and in PostgreSQL's regular expressions.
PLAIN_TEXT = (
    (r"!?\[([^]]*)\]\([^)]*\)", r"\1"),  # links and images: keep their text
    (r"\s*\[(@[^]]*|\^[^]]*|citation needed)\]", ""),  # citations and footnote marks
    (r"(^|\n)[ \t]*[#>]+", r"\1"),  # headings and quotes at the start of a line
    (r"[*`~]+", ""),  # emphasis and code marks
    (r"[|]+", " "),  # table rules
)


@dataclass
class Hit:
    """One found row, with its title and snippet text, matches between START and STOP."""

    searched: Searched
    row: object
    title: str
    snippet: str
