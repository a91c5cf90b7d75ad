"""The markdown editor: widget, live preview and image upload, for editors only.

markdownx's own URL module is anonymous and its upload trusts the declared
content type and file name; these views require editors (staff with the Editors'
permission, as the admin does) and verify images.
"""

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from markdownx.exceptions import MarkdownxImageUploadError
from markdownx.forms import ImageForm
from markdownx.views import ImageUploadView
from PIL import Image, UnidentifiedImageError

from articles.models import MAX_MARKDOWN
from articles.reliability.warnings import rated_citations
from articles.rendering import render_preview

FORMATS = {"PNG": "png", "JPEG": "jpeg", "GIF": "gif", "WEBP": "webp"}
PREVIEW_LEVELS = {"1", "2", "3", "4"}


@staff_member_required
@permission_required("articles.change_article", raise_exception=True)
@require_POST
def preview(request):
    """Rendered, sanitized HTML for the markdown being typed, after a warning when it
    cites a source rated unreliable or deprecated."""
    content = request.POST.get("content", "")
    preceding = request.POST.getlist("preceding")
    if len(content) + sum(map(len, preceding)) > 5 * MAX_MARKDOWN:
        return HttpResponseBadRequest(_("Too much text to preview."), content_type="text/plain")
    level = request.POST.get("level", "")
    # The heading the field sits under (1: the lead, 2–4: its section) places its headings.
    level = int(level) if level in PREVIEW_LEVELS else 2
    context = {
        "found": rated_citations([content]),
        "html": render_preview(content, preceding, level),
    }
    return render(request, "articles/preview.html", context)


def too_many_pixels() -> MarkdownxImageUploadError:
    """A few kilobytes of PNG can declare billions of pixels, which the resize would
    decode into memory; Pillow refuses only the worst (DecompressionBombError)."""
    return MarkdownxImageUploadError(
        _(
            "The image has more pixels than the size limit of %(limit)s (width × height). "
            "Scale it down and upload it again."
        )
        % {"limit": grouped(settings.UPLOAD_MAX_PIXELS)}
    )


def grouped(number: int) -> str:
    return number_format(number, force_grouping=True)


class VerifiedImageForm(ImageForm):
    """Accept only PNG, JPEG, GIF and WebP whose bytes say so, never SVG."""

    def clean(self):
        upload = self.cleaned_data.get("image")
        if upload and upload.content_type not in settings.MARKDOWNX_UPLOAD_CONTENT_TYPES:
            raise MarkdownxImageUploadError(
                _(
                    "Upload a PNG, JPEG, GIF or WebP image; other formats, SVG included, "
                    "are refused."
                )
            )
        if upload and upload.size > settings.MARKDOWNX_UPLOAD_MAX_SIZE:
            raise MarkdownxImageUploadError(
                _("The image is %(size)s bytes; the size limit is %(limit)s bytes.")
                % {
                    "size": grouped(upload.size),
                    "limit": grouped(settings.MARKDOWNX_UPLOAD_MAX_SIZE),
                }
            )
        upload = super().clean()
        try:
            with Image.open(upload) as image:
                pixels = image.width * image.height
                image.verify()
                kind = FORMATS.get(image.format)
        except Image.DecompressionBombError as error:
            raise too_many_pixels() from error
        except (UnidentifiedImageError, OSError, SyntaxError) as error:
            raise MarkdownxImageUploadError(_("This file is not a readable image.")) from error
        if pixels > settings.UPLOAD_MAX_PIXELS:
            raise too_many_pixels()
        if kind is None or upload.content_type != f"image/{kind}":
            raise MarkdownxImageUploadError(_("Upload a PNG, JPEG, GIF or WebP image."))
        upload.seek(0)
        # The stored name's extension decides how the file is served later.
        upload.name = f"image.{'jpg' if kind == 'jpeg' else kind}"
        return upload


@method_decorator(staff_member_required, name="dispatch")
@method_decorator(permission_required("articles.change_article", raise_exception=True), "dispatch")
class UploadView(ImageUploadView):
    """Always answers JSON: markdownx's answers to non-AJAX posts are a redirect that
    drops the image and, for a refused file, a crash (its view has no template)."""

    form_class = VerifiedImageForm
    http_method_names = ["post"]

    def form_invalid(self, form):
        return JsonResponse(form.errors, status=400)

    def form_valid(self, form):
        return JsonResponse({"image_code": f"![]({form.save(commit=True)})"})
