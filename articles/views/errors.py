"""Error pages that say what went wrong when the reason is safe to tell."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _


def bad_request(request, exception=None):
    """handler400: name the size limit a request broke; other reasons stay unsaid."""
    if isinstance(exception, RequestDataTooBig):
        megabytes = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
        message = _(
            "The request is too large: this site accepts at most %(megabytes)s MB of form "
            "data at once. Save long articles in smaller edits."
        ) % {"megabytes": f"{megabytes:g}"}
    elif isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        message = _(
            "The form sends too many fields; the limit is %(limit)s. Save it in smaller edits."
        ) % {"limit": number_format(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS, force_grouping=True)}
    else:
        message = None
    return render(request, "400.html", {"message": message}, status=400)
