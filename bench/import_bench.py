"""Import benchmark: a generated footnote-markdown article of 60 sections citing 500
distinct references, imported with `import_article` into a throwaway database.

It creates a database of its own with Django's test-database machinery, imports the
article once (new sources) and again (a new revision reusing every source), and
prints the time and SQL queries of each. Budget: each import under 5 s. The query
bound itself is asserted by tests/test_interchange_writer.py, which imports the same
generated article.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/miitwiki_bench \\
        .venv/bin/python bench/import_bench.py [--sections 60] [--references 500]

Exit status: 0 within budget, 1 over budget.
"""

import argparse
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.throwaway import setup_django, throwaway_database

BUDGET_SECONDS = 5.0


def generated_article(sections: int, references: int) -> str:
    """Footnote markdown: `sections` sections sharing `references` distinct references,
    each cited once, defined at the end under a references heading."""
    parts = ["# Generated rivers", "A lead without citations."]
    for s in range(sections):
        mine = range(s * references // sections, (s + 1) * references // sections)
        claims = " ".join(f"Claim {n} about water.[^{n}]" for n in mine)
        parts.append(f"## Part {s}\n\n{claims}")
    parts.append("## References")
    parts += [
        f"[^{n}]: Author {n}, “Report {n}”, {1990 + n % 30}. https://example.org/report/{n}"
        for n in range(references)
    ]
    return "\n\n".join(parts) + "\n"


def timed_import(path: Path) -> tuple[float, int]:
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        call_command("import_article", str(path), "--slug", "generated", stdout=StringIO())
        seconds = time.perf_counter() - started
    return seconds, len(queries)


def run(sections: int, references: int) -> int:
    from articles.models import Source

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.md"
        path.write_text(generated_article(sections, references), encoding="utf-8")
        results = [("first import", *timed_import(path)), ("re-import", *timed_import(path))]
    within = True
    for name, seconds, queries in results:
        verdict = "OK" if seconds < BUDGET_SECONDS else "OVER BUDGET"
        within &= seconds < BUDGET_SECONDS
        print(  # noqa: T201 - a benchmark reports on standard output
            f"{name}: {sections} sections, {references} references, {Source.objects.count()} "
            f"sources in the library: {seconds:.2f} s, {queries} queries "
            f"(budget < {BUDGET_SECONDS:.0f} s: {verdict})"
        )
    return 0 if within else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sections", type=int, default=60)
    parser.add_argument("--references", type=int, default=500)
    options = parser.parse_args(argv)

    setup_django("import-benchmark-only")
    with throwaway_database():
        return run(options.sections, options.references)


if __name__ == "__main__":
    sys.exit(main())
