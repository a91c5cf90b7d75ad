"""Mixed read/write load against a running MiitWiki, for benchmarks and fault drills.

Readers fetch the article, its history, diffs, old revisions, search and the
index; writers sign in to the admin and save edits as a browser does (CSRF
token, the form's base_revision), each writer in its own section, so their
saves merge instead of conflicting, and after each save open the article, which
must show it (with read replicas too). Standard library only, loopback only, and
bounded by --duration. Every request is one JSON line in --log; `report`
summarises a log (and, with --events, what happened around each fault).

    python bench/load.py run --base http://127.0.0.1:8401 --slug miit \\
        --user admin --password … --duration 60 --log /tmp/load.jsonl
    python bench/load.py report /tmp/load.jsonl [--events /tmp/events.txt]
"""

import argparse
import http.client
import itertools
import json
import random
import re
import signal
import sys
import threading
import time
from collections import Counter
from html.parser import HTMLParser
from ipaddress import ip_address
from urllib.parse import urlencode, urlsplit

LOOPBACK_NAMES = {"localhost"}
REQUEST_TIMEOUT = 15.0  # a request slower than this counts as hung
SEARCH_WORDS = ["ministry", "industry", "cybersecurity", "semiconductor", "telecom"]
EDIT_MARK = "Load test edit"
CONFLICT_TEXT = "Another editor changed the same text"
READ_KINDS = {"article", "history", "diff", "revision", "search", "index"}


def require_loopback(base: str) -> tuple[str, int]:
    """Host and port of `base`, refusing anything but this machine."""
    parts = urlsplit(base)
    host = parts.hostname or ""
    if host not in LOOPBACK_NAMES and not ip_address(host).is_loopback:
        raise SystemExit(f"refusing {base}: load is only sent to loopback addresses")
    return host, parts.port or 80


class Session:
    """One browser: its own connection and cookies."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, form: dict | None = None):
        """(status, body text, headers); status 0 when the connection failed."""
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=REQUEST_TIMEOUT)
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            self.close()  # a request cut off (a killed worker) counts as failed
            raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return response.status, text, response

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class FormFields(HTMLParser):
    """The values a browser would submit from the first form with a CSRF token."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}
        self.textarea = self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            elif kind not in {"submit", "button", "file"}:
                self.data[name] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self.textarea, self.data[name] = name, ""
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.data[self.select] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea] += data


def form_fields(html: str) -> dict[str, str]:
    parser = FormFields()
    parser.feed(html)
    data = {k: v for k, v in parser.data.items() if "__prefix__" not in k}
    for key, value in data.items():
        if value.startswith("\n"):
            data[key] = value[1:]  # browsers drop the newline that follows <textarea>
    return data


class Recorder:
    """Every request as a JSON line, written as it completes."""

    def __init__(self, path: str):
        self.file = open(path, "w")  # noqa: SIM115 - closed by close()
        self.lock = threading.Lock()

    def timed(self, session: Session, kind: str, method: str, path: str, form=None, **extra):
        started, wall = time.perf_counter(), time.time()
        status, text, error = 0, "", None
        try:
            status, text, _response = session.request(method, path, form)
        except (OSError, http.client.HTTPException) as problem:
            error = f"{type(problem).__name__}: {problem}"[:200]
        record = {
            "t": wall,
            "kind": kind,
            "status": status,
            "ms": 1000 * (time.perf_counter() - started),
        }
        if error:
            record["error"] = error
        record.update(extra)
        with self.lock:
            self.file.write(json.dumps(record) + "\n")
        return record, status, text

    def note(self, **record):
        with self.lock:
            self.file.write(json.dumps({"t": time.time(), **record}) + "\n")

    def close(self):
        self.file.close()


def revision_ids(html: str, slug: str) -> list[int]:
    return sorted({int(n) for n in re.findall(rf"/wiki/{re.escape(slug)}/revision/(\d+)/", html)})


class Run:
    """Until when the load goes on: its duration, or SIGTERM (bench/faults.sh ends it)."""

    def __init__(self, seconds: float):
        self.deadline = time.time() + seconds
        self.stopped = threading.Event()

    def going(self) -> bool:
        return time.time() < self.deadline and not self.stopped.is_set()


def reader(base, slug: str, run: Run, recorder: Recorder, seed: int):
    rng = random.Random(seed)  # noqa: S311 - picks pages, not secrets
    session = Session(*base)
    ids: list[int] = []
    pages = ["article", "article", "article", "history", "diff", "revision", "search", "index"]
    while run.going():
        kind = rng.choice(pages)
        if kind in {"diff", "revision"} and len(ids) < 2:
            kind = "history"
        if kind == "article":
            path = f"/wiki/{slug}/"
        elif kind == "history":
            path = f"/wiki/{slug}/history/"
        elif kind == "diff":
            old, new = sorted(rng.sample(ids[-50:], 2))
            path = f"/wiki/{slug}/diff/?from={old}&to={new}"
        elif kind == "revision":
            path = f"/wiki/{slug}/revision/{rng.choice(ids)}/"
        elif kind == "search":
            path = f"/search/?q={rng.choice(SEARCH_WORDS)}"
        else:
            path = "/"
        _record, status, text = recorder.timed(session, kind, "GET", path)
        if kind == "history" and status == 200:
            ids = revision_ids(text, slug) or ids
        if status == 0:
            time.sleep(0.2)  # the server is not there: don't spin
    session.close()


def login(session: Session, recorder: Recorder, user: str, password: str) -> bool:
    _r, status, text = recorder.timed(session, "login", "GET", "/admin/login/")
    if status != 200:
        return False
    form = form_fields(text)
    form.update(username=user, password=password, next="/admin/")
    _r, status, _text = recorder.timed(session, "login", "POST", "/admin/login/", form)
    return status == 302 and "sessionid" in session.cookies


def find_article_id(session: Session, recorder: Recorder, slug: str) -> int | None:
    path = f"/admin/articles/article/?{urlencode({'q': slug})}"
    _r, status, text = recorder.timed(session, "edit-open", "GET", path)
    match = re.search(r"/admin/articles/article/(\d+)/change/", text) if status == 200 else None
    return int(match[1]) if match else None


def edited_body(body: str, prefix: str, mark: str) -> str:
    """The body with this writer's previous mark (a line starting `prefix`) replaced."""
    lines = body.replace("\r\n", "\n").split("\n")
    kept = "\n".join(line for line in lines if not line.startswith(prefix)).rstrip("\n")
    return f"{kept}\n\n{mark}"


def writer(base, args, run: Run, recorder: Recorder, number: int):
    session = Session(*base)
    while run.going() and not login(session, recorder, args.user, args.password):
        time.sleep(0.5)
    article_id = None
    while run.going() and article_id is None:
        article_id = find_article_id(session, recorder, args.slug)
        if article_id is None:
            time.sleep(0.5)
    change = f"/admin/articles/article/{article_id}/change/"
    for n in itertools.count(1):
        if not run.going():
            break
        _r, status, text = recorder.timed(session, "edit-open", "GET", change)
        if status != 200:
            time.sleep(0.2)
            continue
        form = form_fields(text)
        sections = int(form.get("sections-TOTAL_FORMS", "0"))
        if not sections or "base_revision" not in form:
            recorder.note(kind="edit-open", status=-1, error="no article form in the page")
            time.sleep(0.5)
            continue
        index = number % sections
        prefix = f"{EDIT_MARK} by writer {number} "
        mark = f"{prefix}n{n}."
        form[f"sections-{index}-body"] = edited_body(form[f"sections-{index}-body"], prefix, mark)
        form["edit_summary"] = mark
        form["_save"] = "Save"
        record, status, text = recorder.timed(session, "edit-save", "POST", change, form)
        if status == 302:
            recorder.note(kind="edit-applied", summary=mark, status=302)
            # The editor's next page must show the save, replicas or not.
            _r, status, text = recorder.timed(session, "edit-check", "GET", f"/wiki/{args.slug}/")
            if status == 200 and mark not in text:
                recorder.note(kind="edit-unseen", summary=mark)
        elif status == 200:
            outcome = "conflict" if CONFLICT_TEXT in text else "refused"
            recorder.note(kind=f"edit-{outcome}", summary=mark, status=200)
        time.sleep(args.think)
    session.close()


def run(args) -> None:
    base = require_loopback(args.base)
    recorder = Recorder(args.log)
    run = Run(args.duration)
    signal.signal(signal.SIGTERM, lambda *_: run.stopped.set())
    threads = [
        threading.Thread(target=reader, args=(base, args.slug, run, recorder, n))
        for n in range(args.readers)
    ] + [
        threading.Thread(target=writer, args=(base, args, run, recorder, n))
        for n in range(args.writers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(args.duration + 2 * REQUEST_TIMEOUT)
    recorder.close()
    if any(thread.is_alive() for thread in threads):
        sys.exit("load threads did not stop")


def say(line: str) -> None:
    sys.stdout.write(line + "\n")


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def read_log(path: str) -> list[dict]:
    with open(path) as file:
        return [json.loads(line) for line in file if line.strip()]


def requests_of(records: list[dict]) -> list[dict]:
    return [r for r in records if "ms" in r]


def status_counts(records: list[dict]) -> str:
    counts = Counter(
        r["status"] if r["status"] else r.get("error", "?").split(":")[0] for r in records
    )
    return ", ".join(f"{status}: {n}" for status, n in sorted(counts.items(), key=str))


def latency_table(records: list[dict]) -> list[str]:
    requests = requests_of(records)
    if not requests:
        return ["no requests"]
    span = max(r["t"] for r in requests) - min(r["t"] for r in requests) or 1
    lines = ["kind          requests    req/s   p50 ms   p95 ms   p99 ms   max ms"]
    kinds = sorted({r["kind"] for r in requests})
    for kind in [*kinds, "all"]:
        group = [r for r in requests if kind in {"all", r["kind"]}]
        ms = [r["ms"] for r in group]
        lines.append(
            f"{kind:<12} {len(group):>9} {len(group) / span:>8.1f} {percentile(ms, 0.5):>8.1f}"
            f" {percentile(ms, 0.95):>8.1f} {percentile(ms, 0.99):>8.1f} {max(ms):>8.1f}"
        )
    return lines


def read_events(path: str) -> list[tuple[str, float, float, str]]:
    """Lines `name start end allowed` (epoch seconds) written by bench/faults.sh.

    `allowed` is what may fail around that fault: `status=503` (any number, all
    with that status), `max=1` (that many failed requests of any kind), `none`, or
    `fast=250` (at least 99 % of reads answered 200, their p95 under 250 ms).
    """
    with open(path) as file:
        rows = [line.split() for line in file if line.strip()]
    return [(name, float(start), float(end), allowed) for name, start, end, allowed in rows]


def failed(record: dict) -> bool:
    return record["status"] == 0 or record["status"] >= 500


def check_fault(window: list[dict], allowed: str) -> str | None:
    """What broke the fault's expectation, or None."""
    failures = [r for r in window if failed(r)]
    rule, _, value = allowed.partition("=")
    if rule == "max" and len(failures) > int(value):
        return f"{len(failures)} failed, at most {value} allowed"
    if rule == "status" and (wrong := [r for r in failures if str(r["status"]) != value]):
        return f"{len(wrong)} failed other than with {value}: {status_counts(wrong)}"
    if rule == "none" and failures:
        return f"{len(failures)} failed, none allowed"
    if rule == "fast":  # readers barely notice: >= 99 % of reads 200, p95 under `value` ms
        reads = [r for r in window if r["kind"] in READ_KINDS]
        served = sum(r["status"] == 200 for r in reads)
        p95 = percentile([r["ms"] for r in reads], 0.95)
        if served < 0.99 * len(reads) or p95 >= float(value):
            return f"{served} of {len(reads)} reads 200, p95 {p95:.0f} ms (limit {value} ms)"
    return None


def report(args) -> None:
    records = read_log(args.log)
    requests = requests_of(records)
    errors = [r for r in requests if failed(r)]
    outcomes = Counter(
        r["kind"] for r in records if r["kind"].startswith("edit-") and "ms" not in r
    )
    say(f"requests: {len(requests)}; by status: {status_counts(requests)}")
    edits = ", ".join(f"{kind[5:]} {n}" for kind, n in sorted(outcomes.items()))
    say(f"5xx or failed: {len(errors)}; edits: {edits or 'none'}")
    for line in latency_table(records):
        say(line)
    problems = []
    hung = [r for r in requests if r["ms"] >= REQUEST_TIMEOUT * 1000 * 0.99]
    if hung:
        problems.append(f"{len(hung)} requests hung (no answer within {REQUEST_TIMEOUT:g} s)")
    explained = set()
    for name, start, end, allowed in read_events(args.events) if args.events else []:
        # Requests in flight at any time from the fault's start to `settle` after its end.
        window = [
            r for r in requests if r["t"] + r["ms"] / 1000 >= start and r["t"] <= end + args.settle
        ]
        explained.update(id(r) for r in window)
        failures = [r for r in window if failed(r)]
        last = max((r["t"] + r["ms"] / 1000 for r in failures), default=start) - start
        slowest = max((r["ms"] for r in window), default=0) / 1000
        say(
            f"{name}: {end - start:.1f} s; {len(window)} requests around it, {len(failures)} "
            f"failed ({status_counts(failures) or 'none'}); last failure "
            f"{max(last, 0):.1f} s after it began; slowest request {slowest:.1f} s"
        )
        if problem := check_fault(window, allowed):
            problems.append(f"{name}: {problem}")
    if args.events:
        stray = [r for r in errors if id(r) not in explained]
        if stray:
            problems.append(f"{len(stray)} failures outside any fault: {status_counts(stray)}")
    if args.comments:
        with open(args.comments) as file:
            stored = {line.rstrip("\n") for line in file}
        applied = [r["summary"] for r in records if r["kind"] == "edit-applied"]
        lost = [summary for summary in applied if summary not in stored]
        say(f"writes: {len(applied)} acknowledged saves, {len(lost)} missing from the database")
        if lost or not applied:
            problems.append(f"lost acknowledged saves: {lost[:5]}" if lost else "no save applied")
    unseen = [r["summary"] for r in records if r["kind"] == "edit-unseen"]
    checked = sum(r["kind"] == "edit-check" and r["status"] == 200 for r in requests)
    say(f"own edits: {checked} checked on the editor's next page, {len(unseen)} missing")
    if unseen:
        problems.append(f"editors did not see their own saves: {unseen[:5]}")
    if args.no_5xx and errors:
        problems.append(f"{len(errors)} requests failed or answered 5xx")
    for problem in problems:
        say(f"FAIL {problem}")
    if problems:
        sys.exit(1)
    if args.events or args.comments or args.no_5xx:
        say("PASS")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    load = commands.add_parser("run", help="send load for --duration seconds")
    load.add_argument("--base", default="http://127.0.0.1:8401")
    load.add_argument("--slug", default="miit")
    load.add_argument("--user", default="loadeditor")
    load.add_argument("--password", required=True)
    load.add_argument("--duration", type=float, default=60)
    load.add_argument("--readers", type=int, default=6)
    load.add_argument("--writers", type=int, default=2)
    load.add_argument("--think", type=float, default=0.2, help="seconds between a writer's saves")
    load.add_argument("--log", required=True)
    summary = commands.add_parser("report", help="summarise a log")
    summary.add_argument("log")
    summary.add_argument("--events", help="fault windows written by bench/faults.sh")
    summary.add_argument("--settle", type=float, default=5, help="seconds after a fault to count")
    summary.add_argument("--comments", help="revision comments in the database, one a line")
    summary.add_argument("--no-5xx", action="store_true", help="fail on any 5xx or failed request")
    args = parser.parse_args(argv)
    if args.command == "run" and not 0 < args.duration <= 600:
        parser.error("--duration must be between 0 and 600 seconds")
    (run if args.command == "run" else report)(args)


if __name__ == "__main__":
    main()
