"""Which citations of a text use sources rated generally unreliable or deprecated:
shown to editors in the live preview and after a save (a warning, never a refusal)."""

from dataclasses import dataclass

from django.utils.translation import gettext, pgettext

from articles.citations import cited_keys
from articles.models import Rating, Source


@dataclass(frozen=True)
class RatedCitation:
    """A cited source and the rating that applies to it."""

    source: Source
    rating: Rating


def rated_citations(texts, levels=Rating.WARNED) -> list[RatedCitation]:
    """The sources cited in `texts` whose rating is one of `levels`, by key, in one query."""
    sources = Source.objects.by_key(cited_keys(texts))
    ratings = Rating.objects.for_sources(sources.values())
    return [
        RatedCitation(sources[key], rating)
        for key, rating in sorted(ratings.items())
        if rating.level in levels
    ]


def warning_text(found: list[RatedCitation]) -> str:
    """One sentence naming each source, its rating and why."""
    parts = [
        gettext("[@%(key)s] is rated %(level)s (%(subject)s: %(reason)s)")
        % {
            "key": item.source.key,
            "level": item.rating.get_level_display().lower(),
            "subject": item.rating.subject,
            "reason": item.rating.reason,
        }
        for item in found
    ]
    return gettext(
        "This text cites sources the reliability register warns about: %(sources)s. "
        "Prefer a reliable source, or say in the text whose claim it is."
    ) % {"sources": pgettext("list separator", "; ").join(parts)}
