"""Editing forms: citation checks, and conflict detection with three-way merge.

Every edit form posts `base_revision`, the article revision it was opened at.
When another editor saved in between, each field is merged three ways (base,
theirs, mine): a field only one side changed takes that side's value, and a
field both changed differently is a conflict that refuses the save, shows the
other editor's change as a diff and keeps this editor's text in the form. The
article form, the single-section form and the debate form merge their object;
the section and argument formsets merge each row.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.text import slugify
from markdownx.widgets import AdminMarkdownxWidget

from articles.citations import cited_keys, find_citation_keys
from articles.diff import diff_text
from articles.models import Article, Debate, Section, Source
from articles.revisions import (
    ARGUMENT_FIELDS,
    ARTICLE_FIELDS,
    DEBATE_FIELDS,
    SECTION_FIELDS,
    latest_revision_id,
    saved_fields,
)

SUMMARY_HELP = "Say what you changed and why; it is shown in the page history."
SAME_SECTION_CONFLICT = (
    "Another editor changed the same text while you were editing. Their change is shown "
    "next to the field; your text is kept. Merge the two by hand and save again."
)
MAX_MARKDOWN = 200_000


def existing_keys(keys) -> set[str]:
    """Those of `keys` that a source has."""
    return set(Source.objects.filter(key__in=keys).values_list("key", flat=True))


def check_citations(text: str, known: set[str] | None = None) -> str:
    """Normalise line ends and refuse citations of keys no source has.

    `known`: the existing keys among those cited on the whole page, when the
    caller read them at once (a formset); otherwise they are read here.
    """
    text = (text or "").replace("\r\n", "\n")
    if len(text) > MAX_MARKDOWN:
        raise ValidationError(
            f"This text is {len(text):,} characters long; the limit is {MAX_MARKDOWN:,}."
        )
    keys = set(find_citation_keys(text))
    unknown = sorted(keys - (existing_keys(keys) if known is None else known))
    if unknown:
        add_url = reverse("admin:articles_source_add")
        links = format_html_join(
            ", ",
            '<a href="{}?{}" target="_blank">{}</a>',
            ((add_url, urlencode({"key": key}), key) for key in unknown),
        )
        noun = "source key" if len(unknown) == 1 else "source keys"
        raise ValidationError(
            format_html("Unknown {}: {}. Add the source first (links open the form).", noun, links)
        )
    return text


class EditBase:
    """The revision an edit started from, read while holding the article's row lock."""

    def __init__(self, data, article):
        self.base = int(data.get("base_revision") or 0)
        Article.objects.locked(article.pk)
        self.latest = latest_revision_id(article)

    @property
    def stale(self) -> bool:
        return self.latest != self.base

    def base_fields(self, model) -> dict[int, dict] | None:
        return saved_fields(self.base, model) if self.base else None


def conflict_message(field: str, base, theirs) -> str:
    changes = diff_text(str(base if base is not None else ""), str(theirs))
    return render_to_string("articles/includes/conflict.html", {"field": field, "changes": changes})


def attname(model, field: str) -> str:
    """The column a field is stored and versioned under (`responds_to_id` for a
    foreign key): what `.values()` and django-reversion's field_dict use."""
    return model._meta.get_field(field).attname


def columns(model, fields) -> list[str]:
    return [attname(model, field) for field in fields]


def current_rows(model, fields, **lookup) -> dict[int, dict]:
    """The merged fields of the matching rows as they are now, by primary key."""
    rows = model.objects.filter(**lookup).values("id", *columns(model, fields))
    return {row.pop("id"): row for row in rows}


def three_way_merge(form, fields, base: dict | None, theirs: dict, label: str) -> list[str]:
    """Merge `form`'s cleaned data with `theirs`; return the fields taken from theirs.

    A field the form does not edit is taken as it is now, so that saving does not
    write back what was read before the other save. Conflicting fields get a form
    error; `base` None means the starting state is unknown, so any difference is a
    conflict.
    """
    model, taken = type(form.instance), []
    for field in fields:
        column = attname(model, field)
        current = theirs[column]
        if field not in form.cleaned_data:
            if field not in form.fields:
                setattr(form.instance, column, current)
            continue
        mine = form.cleaned_data[field]
        mine = getattr(mine, "pk", mine)  # a chosen object: compare its id
        if mine == current:
            continue
        if base is not None and mine == base.get(column):
            setattr(form.instance, column, current)
            form.cleaned_data[field] = getattr(form.instance, field)
            taken.append(f"{label}: {field}")
        elif base is None or current != base.get(column):
            form.add_error(field, conflict_message(field, base and base.get(column), current))
            form.conflict = True
    return taken


class EditorWidget(AdminMarkdownxWidget):
    """markdownx's textarea and preview pane, driven by the project's editor.js."""

    class Media:
        extend = False
        js = ["articles/editor.js"]
        css = {"all": ["articles/editor.css"]}


class CitedBody:
    """A form with a markdown body: size limit and known source keys only."""

    conflict = False  # set by three_way_merge
    known_keys: set[str] | None = None  # set by a MergedRowsFormSet for all its rows

    def clean_body(self):
        return check_citations(self.cleaned_data.get("body"), self.known_keys)


class EditSummaryForm(forms.ModelForm):
    """Any admin form whose save becomes a revision: asks what changed and why."""

    edit_summary = forms.CharField(
        label="Edit summary", max_length=300, required=False, help_text=SUMMARY_HELP
    )


class MergedEditForm(EditSummaryForm):
    """An admin form for one object of an article, merged with what another editor
    saved since the form was opened (under the article's row lock)."""

    merge_fields: tuple[str, ...]
    label: str
    merged: list[str]
    conflict = False

    def revision_article(self) -> Article:
        return self.instance.article

    def clean(self):
        cleaned = super().clean()
        self.merged = []
        if self.instance.pk is None:
            return cleaned
        model, pk = type(self.instance), self.instance.pk
        edit = EditBase(self.data, self.revision_article())
        if not edit.stale and all(field in self.fields for field in self.merge_fields):
            return cleaned  # nobody saved meanwhile, and the form writes every field
        theirs = current_rows(model, self.merge_fields, pk=pk).get(pk)
        if theirs is None:
            raise ValidationError(f"Another editor deleted this {self.label}.")
        base = edit.base_fields(model) if edit.stale else {pk: theirs}
        self.merged = three_way_merge(
            self, self.merge_fields, base and base.get(pk), theirs, self.label
        )
        if self.conflict:
            raise ValidationError(SAME_SECTION_CONFLICT)
        return cleaned


class ArticleForm(MergedEditForm):
    class Meta:
        model = Article
        fields = ["title", "slug", "status", "lead"]

    merge_fields, label = ARTICLE_FIELDS, "article"

    def revision_article(self) -> Article:
        return self.instance

    def clean_lead(self):
        return check_citations(self.cleaned_data.get("lead"))


class DebateForm(MergedEditForm):
    class Meta:
        model = Debate
        fields = ["article", "section", "slug", "position", "question", "summary"]

    merge_fields, label = DEBATE_FIELDS, "debate"

    def revision_article(self) -> Article:
        # The article the debate belonged to when the form was opened (it may move).
        return Article(pk=self.instance.article_id)

    def clean(self):
        moved_to = self.cleaned_data.get("article")
        if self.instance.pk and moved_to and moved_to.pk != self.instance.article_id:
            # A move writes both articles. Lock them in id order, as every move does,
            # so two moves in opposite directions wait for each other, not deadlock.
            Article.objects.lock_in_order([self.instance.article_id, moved_to.pk])
        return super().clean()


class SectionChecks(CitedBody):
    def clean_heading(self):
        heading = self.cleaned_data.get("heading", "").strip()
        if not heading:
            raise ValidationError("A section needs a heading.")
        return heading


class SectionForm(SectionChecks, forms.ModelForm):
    class Meta:
        model = Section
        fields = ["position", "level", "heading", "anchor", "body"]

    def clean(self):
        cleaned = super().clean()
        # Fill the anchor here so that duplicate anchors are caught with the others.
        if not cleaned.get("anchor") and cleaned.get("heading"):
            cleaned["anchor"] = slugify(cleaned["heading"]) or "section"
            self.instance.anchor = cleaned["anchor"]
        return cleaned


class SectionEditForm(SectionChecks, MergedEditForm):
    """One section on its own, opened from the edit link beside its heading. Its
    position is not in the form, so a reorder saved meanwhile is kept."""

    class Meta:
        model = Section
        fields = ["heading", "level", "anchor", "body"]
        widgets = {"body": EditorWidget}

    merge_fields, label = SECTION_FIELDS, "section"

    def clean_anchor(self):
        anchor = self.cleaned_data.get("anchor") or self.instance.anchor
        clash = Section.objects.filter(article_id=self.instance.article_id, anchor=anchor)
        if clash.exclude(pk=self.instance.pk).exists():
            raise ValidationError(f"Another section of this article already uses “{anchor}”.")
        return anchor


class ArgumentForm(CitedBody, forms.ModelForm):
    """An argument's body is markdown like a section's: same size limit, known keys only."""


def deleted_row_message(form, noun: str, label_field: str) -> ValidationError:
    """The admin cannot show a row whose object is gone, so the text goes in the message."""
    return ValidationError(
        format_html(
            "Another editor deleted the {} “{}” while you were editing. Your text for it is "
            'below; add it as a new {} if it should stay.<pre class="kept-text">{}</pre>',
            noun,
            form.data.get(form.add_prefix(label_field), ""),
            noun,
            form.data.get(form.add_prefix("body"), ""),
        )
    )


class ReadRowField(forms.ModelChoiceField):
    """The posted id of an existing row, checked against the row the formset read
    for it from the article's own (Django would read each row again, a query per
    row). An id that is not the article's is refused like a deleted row's."""

    def __init__(self, row, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.row = row

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if self.row is None or str(value) != str(self.row.pk):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return self.row


class MergedRowsFormSet(forms.BaseInlineFormSet):
    """The rows of an article (its sections, or a debate's arguments), saved as one
    revision and merged row by row with what another editor saved meanwhile.

    A save costs the same few queries whatever the number of rows: the posted ids
    and the cited source keys are each checked once for all rows. Subclasses say
    which fields merge and which article's revisions hold the rows
    (`revision_article`).
    """

    merge_fields: tuple[str, ...]
    noun: str  # what a row is called in messages
    label_field: str  # the field that names a row
    merged: list[str]

    @cached_property
    def known_keys(self) -> set[str]:
        bodies = (value for name, value in self.data.items() if name.endswith("-body"))
        return existing_keys(cited_keys(bodies))

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if not form.is_bound:
            return
        form.known_keys = self.known_keys
        if index is not None and index < self.initial_form_count():
            posted = form.fields["id"]
            form.fields["id"] = ReadRowField(
                form.instance if form.instance.pk else None,
                posted.queryset,
                initial=posted.initial,
                required=False,
                widget=posted.widget,
            )

    def clean(self):
        super().clean()
        self.merged = []
        self.check_rows()
        orphans = [f for f in self.forms if f.errors.get("id")]
        if orphans:
            raise ValidationError(
                [deleted_row_message(f, self.noun, self.label_field) for f in orphans]
            )
        if self.instance.pk:
            self.merge_concurrent_edits()

    def check_rows(self) -> None:
        """Checks across rows, before merging; raise ValidationError to refuse."""

    def merge_concurrent_edits(self):
        edit = EditBase(self.data, self.revision_article())
        if not edit.stale:
            return
        base = edit.base_fields(self.model)
        theirs = current_rows(self.model, self.merge_fields, **{self.fk.name: self.instance})
        merged_columns = columns(self.model, self.merge_fields)
        for form in self.forms:
            pk = form.instance.pk
            if pk is None or pk not in theirs or not hasattr(form, "cleaned_data"):
                continue
            label = f"{self.noun} “{theirs[pk][attname(self.model, self.label_field)]}”"
            if self._should_delete_form(form):
                unchanged = base and theirs[pk] == {
                    c: base.get(pk, {}).get(c) for c in merged_columns
                }
                if not unchanged:
                    form.add_error(None, f"Another editor changed {label}, which you deleted.")
                    form.conflict = True
                continue
            self.merged += three_way_merge(
                form, self.merge_fields, base and base.get(pk), theirs[pk], label
            )
        if any(form.conflict for form in self.forms):
            raise ValidationError(SAME_SECTION_CONFLICT)


class SectionFormSet(MergedRowsFormSet):
    """Sections of one article: unique positions and anchors."""

    merge_fields, noun, label_field = SECTION_FIELDS, "section", "heading"

    def revision_article(self) -> Article:
        return self.instance

    def check_rows(self):
        kept = [f for f in self.forms if f.has_changed() or f.instance.pk]
        kept = [f for f in kept if f.is_valid() and not self._should_delete_form(f)]
        positions = [f.cleaned_data["position"] for f in kept]
        duplicates = sorted({p for p in positions if positions.count(p) > 1})
        if duplicates:
            raise ValidationError(
                "Two sections share position %(positions)s; give each its own place.",
                params={"positions": ", ".join(map(str, duplicates))},
            )


class ArgumentFormSet(MergedRowsFormSet):
    """A debate's arguments."""

    merge_fields, noun, label_field = ARGUMENT_FIELDS, "argument", "summary"

    def revision_article(self) -> Article:
        return Debate.objects.saved_article(self.instance.pk)
