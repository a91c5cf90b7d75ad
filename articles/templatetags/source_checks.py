"""What a reference shows of its source's latest check (`articles.checks`)."""

from dataclasses import dataclass
from datetime import datetime

from django import template

from articles.checks.models import LinkStatus, SourceStatus

register = template.Library()


@dataclass(frozen=True)
class Health:
    link: str  # live, dead or unchecked
    quote: str  # verified, close, not-found, changed, unchecked; "" without a quote
    dead_since: datetime | None

    @property
    def quote_label(self) -> str:
        return self.quote.replace("-", " ")


@register.filter
def health(source) -> Health:
    """The check status of `source`, read with it by `Source.objects.by_key`. A
    quotation edited since its check counts as unchecked."""
    try:
        status = source.status
    except SourceStatus.DoesNotExist:
        status = None
    quote = ""
    if source.quote.strip():
        checked = status is not None and status.quote and status.quote_checked == source.quote
        quote = status.quote if checked else "unchecked"
    if status is None:
        return Health(LinkStatus.UNCHECKED, quote, None)
    return Health(status.link, quote, status.dead_since)
