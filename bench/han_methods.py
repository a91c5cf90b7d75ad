"""How to find Han substrings on PostgreSQL: the methods docs/search.md weighs,
measured over the Chinese sections of bench/search_bench.py.

In a throwaway database (see bench/throwaway.py) it fills one table with the
generated Chinese section texts and indexes them four ways, then times, for Han
substrings of one to four characters sampled from the texts, how long finding
every row that holds the substring and ranking the first 20 takes:

- `pairs`: characters and overlapping pairs at their positions (what
  `articles_search_vector` builds), queries as a character or a phrase of pairs;
- `characters`: characters only, queries as a phrase of characters;
- `trigrams`: pg_trgm's GIN index, queries as `LIKE '%…%'`;
- `scan`: no index, `strpos` on every row.

Each method's count of hits is checked against a scan in Python (of the folded
texts for `pairs`, which folds). Sizes are the indexes'.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/miitwiki_bench \\
        .venv/bin/python bench/han_methods.py [--sections 40000] [--queries 80]
"""

import argparse
import random
import statistics
import sys
import time
from itertools import accumulate
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.throwaway import setup_django, throwaway_database

CHARACTERS = (
    "CREATE FUNCTION han_characters(t text) RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$"
    " SELECT coalesce(string_agg('''' || c || ''':' || least(n, 16383), ' '), '')::tsvector"
    " FROM string_to_table(t, NULL) WITH ORDINALITY AS s(c, n) WHERE c ~ '[一-鿿]' $$"
)
SETUP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    CHARACTERS,
    "CREATE TABLE han (id serial PRIMARY KEY, body text, pairs tsvector, characters tsvector)",
]
INDEXES = {
    "pairs": "CREATE INDEX han_pairs ON han USING gin (pairs)",
    "characters": "CREATE INDEX han_characters ON han USING gin (characters)",
    "trigrams": "CREATE INDEX han_trigrams ON han USING gin (body gin_trgm_ops)",
}


def tsquery(substring: str, pairs: bool) -> str:
    from articles.search.han import fold, han_tsquery

    if pairs:  # as the site searches: text and query folded
        return han_tsquery(fold(substring))
    return " <-> ".join(f"'{c}'" for c in substring)


def method_sql(method: str) -> str:
    """SQL finding the rows holding %(q)s (or matching %(tsq)s), the 20 best first,
    and the count of all."""
    if method in ("pairs", "characters"):
        return (
            f"SELECT count(*) OVER (), id FROM han WHERE {method} @@ %(tsq)s::tsquery "  # noqa: S608
            f"ORDER BY ts_rank({method}, %(tsq)s::tsquery) DESC, id LIMIT 20"
        )
    if method == "trigrams":
        return "SELECT count(*) OVER (), id FROM han WHERE body LIKE %(like)s ORDER BY id LIMIT 20"
    return "SELECT count(*) OVER (), id FROM han WHERE strpos(body, %(q)s) > 0 ORDER BY id LIMIT 20"


def zipf_text(rng: random.Random, length: int) -> str:
    """`length` characters drawn from 2,500 simplified characters (those OpenCC
    folds to) with Zipf's law, a comma or full stop every 5 to 15: rarer
    substrings than the recombined article's, as real text has."""
    from articles.search.han import fold_table

    characters = sorted({c for c in fold_table().values() if "一" <= c <= "鿿"})[:2500]
    weights = list(accumulate(1 / rank for rank in range(1, len(characters) + 1)))
    pieces = []
    while sum(map(len, pieces)) < length:
        pieces.append("".join(rng.choices(characters, cum_weights=weights, k=rng.randint(5, 15))))
        pieces.append(rng.choice("，。"))
    return "".join(pieces)


def run(sections: int, count: int, zipf: bool) -> None:
    from django.db import connection

    from articles.search.han import fold
    from bench.search_bench import HAN_RUN, ChineseText

    rng = random.Random(16)  # noqa: S311 - the same texts every run
    if zipf:
        bodies = [zipf_text(rng, 190) for _ in range(sections)]
    else:
        text = ChineseText(rng)
        bodies = ["\n\n".join(text.paragraph(12) for _ in range(2)) for _ in range(sections)]
    folded_bodies = [fold(body) for body in bodies]
    with connection.cursor() as cursor:
        for statement in SETUP:
            cursor.execute(statement)
        cursor.executemany("INSERT INTO han (body) VALUES (%s)", [(body,) for body in bodies])
        cursor.execute(
            "UPDATE han SET pairs = articles_search_vector(body), characters = han_characters(body)"
        )
        sizes = {}
        for method, statement in INDEXES.items():
            began = time.perf_counter()
            cursor.execute(statement)
            built = time.perf_counter() - began
            cursor.execute(f"SELECT pg_relation_size('han_{method}')")
            sizes[method] = (cursor.fetchone()[0] / 2**20, built)
        cursor.execute("VACUUM ANALYZE han")
        substrings = []
        while len(substrings) < count:
            runs = [run for run in HAN_RUN.findall(rng.choice(bodies)) if len(run) >= 4]
            length = 1 + len(substrings) % 4
            run_ = rng.choice(runs)
            start = rng.randrange(len(run_) - length + 1)
            substrings.append(run_[start : start + length])
        timings = {method: {n: [] for n in range(1, 5)} for method in [*INDEXES, "scan"]}
        wrong = dict.fromkeys(timings, 0)
        for substring in substrings:
            params = {"q": substring, "like": f"%{substring}%"}
            folded = fold(substring)
            expected = {
                "pairs": sum(folded in body for body in folded_bodies),
                **dict.fromkeys(
                    ["characters", "trigrams", "scan"], sum(substring in b for b in bodies)
                ),
            }
            for method in timings:
                params["tsq"] = tsquery(substring, method == "pairs")
                best = float("inf")
                for _ in range(3):
                    began = time.perf_counter()
                    cursor.execute(method_sql(method), params)
                    rows = cursor.fetchall()
                    best = min(best, (time.perf_counter() - began) * 1000)
                timings[method][len(substring)].append(best)
                wrong[method] += (rows[0][0] if rows else 0) != expected[method]
    corpus = "Zipf" if zipf else "recombined"
    print(f"{sections} {corpus} Chinese sections, {count} substrings, best of 3 runs")  # noqa: T201
    print("method      index MB  build s   1 char   2 chars  3 chars  4 chars (median ms)  wrong")  # noqa: T201
    for method, by_length in timings.items():
        size, built = sizes.get(method, (0.0, 0.0))
        medians = "  ".join(f"{statistics.median(t):7.1f}" for t in by_length.values())
        print(f"{method:10s}  {size:8.1f}  {built:7.1f}  {medians}  {wrong[method]:5d}")  # noqa: T201


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sections", type=int, default=40_000)
    parser.add_argument("--queries", type=int, default=80)
    parser.add_argument("--zipf", action="store_true", help="text drawn with Zipf's law")
    options = parser.parse_args()
    setup_django("han-methods-benchmark-only")
    with throwaway_database():
        run(options.sections, options.queries, options.zipf)
    return 0


if __name__ == "__main__":
    sys.exit(main())
