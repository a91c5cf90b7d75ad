"""Edits merged with what another editor saved meanwhile: the edit base and the three-way merge.

The article form, the single-section form and the debate form carry `base_revision`,
the article revision they were opened at, as a hidden field. Under the article's row
lock each field is merged three ways (base, theirs, mine): a field only one side
changed takes that side's value, and a field both changed differently is a conflict
that refuses the save, shows the other editor's change and keeps this editor's text.
The section and argument formsets merge each row against the same base, which they
read from their parent form. The merged fields are the forms' `Meta.fields`.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reversion.models import Version

from articles.diff import diff_text
from articles.ids import MAX_ID
from articles.models import Article
from articles.revisions import latest_revision_id, saved_fields

SAME_TEXT_CONFLICT = gettext_lazy(
    "Another editor changed the same text while you were editing. Their change is shown "
    "next to the field; your text is kept. Merge the two by hand and save again."
)
UNKNOWN_BASE = gettext_lazy(
    "The revision this form was opened at is unknown, so your changes cannot be merged "
    "with what was saved since. The current text is shown next to each field that differs; "
    "your text is kept. Merge the two by hand and save again."
)
UNREADABLE_BASE = gettext_lazy(
    "This form did not say which revision of the article it was opened at (a revision "
    "number is expected). Your text is kept; check it against the current text and save again."
)


class EditBase:
    """The revision an edit started from, checked while holding the article's row lock.

    `revision` is None when the form could not say (a malformed value): like a
    revision that does not hold the article, the base is then unknown, and any
    field that differs from the current one is a conflict.
    """

    def __init__(self, revision: int | None, article: Article):
        Article.objects.locked(article.pk)
        self.revision = revision
        self.latest = latest_revision_id(article)
        self.known = revision == self.latest or bool(revision) and holds(revision, article)
        # A re-rendered form stands on the newest revision once it has shown a
        # conflict (so saving again applies the editor's merge) or had no base.
        self.conflict = revision is None

    @property
    def stale(self) -> bool:
        return self.revision != self.latest

    def saved(self, model) -> dict[int, dict] | None:
        """The `model` rows stored in the base revision, by pk; None when it is unknown."""
        return saved_fields(self.revision, model) if self.known else None

    @property
    def refusal(self) -> str:
        return SAME_TEXT_CONFLICT if self.known else UNKNOWN_BASE


def holds(revision_id: int, article: Article) -> bool:
    return Version.objects.get_for_object(article).filter(revision_id=revision_id).exists()


def edit_base_of(instance) -> EditBase | None:
    """The base the parent form checked: an admin page's inline formsets know their
    parent form only through the object it edits, so the base travels on it."""
    return getattr(instance, "edit_base", None)


class BaseRevisionBoundField(BoundField):
    """The posted base, or the newest revision once the form showed a conflict."""

    def value(self):
        edit = edit_base_of(self.form.instance)
        if self.form.is_bound and edit is not None and edit.conflict:
            return edit.latest
        return super().value()


class BaseRevisionField(forms.IntegerField):
    """The revision a form was opened at: ASCII digits within a revision id's range,
    so that no junk reaches a query (SQLite overflows past 2**63 - 1)."""

    widget = forms.HiddenInput
    digits = re.compile(r"[0-9]{1,19}")
    default_error_messages = {"invalid": gettext_lazy("Not a revision number.")}

    def __init__(self, **kwargs):
        super().__init__(min_value=0, max_value=MAX_ID, initial=0, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not self.digits.fullmatch(str(value)):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(value)

    def get_bound_field(self, form, field_name):
        return BaseRevisionBoundField(form, self, field_name)


def opened_at(instance, article: Article) -> int:
    """The base of a form just opened: the newest revision the admin noted before it
    read the object (`opened_at_revision`), else the newest now."""
    noted = getattr(instance, "opened_at_revision", None)
    return latest_revision_id(article) if noted is None else noted


def conflict_message(field: str, edit: EditBase, base, theirs) -> str:
    if not edit.known:
        context = {"field": field, "current": theirs}
        return render_to_string("admin/articles/unknown_base.html", context)
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


def three_way_merge(form, fields, edit: EditBase, base: dict | None, theirs: dict, label: str):
    """Merge `form`'s cleaned data with `theirs`; return the fields taken from theirs.

    A field the form does not edit is taken as it is now, so that saving does not
    write back what was read before the other save. Conflicting fields get a form
    error; `base` None means the starting state is unknown, so any difference is a
    conflict.
    """
    model, taken = type(form.instance), []
    for field in fields:
        name = str(form.fields[field].label).lower() if field in form.fields else field
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
            taken.append(f"{label}: {name}")
        elif base is None or current != base.get(column):
            form.add_error(field, conflict_message(name, edit, base and base.get(column), current))
            form.conflict = edit.conflict = True
    return taken


class MergedEditForm(forms.ModelForm):
    """An admin form for one object of an article, merged with what another editor
    saved since the form was opened (under the article's row lock)."""

    base_revision = BaseRevisionField()

    merge_fields: tuple[str, ...]  # a form's Meta.fields, or more when a field is hidden
    label: str
    merged: list[str]
    conflict = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["base_revision"].disabled = True  # a new object merges with nothing
        elif not self.is_bound:
            self.initial["base_revision"] = opened_at(self.instance, self.revision_article())

    def revision_article(self) -> Article:
        return self.instance.article

    def clean(self):
        cleaned = super().clean()
        self.merged = []
        if self.instance.pk is None:
            return cleaned
        if self.has_error("base_revision"):
            self.add_error(None, UNREADABLE_BASE)  # the field is hidden: say it at the top
        edit = EditBase(cleaned.get("base_revision"), self.revision_article())
        self.instance.edit_base = edit
        if not edit.stale and all(field in self.fields for field in self.merge_fields):
            return cleaned  # nobody saved meanwhile, and the form writes every field
        model, pk = type(self.instance), self.instance.pk
        theirs = current_rows(model, self.merge_fields, pk=pk).get(pk)
        if theirs is None:
            raise ValidationError(_("Another editor deleted this %(noun)s.") % {"noun": self.label})
        base = edit.saved(model) if edit.stale else {pk: theirs}
        self.merged = three_way_merge(
            self, self.merge_fields, edit, base and base.get(pk), theirs, self.label
        )
        if self.conflict:
            raise ValidationError(edit.refusal)
        return cleaned


def deleted_row_message(form, noun: str, label_field: str) -> ValidationError:
    """The admin cannot show a row whose object is gone, so the text goes in the message."""
    return ValidationError(
        format_html(
            _(
                "Another editor deleted the {} “{}” while you were editing. Your text for it is "
                'below; add it as a new {} if it should stay.<pre class="kept-text">{}</pre>'
            ),
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


def deletion_refused(label: str, edit: EditBase) -> str:
    if edit.known:
        return _("Another editor changed %(row)s, which you deleted.") % {"row": label}
    return _("You deleted %(row)s, but the revision this form was opened at is unknown.") % {
        "row": label
    }


class MergedRowsFormSet(forms.BaseInlineFormSet):
    """The rows of an article (its sections, or a debate's arguments), saved as one
    revision and merged row by row with what another editor saved meanwhile,
    against the base revision of the parent form.

    A save costs the same few queries whatever the number of rows: the posted ids
    are checked against the rows read once. Subclasses say which fields merge.
    """

    merge_fields: tuple[str, ...]
    noun: str  # what a row is called in messages
    rows_noun: str  # and several rows
    label_field: str  # the field that names a row
    merged: list[str]

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if form.is_bound and index is not None and index < self.initial_form_count():
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
        orphans = [f for f in self.forms if f.errors.get("id")]
        if orphans:
            raise ValidationError(
                [deleted_row_message(f, self.noun, self.label_field) for f in orphans]
            )
        self.refuse_new_rows_with_ids()
        self.check_rows()
        edit = edit_base_of(self.instance)
        if self.instance.pk and edit is not None and edit.stale:
            self.merge_concurrent_edits(edit)

    def refuse_new_rows_with_ids(self) -> None:
        """A row past the count of existing rows is new; one that names an existing row
        comes from a form whose counts were changed, and would be saved as a copy."""
        extra = self.forms[self.initial_form_count() :]
        if any(f.cleaned_data.get("id") for f in extra if hasattr(f, "cleaned_data")):
            raise ValidationError(
                _(
                    "This form's count of existing %(rows)s does not match the rows it "
                    "sent. Reload the page; copy your text first."
                )
                % {"rows": self.rows_noun}
            )

    def check_rows(self) -> None:
        """Checks across rows, before merging; raise ValidationError to refuse."""

    def merge_concurrent_edits(self, edit: EditBase) -> None:
        base = edit.saved(self.model)
        theirs = current_rows(self.model, self.merge_fields, **{self.fk.name: self.instance})
        merged_columns = columns(self.model, self.merge_fields)
        for form in self.forms:
            pk = form.instance.pk
            if pk is None or pk not in theirs or not hasattr(form, "cleaned_data"):
                continue
            label = _("%(noun)s “%(name)s”") % {
                "noun": self.noun,
                "name": theirs[pk][attname(self.model, self.label_field)],
            }
            if self._should_delete_form(form):
                unchanged = base and theirs[pk] == {
                    c: base.get(pk, {}).get(c) for c in merged_columns
                }
                if not unchanged:
                    form.add_error(None, deletion_refused(label, edit))
                    form.conflict = edit.conflict = True
                continue
            self.merged += three_way_merge(
                form, self.merge_fields, edit, base and base.get(pk), theirs[pk], label
            )
        if any(getattr(form, "conflict", False) for form in self.forms):
            raise ValidationError(edit.refusal)
