"""The page for a paused login: django-axes calls `login_paused` (AXES_LOCKOUT_CALLABLE)."""

import math

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from django.shortcuts import render


def login_paused(request, original_response=None, credentials=None):
    """429 with Retry-After. Each try while paused starts the pause again
    (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT), so the wait is the whole cool-off."""
    seconds = math.ceil(get_cool_off(request).total_seconds())
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "username": get_client_username(request, credentials) or "",
        "minutes": math.ceil(seconds / 60),
    }
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response
