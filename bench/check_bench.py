"""Source-check benchmark: 1,000 sources on 40 local hosts (127.0.0.10–49, one
threaded server each) answering in 50 ms, checked with `check_sources` into a
throwaway database: fetches on the thread pool, one request at a time per host,
results, snapshots and quotation checks recorded.

Budget: under 30 s. Politeness makes one host cost at least (answer time +
SOURCE_FETCH_HOST_DELAY) per URL, so the budget needs many hosts, as a real
library has; the delay is 0 here (set SOURCE_FETCH_HOST_DELAY to see its cost).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/miitwiki_bench \\
        .venv/bin/python bench/check_bench.py [--sources 1000] [--hosts 40]

Exit status: 0 within budget, 1 over budget.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.throwaway import setup_django, throwaway_database

BUDGET_SECONDS = 30.0
QUOTE = "The ministry shall supervise the industry."


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=40)
    options = parser.parse_args()
    os.environ.setdefault("SOURCE_FETCH_ALLOW_PRIVATE", "1")
    os.environ.setdefault("SOURCE_FETCH_HOST_DELAY", "0")
    os.environ.setdefault("SOURCE_FETCH_WORKERS", "16")
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="check-bench-"))
    setup_django("check-bench")
    from articles.checks.models import SourceCheck
    from articles.checks.running import check_sources
    from articles.models import Source
    from tests.checking import html_page
    from tests.web_server import LocalSite

    sites = [LocalSite(f"127.0.0.{10 + n}") for n in range(options.hosts)]
    try:
        with throwaway_database():
            Source.objects.bulk_create(
                Source(
                    key=f"s{n}",
                    title=f"Source {n}",
                    url=sites[n % len(sites)].serve(
                        f"/p{n}", html_page(f"{QUOTE} Page {n}."), delay=0.05
                    ),
                    quote=QUOTE if n % 2 else "",
                )
                for n in range(options.sources)
            )
            start = time.perf_counter()
            check_sources(Source.objects.all())
            seconds = time.perf_counter() - start
            live = SourceCheck.objects.filter(outcome="live").count()
    finally:
        for site in sites:
            site.close()
    print(  # noqa: T201 - a benchmark reports on standard output
        f"checked {options.sources} sources on {options.hosts} hosts in {seconds:.1f} s "
        f"({live} live; budget {BUDGET_SECONDS:.0f} s)"
    )
    return 0 if seconds < BUDGET_SECONDS and live == options.sources else 1


if __name__ == "__main__":
    sys.exit(main())
