"""`make run`'s embedded SQLite database queues concurrent saves instead of failing them.

A SQLite transaction that reads and then writes cannot wait for another writer
(SQLite answers "database is locked" at once rather than risk a deadlock), so six
editors saving at once used to get 503s within milliseconds. The saves run in a
process of its own on a SQLite file (tests/sqlite_writers.py), whatever database
the suite itself uses.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.sqlite_writers import EDITORS

ROOT = Path(__file__).resolve().parents[1]


def test_six_editors_saving_at_once_on_sqlite_all_succeed(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "miitwiki.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'wiki.sqlite3'}",
        "SECRET_KEY": "test-only-not-secret",
        "STATIC_MANIFEST": "0",
        "ALLOWED_HOSTS": "testserver",
        "MEDIA_ROOT": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "tests.sqlite_writers"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.splitlines()[-1])
    assert outcome["statuses"] == [302] * EDITORS, result.stderr[-2000:]
    assert all(body.startswith("New ") for body in outcome["bodies"])
    assert outcome["journal"] == "wal"  # readers do not wait for the writer
