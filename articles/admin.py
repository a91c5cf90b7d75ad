"""Editing through the Django admin: one revision per save, with an edit summary."""

import reversion
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from markdownx.models import MarkdownxField
from reversion.admin import VersionAdmin
from reversion.models import Version

from articles.checks.actions import check_history, check_now, save_to_archive
from articles.checks.running import reverify_quote
from articles.citations import count_citations_needed
from articles.forms import (
    ArgumentForm,
    ArgumentFormSet,
    ArticleForm,
    CheckedIdsField,
    DebateForm,
    EditorWidget,
    EditSummaryForm,
    SectionEditForm,
    SectionForm,
    SectionFormSet,
)
from articles.interchange.upload import import_view
from articles.models import Argument, Article, Debate, Section, Source
from articles.reliability.admin import RatingAdmin  # noqa: F401 - registers the register
from articles.reliability.warnings import rated_citations, warning_text
from articles.revisions import latest_revision_id
from articles.sources import places_of
from articles.translations import set_translations, translations_of

MARKDOWN_WIDGETS = {MarkdownxField: {"widget": EditorWidget}}


class SummaryVersionAdmin(VersionAdmin):
    """Stores the form's edit summary as the revision comment."""

    form = EditSummaryForm
    formfield_overrides = MARKDOWN_WIDGETS

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self.set_summary(request)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self.set_summary(request)
        return entry

    @staticmethod
    def set_summary(request):
        summary = request.POST.get("edit_summary", "").strip()
        if summary and reversion.is_active():
            reversion.set_comment(summary)

    def version_or_404(self, version_id, object_id=None) -> None:
        """django-reversion finds a version by its id and object id alone: refuse a
        version of another model (or, for the revert page, of another object)."""
        versions = Version.objects.get_for_model(self.model).filter(pk=version_id)
        if object_id is not None:
            versions = versions.filter(object_id=unquote(object_id))
        if not versions.exists():
            raise Http404("No such version of this object.")

    def revision_view(self, request, object_id, version_id, extra_context=None):
        self.version_or_404(version_id, object_id)
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        self.version_or_404(version_id)
        return super().recover_view(request, version_id, extra_context)


class BoundedInline(admin.StackedInline):
    """At most ADDED_ROWS new rows in one save. A posted TOTAL_FORMS is only a
    number: 2**63 made Django build and show its cap of 1,000 empty rows (a 10 MB
    page and seconds of work) instead of refusing the form."""

    added_rows = 50
    parent_field: str

    def get_formset(self, request, obj=None, **kwargs):
        rows = self.model._default_manager.none()
        if obj is not None and obj.pk is not None:
            rows = self.model._default_manager.filter(**{self.parent_field: obj})
        kwargs["max_num"] = kwargs["absolute_max"] = rows.count() + self.added_rows
        return super().get_formset(request, obj, **kwargs)


class SectionInline(BoundedInline):
    model = Section
    parent_field = "article"
    form = SectionForm
    formset = SectionFormSet
    extra = 0
    fields = [("position", "level"), "heading", "anchor", "body"]
    formfield_overrides = MARKDOWN_WIDGETS


class MergingAdmin(SummaryVersionAdmin):
    """Change forms that post the revision they were opened at (`base_revision`)
    and merge with what another editor saved meanwhile (articles.merging)."""

    def revision_article(self, object_id) -> Article:
        """The article whose revisions hold this object."""
        return Article(pk=object_id)

    def get_object(self, request, object_id, from_field=None):
        # Note the newest revision *before* the object and its rows are read: a save
        # committed in between then shows as stale when this form is posted, instead
        # of hiding behind a base revision newer than the text in the form. The form
        # opened on the object takes it as its base (articles.merging.opened_at).
        noted = latest_revision_id(self.revision_article(object_id))
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj.opened_at_revision = noted
        return obj

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """django-reversion's revert page, under the article's row lock like every
        other write of the article: it rewrites the rows before its form is checked
        (even to show the form, then rolled back), and an article save in flight
        writing one of them would deadlock with it."""
        # Checked before the lock, which reads the object's id as a number.
        self.version_or_404(version_id, object_id)
        with transaction.atomic():
            Article.objects.locked(self.revision_article(object_id).pk)
            return super().revision_view(request, object_id, version_id, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        merged = [*getattr(form, "merged", [])]
        for formset in formsets:
            merged += getattr(formset, "merged", [])
        report_merge(request, merged)
        warn_unreliable(request, self.saved_texts(form.instance))

    def saved_texts(self, obj) -> list[str]:
        """The markdown texts of `obj` as saved, for the reliability warning."""
        return []


@admin.register(Article)
class ArticleAdmin(MergingAdmin):
    form = ArticleForm
    inlines = [SectionInline]
    list_display = ["title", "slug", "language", "status", "updated_at"]
    list_filter = ["status", "language"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    # The edit summary is drawn beside the save buttons by the template.
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "status",
                    "language",
                    "translations",
                    "lead",
                    "base_revision",
                ]
            },
        ),
        (
            gettext_lazy("Provenance"),
            {
                "fields": ["source_url", "license", "attribution"],
                "description": gettext_lazy(
                    "For a text taken from elsewhere: shown at the foot of the page."
                ),
            },
        ),
    ]
    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"  # adds "Import"

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="articles_article_import",
            ),
            path(
                "<path:object_id>/section/<int:section_id>/",
                self.admin_site.admin_view(self.section_view),
                name="articles_article_section",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        return import_view(request, self.admin_site)

    @admin.display(description=gettext_lazy("Translations"))
    def translations(self, article):
        """What an editor who may only view the article sees in place of the form field."""
        linked = translations_of(article)
        return ", ".join(f"{other.title} ({other.language})" for other in linked) or "—"

    def saved_texts(self, obj) -> list[str]:
        return [obj.lead, *obj.sections.values_list("body", flat=True)]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if "translations" in form.changed_data:
            # Checked by the form; a link made meanwhile by another editor that
            # clashes refuses the save (the admin's transaction rolls back).
            set_translations(form.instance, others=form.cleaned_data["translations"])
        needed = sum(map(count_citations_needed, self.saved_texts(form.instance)))
        if needed:
            messages.info(
                request,
                ngettext(
                    "This article still has %(count)d “[citation needed]” marker.",
                    "This article still has %(count)d “[citation needed]” markers.",
                    needed,
                )
                % {"count": needed},
            )

    def section_view(self, request, object_id, section_id):
        """Edit one section on its own; the save is still one revision of the article."""
        article = self.get_object(request, object_id)
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        section = Section.objects.filter(pk=section_id, article=article).first()
        if section is None:
            if request.method != "POST":
                raise Http404("No such section in this article.")
            return self.deleted_section_page(request, article)
        section.opened_at_revision = article.opened_at_revision
        form = SectionEditForm(request.POST or None, instance=section)
        if request.method == "POST":
            with self.create_revision(request):
                if form.is_valid():
                    form.save()
                    article.save(update_fields=["updated_at"])
                    self.log_change(request, article, [{"changed": {
                        "name": "section", "object": str(section), "fields": form.changed_data,
                    }}])  # fmt: skip
                    if not form.cleaned_data["edit_summary"]:
                        reversion.set_comment(f"Edited section “{section.heading}”")
                    report_merge(request, form.merged)
                    warn_unreliable(request, [section.body])
                    messages.success(
                        request, _("Saved section “%(heading)s”.") % {"heading": section.heading}
                    )
                    return redirect(section.get_absolute_url())
        preceding = [article.lead, *article.sections.filter(
            Q(position__lt=section.position) | Q(position=section.position, pk__lt=section.pk)
        ).values_list("body", flat=True)]  # fmt: skip
        return self.section_page(request, article, section, form, preceding)

    def deleted_section_page(self, request, article):
        """A section deleted before its form was posted: the editor's text comes back
        with the form, to be added as a new section (nothing is saved)."""
        form = SectionEditForm(request.POST, instance=Section(article=article))
        form.add_error(
            None,
            _(
                "Another editor deleted this section while you were editing. Your text is kept "
                "below: copy it, and add it as a new section in the article form if it should "
                "stay."
            ),
        )
        return self.section_page(request, article, None, form, [article.lead], status=409)

    def section_page(self, request, article, section, form, preceding, status=200):
        heading = section.heading if section else form.data.get("heading", "")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Edit section “%(heading)s”") % {"heading": heading},
            "article": article,
            "section": section,
            "form": form,
            "media": self.media + form.media,
            "preceding": preceding,
        }
        return TemplateResponse(
            request, "admin/articles/article/section_form.html", context, status=status
        )


def warn_unreliable(request, texts: list[str]) -> None:
    """After a save: a warning (not a refusal) naming sources rated unreliable or deprecated."""
    found = rated_citations(texts)
    if found:
        messages.warning(request, warning_text(found))


def report_merge(request, merged: list[str]) -> None:
    if merged:
        messages.warning(
            request,
            _(
                "Another editor saved this article while you were editing. Their changes were "
                "kept and merged with yours (%(merged)s). Check the result."
            )
            % {"merged": "; ".join(merged)},
        )


class YearFilter(admin.SimpleListFilter):
    title = gettext_lazy("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = {date[:4] for date in Source.objects.values_list("date", flat=True) if date}
        return [(year, year) for year in sorted(years, reverse=True)]

    def queryset(self, request, queryset):
        return queryset.filter(date__startswith=self.value()) if self.value() else queryset


@admin.register(Source)
class SourceAdmin(SummaryVersionAdmin):
    list_display = ["key", "title", "publisher", "date"]
    list_filter = ["publisher", YearFilter]
    search_fields = ["key", "title", "authors", "publisher", "notes"]
    fieldsets = [
        (None, {"fields": ["key", "title", "authors", "publisher", "date"]}),
        (gettext_lazy("Where to find it"), {"fields": ["url", "archive_url", "accessed"]}),
        (gettext_lazy("Notes"), {"fields": ["quote", "notes"]}),
        (gettext_lazy("Checks"), {"fields": ["checks"]}),
        (gettext_lazy("Your edit"), {"fields": ["edit_summary"]}),
    ]
    readonly_fields = ["checks"]
    actions = [check_now, save_to_archive]

    @admin.display(description=gettext_lazy("Latest checks"))
    def checks(self, obj):
        return check_history(obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "quote" in form.changed_data:
            reverify_quote(obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_deleted_objects(self, objs, request):
        # A cited source is protected: deleting it would leave its citations dangling.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, perms_needed, [*protected, *citations_of(s.key for s in objs)]


PLACE_LABELS = {
    "lead": gettext_lazy("%(title)s, lead “%(label)s”"),
    "section": gettext_lazy("%(title)s, section “%(label)s”"),
    "argument": gettext_lazy("%(title)s, argument “%(label)s”"),
}


def citations_of(keys) -> list[str]:
    """Every lead, section and argument citing one of these keys, drafts included,
    each linked to the admin form that edits it."""
    found = []
    for key in keys:
        for place in places_of(Article.objects.all(), containing=f"@{key}"):
            if key not in place.keys:
                continue
            if place.argument:
                url = reverse("admin:articles_debate_change", args=[place.argument.debate_id])
            else:
                url = reverse("admin:articles_article_change", args=[place.article.pk])
            label = PLACE_LABELS[place.kind] % {"title": place.article.title, "label": place.label}
            found.append(format_html(_('<a href="{}">{}</a> cites [@{}]'), url, label, key))
    return found


class ArgumentInline(BoundedInline):
    model = Argument
    parent_field = "debate"
    form = ArgumentForm
    formset = ArgumentFormSet
    fk_name = "debate"
    extra = 0
    fields = [("side", "position"), "summary", "attributed_to", "body", "responds_to", "slug"]
    formfield_overrides = MARKDOWN_WIDGETS

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "responds_to":
            # Rebuttals answer arguments of the same debate only.
            debate_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Argument.objects.filter(debate_id=debate_id or 0)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Debate)
class DebateAdmin(MergingAdmin):
    form = DebateForm
    list_display = ["question", "article", "section"]
    list_filter = ["article"]
    search_fields = ["question", "summary"]
    inlines = [ArgumentInline]
    fields = [
        *("article", "section", "slug", "position", "question", "summary"),
        *("edit_summary", "base_revision"),
    ]

    def revision_article(self, object_id) -> Article:
        return Debate.objects.saved_article(object_id)

    def save_model(self, request, obj, form, change):
        # This revision holds the whole article: wait for an article save in flight
        # and store the article as it is then, not as the form read it before.
        obj.article = Article.objects.locked(obj.article_id)
        super().save_model(request, obj, form, change)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            debate_id = request.resolver_match.kwargs.get("object_id")
            article = Article.objects.filter(debates__pk=debate_id).first()
            if article:
                kwargs["queryset"] = Section.objects.filter(article=article)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def view_on_site(self, obj):
        return f"{obj.article.get_absolute_url()}#{obj.anchor}"

    def saved_texts(self, obj) -> list[str]:
        return list(obj.arguments.values_list("body", flat=True))

    # An article page shows its debates, so a debate's save or deletion changes
    # its article (and the article a debate moved away from) for the page caches.
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        moved_from = form.initial.get("article")
        Article.objects.filter(pk__in=[form.instance.article_id, moved_from]).touch()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        Article.objects.filter(pk=obj.article_id).touch()

    def delete_queryset(self, request, queryset):
        article_ids = list(queryset.values_list("article_id", flat=True))
        super().delete_queryset(request, queryset)
        Article.objects.filter(pk__in=article_ids).touch()


class CheckedIdsAdmin:
    """The auth admin's many-to-many choices (groups, permissions) with checked ids."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", CheckedIdsField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class CheckedUserAdmin(CheckedIdsAdmin, UserAdmin):
    pass


@admin.register(Group)
class CheckedGroupAdmin(CheckedIdsAdmin, GroupAdmin):
    pass
