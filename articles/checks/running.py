"""Check sources: fetch their URLs (`fetching`, on threads), then record each
result here, on the caller's thread and database connection: the check in the
history, a snapshot of a live page, the quotation verified against it, and the
source's status. A result that changes what a reference shows (live or dead,
dead since when, the quotation's state) marks the source changed, which
changes the stamp of every cached page citing it (`articles.stamps`).
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from articles.checks.extraction import all_text, extract_text
from articles.checks.fetching import Fetched, FetchPolicy, fetch_all
from articles.checks.models import LinkStatus, Snapshot, SourceCheck, SourceStatus
from articles.checks.quotes import QuoteStatus, verify
from articles.checks.snapshots import read_text, take_snapshot
from articles.claims.passages import cited_passages
from articles.models import Source

Outcome = SourceCheck.Outcome


def fetch_policy() -> FetchPolicy:
    return FetchPolicy(
        timeout=settings.SOURCE_FETCH_TIMEOUT,
        max_bytes=settings.SOURCE_FETCH_MAX_BYTES,
        max_redirects=settings.SOURCE_FETCH_MAX_REDIRECTS,
        host_delay=settings.SOURCE_FETCH_HOST_DELAY,
        workers=settings.SOURCE_FETCH_WORKERS,
        allow_private=settings.SOURCE_FETCH_ALLOW_PRIVATE,
        user_agent=settings.SOURCE_FETCH_USER_AGENT,
    )


def due_for_check(days: float) -> Q:
    """Sources never checked, or last checked more than `days` days ago."""
    cutoff = timezone.now() - timedelta(days=days)
    return (
        Q(status__isnull=True)
        | Q(status__checked_at__isnull=True)
        | Q(status__checked_at__lt=cutoff)
    )


def outcome_of(fetched: Fetched) -> str:
    """Dead: the server says so (4xx, 5xx) or the name does not resolve. A time-out,
    a refused connection, a redirect loop or "too many requests" may pass: failed,
    dead only when repeated. Refused addresses and robots.txt: not fetched."""
    if fetched.error in {"refused", "robots"}:
        return Outcome.SKIPPED
    if fetched.error == "dns":
        return Outcome.DEAD
    if fetched.status is None or fetched.error == "redirects":
        return Outcome.FAILED
    if 200 <= fetched.status < 300:
        return Outcome.LIVE
    if fetched.status == 429 or fetched.status < 400:
        return Outcome.FAILED
    return Outcome.DEAD


def shown(status: SourceStatus) -> tuple:
    """What a reference shows of a status."""
    passages = {text: result["state"] for text, result in status.passages.items()}
    return (status.link, status.dead_since, status.quote, status.quote_checked, passages)


def judged(
    quote: str, text: str, content_hash: str, verified_hash: str, page: Fetched | None = None
) -> tuple[str, float, str]:
    """(state, score, verified hash) of `quote` in the text of the page as just
    fetched (its main text, then all its text). Once verified (on `verified_hash`),
    a page that has changed and lost the quotation is "changed", not merely "not
    found"; the hash it was verified on is kept."""
    found, score = verify(text, quote)
    if found != QuoteStatus.VERIFIED and page is not None:
        found, score = max(
            (found, score),
            verify(all_text(page.content_type, page.body), quote),
            key=lambda result: (result[0] == QuoteStatus.VERIFIED, result[1]),
        )
    if found == QuoteStatus.VERIFIED:
        verified_hash = content_hash
    elif verified_hash and verified_hash != content_hash:
        found = QuoteStatus.CHANGED
    return found, score, verified_hash


def judge_quote(
    status: SourceStatus, quote: str, text: str, content_hash: str, page: Fetched | None = None
) -> None:
    """Verify the source's quotation (`judged`) and record it on its status."""
    verified_hash = status.verified_hash if status.quote_checked == quote else ""
    found, score, status.verified_hash = judged(quote, text, content_hash, verified_hash, page)
    status.quote, status.quote_score, status.quote_checked = found, score, quote


def judge_passages(
    status: SourceStatus,
    passages: Iterable[str],
    text: str,
    content_hash: str,
    page: Fetched | None = None,
) -> None:
    """Verify each supporting passage cited from the source as its quotation is, and
    keep the results of those still cited (a passage no longer cited is dropped)."""
    results = {}
    for passage in passages:
        previous = status.passages.get(passage) or {}
        state, score, verified = judged(passage, text, content_hash, previous.get("hash", ""), page)
        results[passage] = {"state": str(state), "score": score, "hash": verified}
    status.passages = results


def update_link(status: SourceStatus, outcome: str, now) -> None:
    if outcome == Outcome.LIVE:
        status.link, status.failures, status.failing_since = LinkStatus.LIVE, 0, None
    elif outcome in {Outcome.DEAD, Outcome.FAILED}:
        status.failures += 1
        status.failing_since = status.failing_since or now
        if outcome == Outcome.DEAD or status.failures >= settings.SOURCE_DEAD_AFTER_FAILURES:
            status.link = LinkStatus.DEAD


STATUS_FIELDS = [
    "link", "failing_since", "failures", "checked_at", "last_check", "quote", "quote_score",
    "quote_checked", "verified_hash", "passages",
]  # fmt: skip


def fill_check(
    check: SourceCheck, status: SourceStatus, fetched: Fetched, snapshots, passages=()
) -> None:
    """What `fetched` says about the source: the check's fields, the link's,
    quotation's and supporting passages' status, a snapshot of a live page."""
    check.url, check.final_url = fetched.url[:2000], fetched.final_url[:2000]
    check.status_code, check.content_type = fetched.status, fetched.content_type[:200]
    check.elapsed, check.content_hash = fetched.elapsed, fetched.content_hash
    check.error, check.detail = fetched.error, fetched.detail[:500]
    check.outcome = outcome_of(fetched)
    update_link(status, check.outcome, check.checked_at)
    if check.outcome == Outcome.LIVE and not fetched.error:
        check.snapshot, text = take_snapshot(fetched, snapshots)
        quote = check.source.quote
        if quote.strip():
            judge_quote(status, quote, text, fetched.content_hash, fetched)
            check.quote_status, check.quote_score = status.quote, status.quote_score
        judge_passages(status, passages, text, fetched.content_hash, fetched)


def record(
    results: list[tuple[Source, Fetched | None]], passages: dict[str, list[str]] | None = None
) -> list[SourceCheck]:
    """Store one check of each source (`Fetched` is None for a source without a
    URL) in one transaction and a few queries whatever their number: statuses,
    snapshots and checks are read and written together, one insert per new
    snapshot. `passages` holds the supporting passages cited from each key."""
    passages = passages or {}
    now = timezone.now()
    ids = [source.pk for source, _ in results]
    with transaction.atomic():
        SourceStatus.objects.bulk_create(
            [SourceStatus(source_id=pk) for pk in ids], ignore_conflicts=True
        )
        statuses = SourceStatus.objects.select_for_update().in_bulk(ids)
        hashes = {fetched.content_hash for _, fetched in results if fetched}
        snapshots = Snapshot.objects.in_bulk(hashes - {""}, field_name="content_hash")
        checks, changed = [], []
        for source, fetched in results:
            status = statuses[source.pk]
            before = shown(status)
            check = SourceCheck(source=source, checked_at=now, outcome=Outcome.SKIPPED)
            if fetched is None:
                check.error, check.detail = "no-url", "The source has no URL."
            else:
                fill_check(check, status, fetched, snapshots, passages.get(source.key, ()))
            checks.append(check)
            status.checked_at = now
            if shown(status) != before:
                changed.append(source.pk)
        SourceCheck.objects.bulk_create(checks)
        for check in checks:
            statuses[check.source_id].last_check = check
        SourceStatus.objects.bulk_update(statuses.values(), STATUS_FIELDS)
        if changed:
            Source.objects.filter(pk__in=changed).update(updated_at=now)
    return checks


def extract_live_text(fetched: Fetched) -> None:
    """Run on the fetching threads, so that parsing pages overlaps the recording."""
    if outcome_of(fetched) == Outcome.LIVE and not fetched.error:
        fetched.text = extract_text(fetched.content_type, fetched.body)


def check_sources(sources: Iterable[Source], policy: FetchPolicy | None = None) -> list:
    """Check every source (those sharing a URL are fetched once); the checks made."""
    by_url: dict[str, list[Source]] = defaultdict(list)
    without_url = []
    for source in sources:
        if source.url:
            by_url[source.url].append(source)
        else:
            without_url.append((source, None))
    checks = record(without_url) if without_url else []
    passages = passages_by_key() if by_url else {}
    for batch in fetch_all(by_url, policy or fetch_policy(), then=extract_live_text):
        found = [(source, fetched) for fetched in batch for source in by_url[fetched.url]]
        checks += record(found, passages)
    return checks


def passages_by_key() -> dict[str, list[str]]:
    """The distinct supporting passages cited from each source key, in reading order."""
    found: dict[str, dict[str, None]] = defaultdict(dict)
    for cited in cited_passages():
        found[cited.key][cited.passage] = None
    return {key: list(passages) for key, passages in found.items()}


def reverify_quote(source: Source) -> None:
    """After an edit of the quotation: verify it against the latest snapshot, so a
    reference never shows the state of a quotation that is no longer there."""
    status = SourceStatus.objects.filter(source=source).first()
    if status is None or status.quote_checked == source.quote:
        return
    last = SourceCheck.objects.filter(source=source, snapshot__isnull=False).first()
    if last is None or not source.quote.strip():
        status.quote, status.quote_score, status.quote_checked = "", None, source.quote
    else:
        judge_quote(status, source.quote, read_text(last.snapshot), last.content_hash)
    status.save()
