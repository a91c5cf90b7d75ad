"""What the standalone benchmarks share: Django set up from the environment, and a
throwaway database of their own for one run."""

import os
from collections.abc import Iterator
from contextlib import contextmanager

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/miitwiki_bench"


def setup_django(secret_key: str) -> None:
    """Django with the site's settings; DATABASE_URL defaults to the bench database."""
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("SECRET_KEY", secret_key)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "miitwiki.settings")
    import django

    django.setup()


@contextmanager
def throwaway_database() -> Iterator[str]:
    """A database named for this process, made with Django's test-database machinery
    and dropped afterwards, so that two runs (or `make bench` and a test run) never
    drop each other's. Yields its name."""
    from django.db import connection

    name = f"test_{connection.settings_dict['NAME']}_{os.getpid()}"
    connection.settings_dict.setdefault("TEST", {})["NAME"] = name
    original = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield connection.settings_dict["NAME"]
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)
