"""Articles made of versioned sections, a shared source library and debates.

Each model is registered with django-reversion and follows its relatives both
ways, so a revision saved from any part of an article holds the whole article.
Every model has a natural key so fixtures stay readable and `loaddata` is
idempotent; the admin and fixtures are the only writers.
"""

import re
from datetime import datetime

import reversion
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    URLValidator,
)
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from markdownx.models import MarkdownxField

from articles.search import engine
from articles.search.query import parse_query

# The longest markdown text (a lead, a section, an argument) an edit or import may save.
MAX_MARKDOWN = 200_000


class HttpURLField(models.URLField):
    """A URL that a reader can follow safely: http or https only."""

    default_validators = [URLValidator(schemes=["http", "https"])]

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class SearchableQuerySet(models.QuerySet):
    def search(self, text: str):
        """The rows matching what a reader typed, annotated with `rank`, best first;
        the fields searched and their weights are in `articles.search.searched`."""
        return engine(self.db).matching(self, parse_query(text))


class ArticleQuerySet(SearchableQuerySet):
    def published(self):
        return self.filter(status=Article.Status.PUBLISHED)

    def locked(self, pk) -> "Article | None":
        """The article, its row locked until the transaction ends, so that concurrent
        saves and reverts of one article wait their turn (SQLite serialises writers
        by itself and ignores the lock)."""
        return self.select_for_update().filter(pk=pk).first()

    def lock_in_order(self, pks) -> None:
        """Lock several articles' rows, lowest id first: writers that need more than
        one article take them in the same order."""
        list(self.select_for_update().filter(pk__in=pks).order_by("pk").values_list("pk"))

    def touch(self) -> None:
        """Mark these articles changed now, for a write that does not save them (a
        debate's): page caches key on `updated_at`. Saved one by one so that an open
        revision stores the new value."""
        for article in self:
            article.save(update_fields=["updated_at"])


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


@reversion.register(follow=["sections", "debates_with_arguments"])
class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    lead = MarkdownxField(blank=True, help_text="Markdown; cite sources as [@key].")
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    # Provenance of an imported text (articles.interchange), shown at the page's foot.
    source_url = HttpURLField(max_length=500, blank=True, help_text="Where the text came from.")
    license = models.CharField(max_length=200, blank=True, help_text="e.g. CC BY-SA 4.0")
    attribution = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleManager()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:detail", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    @property
    def debates_with_arguments(self):
        """What a revision follows: the debates with their arguments read in one more
        query, instead of one per debate."""
        return self.debates.prefetch_related("arguments")


class SectionQuerySet(SearchableQuerySet):
    def published(self):
        return self.filter(article__status=Article.Status.PUBLISHED)


class SectionManager(models.Manager.from_queryset(SectionQuerySet)):
    def get_by_natural_key(self, article_slug, anchor):
        return self.get(article__slug=article_slug, anchor=anchor)


def unique_slug(text: str, taken: set[str], fallback: str) -> str:
    """A slug of `text` that is not in `taken`, numbered -2, -3… on collision."""
    base = slugify(text) or fallback
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def fill_slug(obj, field: str, text: str, fallback: str, **scope) -> None:
    """Give `obj` a slug made from `text` when it has none, unique within `scope`."""
    if not getattr(obj, field):
        siblings = type(obj).objects.filter(**scope).exclude(pk=obj.pk)
        taken = set(siblings.values_list(field, flat=True))
        setattr(obj, field, unique_slug(text, taken, fallback))


class ChecksRestateValidators:
    """For a model whose check constraints only restate its fields' validators
    (a range, a choice): model validation leaves those constraints to the field
    checks, where Django would run an SQL query per constraint and row (one per
    section on every article save). The database still enforces them."""

    checked_by_validators: tuple[str, ...] = ()

    def validate_constraints(self, exclude=None):
        super().validate_constraints(exclude={*(exclude or ()), *self.checked_by_validators})


@reversion.register(follow=["article"])
class Section(ChecksRestateValidators, models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(default=0)
    level = models.PositiveSmallIntegerField(
        default=2,
        validators=[MinValueValidator(2), MaxValueValidator(4)],
        help_text="2, 3 or 4: the markdown heading level (##, ###, ####).",
    )
    heading = models.CharField(max_length=200)
    anchor = models.SlugField(
        max_length=120,
        blank=True,
        help_text="Stable link target; filled from the heading when left empty and "
        "kept when the heading changes.",
    )
    body = MarkdownxField(blank=True)

    objects = SectionManager()
    checked_by_validators = ("level",)

    class Meta:
        ordering = ["article", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "anchor"], name="section_anchor_unique_per_article"
            ),
            models.CheckConstraint(
                condition=models.Q(level__gte=2, level__lte=4), name="section_level_2_to_4"
            ),
        ]

    def __str__(self):
        return self.heading

    def save(self, *args, **kwargs):
        fill_slug(self, "anchor", self.heading, "section", article_id=self.article_id)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    def natural_key(self):
        return (*self.article.natural_key(), self.anchor)

    natural_key.dependencies = ["articles.article"]


class SourceQuerySet(SearchableQuerySet):
    def by_key(self, keys) -> dict:
        """The sources with these keys, as {key: source}; unknown keys are absent.
        Each comes with its check status (`articles.checks`), which references show."""
        sources = self.filter(key__in=set(keys)).select_related("status")
        return {source.key: source for source in sources}


class SourceManager(models.Manager.from_queryset(SourceQuerySet)):
    def get_by_natural_key(self, key):
        return self.get(key=key)


PARTIAL_DATE_FORMATS = {4: "%Y", 7: "%Y-%m", 10: "%Y-%m-%d"}  # by length


def validate_partial_date(value: str) -> None:
    """A year, a month or a day that the calendar has: 2020, 2020-02, 2020-02-29."""
    if not re.fullmatch(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", value):
        raise ValidationError("Use YYYY, YYYY-MM or YYYY-MM-DD.", code="invalid")
    try:
        datetime.strptime(value, PARTIAL_DATE_FORMATS[len(value)])
    except ValueError as error:
        raise ValidationError(
            "There is no such date: %(value)s (months run 01–12, days as the month has).",
            code="invalid",
            params={"value": value},
        ) from error


@reversion.register()
class Source(models.Model):
    key = models.SlugField(max_length=80, unique=True, help_text="What articles cite, as [@key].")
    title = models.CharField(max_length=300)
    authors = models.CharField(max_length=300, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    date = models.CharField(
        max_length=10,
        blank=True,
        validators=[validate_partial_date],
        help_text="Publication date: YYYY, YYYY-MM or YYYY-MM-DD.",
    )
    url = HttpURLField(blank=True)
    archive_url = HttpURLField(blank=True)
    accessed = models.DateField(null=True, blank=True)
    quote = models.TextField(blank=True, help_text="An exact quotation, if any.")
    notes = models.TextField(blank=True)
    # Set on every save (see `save`); a default rather than auto_now so that
    # fixtures without it load, and a reload counts as a change.
    updated_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)

    objects = SourceManager()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "updated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:source", args=[self.key])

    def natural_key(self):
        return (self.key,)


class DebateManager(models.Manager):
    def get_by_natural_key(self, article_slug, slug):
        return self.get(article__slug=article_slug, slug=slug)

    def saved_article(self, pk) -> "Article":
        """The article of the debate `pk` as saved, not as an unsaved form may be
        moving it; an unsaved Article when there is no such debate."""
        try:
            article_id = self.filter(pk=pk).values_list("article_id", flat=True).first()
        except (ValueError, ValidationError):  # not an id at all, from a URL
            article_id = None
        return Article(pk=article_id)


@reversion.register(follow=["article", "arguments"])
class Debate(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="debates")
    section = models.ForeignKey(
        Section,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="debates",
        help_text="Where the debate is shown; empty shows it after the sections.",
    )
    slug = models.SlugField(max_length=120)
    position = models.PositiveIntegerField(default=0)
    question = models.CharField(max_length=300)
    summary = models.TextField(blank=True)

    objects = DebateManager()

    class Meta:
        ordering = ["article", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "slug"], name="debate_slug_unique_per_article"
            )
        ]

    def __str__(self):
        return self.question

    def get_absolute_url(self):
        return reverse("articles:debate", args=[self.article.slug, self.slug])

    @property
    def anchor(self) -> str:
        """The id of the debate on its article's page."""
        return f"debate-{self.slug}"

    def natural_key(self):
        return (*self.article.natural_key(), self.slug)

    natural_key.dependencies = ["articles.article", "articles.section"]


def argument_anchor(debate_slug: str, slug: str) -> str:
    """The id of an argument on its debate's page and on its article's page, where
    argument slugs of several debates meet."""
    return f"argument-{debate_slug}-{slug}"


class ArgumentQuerySet(SearchableQuerySet):
    def published(self):
        return self.filter(debate__article__status=Article.Status.PUBLISHED)


class ArgumentManager(models.Manager.from_queryset(ArgumentQuerySet)):
    def get_by_natural_key(self, article_slug, debate_slug, slug):
        return self.get(debate__article__slug=article_slug, debate__slug=debate_slug, slug=slug)


@reversion.register(follow=["debate"])
class Argument(ChecksRestateValidators, models.Model):
    class Side(models.TextChoices):
        SUPPORTER = "supporter", "Supporter"
        CRITIC = "critic", "Critic"

    debate = models.ForeignKey(Debate, on_delete=models.CASCADE, related_name="arguments")
    slug = models.SlugField(max_length=120, blank=True)
    side = models.CharField(max_length=10, choices=Side)
    position = models.PositiveIntegerField(default=0)
    summary = models.CharField(max_length=300)
    body = MarkdownxField(blank=True, help_text="Markdown; cite sources as [@key].")
    attributed_to = models.CharField(
        max_length=200, help_text="Who holds this position: a named person or body."
    )
    responds_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responses",
        help_text="The argument this one rebuts.",
    )

    objects = ArgumentManager()
    checked_by_validators = ("side",)

    class Meta:
        ordering = ["debate", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["debate", "slug"], name="argument_slug_unique_per_debate"
            ),
            models.CheckConstraint(
                condition=models.Q(side__in=["supporter", "critic"]),
                name="argument_side_supporter_or_critic",
            ),
        ]

    def __str__(self):
        return self.summary

    def save(self, *args, **kwargs):
        fill_slug(self, "slug", self.summary[:60], "argument", debate_id=self.debate_id)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        debate = self.debate
        return f"{debate.get_absolute_url()}#{argument_anchor(debate.slug, self.slug)}"

    def clean(self):
        if self.responds_to_id and (
            self.responds_to_id == self.pk or self.responds_to.debate_id != self.debate_id
        ):
            raise ValidationError(
                {"responds_to": "A rebuttal answers another argument of the same debate."}
            )

    def natural_key(self):
        return (*self.debate.natural_key(), self.slug)

    natural_key.dependencies = ["articles.debate"]


# The models of source checks live with their feature; Django finds them through here.
from articles.checks.models import Snapshot, SourceCheck, SourceStatus  # noqa: E402, F401
