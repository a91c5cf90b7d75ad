"""Cold render of the 600-section article: `render_article` and the article body template.

The article is built in memory the way `bench/dataset.py` builds `bench-600`
(seeded prose, levels 2 and 3, a debate every 20 sections, 20 source keys),
so no database is needed and nothing is cached between rounds. Prints the
median and best of `--repeats` renders, in milliseconds.

    SECRET_KEY=x .venv/bin/python bench/render_bench.py [--repeats 15]

Run it on two commits back to back to compare them (docs/benchmarks.md).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "miitwiki.settings")

import django

django.setup()

from django.template.loader import render_to_string  # noqa: E402

from articles.models import Argument, Article, Debate, Section, Source  # noqa: E402
from articles.rendering import render_article  # noqa: E402
from articles.revisions import ArticleState, DebateState  # noqa: E402
from bench.dataset import Prose  # noqa: E402

SECTIONS = 600
KEYS = [f"source-{n}" for n in range(20)]


def article_state(sections: int = SECTIONS) -> ArticleState:
    prose = Prose(7, KEYS)
    article = Article(pk=1, slug="bench-600", title="Bench 600", lead=prose.body(1))
    rows = [
        Section(
            pk=n,
            article=article,
            position=n,
            level=2 + n % 2,
            heading=f"Section {n}",
            anchor=f"s{n}",
            body=prose.body(),
        )
        for n in range(1, sections + 1)
    ]
    debates = []
    for n, section in enumerate(rows[: max(1, sections // 20)]):
        debate = Debate(pk=n + 1, article=article, section=section, slug=f"d{n}", question="?")
        arguments = [
            Argument(
                pk=2 * n + i,
                debate=debate,
                slug=f"{side}-{n}",
                side=side,
                position=0,
                summary=side,
                attributed_to="A named expert",
                body=prose.paragraph(),
            )
            for i, side in enumerate(("supporter", "critic"))
        ]
        debates.append(DebateState(debate, arguments))
    return ArticleState(article, rows, debates)


def time_renders(repeats: int) -> tuple[list[float], list[float]]:
    state = article_state()
    sources = {key: Source(key=key, title=key.title()) for key in KEYS}
    renders, pages = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        rendered = render_article(state, sources)
        middle = time.perf_counter()
        render_to_string(
            "articles/includes/article_body.html",
            {"rendered": rendered, "title": state.article.title, "updated_at": None},
        )
        end = time.perf_counter()
        renders.append((middle - start) * 1000)
        pages.append((end - start) * 1000)
    return renders, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    renders, pages = time_renders(parser.parse_args().repeats)
    for name, times in (("render_article", renders), ("+ article_body.html", pages)):
        print(  # noqa: T201 - a benchmark reports on standard output
            f"{name:22} median {statistics.median(times):7.1f} ms  best {min(times):7.1f} ms"
        )


if __name__ == "__main__":
    main()
