"""Where sources are cited, read from the current text of the articles.

A citation exists only as `[@key]` in a lead, a section or an argument, so this
module reads those texts instead of keeping an index of its own: what it
reports is right after any edit, revert or fixture load, with nothing to keep
in step. Every text is fetched in three queries (leads, sections, arguments),
whatever the number of articles or citations.
"""

from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from articles.citations import cite_anchor, find_citation_keys
from articles.debates import citation_prefix
from articles.models import Argument, Article, Section, Source
from articles.revisions import ordered_for_reading


@dataclass
class Place:
    """One markdown text that can cite: an article's lead, a section or an argument."""

    article: Article
    text: str
    section: Section | None = None
    argument: Argument | None = None

    @property
    def kind(self) -> str:
        return "argument" if self.argument else "section" if self.section else "lead"

    @cached_property
    def keys(self) -> list[str]:
        return find_citation_keys(self.text)

    @property
    def label(self) -> str:
        if self.argument:
            return self.argument.summary
        return self.section.heading if self.section else "Lead"

    @property
    def url(self) -> str:
        """Where a reader sees this text: the section, or the argument on its debate page."""
        return (self.argument or self.section or self.article).get_absolute_url()


def places_of(articles: QuerySet, containing: str = "") -> list[Place]:
    """The leads, sections and arguments of `articles` in citation-numbering order.

    `containing` skips texts without that string (a cheap database filter; the
    keys are still parsed exactly). Three queries.
    """
    articles = articles.order_by("pk")
    sections = Section.objects.filter(article__in=articles).select_related("article")
    arguments = Argument.objects.filter(debate__article__in=articles).select_related(
        "debate__article"
    )
    if containing:
        articles = articles.filter(lead__contains=containing)
        sections = sections.filter(body__contains=containing)
        arguments = arguments.filter(body__contains=containing)
    by_article: dict[int, list[Place]] = {}
    for article in articles:
        by_article.setdefault(article.pk, []).append(Place(article, article.lead))
    for section in sections.order_by("article_id", "position", "pk"):
        by_article.setdefault(section.article_id, []).append(
            Place(section.article, section.body, section=section)
        )
    debates: dict[int, list[Argument]] = {}
    for argument in arguments:
        debates.setdefault(argument.debate_id, []).append(argument)
    for group in sorted(debates.values(), key=lambda g: (g[0].debate.position, g[0].debate_id)):
        for argument in ordered_for_reading(group):
            by_article.setdefault(argument.debate.article_id, []).append(
                Place(argument.debate.article, argument.body, argument=argument)
            )
    return [place for pk in sorted(by_article) for place in by_article[pk]]


def citation_counts(places: list[Place]) -> Counter:
    """How many times each key is cited in these places."""
    return Counter(key for place in places for key in place.keys)


@dataclass
class Citing:
    """A place that cites one source, with a link to each of its citations."""

    place: Place
    links: list[str]

    @property
    def count(self) -> int:
        return len(self.links)


def cited_by(key: str) -> list[Citing]:
    """Every published section, lead and argument citing `key`, linked to each citation."""
    return citations_by_key([key], containing=key)[key]


def citations_by_key(keys, containing: str = "") -> dict[str, list[Citing]]:
    """For each of `keys`, every published lead, section and argument citing it,
    linked to each citation; three queries whatever the number of keys.

    On the article page a key's citations are numbered `cite-KEY-1`, `-2`… from
    the lead on; texts without the key add none, so counting in the texts that
    contain it gives the exact ids. Arguments link to their debate page, where
    each argument has its own numbering. `containing` skips texts without it.
    """
    citing: dict[str, list[Citing]] = {key: [] for key in keys}
    seen = Counter()
    for place in places_of(Article.objects.published(), containing=containing):
        for key, count in Counter(place.keys).items():
            if key not in citing:
                continue
            if place.argument:
                page = place.argument.debate.get_absolute_url()
                prefix = citation_prefix(place.argument)
                links = [f"{page}#{cite_anchor(key, n, prefix)}" for n in range(1, count + 1)]
            else:
                start = seen[place.article.pk, key]
                page = place.article.get_absolute_url()
                links = [f"{page}#{cite_anchor(key, start + n)}" for n in range(1, count + 1)]
                seen[place.article.pk, key] += count
            citing[key].append(Citing(place, links))
    return citing


SORTS = {
    "title": _("Title"),
    "date": _("Date, newest first"),
    "cited": _("Times cited"),
}


@dataclass
class LibraryEntry:
    source: Source
    times_cited: int


@dataclass
class Library:
    entries: list[LibraryEntry]
    publishers: list[str]
    years: list[str]
    publisher: str
    year: str
    sort: str


def source_library(publisher: str = "", year: str = "", sort: str = "title") -> Library:
    """The source library, filtered and sorted, with how often published articles cite each.

    Unknown filter values are ignored rather than failing. Six queries.
    """
    sources = Source.objects.all()
    publishers = sorted(set(sources.exclude(publisher="").values_list("publisher", flat=True)))
    dates = sources.exclude(date="").values_list("date", flat=True)
    years = sorted({date[:4] for date in dates}, reverse=True)
    publisher = publisher if publisher in publishers else ""
    year = year if year in years else ""
    sort = sort if sort in SORTS else "title"
    if publisher:
        sources = sources.filter(publisher=publisher)
    if year:
        sources = sources.filter(date__startswith=year)
    counts = citation_counts(places_of(Article.objects.published()))
    entries = [LibraryEntry(source, counts[source.key]) for source in sources.order_by("title")]
    if sort == "date":
        entries.sort(key=lambda entry: entry.source.date, reverse=True)
    elif sort == "cited":
        entries.sort(key=lambda entry: entry.times_cited, reverse=True)
    return Library(entries, publishers, years, publisher, year, sort)
