"""Save a source's page to a web archive: the Wayback Machine's Save Page Now
(`WEB_ARCHIVE_SAVE_URL`, default https://web.archive.org/save/), asked through
the same safe fetcher as checks, and the archived copy's address recorded as
the source's `archive_url` in a revision of its own."""

from dataclasses import replace
from urllib.parse import urljoin

import reversion
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from articles.checks.fetching import Fetcher
from articles.checks.running import fetch_policy
from articles.models import Source


class ArchiveError(Exception):
    pass


def archived_copy(url: str) -> str:
    """Ask the archive to save `url`; the address of the copy it made. The archive
    answers with a redirect to the copy, or names it in Content-Location."""
    save_url = settings.WEB_ARCHIVE_SAVE_URL + url
    policy = replace(fetch_policy(), obey_robots=False, host_delay=0)
    fetched = Fetcher(policy).fetch(save_url)
    if fetched.error or fetched.status is None or fetched.status >= 400:
        why = fetched.detail or f"status {fetched.status}"
        raise ArchiveError(gettext("The archive did not save it (%(why)s).") % {"why": why})
    headers = {name.lower(): value for name, value in fetched.headers}
    location = headers.get("content-location", "")
    if location:
        return urljoin(fetched.final_url, location)
    if fetched.final_url != save_url:
        return fetched.final_url
    raise ArchiveError(gettext("The archive answered without naming the saved copy."))


def save_to_web_archive(source: Source, user=None) -> str:
    """Archive the source's URL and record the copy; its address."""
    if not source.url:
        raise ArchiveError(gettext("The source has no URL to archive."))
    copy = archived_copy(source.url)
    if len(copy) > Source._meta.get_field("archive_url").max_length:
        raise ArchiveError(gettext("The archive's address for the copy is too long to record."))
    with transaction.atomic(), reversion.create_revision():
        source.archive_url = copy
        source.save(update_fields=["archive_url"])
        reversion.set_user(user)
        reversion.set_comment("Saved to the web archive")
    return copy
