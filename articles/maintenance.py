"""What editors should fix: unsourced claims, unknown keys, idle sources, citations of
sources rated unreliable or deprecated, coverage.

Everything is read from the current texts of all articles (drafts included:
editors fix those too) through `articles.sources.places_of`, in a constant
number of queries.
"""

import re
from dataclasses import dataclass, field

from django.urls import reverse

from articles.citations import count_citations_needed, find_citation_keys
from articles.models import Article, Rating, Source
from articles.sources import Place, places_of

# A paragraph is a block of text between blank lines, except blocks that are
# not prose: headings, footnote definitions, fenced code and rules.
BLANK_LINES = re.compile(r"\n\s*\n")
NOT_PROSE = re.compile(r"^(#{1,6}\s|\[\^[^\]]+\]:|```|~~~|(?:[-*_]\s*){3,}$)")


def paragraphs(text: str) -> list[str]:
    blocks = (block.strip() for block in BLANK_LINES.split(text or ""))
    return [block for block in blocks if block and not NOT_PROSE.match(block)]


@dataclass
class Coverage:
    """How many paragraphs cite at least one source, out of all paragraphs."""

    cited: int
    total: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.cited / self.total) if self.total else None


def citation_coverage(texts: list[str]) -> Coverage:
    blocks = [block for text in texts for block in paragraphs(text)]
    return Coverage(sum(bool(find_citation_keys(block)) for block in blocks), len(blocks))


def fix_url(place: Place) -> str:
    """The admin page where this text is edited."""
    if place.argument:
        return reverse("admin:articles_debate_change", args=[place.argument.debate_id])
    if place.section:
        return reverse("admin:articles_article_section", args=[place.article.pk, place.section.pk])
    return reverse("admin:articles_article_change", args=[place.article.pk])


@dataclass
class Finding:
    """A place to fix and how many times the problem occurs there."""

    place: Place
    count: int = 1

    @property
    def fix_url(self) -> str:
        return fix_url(self.place)


@dataclass
class UnknownKey:
    key: str
    findings: list[Finding]

    @property
    def count(self) -> int:
        return sum(finding.count for finding in self.findings)

    @property
    def add_url(self) -> str:
        return reverse("admin:articles_source_add") + f"?key={self.key}"


@dataclass
class RatedFinding:
    """A place citing a source rated unreliable or deprecated."""

    place: Place
    source: Source
    rating: Rating

    @property
    def fix_url(self) -> str:
        return fix_url(self.place)


@dataclass
class ArticleCoverage:
    article: Article
    coverage: Coverage


@dataclass
class Report:
    citations_needed: list[Finding] = field(default_factory=list)
    unknown_keys: list[UnknownKey] = field(default_factory=list)
    unsourced_arguments: list[Finding] = field(default_factory=list)
    uncited_sources: list[Source] = field(default_factory=list)
    uncited_sections: list[Finding] = field(default_factory=list)
    unreliable_citations: list[RatedFinding] = field(default_factory=list)
    coverage: list[ArticleCoverage] = field(default_factory=list)

    @property
    def citations_needed_count(self) -> int:
        return sum(finding.count for finding in self.citations_needed)

    @property
    def unknown_citation_count(self) -> int:
        return sum(unknown.count for unknown in self.unknown_keys)


def maintenance_report(places: list[Place] | None = None) -> Report:
    """Every problem of every article, in four queries (one when the texts,
    `places_of` every article, are given)."""
    if places is None:
        places = places_of(Article.objects.all())
    # Sources with their ratings (both joined): one query.
    sources = list(Source.objects.select_related("rating", "domain_rating"))
    known = {source.key for source in sources}
    by_key = {source.key: source for source in sources}
    warned = {
        key: rating for key, rating in Rating.objects.for_sources(sources).items() if rating.warned
    }
    report = Report()
    unknown: dict[str, list[Finding]] = {}
    texts: dict[int, tuple[Article, list[str]]] = {}
    for place in places:
        needed = count_citations_needed(place.text)
        if needed:
            report.citations_needed.append(Finding(place, needed))
        for key in dict.fromkeys(place.keys):
            if key not in known:
                unknown.setdefault(key, []).append(Finding(place, place.keys.count(key)))
        if place.argument and not known.intersection(place.keys):
            report.unsourced_arguments.append(Finding(place))
        report.unreliable_citations += [
            RatedFinding(place, by_key[key], warned[key])
            for key in dict.fromkeys(place.keys)
            if key in warned
        ]
        if place.section and place.text.strip() and not place.keys:
            report.uncited_sections.append(Finding(place))
        if not place.argument:
            texts.setdefault(place.article.pk, (place.article, []))[1].append(place.text)
    report.unknown_keys = [UnknownKey(key, found) for key, found in sorted(unknown.items())]
    cited = {key for place in places for key in place.keys}
    report.uncited_sources = [source for source in sources if source.key not in cited]
    report.coverage = [
        ArticleCoverage(article, citation_coverage(article_texts))
        for article, article_texts in sorted(texts.values(), key=lambda item: item[0].title)
    ]
    return report
