"""Production settings, security headers and login throttling.

Settings are read once per process, so what depends on the environment runs
`manage.py` in a subprocess with production variables.
"""

import os
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.utils import timezone

from tests.editing import make_editor

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "wiki.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://wiki.example.org",
    "SECURE_SSL_REDIRECT": "1",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """`manage.py` with only `env` set: nothing leaks in from the test run's environment."""
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={"PATH": os.environ.get("PATH", ""), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("change", "warning"),
    [
        ({"SECURE_SSL_REDIRECT": "0"}, "security.W008"),
        ({"SECRET_KEY": "short"}, "security.W009"),
        ({"SECURE_COOKIES": "0"}, "security.W012"),
        ({"DEBUG": "1"}, "security.W018"),
    ],
)
def test_deploy_check_reports_each_weakened_setting(change, warning):
    result = manage("check", "--deploy", "--fail-level", "WARNING", **{**PRODUCTION, **change})
    assert result.returncode != 0
    assert warning in result.stderr + result.stdout


def test_secret_key_is_required_when_debug_is_off():
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_local_development_needs_no_secret_and_no_https():
    env = {"DEBUG": "1", "SECRET_KEY": ""}
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
    )
    result = manage("shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["False", "False", "0"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/wiki/missing/", "/admin/login/"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]:
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_preview_responses_carry_the_policy_too(client):
    client.force_login(make_editor())
    response = client.post("/editor/preview/", {"content": "x"})
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_hsts_is_sent_over_https_only(client):
    assert "Strict-Transport-Security" not in client.get("/")
    hsts = client.get("/", secure=True)["Strict-Transport-Security"]
    assert hsts == "max-age=31536000; includeSubDomains"


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure_and_http_only(client, settings):
    make_editor("ed")
    client.get("/admin/login/")
    csrf = client.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"]
    client.post("/admin/login/", {"username": "ed", "password": "pw-for-tests"})
    session = client.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"


def log_in(client, username: str, password: str):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


@pytest.mark.django_db
def test_admin_login_is_paused_after_repeated_failures(client, settings):
    make_editor("ed")
    User.objects.create_user("other", password="pw-for-tests", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "ed", "wrong").status_code == 200  # the form, with an error
    locked = log_in(client, "ed", "wrong")
    assert locked.status_code == 429
    assert locked["Retry-After"] == str(15 * 60)
    page = locked.content.decode()
    assert "Too many failed logins" in page
    assert "logging in with that name is paused for 15 minutes" in page
    assert "A new password does not end the pause" in page
    assert "reset your password" not in page
    # Even the right password is refused now, for this name from this address …
    assert log_in(client, "ed", "pw-for-tests").status_code == 429
    # … while other editors are not locked out.
    assert log_in(client, "other", "pw-for-tests").status_code == 302


@pytest.mark.django_db
def test_a_successful_login_clears_earlier_failures(client, settings):
    make_editor("ed")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "ed", "wrong")
    assert log_in(client, "ed", "pw-for-tests").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "ed", "wrong").status_code == 200


@pytest.mark.django_db
def test_each_try_while_paused_starts_the_pause_again(client, settings):
    """What the page and Retry-After promise: the wait counts from the last try."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    make_editor("ed")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "ed", "wrong")
    attempt = AccessAttempt.objects.get(username="ed")
    attempt.attempt_time -= timedelta(minutes=14)
    attempt.save()
    assert log_in(client, "ed", "pw-for-tests").status_code == 429
    paused_since = AccessAttempt.objects.get(username="ed").attempt_time
    assert timezone.now() - paused_since < timedelta(minutes=1)


@pytest.mark.django_db
def test_health_checks_over_plain_http_are_not_redirected(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    redirect = client.get("/")
    assert redirect.status_code == 301
    assert redirect["Location"] == "https://testserver/"
