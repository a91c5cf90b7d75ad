"""The admin's import page for editors: upload or paste a file, see the report and a
rendered preview, then confirm. The same readers and writer as `import_article`;
the preview renders with the sources the import would create or reuse."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.anchors import anchor_slug
from articles.interchange.formats import FORMATS, MAX_BYTES, decode, read_article
from articles.interchange.parsed import InterchangeError, ParsedArticle, Provenance
from articles.interchange.writer import ImportReport, import_parsed
from articles.models import Article, HttpURLField, Section
from articles.rendering import RenderedArticle, render_article
from articles.revisions import ArticleState

PERMISSIONS = ("articles.add_article", "articles.change_article", "articles.add_source")


def uploaded_text(upload) -> str:
    if upload.size > MAX_BYTES:
        raise forms.ValidationError(
            _("“%(name)s” is %(size)s bytes; the limit is %(limit)s.")
            % {
                "name": upload.name,
                "size": number_format(upload.size, force_grouping=True),
                "limit": number_format(MAX_BYTES, force_grouping=True),
            }
        )
    return decode(upload.read(), upload.name)


class ImportForm(forms.Form):
    upload = forms.FileField(required=False, label=gettext_lazy("File"))
    text = forms.CharField(
        required=False,
        strip=False,
        label=gettext_lazy("…or the text"),
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    name = forms.CharField(required=False, widget=forms.HiddenInput)
    format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=[(name, name) for name in FORMATS], initial="auto"
    )
    bibliography = forms.FileField(
        label=gettext_lazy("Bibliography"),
        required=False,
        help_text=gettext_lazy("BibTeX (.bib) or CSL JSON (.json)"),
    )
    bibliography_text = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
    bibliography_name = forms.CharField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(
        label=gettext_lazy("Title"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Defaults to the file's."),
    )
    slug = forms.SlugField(
        label=gettext_lazy("Slug"),
        required=False,
        max_length=120,
        help_text=gettext_lazy("Defaults to the title's."),
    )
    source_url = HttpURLField(max_length=500).formfield(
        required=False, label=gettext_lazy("Source URL")
    )
    license = forms.CharField(
        label=gettext_lazy("License"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("e.g. CC BY-SA 4.0"),
    )
    attribution = forms.CharField(label=gettext_lazy("Attribution"), required=False, max_length=300)

    def clean(self):
        data = super().clean()
        if self.errors:  # a field was refused (an unknown format): its own error says why
            return data
        try:
            if data.get("upload"):
                data["text"], data["name"] = (
                    uploaded_text(data["upload"]),
                    data["upload"].name,
                )
            if data.get("bibliography"):
                bib = data["bibliography"]
                data["bibliography_text"] = uploaded_text(bib)
                data["bibliography_name"] = bib.name
            if not (data.get("text") or "").strip():
                raise forms.ValidationError(_("Upload a file or paste its text."))
            text = decode(data["text"].encode(), "The text")
            bibliographies = []
            if data.get("bibliography_text"):
                name = data.get("bibliography_name") or "bibliography.bib"
                bibliographies.append((name, data["bibliography_text"]))
            self.parsed = read_article(
                text,
                name=data.get("name") or "pasted.txt",
                format=data["format"],
                bibliographies=bibliographies,
                known_slugs=Article.objects.values_list("slug", flat=True),
            )
        except InterchangeError as error:
            raise forms.ValidationError(str(error)) from error
        data["title"] = data.get("title") or self.parsed.title or "Imported article"
        data["slug"] = data.get("slug") or self.parsed.slug or slugify(data["title"])[:120]
        if not data["slug"]:
            raise forms.ValidationError(
                _("Give a slug: the title has no Latin letters to make one.")
            )
        if not self.parsed.lead and not self.parsed.sections:
            raise forms.ValidationError(_("The file has no text."))
        self.parsed.provenance = Provenance(
            data.get("source_url") or "", data.get("license") or "", data.get("attribution") or ""
        )
        # The next step posts the text again, decoded, instead of the upload.
        self.data = self.data.copy()
        for name in ("text", "name", "bibliography_text", "bibliography_name", "title", "slug"):
            self.data[name] = data.get(name) or ""
        return data


def preview(parsed: ParsedArticle, report: ImportReport) -> RenderedArticle:
    """The article as it would render, with the sources it would cite."""
    article = Article(title=report.title, slug=report.slug, lead=parsed.lead)
    sections = [
        Section(
            pk=-n,
            article=article,
            heading=s.heading,
            level=s.level,
            body=s.body,
            anchor=anchor_slug(s.heading) or f"section-{n}",
        )  # fmt: skip
        for n, s in enumerate(parsed.sections, start=1)
    ]
    return render_article(ArticleState(article, sections, []), report.sources)


def import_view(request, admin_site):
    """Preview on every post; write only when the editor confirms."""
    if not request.user.has_perms(PERMISSIONS):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {**admin_site.each_context(request), "form": form, "title": _("Import an article")}
    if request.method == "POST" and form.is_valid():
        confirmed = "confirm" in request.POST
        data = form.cleaned_data
        try:
            report = import_parsed(
                form.parsed,
                slug=data["slug"],
                title=data["title"],
                name=data.get("name") or "pasted text",
                user=request.user,
                dry_run=not confirmed,
            )
        except InterchangeError as error:
            form.add_error(None, str(error))
        else:
            if confirmed:
                messages.success(request, report.summary(data.get("name") or "pasted text"))
                return redirect("articles:detail", report.slug)
            context.update(report=report, rendered=preview(form.parsed, report))
    return TemplateResponse(request, "admin/articles/article/import.html", context)
