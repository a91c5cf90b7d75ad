"""Ratings of sources: by registrable domain (`hrw.org` rates every page of
www.hrw.org), or for one source, which overrides its domain's rating.

Each rating gives a reason and a link to where it was decided, is versioned
with django-reversion, and changes the stamp of every page that shows it
(`articles.stamps` reads the table's last change and size), so no cached page
keeps a stale badge.
"""

import reversion
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import HttpURLField, Source, StampedOnSave
from articles.reliability.domains import registrable_domain


def rating_of(source: Source) -> "Rating | None":
    """The rating that applies to `source`: its own, else its domain's. No query for a
    source read by `Source.objects.by_key`, which joins both."""
    for relation in ("rating", "domain_rating"):
        try:
            rating = getattr(source, relation)
        except Rating.DoesNotExist:
            rating = None
        if rating is not None:
            return rating
    return None


class RatingQuerySet(models.QuerySet):
    def for_sources(self, sources) -> dict:
        """{source key: the rating that applies to it}."""
        return {source.key: rating for source in sources if (rating := rating_of(source))}


@reversion.register()
class Rating(StampedOnSave, models.Model):
    class Level(models.TextChoices):
        RELIABLE = "reliable", _("Generally reliable")
        MARGINAL = "marginal", _("Marginal")
        UNRELIABLE = "unreliable", _("Generally unreliable")
        DEPRECATED = "deprecated", _("Deprecated")

    WARNED = (Level.UNRELIABLE, Level.DEPRECATED)  # what editors are warned about

    domain = models.CharField(
        _("domain"),
        max_length=253,
        null=True,  # NULL for a source's own rating: sources join ratings on the domain
        blank=True,
        unique=True,
        help_text=_(
            "A registrable domain (example.org rates www.example.org too); or leave "
            "empty and choose a source."
        ),
    )
    source = models.OneToOneField(
        Source,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("source"),
        related_name="rating",
        help_text=_("Rate this one source, overriding its domain's rating."),
    )
    level = models.CharField(_("rating"), max_length=12, choices=Level)
    reason = models.TextField(_("reason"), help_text=_("Why: what the source gets wrong or right."))
    link = HttpURLField(_("link"), help_text=_("Where this was decided or documented."))
    updated_at = models.DateTimeField(
        _("updated at"), default=timezone.now, editable=False, db_index=True
    )

    objects = RatingQuerySet.as_manager()

    class Meta:
        ordering = ["domain", "source__key"]
        verbose_name = _("reliability rating")
        verbose_name_plural = _("reliability ratings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(domain__isnull=True, source__isnull=False)
                | models.Q(domain__isnull=False, source__isnull=True),
                name="rating_domain_or_source",
            ),
        ]

    def __str__(self):
        return f"{self.subject}: {self.get_level_display()}"

    @property
    def subject(self) -> str:
        return self.domain or (self.source.key if self.source_id else "")

    @property
    def warned(self) -> bool:
        return self.level in self.WARNED

    def clean(self):
        if self.domain:
            domain = registrable_domain(self.domain)
            if not domain:
                raise ValidationError({"domain": _("This is not a registrable domain.")})
            self.domain = domain
        self.domain = self.domain or None
        if bool(self.domain) == bool(self.source_id):
            raise ValidationError(
                _("Rate either a domain or one source, not both and not neither.")
            )
