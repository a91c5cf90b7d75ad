"""What the maintenance page shows of source checks: dead links, quotations and
supporting passages not found or only close, pages changed since their quotation
was verified, sources never checked or not lately, and the verified coverage of
each article: the share of its citing sentences that cite a source whose
quotation is verified.
Two queries besides the texts (`articles.sources.places_of`)."""

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from articles.checks.models import LinkStatus, QuoteState, SourceStatus
from articles.citations import find_citation_keys, find_passages
from articles.maintenance import ArticleCoverage, Coverage, paragraphs
from articles.models import Article, Source
from articles.sources import Place

# A sentence ends at . ! ? followed by white space, or at a Chinese full stop.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])")


def sentences(text: str) -> list[str]:
    return [s for block in paragraphs(text) for s in SENTENCE_END.split(block) if s.strip()]


def verified_coverage(texts: list[str], verified: set[str]) -> Coverage:
    """Of the sentences that cite, how many cite a source with a verified quotation."""
    citing = [keys for text in texts for s in sentences(text) if (keys := find_citation_keys(s))]
    return Coverage(sum(bool(verified.intersection(keys)) for keys in citing), len(citing))


@dataclass(frozen=True)
class PassageFinding:
    """A supporting passage cited from a source, as its latest check found it."""

    status: SourceStatus
    passage: str
    score: float | None


@dataclass
class ChecksReport:
    dead_links: list[SourceStatus] = field(default_factory=list)
    quotes_not_found: list[SourceStatus] = field(default_factory=list)
    quotes_close: list[SourceStatus] = field(default_factory=list)
    pages_changed: list[SourceStatus] = field(default_factory=list)
    passages_not_found: list[PassageFinding] = field(default_factory=list)
    passages_close: list[PassageFinding] = field(default_factory=list)
    never_checked: list[Source] = field(default_factory=list)
    stale: list[SourceStatus] = field(default_factory=list)
    stale_days: int = 30
    verified: list[ArticleCoverage] = field(default_factory=list)
    total: Coverage = field(default_factory=lambda: Coverage(0, 0))


def checks_report(places: list[Place]) -> ChecksReport:
    report = ChecksReport(stale_days=settings.SOURCE_CHECK_STALE_DAYS)
    cutoff = timezone.now() - timedelta(days=report.stale_days)
    statuses = SourceStatus.objects.select_related("source").order_by("source__key")
    quote_lists = {
        QuoteState.NOT_FOUND: report.quotes_not_found,
        QuoteState.CLOSE: report.quotes_close,
        QuoteState.CHANGED: report.pages_changed,
    }
    passage_lists = {
        QuoteState.NOT_FOUND: report.passages_not_found,
        QuoteState.CLOSE: report.passages_close,
    }
    # Only the passages cited now count: one edited away waits for no check.
    cited = {(item.key, item.passage) for place in places for item in find_passages(place.text)}
    verified = set()
    for status in statuses:
        for passage, result in status.passages.items():
            if result["state"] in passage_lists and (status.source.key, passage) in cited:
                finding = PassageFinding(status, passage, result.get("score"))
                passage_lists[result["state"]].append(finding)
        if status.link == LinkStatus.DEAD:
            report.dead_links.append(status)
        if status.checked_at is None or status.checked_at < cutoff:
            report.stale.append(status)
        if status.quote_checked != status.source.quote or not status.source.quote.strip():
            continue  # an edited quotation waits for its next check
        if status.quote == QuoteState.VERIFIED:
            verified.add(status.source.key)
        elif status.quote in quote_lists:
            quote_lists[status.quote].append(status)
    report.never_checked = list(
        Source.objects.filter(status__isnull=True).exclude(url="").only("pk", "key", "title")
    )
    texts: dict[int, tuple[Article, list[str]]] = {}
    for place in places:
        texts.setdefault(place.article.pk, (place.article, []))[1].append(place.text)
    report.verified = [
        ArticleCoverage(article, verified_coverage(article_texts, verified))
        for article, article_texts in sorted(texts.values(), key=lambda item: item[0].title)
    ]
    report.total = Coverage(
        sum(row.coverage.cited for row in report.verified),
        sum(row.coverage.total for row in report.verified),
    )
    return report
