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
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField

from articles.anchors import ANCHOR_LENGTH, anchor_slug
from articles.languages import (
    DEFAULT_LANGUAGE,
    MAX_TAG_LENGTH,
    normalize_tag,
    validate_language_tag,
)
from articles.reliability.domains import registrable_domain
from articles.search import engine
from articles.search.query import parse_query

# The longest markdown text (a lead, a section, an argument) an edit or import may save.
MAX_MARKDOWN = 200_000


class HttpURLField(models.URLField):
    """A URL that a reader can follow safely: http or https only."""

    default_validators = [URLValidator(schemes=["http", "https"])]

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class LanguageField(models.CharField):
    """A BCP 47 language tag (articles.languages), stored in its usual case."""

    default_validators = [validate_language_tag]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", MAX_TAG_LENGTH)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_tag(value) if isinstance(value, str) else value


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

    def translations_of(self, article: "Article"):
        """The articles of `article`'s translation group, itself included (none when
        it has no translations), by language."""
        if article.pk is None:
            return self.none()
        return self.filter(translation_member__group__members__article=article).order_by(
            "language", "pk"
        )

    def with_translations(self):
        """Each article with its published translations (itself included), read in
        one more query whatever the number of articles: see `translations_in`."""
        published = (
            TranslationMember.objects.filter(article__status=Article.Status.PUBLISHED)
            .select_related("article")
            .only("group_id", "article__slug", "article__title", "article__language")
            .order_by("article__language", "article_id")
        )
        return self.select_related("translation_member__group").prefetch_related(
            models.Prefetch(
                "translation_member__group__members", queryset=published, to_attr="published"
            )
        )

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
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    lead = MarkdownxField(_("lead"), blank=True, help_text=_("Markdown; cite sources as [@key]."))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    # Provenance of an imported text (articles.interchange), shown at the page's foot.
    source_url = HttpURLField(
        _("source URL"), max_length=500, blank=True, help_text=_("Where the text came from.")
    )
    license = models.CharField(
        _("license"), max_length=200, blank=True, help_text=_("e.g. CC BY-SA 4.0")
    )
    attribution = models.CharField(_("attribution"), max_length=300, blank=True)
    language = LanguageField(
        _("language"),
        default=DEFAULT_LANGUAGE,
        db_index=True,
        help_text=_("The language of the text, as a BCP 47 tag: en, zh-Hans, zh-Hant, ja…"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ArticleManager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
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


def translations_in(article: Article) -> list[Article]:
    """The published translations of an article read `with_translations()`, itself
    included; empty when it has none (a group of one links nothing)."""
    member = getattr(article, "translation_member", None)
    published = member.group.published if member is not None else []
    return [translation.article for translation in published] if len(published) > 1 else []


class TranslationGroupManager(models.Manager):
    def get_by_natural_key(self, key):
        if not key:  # a group without one, in a fixture: always a new group
            raise self.model.DoesNotExist
        if key.startswith("#") and key[1:].isdigit():  # an editors' group, dumped
            return self.get(pk=int(key[1:]), key=None)
        return self.get(key=key)


class TranslationGroup(models.Model):
    """Articles that are translations of each other: being in one group makes the
    link symmetric and transitive. Not versioned (a revert leaves links alone);
    `changed_at` moves whenever a member joins or leaves, for the page stamps.

    `key` names the groups a fixture makes (fixtures/miit_zh.json: "miit"), so that
    a fixture without primary keys links the same articles however often it is
    loaded; the groups the editors make have none."""

    key = models.SlugField(
        _("key"), max_length=100, unique=True, null=True, blank=True, default=None
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    objects = TranslationGroupManager()

    class Meta:
        verbose_name = _("translation group")
        verbose_name_plural = _("translation groups")

    def __str__(self):
        return f"Translation group {self.pk}"

    def natural_key(self):
        if self.key is None and self.pk is not None:
            return (f"#{self.pk}",)
        return (self.key,)


class TranslationMemberManager(models.Manager):
    def get_by_natural_key(self, article_slug):
        return self.get(article__slug=article_slug)


class TranslationMember(models.Model):
    """An article's place in its translation group (at most one). Its natural key is
    its article's, so that a fixture linking translations loads idempotently."""

    article = models.OneToOneField(
        Article, models.CASCADE, verbose_name=_("article"), related_name="translation_member"
    )
    group = models.ForeignKey(
        TranslationGroup, models.CASCADE, verbose_name=_("group"), related_name="members"
    )

    objects = TranslationMemberManager()

    def __str__(self):
        return f"{self.article_id} in {self.group_id}"

    def natural_key(self):
        return self.article.natural_key()

    natural_key.dependencies = ["articles.article", "articles.translationgroup"]


class SectionQuerySet(SearchableQuerySet):
    def published(self):
        return self.filter(article__status=Article.Status.PUBLISHED)


class SectionManager(models.Manager.from_queryset(SectionQuerySet)):
    def get_by_natural_key(self, article_slug, anchor):
        return self.get(article__slug=article_slug, anchor=anchor)


def unique_slug(text: str, taken: set[str], fallback: str, make=slugify) -> str:
    """A slug of `text` (`make(text)`) not in `taken`, numbered -2, -3… on collision."""
    base = make(text) or fallback
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def fill_slug(obj, field: str, text: str, fallback: str, make=slugify, **scope) -> None:
    """Give `obj` a slug made from `text` when it has none, unique within `scope`."""
    if not getattr(obj, field):
        siblings = type(obj).objects.filter(**scope).exclude(pk=obj.pk)
        taken = set(siblings.values_list(field, flat=True))
        setattr(obj, field, unique_slug(text, taken, fallback, make))


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
    article = models.ForeignKey(
        Article, models.CASCADE, verbose_name=_("article"), related_name="sections"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    level = models.PositiveSmallIntegerField(
        _("level"),
        default=2,
        validators=[MinValueValidator(2), MaxValueValidator(4)],
        help_text=_("2, 3 or 4: the markdown heading level (##, ###, ####)."),
    )
    heading = models.CharField(_("heading"), max_length=200)
    anchor = models.SlugField(
        _("anchor"),
        max_length=ANCHOR_LENGTH,
        blank=True,
        allow_unicode=True,  # a Chinese heading's anchor keeps its characters (anchors.py)
        help_text=_(
            "Stable link target; filled from the heading when left empty and "
            "kept when the heading changes."
        ),
    )
    body = MarkdownxField(_("body"), blank=True)

    objects = SectionManager()
    checked_by_validators = ("level",)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
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
        fill_slug(self, "anchor", self.heading, "section", anchor_slug, article_id=self.article_id)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    def natural_key(self):
        return (*self.article.natural_key(), self.anchor)

    natural_key.dependencies = ["articles.article"]


class SourceQuerySet(SearchableQuerySet):
    def with_standing(self):
        """Each source with its rating (badges) and its check status (`articles.checks`),
        which references, source pages and the API show: joined, in the same query."""
        return self.select_related("rating", "domain_rating", "status")

    def by_key(self, keys) -> dict:
        """The sources with these keys, as {key: source}, with their standing;
        unknown keys are absent."""
        return {source.key: source for source in self.filter(key__in=set(keys)).with_standing()}


class SourceManager(models.Manager.from_queryset(SourceQuerySet)):
    def fill_domains(self) -> None:
        """Set the registrable domain of sources whose url it does not match: those
        written by a raw save (loaddata), which skips `Source.save`."""
        stale = []
        for source in self.only("pk", "url", "domain"):
            domain = registrable_domain(source.url) or None
            if source.domain != domain:
                source.domain = domain
                stale.append(source)
        self.bulk_update(stale, ["domain"], batch_size=500)

    def get_by_natural_key(self, key):
        return self.get(key=key)


PARTIAL_DATE_FORMATS = {4: "%Y", 7: "%Y-%m", 10: "%Y-%m-%d"}  # by length


def validate_partial_date(value: str) -> None:
    """A year, a month or a day that the calendar has: 2020, 2020-02, 2020-02-29."""
    if not re.fullmatch(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", value):
        raise ValidationError(_("Use YYYY, YYYY-MM or YYYY-MM-DD."), code="invalid")
    try:
        datetime.strptime(value, PARTIAL_DATE_FORMATS[len(value)])
    except ValueError as error:
        raise ValidationError(
            _("There is no such date: %(value)s (months run 01–12, days as the month has)."),
            code="invalid",
            params={"value": value},
        ) from error


class StampedOnSave:
    """A model whose `updated_at` is set on every save, so that the stamps of the
    pages showing it change (`articles.stamps`). A default rather than auto_now so
    that fixtures without it load, and a reload counts as a change."""

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "updated_at"}
        super().save(*args, **kwargs)


@reversion.register()
class Source(StampedOnSave, models.Model):
    key = models.SlugField(
        _("key"), max_length=80, unique=True, help_text=_("What articles cite, as [@key].")
    )
    title = models.CharField(_("title"), max_length=300)
    authors = models.CharField(_("authors"), max_length=300, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    date = models.CharField(
        _("date"),
        max_length=10,
        blank=True,
        validators=[validate_partial_date],
        help_text=_("Publication date: YYYY, YYYY-MM or YYYY-MM-DD."),
    )
    url = HttpURLField(_("URL"), blank=True)
    archive_url = HttpURLField(_("archive URL"), blank=True)
    accessed = models.DateField(_("accessed"), null=True, blank=True)
    quote = models.TextField(_("quote"), blank=True, help_text=_("An exact quotation, if any."))
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(
        _("updated at"), default=timezone.now, editable=False, db_index=True
    )
    # The url's registrable domain, set on save: what the reliability register rates,
    # joined as `domain_rating` so that sources and their ratings are one query.
    # NULL, not "", when there is none: NULL joins no rating.
    domain = models.CharField(max_length=253, null=True, blank=True, editable=False)  # noqa: DJ001
    domain_rating = models.ForeignObject(
        "articles.Rating",
        on_delete=models.DO_NOTHING,
        from_fields=["domain"],
        to_fields=["domain"],
        related_name="+",
        null=True,
        serialize=False,  # a join, not data: fixtures and revisions hold the domain
    )

    objects = SourceManager()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.domain = registrable_domain(self.url) or None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "domain"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:source", args=[self.key])

    def natural_key(self):
        if self.key is None and self.pk is not None:
            return (f"#{self.pk}",)
        return (self.key,)

    def clean_fields(self, exclude=None):
        # A join, not a value: reading it to validate would query a rating that may not exist.
        super().clean_fields(exclude={*(exclude or ()), "domain_rating"})


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
    article = models.ForeignKey(
        Article, models.CASCADE, verbose_name=_("article"), related_name="debates"
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.SET_NULL,
        verbose_name=_("section"),
        null=True,
        blank=True,
        related_name="debates",
        help_text=_("Where the debate is shown; empty shows it after the sections."),
    )
    slug = models.SlugField(_("slug"), max_length=120)
    position = models.PositiveIntegerField(_("position"), default=0)
    question = models.CharField(_("question"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)

    objects = DebateManager()

    class Meta:
        verbose_name = _("debate")
        verbose_name_plural = _("debates")
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
        SUPPORTER = "supporter", _("Supporter")
        CRITIC = "critic", _("Critic")

    debate = models.ForeignKey(
        Debate, models.CASCADE, verbose_name=_("debate"), related_name="arguments"
    )
    slug = models.SlugField(_("slug"), max_length=120, blank=True)
    side = models.CharField(_("side"), max_length=10, choices=Side)
    position = models.PositiveIntegerField(_("position"), default=0)
    summary = models.CharField(_("summary"), max_length=300)
    body = MarkdownxField(_("body"), blank=True, help_text=_("Markdown; cite sources as [@key]."))
    attributed_to = models.CharField(
        _("attributed to"),
        max_length=200,
        help_text=_("Who holds this position: a named person or body."),
    )
    responds_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        verbose_name=_("responds to"),
        null=True,
        blank=True,
        related_name="responses",
        help_text=_("The argument this one rebuts."),
    )

    objects = ArgumentManager()
    checked_by_validators = ("side",)

    class Meta:
        verbose_name = _("argument")
        verbose_name_plural = _("arguments")
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


# The reliability register's model lives with its feature; importing it here is how
# Django finds it (an app's models are those its `models` module defines or imports).
# The models of source checks live with their feature; Django finds them through here.
from articles.checks.models import Snapshot, SourceCheck, SourceStatus  # noqa: E402, F401
from articles.reliability.models import Rating  # noqa: E402, F401
