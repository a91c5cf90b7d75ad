"""What checking sources records: every check (history), the snapshots of what
a page said, and each source's current status, which reference lists show.

The status is its own row (one per checked source, read with the source in the
same query, `Source.objects.by_key`), not fields of `Source`: a check is not an
edit, so it makes no revision and no reverted revision brings back an old check.
Imported by `articles.models` so that Django finds these models.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LinkStatus(models.TextChoices):
    UNCHECKED = "unchecked", pgettext_lazy("link status", "Unchecked")
    LIVE = "live", pgettext_lazy("link status", "Live")
    DEAD = "dead", pgettext_lazy("link status", "Dead")


class QuoteState(models.TextChoices):
    UNCHECKED = "", pgettext_lazy("quotation status", "Unchecked")
    VERIFIED = "verified", pgettext_lazy("quotation status", "Verified")
    CLOSE = "close", pgettext_lazy("quotation status", "Close")
    NOT_FOUND = "not-found", pgettext_lazy("quotation status", "Not found")
    CHANGED = "changed", pgettext_lazy("quotation status", "Page changed")


class Snapshot(models.Model):
    """What a URL answered once, stored once per distinct content: the exchange as
    a WARC file and the text extracted from it (both in the default storage)."""

    content_hash = models.CharField(
        _("content hash"), max_length=64, unique=True
    )  # sha256 of the body
    url = models.URLField(_("url"), max_length=2000)
    content_type = models.CharField(_("content type"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    warc = models.FileField(_("warc"), upload_to="checks/warc/", max_length=200, blank=True)
    text = models.FileField(_("text"), upload_to="checks/text/", max_length=200, blank=True)
    text_hash = models.CharField(_("text hash"), max_length=64, blank=True)
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now)

    class Meta:
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")

    def __str__(self):
        return f"{self.url} ({self.content_hash[:12]})"


class SourceCheck(models.Model):
    """One fetch of one source's URL: the history of its checks."""

    class Outcome(models.TextChoices):
        LIVE = "live", pgettext_lazy("link status", "Live")
        DEAD = "dead", pgettext_lazy("link status", "Dead")
        FAILED = "failed", _("Failed (time-out, connection, redirects; dead if repeated)")
        SKIPPED = "skipped", _("Not fetched (robots.txt, refused address, no URL)")

    source = models.ForeignKey(
        "articles.Source", models.CASCADE, verbose_name=_("source"), related_name="checks"
    )
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now, db_index=True)
    url = models.URLField(_("url"), max_length=2000, blank=True)
    final_url = models.URLField(_("final url"), max_length=2000, blank=True)
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    content_type = models.CharField(_("content type"), max_length=200, blank=True)
    elapsed = models.FloatField(_("elapsed"), default=0, help_text=_("Seconds the fetch took."))
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True)
    error = models.CharField(_("error"), max_length=20, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome)
    snapshot = models.ForeignKey(
        Snapshot,
        models.SET_NULL,
        verbose_name=_("snapshot"),
        null=True,
        blank=True,
        related_name="checks",
    )
    quote_status = models.CharField(
        _("quote status"), max_length=10, choices=QuoteState, blank=True
    )
    quote_score = models.FloatField(_("quote score"), null=True, blank=True)

    class Meta:
        ordering = ["-checked_at", "-id"]
        verbose_name = _("source check")
        verbose_name_plural = _("source checks")

    def __str__(self):
        return f"{self.source_id} {self.outcome} {self.checked_at:%Y-%m-%d %H:%M}"


class SourceStatus(models.Model):
    """Where a source stands after its latest check."""

    source = models.OneToOneField(
        "articles.Source",
        models.CASCADE,
        verbose_name=_("source"),
        primary_key=True,
        related_name="status",
    )
    link = models.CharField(
        _("link"), max_length=10, choices=LinkStatus, default=LinkStatus.UNCHECKED
    )
    # When the current run of failed checks began; a dead link is "dead since" then.
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    failures = models.PositiveIntegerField(_("failures"), default=0)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True, db_index=True)
    last_check = models.ForeignKey(
        SourceCheck,
        models.SET_NULL,
        verbose_name=_("last check"),
        null=True,
        blank=True,
        related_name="+",
    )
    quote = models.CharField(_("quote"), max_length=10, choices=QuoteState, blank=True)
    quote_score = models.FloatField(_("quote score"), null=True, blank=True)
    # The quotation as checked, and the content it was verified against.
    quote_checked = models.TextField(_("quote checked"), blank=True)
    verified_hash = models.CharField(_("verified hash"), max_length=64, blank=True)
    # The supporting passages that citations quote from the source (`[@key: "…"]`),
    # each verified like the quotation: {passage: {"state", "score", "hash"}}, the
    # passages cited at the latest check of a live page (`articles.checks.passages`).
    passages = models.JSONField(_("passages"), default=dict, blank=True)

    class Meta:
        verbose_name = _("source status")
        verbose_name_plural = _("source statuses")

    def __str__(self):
        return f"{self.source_id}: {self.link}"

    @property
    def dead_since(self):
        return self.failing_since if self.link == LinkStatus.DEAD else None
