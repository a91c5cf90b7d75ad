"""Editing forms: citation checks and the admin's edit forms.

The article, single-section and debate forms, and the section and argument
formsets, merge with what another editor saved meanwhile (articles.merging);
the fields they merge are their `Meta.fields`.
"""

from django import forms
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from markdownx.widgets import AdminMarkdownxWidget

from articles.anchors import anchor_slug
from articles.citations import citation_problems, cited_keys, find_citation_keys
from articles.ids import in_id_range
from articles.languages import COMMON_LANGUAGES
from articles.merging import MergedEditForm, MergedRowsFormSet
from articles.models import MAX_MARKDOWN, Argument, Article, Debate, Section, Source, unique_slug
from articles.translations import clash_message, planned_group, same_language, translations_of

SUMMARY_HELP = gettext_lazy("Say what you changed and why; it is shown in the page history.")


def existing_keys(keys) -> set[str]:
    """Those of `keys` that a source has."""
    return set(Source.objects.filter(key__in=keys).values_list("key", flat=True))


def check_citations(text: str, known: set[str] | None = None, before: str = "") -> str:
    """Normalise line ends and refuse citations of keys no source has, and
    supporting passages that are not citation syntax or too long.

    Only keys this edit adds are checked: a key the saved text already cited
    whose source is gone shows as missing on the page, and does not block
    unrelated edits. `known`: the existing keys among those cited on the whole
    page, when the caller read them at once (a formset); else read here.
    """
    text = (text or "").replace("\r\n", "\n")
    if len(text) > MAX_MARKDOWN:
        raise ValidationError(
            _("This text is %(length)s characters long; the limit is %(limit)s.")
            % {
                "length": number_format(len(text), force_grouping=True),
                "limit": number_format(MAX_MARKDOWN, force_grouping=True),
            }
        )
    keys = set(find_citation_keys(text)) - set(find_citation_keys(before or ""))
    unknown = sorted(keys - (existing_keys(keys) if known is None else known))
    # Like keys, only the supporting passages this edit adds or changes are checked.
    errors = [
        problem
        for problem in citation_problems(text)
        if problem not in citation_problems(before or "")
    ]
    if unknown:
        add_url = reverse("admin:articles_source_add")
        links = format_html_join(
            ", ",
            '<a href="{}?{}" target="_blank">{}</a>',
            ((add_url, urlencode({"key": key}), key) for key in unknown),
        )
        message = ngettext(
            "Unknown source key: {}. Add the source first (links open the form).",
            "Unknown source keys: {}. Add the source first (links open the form).",
            len(unknown),
        )
        errors.insert(0, format_html(message, links))
    if errors:
        raise ValidationError(errors)
    return text


class EditorWidget(AdminMarkdownxWidget):
    """markdownx's textarea and preview pane, driven by the project's editor.js."""

    class Media:
        extend = False
        js = ["articles/editor.js"]
        css = {"all": ["articles/editor.css"]}


class CitedBody:
    """A form with a markdown body: size limit and known source keys only."""

    conflict = False  # set by articles.merging.three_way_merge
    known_keys: set[str] | None = None  # set by a CitedRowsFormSet for all its rows

    def clean_body(self):
        body = self.cleaned_data.get("body")
        return check_citations(body, self.known_keys, self.initial.get("body"))


class EditSummaryForm(forms.ModelForm):
    """Any admin form whose save becomes a revision: asks what changed and why."""

    edit_summary = forms.CharField(
        label=gettext_lazy("Edit summary"), max_length=300, required=False, help_text=SUMMARY_HELP
    )


class CheckedIdsField(forms.ModelMultipleChoiceField):
    """Chosen ids that the id column cannot hold are an invalid choice: SQLite's
    driver cannot even bind 2**63, which made the user and group forms a 500."""

    def _check_values(self, value):
        for pk in value:
            if str(pk).isdigit() and not in_id_range(int(pk)):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                    params={"pk": pk},
                )  # fmt: skip
        return super()._check_values(value)


class LanguageInput(forms.TextInput):
    """A text input for a BCP 47 tag that suggests the common ones (any tag is allowed)."""

    def __init__(self, attrs=None):
        super().__init__({"list": "common-languages", "size": 12, **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        options = format_html_join("", '<option value="{}">', ((tag,) for tag in COMMON_LANGUAGES))
        datalist = format_html('<datalist id="common-languages">{}</datalist>', options)
        return super().render(name, value, attrs, renderer) + datalist


class ArticleForm(MergedEditForm, EditSummaryForm):
    translations = CheckedIdsField(
        queryset=Article.objects.only("title", "language").order_by("title"),
        required=False,
        # The links the form was opened with travel with it, so that a save changes
        # only the links this editor added or removed, not those made meanwhile.
        show_hidden_initial=True,
        widget=FilteredSelectMultiple("translations", is_stacked=False),
        help_text=gettext_lazy(
            "The articles this one translates or is translated into, one per language. An "
            "article chosen here brings its own translations along; one taken out is unlinked."
        ),
    )

    class Meta:
        model = Article
        # Provenance: where an imported (or copied) text came from, its licence and
        # whom to credit; shown at the page's foot, kept by every revision.
        fields = [
            "title",
            "slug",
            "status",
            "language",
            "lead",
            "source_url",
            "license",
            "attribution",
        ]
        widgets = {"language": LanguageInput}
        help_texts = {
            "source_url": gettext_lazy(
                "Where the text came from (http or https); shown at the page's foot."
            ),
            "license": gettext_lazy("The licence of that text, e.g. CC BY-SA 4.0."),
            "attribution": gettext_lazy("Whom to credit, e.g. “Wikipedia contributors”."),
        }

    merge_fields, label = Meta.fields, gettext_lazy("article")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["translations"]
        field.label_from_instance = lambda article: f"{article.title} ({article.language})"
        self.current_translations: list[Article] = []
        if self.instance.pk is not None:
            field.queryset = field.queryset.exclude(pk=self.instance.pk)
            self.current_translations = translations_of(self.instance)
            self.initial["translations"] = [article.pk for article in self.current_translations]

    def revision_article(self) -> Article:
        return self.instance

    def clean_lead(self):
        return check_citations(self.cleaned_data.get("lead"), before=self.initial.get("lead"))

    def opened_translations(self) -> set[int]:
        """The ids of the translations the form was opened with (its hidden initial
        value); the current ones when that value is unreadable."""
        field, name = self.fields["translations"], self.add_initial_prefix("translations")
        posted = field.hidden_widget().value_from_datadict(self.data, self.files, name)
        try:
            return {article.pk for article in field.clean(posted)}
        except ValidationError:
            return {article.pk for article in self.current_translations}

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("translations")
        if chosen is None or "translations" not in self.changed_data:
            cleaned["translations"] = self.current_translations
        else:  # this editor's additions and removals, applied to the links as they are now
            opened, chosen = self.opened_translations(), {article.pk: article for article in chosen}
            keep = [a for a in self.current_translations if a.pk in chosen or a.pk not in opened]
            added = [article for pk, article in chosen.items() if pk not in opened]
            cleaned["translations"] = list({a.pk: a for a in [*keep, *added]}.values())
        language = cleaned.get("language") or self.instance.language
        article = Article(pk=self.instance.pk, title=cleaned.get("title"), language=language)
        final, _ = planned_group(article, cleaned["translations"])
        clash = same_language([article, *final.values()])
        if clash:
            field = "translations" if "translations" in self.changed_data else "language"
            self.add_error(field, clash_message(*clash))
        return cleaned

    def clean_license(self):
        return " ".join(self.cleaned_data.get("license", "").split())

    def clean_attribution(self):
        return " ".join(self.cleaned_data.get("attribution", "").split())


class DebateForm(MergedEditForm, EditSummaryForm):
    class Meta:
        model = Debate
        fields = ["article", "section", "slug", "position", "question", "summary"]

    merge_fields, label = Meta.fields, gettext_lazy("debate")

    def revision_article(self) -> Article:
        # The article the debate belonged to when the form was opened (it may move).
        return Article(pk=self.instance.article_id)

    def clean(self):
        moved_to = self.cleaned_data.get("article")
        if self.instance.pk and moved_to and moved_to.pk != self.instance.article_id:
            # A move writes both articles. Lock them in id order, as every move does,
            # so two moves in opposite directions wait for each other, not deadlock.
            Article.objects.lock_in_order([self.instance.article_id, moved_to.pk])
        cleaned = super().clean()
        section, article = cleaned.get("section"), cleaned.get("article")
        if section and article and section.article_id != article.pk:
            self.add_error(
                "section",
                _(
                    "The section “%(heading)s” is in another article; choose a section "
                    "of “%(title)s”, or none."
                )
                % {"heading": section.heading, "title": article.title},
            )
        return cleaned


class SectionChecks(CitedBody):
    def clean_heading(self):
        heading = self.cleaned_data.get("heading", "").strip()
        if not heading:
            raise ValidationError(_("A section needs a heading."))
        return heading


class SectionForm(SectionChecks, forms.ModelForm):
    class Meta:
        model = Section
        fields = ["position", "level", "heading", "anchor", "body"]

    anchor_from_heading = False  # a blank anchor, made unique by SectionFormSet

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("anchor") or not cleaned.get("heading"):
            return cleaned
        if self.instance.pk:  # a section keeps its anchor: links to it stay valid
            cleaned["anchor"] = self.initial["anchor"]
        else:  # provisional, so that duplicates within the form are caught with the others
            cleaned["anchor"] = anchor_slug(cleaned["heading"]) or "section"
            self.anchor_from_heading = True
        return cleaned


def anchor_taken(anchor: str) -> str:
    return _("Another section of this article already uses “%(anchor)s”.") % {"anchor": anchor}


class SectionEditForm(SectionChecks, MergedEditForm, EditSummaryForm):
    """One section on its own, opened from the edit link beside its heading. Its
    position is not in the form, so a reorder saved meanwhile is kept."""

    class Meta:
        model = Section
        fields = ["heading", "level", "anchor", "body"]
        widgets = {"body": EditorWidget}

    merge_fields, label = SectionForm.Meta.fields, gettext_lazy("section")

    def clean(self):
        cleaned = super().clean()  # merged under the article's lock: anchors are current
        anchor = cleaned.get("anchor") or self.instance.anchor
        clash = Section.objects.filter(article_id=self.instance.article_id, anchor=anchor)
        if clash.exclude(pk=self.instance.pk).exists():
            self.add_error("anchor", anchor_taken(anchor))
        cleaned["anchor"] = self.instance.anchor = anchor
        return cleaned


class ArgumentForm(CitedBody, forms.ModelForm):
    """An argument's body is markdown like a section's: same size limit, known keys only."""

    class Meta:
        model = Argument
        fields = ["side", "position", "summary", "attributed_to", "body", "responds_to", "slug"]


class CitedRowsFormSet(MergedRowsFormSet):
    """Rows with a markdown body: the keys cited in all rows are looked up at once."""

    @cached_property
    def known_keys(self) -> set[str]:
        bodies = (value for name, value in self.data.items() if name.endswith("-body"))
        return existing_keys(cited_keys(bodies))

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if form.is_bound:
            form.known_keys = self.known_keys


class SectionFormSet(CitedRowsFormSet):
    """Sections of one article: unique positions and anchors."""

    merge_fields, label_field = SectionForm.Meta.fields, "heading"
    noun, rows_noun = gettext_lazy("section"), gettext_lazy("sections")

    def saved_rows(self) -> list:
        return [f for f in self.forms if f.is_valid() and (f.has_changed() or f.instance.pk)]

    def check_rows(self):
        kept = [f for f in self.saved_rows() if not self._should_delete_form(f)]
        positions = [f.cleaned_data["position"] for f in kept]
        duplicates = sorted({p for p in positions if positions.count(p) > 1})
        if duplicates:
            raise ValidationError(
                _("Two sections share position %(positions)s; give each its own place."),
                params={"positions": ", ".join(map(str, duplicates))},
            )

    def clean(self):
        super().clean()
        self.check_anchors()

    def check_anchors(self) -> None:
        """Anchors unique in the article as saved, read under its row lock (after the
        merge): a section another editor added meanwhile is not in this form.

        A blank anchor of a new section becomes its heading's slug, numbered when
        taken. An existing section cannot take an anchor another section has until
        this save: rows are written one by one, so a swap would clash on the way.
        """
        rows = self.saved_rows()
        holders = self.saved_anchors()
        shown = {f.instance.pk for f in rows}
        kept = [f for f in rows if not self._should_delete_form(f)]
        errors = []
        for form in (f for f in kept if f.instance.pk):
            anchor = form.instance.anchor
            holder, heading = holders.get(anchor, (form.instance.pk, ""))
            if holder == form.instance.pk:
                continue
            errors.append(
                _(
                    "“%(anchor)s” is the anchor of the section “%(heading)s” until this save; "
                    "anchors cannot change places in one save. Give one a new anchor first."
                )
                % {"anchor": anchor, "heading": heading}
                if holder in shown
                else anchor_taken(anchor)
            )
        taken = {f.instance.anchor for f in kept if f.instance.pk}
        taken |= {anchor for anchor, (pk, _heading) in holders.items() if pk not in shown}
        for form in (f for f in kept if not f.instance.pk):
            if form.anchor_from_heading:
                anchor = unique_slug(form.cleaned_data["heading"], taken, "section", anchor_slug)
                form.cleaned_data["anchor"] = form.instance.anchor = anchor
            elif form.instance.anchor in taken:
                errors.append(anchor_taken(form.instance.anchor))
            taken.add(form.instance.anchor)
        if errors:
            raise ValidationError(errors)

    def saved_anchors(self) -> dict[str, tuple[int, str]]:
        """The section holding each anchor of the article now: its id and heading."""
        if self.instance.pk is None:
            return {}
        rows = Section.objects.filter(article=self.instance).values_list("anchor", "pk", "heading")
        return {anchor: (pk, heading) for anchor, pk, heading in rows}


class ArgumentFormSet(CitedRowsFormSet):
    """A debate's arguments."""

    merge_fields, label_field = ArgumentForm.Meta.fields, "summary"
    noun, rows_noun = gettext_lazy("argument"), gettext_lazy("arguments")


class RevertForm(forms.Form):
    """The reason for a revert from the history page, kept in the revision's comment."""

    summary = forms.CharField(max_length=300, required=False, strip=True)
