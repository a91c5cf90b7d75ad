"""What a reference shows of its source's latest check (`articles.checks`)."""

from dataclasses import dataclass
from datetime import datetime

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from articles.checks.models import LinkStatus, SourceStatus

register = template.Library()

# What a page says of a status; the data-* attributes keep the English values.
LINK_LABELS = {
    "live": pgettext_lazy("link status", "live"),
    "dead": pgettext_lazy("link status", "dead"),
    "unchecked": pgettext_lazy("link status", "unchecked"),
}
QUOTE_LABELS = {
    "verified": pgettext_lazy("quotation status", "verified"),
    "close": pgettext_lazy("quotation status", "close"),
    "not-found": pgettext_lazy("quotation status", "not found"),
    "changed": pgettext_lazy("quotation status", "changed"),
    "unchecked": pgettext_lazy("quotation status", "unchecked"),
}


@dataclass(frozen=True)
class Health:
    link: str  # live, dead or unchecked
    quote: str  # verified, close, not-found, changed, unchecked; "" without a quote
    dead_since: datetime | None

    @property
    def link_label(self) -> str:
        """The link status as shown ("live", "dead", "unchecked"), translated."""
        return LINK_LABELS.get(self.link, self.link)

    @property
    def quote_label(self) -> str:
        """The quotation status as shown ("verified", "not found"…), translated."""
        return QUOTE_LABELS.get(self.quote, self.quote)


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


# What the reference list says under a supporting passage, by its check's state.
PASSAGE_LABELS = {
    "verified": _("Found word for word in the source as last checked."),
    "close": _("Only close to the source's text as last checked."),
    "not-found": _("Not found in the source as last checked."),
    "changed": _("The source's page has changed since this passage was verified."),
}


@dataclass(frozen=True)
class PassageCheck:
    state: str  # verified, close, not-found, changed or unchecked
    score: float | None

    @property
    def label(self) -> str:
        return PASSAGE_LABELS.get(self.state, "")


@register.filter
def passage_check(passage: str, source) -> PassageCheck:
    """The latest check of a supporting passage quoted from `source` (read with it,
    no query); a passage checked never, or not as now written, is unchecked."""
    try:
        result = source.status.passages.get(passage)
    except SourceStatus.DoesNotExist:
        result = None
    if not result:
        return PassageCheck("unchecked", None)
    return PassageCheck(result["state"], result.get("score"))
