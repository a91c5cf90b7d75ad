"""The page for a paused login: django-axes calls `login_paused` (AXES_LOCKOUT_CALLABLE)."""

import math

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from django.contrib.auth.models import User
from django.shortcuts import render


def attempted_username(request, credentials=None) -> str:
    """The username a login tried (AXES_USERNAME_CALLABLE), cut to Django's longest:
    django-axes records it in a column of 255 characters, and PostgreSQL refused a
    4 KB one with a 500."""
    name = (credentials or {}).get("username") or request.POST.get("username") or ""
    return name[: User._meta.get_field("username").max_length]


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
