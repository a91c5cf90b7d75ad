"""Error pages that say what went wrong when the reason is safe to tell."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.shortcuts import render


def bad_request(request, exception=None):
    """handler400: name the size limit a request broke; other reasons stay unsaid."""
    if isinstance(exception, RequestDataTooBig):
        megabytes = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
        message = (
            f"The request is too large: this site accepts at most {megabytes:g} MB of form "
            "data at once. Save long articles in smaller edits."
        )
    elif isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        message = (
            f"The form sends too many fields; the limit is "
            f"{settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,}. Save it in smaller edits."
        )
    else:
        message = None
    return render(request, "400.html", {"message": message}, status=400)
