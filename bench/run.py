"""`make bench`: MiitWiki on gunicorn, PostgreSQL and Redis, measured in one run.

1. A fresh database of its own (BENCH_DATABASE_URL, default miitwiki_bench) and
   Redis database (BENCH_REDIS_URL, default db 15): migrate, collectstatic, the
   seed, and the benchmark's articles (bench/dataset.py).
2. gunicorn with production settings (DEBUG off, SECRET_KEY set, hashed static
   files) and bench.urls, which adds a constant-response baseline view.
3. wrk, in a second process on 127.0.0.1, drives the baseline and the article
   page in interleaved rounds (the ratio is their median), then the article page
   at 6, 60 and 600 sections; a sequential client times first views, history
   (10 and 10,000 revisions), a 300 KB diff and admin saves; /proc gives the
   workers' memory. bench/search_bench.py runs too when it exists.
4. Results go to bench/results/ (results.md, results.json, curves.png); the
   database is dropped (BENCH_KEEP_DB=1 keeps it).

Bounded: each wrk run lasts BENCH_SECONDS (5), every request and command has a
timeout; the whole run takes about five minutes on two cores.
"""

import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import redis

from bench import measure, report

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/miitwiki_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
PORT = int(os.environ.get("BENCH_PORT", "8765"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 2)))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = 2 * WORKERS  # enough to keep every worker busy, no more
SEARCH_TIMEOUT = 1800  # 20,000 articles to make: 12 minutes on a loaded machine
API_ARTICLE = "/api/v1/articles/miit/"
MANAGE_COMMANDS = [
    ["migrate", "--noinput"],
    ["collectstatic", "--noinput"],
    ["loaddata", "miit"],
    ["createinitialrevisions"],
]


def say(message: str) -> None:
    sys.stdout.write(f"{time.strftime('%H:%M:%S')} {message}\n")
    sys.stdout.flush()


def run(program: str, *arguments: str, env: dict | None = None, check: bool = True) -> int:
    """Run a program of this machine (found on PATH) and wait, at most ten minutes."""
    command = [shutil.which(program) or program, *arguments]
    done = subprocess.run(command, env=env, cwd=ROOT, check=check, timeout=600)  # noqa: S603
    return done.returncode


def postgres_is_up() -> bool:
    return run("pg_isready", "-q", "-h", "127.0.0.1", check=False) == 0


def ensure_services() -> None:
    """Start PostgreSQL and Redis when they are down, as .ci/run does."""
    if not postgres_is_up():
        (version,) = os.listdir("/etc/postgresql")
        run("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start")
        for _ in range(30):
            if postgres_is_up():
                break
            time.sleep(1)
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        run("redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--save", "")
        time.sleep(1)


def recreate_database(drop_only: bool = False) -> None:
    url = urlsplit(DATABASE_URL)
    name = url.path.lstrip("/")
    if not name.startswith("miitwiki_bench") and "BENCH_DATABASE_URL" not in os.environ:
        raise SystemExit(f"Refusing to drop {name!r}: not a benchmark database.")
    maintenance = url._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            connection.execute(f'CREATE DATABASE "{name}"')


def server_environment(static_root: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_REPLICA")}
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DEBUG": "0",
        "STATIC_MANIFEST": "1",
        "BENCH_STATIC_ROOT": static_root,
        "ALLOWED_HOSTS": "127.0.0.1",
        # wrk is one client at full speed: the API's anonymous limit would answer 429s.
        "API_ANONYMOUS_RATE": "100000000/second",
        "LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(ROOT),
    }


def port_is_free() -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", PORT)) != 0


def start_gunicorn(env: dict, log: Path) -> subprocess.Popen:
    command = [PYTHON, "-m", "gunicorn", "miitwiki.wsgi", "--workers", str(WORKERS)]
    command += ["--bind", f"127.0.0.1:{PORT}", "--error-logfile", str(log)]
    server = subprocess.Popen(command, env=env, cwd=ROOT)  # noqa: S603
    browser = measure.Browser(PORT)
    for _ in range(60):
        time.sleep(0.5)
        try:
            browser.get("/healthz")
            return server
        except OSError:
            continue
    server.terminate()
    raise SystemExit(f"gunicorn did not answer on port {PORT}; see {log}")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()


def touch(slug: str) -> None:
    """A new stamp for the article, as an edit gives it: its next view renders anew."""
    from django.utils import timezone

    from articles.models import Article

    Article.objects.filter(slug=slug).update(updated_at=timezone.now())


def run_search_bench(env: dict) -> str:
    """bench/search_bench.py (search over 10,000 English and 10,000 Chinese articles,
    and Chinese recall), when present."""
    if not (ROOT / "bench" / "search_bench.py").exists():
        return ""
    say("search benchmark (bench/search_bench.py)")
    done = subprocess.run(  # noqa: S603
        [PYTHON, "-c", "from bench.search_bench import main; main()"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=SEARCH_TIMEOUT,
        check=False,
    )
    output = done.stdout + (f"\n(exit {done.returncode})\n{done.stderr}" if done.returncode else "")
    return output.strip()


def search_budget(output: str) -> dict:
    """The search budget row, read from search_bench's report: the first "p95 12.3 ms"
    is that of every query, English and Chinese."""
    found = re.search(r"p95 ([\d.]+) ms", output)
    p95 = float(found.group(1)) if found else None
    return {
        "what": "search over 10,000 English and 10,000 Chinese articles, p95",
        "target": "< 50 ms",
        "measured": measure_ms(p95) if found else "not run",
        "ok": p95 < 50 if found else None,
    }


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    encoding: str = ""  # the Accept-Encoding wrk sends

    def wrk(self) -> measure.Throughput:
        return measure.wrk(self.name, PORT, self.path, SECONDS, CONNECTIONS, encoding=self.encoding)


def compared(pairs: dict[str, tuple[Target, Target]]) -> dict[str, tuple]:
    """For each pair (reference, measured): the median over ROUNDS interleaved wrk
    rounds of measured / reference requests per second, with that round's two runs."""
    say(f"{len(pairs)} pairs, {ROUNDS} rounds of {SECONDS} s each, {CONNECTIONS} connections")
    rounds = {kind: [] for kind in pairs}
    for _ in range(ROUNDS):
        for kind, (reference, target) in pairs.items():
            first, second = reference.wrk(), target.wrk()
            rounds[kind].append(
                (second.requests_per_second / first.requests_per_second, first, second)
            )
    medians = {}
    for kind, measured in rounds.items():
        ratio = statistics.median(r[0] for r in measured)
        medians[kind] = next(r for r in measured if r[0] == ratio)
    return medians


def article_pairs() -> dict[str, tuple[Target, Target]]:
    """The article page uncompressed and Brotli-compressed, each next to a baseline
    that sends as many bytes; and gzip stored once next to gzip on every request."""
    browser = measure.Browser(PORT)
    plain = len(browser.get("/wiki/miit/")[0])
    packed = len(browser.request("GET", "/wiki/miit/", encoding="br")[1])
    api = len(browser.get(API_ARTICLE)[0])
    return {
        "plain": (
            Target(f"constant-response baseline, {plain:,} bytes", f"/bench/baseline/{plain}/"),
            Target("article page (Miit, warm)", "/wiki/miit/"),
        ),
        "br": (
            Target(f"constant-response baseline, {packed:,} bytes", f"/bench/baseline/{packed}/"),
            Target("article page (Miit, warm), Brotli", "/wiki/miit/", "br"),
        ),
        "api": (
            Target(f"constant-response baseline, {api:,} bytes", f"/bench/baseline/{api}/"),
            Target("API article (Miit, warm)", API_ARTICLE),
        ),
        "gzip": (
            Target("article page, gzip stored once", "/wiki/miit/", "gzip"),
            Target(
                "article page, GZipMiddleware per request", "/bench/gzip-per-request/miit/", "gzip"
            ),
        ),
    }


def wire_pages() -> dict[str, str]:
    from articles.models import Debate, Source

    debate = Debate.objects.filter(article__slug="miit").order_by("position").first()
    source = Source.objects.order_by("key").first()
    return {
        "article (Miit)": "/wiki/miit/",
        "debate": f"/wiki/miit/debate/{debate.slug}/",
        "history": "/wiki/miit/history/",
        "source library": "/sources/",
        "source": f"/sources/{source.key}/",
    }


def measure_all(data, server: subprocess.Popen) -> dict:
    browser = measure.Browser(PORT)
    say("bytes on the wire")
    wire = measure.bytes_on_the_wire(browser, wire_pages())
    rounds = compared(article_pairs())
    ratio, base, article = rounds["plain"]
    compressed_ratio, compressed_base, compressed_article = rounds["br"]
    per_request_ratio, stored_gzip, per_request_gzip = rounds["gzip"]
    api_ratio, api_base, api_article = rounds["api"]
    throughput = [
        base, article, compressed_base, compressed_article, api_base, api_article,
        stored_gzip, per_request_gzip,
    ]  # fmt: skip

    say("article page at 6, 60 and 600 sections")
    first_views, by_sections = {}, {}
    for sections, slug in data.article_slugs.items():
        path = f"/wiki/{slug}/"
        samples = []
        for n in range(5):
            touch(slug)
            # A query string keeps the worker's whole-page caches out: this times
            # the render a changed article costs.
            samples.append(browser.get(f"{path}?first-view={n}")[1])
        first_views[sections] = measure.Latency(f"article first view, {sections} sections", samples)
        browser.get(path)
        name = f"article page, {sections} sections (warm)"
        by_sections[sections] = measure.wrk(name, PORT, path, SECONDS, CONNECTIONS)
    throughput += by_sections.values()

    say("history pages: warm (wrk) and rendered")
    rendered, warm = {}, {}
    for size, slug in data.history_slugs.items():
        path, name = f"/wiki/{slug}/history/", f"history, {size:,} revisions"
        browser.get(path)
        warm[size] = measure.wrk(f"{name} (warm)", PORT, path, SECONDS, CONNECTIONS)
        # A query string keeps the page caches out: the page built from the database,
        # as the first reader after an edit gets it.
        rendered[size] = measure.timed_gets(browser, f"{name} (rendered)", f"{path}?rendered", 20)
    throughput += warm.values()

    say("diff and admin saves")
    old, new = data.diff_revisions
    diff = measure.timed_gets(
        browser,
        "diff of two 300 KB revisions",
        f"/wiki/{data.diff_slug}/diff/?from={old}&to={new}",
        10,
    )
    editor = measure.Browser(PORT)
    editor.log_in(data.admin_user, data.admin_password)
    saves = measure.admin_saves(editor, data.admin_article_id, 15)
    rss = measure.worker_rss_mb(server.pid)
    latencies = [*first_views.values(), *rendered.values(), diff, saves]
    warm_ms = {n: 1000 / t.requests_per_second for n, t in warm.items()}  # per request
    rendered_ms = {n: t.p50_ms for n, t in rendered.items()}
    miit = wire[0]
    wire_share = miit["br"] / miit["identity"]
    budgets = [
        ("article page / baseline", "≥ 0.8×", f"{ratio:.2f}×", ratio >= 0.8),
        ("API article / baseline", "≥ 0.8×", f"{api_ratio:.2f}×", api_ratio >= 0.8),
        (
            "article page / baseline, both Brotli-sized",
            f"≥ {ratio:.2f}× (uncompressed)",
            f"{compressed_ratio:.2f}×",
            compressed_ratio >= ratio * 0.95,  # within the rounds' noise
        ),
        ("Miit page on the wire, Brotli", "≤ 25 %", f"{wire_share:.0%}", wire_share <= 0.25),
        ("admin save, 20 sections, p50", "< 150 ms", measure_ms(saves.p50_ms), saves.p50_ms < 150),
        (
            "diff of two 300 KB revisions, p50",
            "< 200 ms",
            measure_ms(diff.p50_ms),
            diff.p50_ms < 200,
        ),
        history_budget("warm, wrk", warm_ms, 10),
        history_budget("rendered, p50", rendered_ms, 10),
        # Like for like: both pages show a full page of 50 rows.
        history_budget("rendered, p50", rendered_ms, 50),
        ("gunicorn worker RSS, max", "< 150 MB", f"{max(rss):.0f} MB", max(rss) < 150),
    ]
    return {
        "ratio": ratio,
        "compressed_ratio": compressed_ratio,
        "per_request_gzip_ratio": per_request_ratio,
        "wire": wire,
        "rounds": ROUNDS,
        "baseline_rps": base.requests_per_second,
        "throughput": [vars(row) for row in throughput],
        "latencies": [
            {"name": t.name, "samples_ms": t.samples_ms, "p50_ms": t.p50_ms, "p99_ms": t.p99_ms}
            for t in latencies
        ],
        "curves": {
            "article_rps": {n: row.requests_per_second for n, row in by_sections.items()},
            "article_first_view_ms": {n: t.p50_ms for n, t in first_views.items()},
            "history_ms": {
                "rendered (p50)": rendered_ms,
                "warm (wrk p50)": {n: t.p50_ms for n, t in warm.items()},
            },
        },
        "rss_mb": rss,
        "budgets": [
            dict(zip(("what", "target", "measured", "ok"), b, strict=True)) for b in budgets
        ],
    }


def history_budget(kind: str, times_ms: dict[int, float], fewer: int) -> tuple:
    """The history page's time at the most revisions over its time at `fewer`."""
    most = max(times_ms)
    ratio = times_ms[most] / times_ms[fewer]
    what = f"history {most:,} vs {fewer:,} revisions, {kind}"
    return (what, "≤ 1.5×", f"{ratio:.2f}×", ratio <= 1.5)


def measure_ms(value: float) -> str:
    return f"{value:,.0f} ms"


def cpu_per_request(target: Target, master_pid: int) -> tuple[measure.Throughput, float]:
    """wrk against `target`, and the workers' CPU seconds per request it got."""
    before = measure.worker_cpu_seconds(master_pid)
    throughput = target.wrk()
    used = measure.worker_cpu_seconds(master_pid) - before
    return throughput, used / max(throughput.requests_per_second * SECONDS, 1)


def pairs_only(master_pid: int) -> None:
    """`python -m bench.run --pairs`: only the interleaved pairs (page, Brotli page,
    API article, each against its baseline), every round printed with the load
    average, on the seed alone: a few minutes instead of many, to compare the ratios
    of two commits on a machine others share. Besides wrk's throughput ratio, each
    round gives the ratio of the workers' CPU time per request (baseline's over the
    page's: the server's own cost, which other processes' load hardly moves; wrk's
    own costs are not in it, so it is lower than the throughput ratio)."""
    say(f"load average {os.getloadavg()}")
    kinds = ("plain", "br", "api")
    rounds = {kind: [] for kind in kinds}
    cpu_rounds = {kind: [] for kind in kinds}
    pairs = {kind: pair for kind, pair in article_pairs().items() if kind in rounds}
    for number in range(ROUNDS):
        for kind, (reference, target) in pairs.items():
            (first, first_cpu), (second, second_cpu) = (
                cpu_per_request(reference, master_pid),
                cpu_per_request(target, master_pid),
            )
            ratio = second.requests_per_second / first.requests_per_second
            rounds[kind].append(ratio)
            cpu_rounds[kind].append(first_cpu / second_cpu)
            say(
                f"round {number + 1} {kind}: {ratio:.2f}x ({second.requests_per_second:,.0f}"
                f" / {first.requests_per_second:,.0f} requests/s); CPU per request"
                f" {first_cpu / second_cpu:.2f}x ({second_cpu * 1e6:,.0f} / {first_cpu * 1e6:,.0f}"
                " µs)"
            )
    say(f"load average {os.getloadavg()}")
    for kind in kinds:
        for name, ratios in (("throughput", rounds[kind]), ("CPU", cpu_rounds[kind])):
            listed = ", ".join(f"{r:.2f}" for r in sorted(ratios))
            say(f"{kind} {name}: median {statistics.median(ratios):.2f}x, rounds sorted {listed}")


def main() -> None:
    if not port_is_free():
        raise SystemExit(f"Port {PORT} is taken; set BENCH_PORT.")
    ensure_services()
    RESULTS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="miitwiki-bench-") as work:
        env = server_environment(str(Path(work) / "static"))
        say(f"fresh database {urlsplit(DATABASE_URL).path.lstrip('/')}; migrate, static, seed")
        recreate_database()
        redis.Redis.from_url(REDIS_URL).flushdb()
        try:
            for command in MANAGE_COMMANDS:
                run(PYTHON, "manage.py", *command, "-v0", env=env)
            os.environ.update(env)
            import django

            django.setup()
            from django.db import connections

            if "--pairs" in sys.argv:
                server = start_gunicorn(env, Path(work) / "gunicorn.log")
                try:
                    pairs_only(server.pid)
                finally:
                    stop(server)
                return
            from bench import dataset

            say("benchmark articles (10,000 revisions take a while)")
            data = dataset.build(secrets.token_urlsafe(16))
            with connections["default"].cursor() as cursor:
                # What autovacuum soon does on a live site after bulk inserts: planner
                # statistics, and a visibility map that allows index-only counts.
                cursor.execute("VACUUM ANALYZE")
            server = start_gunicorn(env, Path(work) / "gunicorn.log")
            try:
                results = measure_all(data, server)
            finally:
                stop(server)
            results["search_output"] = run_search_bench(env)
            results["budgets"].append(search_budget(results["search_output"]))
            connections.close_all()
        finally:
            if os.environ.get("BENCH_KEEP_DB") != "1":
                recreate_database(drop_only=True)
    results["when"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    results["machine"] = f"{os.cpu_count()} cores, {WORKERS} gunicorn sync workers"
    (RESULTS / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    table = report.markdown(results)
    (RESULTS / "results.md").write_text(table)
    report.chart(results, RESULTS / "curves.png")
    sys.stdout.write(f"\n{table}\nArticle page / baseline: {results['ratio']:.2f}x\n")
    sys.stdout.write(
        f"Written to {RESULTS.relative_to(ROOT)}/: results.md, results.json, curves.png\n"
    )


if __name__ == "__main__":
    main()
