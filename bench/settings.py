"""Settings of `make bench`: the site's own settings, plus the baseline view's URL.

Only bench/run.py starts a server with this module; the real site never has the
baseline. Everything else (DEBUG off, PostgreSQL, Redis) comes from the
environment that bench/run.py sets, as in production.
"""

import os

from miitwiki.settings import *  # noqa: F403 - the site's settings, unchanged
from miitwiki.settings import STATIC_ROOT

ROOT_URLCONF = "bench.urls"
# collectstatic writes here, so a benchmark leaves the work tree as it was.
STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT", STATIC_ROOT)
