"""What checking sources records: every check (history), the snapshots of what
a page said, and each source's current status, which reference lists show.

The status is its own row (one per checked source, read with the source in the
same query, `Source.objects.by_key`), not fields of `Source`: a check is not an
edit, so it makes no revision and no reverted revision brings back an old check.
Imported by `articles.models` so that Django finds these models.
"""

from django.db import models
from django.utils import timezone


class LinkStatus(models.TextChoices):
    UNCHECKED = "unchecked", "Unchecked"
    LIVE = "live", "Live"
    DEAD = "dead", "Dead"


class QuoteState(models.TextChoices):
    UNCHECKED = "", "Unchecked"
    VERIFIED = "verified", "Verified"
    CLOSE = "close", "Close"
    NOT_FOUND = "not-found", "Not found"
    CHANGED = "changed", "Page changed"


class Snapshot(models.Model):
    """What a URL answered once, stored once per distinct content: the exchange as
    a WARC file and the text extracted from it (both in the default storage)."""

    content_hash = models.CharField(max_length=64, unique=True)  # sha256 of the body
    url = models.URLField(max_length=2000)
    content_type = models.CharField(max_length=200, blank=True)
    size = models.PositiveIntegerField(default=0)
    warc = models.FileField(upload_to="checks/warc/", max_length=200, blank=True)
    text = models.FileField(upload_to="checks/text/", max_length=200, blank=True)
    text_hash = models.CharField(max_length=64, blank=True)
    taken_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.url} ({self.content_hash[:12]})"


class SourceCheck(models.Model):
    """One fetch of one source's URL: the history of its checks."""

    class Outcome(models.TextChoices):
        LIVE = "live", "Live"
        DEAD = "dead", "Dead"
        FAILED = "failed", "Failed (time-out, connection, redirects; dead if repeated)"
        SKIPPED = "skipped", "Not fetched (robots.txt, refused address, no URL)"

    source = models.ForeignKey("articles.Source", on_delete=models.CASCADE, related_name="checks")
    checked_at = models.DateTimeField(default=timezone.now, db_index=True)
    url = models.URLField(max_length=2000, blank=True)
    final_url = models.URLField(max_length=2000, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=200, blank=True)
    elapsed = models.FloatField(default=0, help_text="Seconds the fetch took.")
    content_hash = models.CharField(max_length=64, blank=True)
    error = models.CharField(max_length=20, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome)
    snapshot = models.ForeignKey(
        Snapshot, on_delete=models.SET_NULL, null=True, blank=True, related_name="checks"
    )
    quote_status = models.CharField(max_length=10, choices=QuoteState, blank=True)
    quote_score = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-checked_at", "-id"]

    def __str__(self):
        return f"{self.source_id} {self.outcome} {self.checked_at:%Y-%m-%d %H:%M}"


class SourceStatus(models.Model):
    """Where a source stands after its latest check."""

    source = models.OneToOneField(
        "articles.Source", on_delete=models.CASCADE, primary_key=True, related_name="status"
    )
    link = models.CharField(max_length=10, choices=LinkStatus, default=LinkStatus.UNCHECKED)
    # When the current run of failed checks began; a dead link is "dead since" then.
    failing_since = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)
    checked_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_check = models.ForeignKey(
        SourceCheck, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    quote = models.CharField(max_length=10, choices=QuoteState, blank=True)
    quote_score = models.FloatField(null=True, blank=True)
    # The quotation as checked, and the content it was verified against.
    quote_checked = models.TextField(blank=True)
    verified_hash = models.CharField(max_length=64, blank=True)
    # The supporting passages that citations quote from the source (`[@key: "…"]`),
    # each verified like the quotation: {passage: {"state", "score", "hash"}}, the
    # passages cited at the latest check of a live page (`articles.checks.passages`).
    passages = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name_plural = "source statuses"

    def __str__(self):
        return f"{self.source_id}: {self.link}"

    @property
    def dead_since(self):
        return self.failing_since if self.link == LinkStatus.DEAD else None
