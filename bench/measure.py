"""Measuring a running server on 127.0.0.1: wrk for throughput, a small sequential
client for latencies (including the admin's login and save), /proc for memory."""

import http.client
import math
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from types import SimpleNamespace
from urllib.parse import urlencode

HOST = "127.0.0.1"
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass
class Throughput:
    name: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int  # non-2xx/3xx responses and socket errors


@dataclass
class Latency:
    name: str
    samples_ms: list[float]

    @property
    def p50_ms(self) -> float:
        return percentile(self.samples_ms, 50)

    @property
    def p99_ms(self) -> float:
        return percentile(self.samples_ms, 99)


def percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def wrk(
    name: str,
    port: int,
    path: str,
    seconds: int,
    connections: int,
    threads: int = 1,
    encoding: str = "",
) -> Throughput:
    """`wrk` against one URL for `seconds`, parsed; `encoding`: the Accept-Encoding sent."""
    command = [
        shutil.which("wrk") or "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "--latency",
        *(["-H", f"Accept-Encoding: {encoding}"] if encoding else []),
        f"http://{HOST}:{port}{path}",
    ]
    out = subprocess.run(  # noqa: S603 - our own command line, loopback URL
        command, capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout

    def duration(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * UNITS[unit]

    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return Throughput(name, rps, duration("50%"), duration("99%"), errors)


class Browser:
    """Sequential requests to the server, keeping cookies like a browser."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None, encoding: str = ""):
        """(status, body as sent, milliseconds) of one request."""
        headers = {"Host": f"{HOST}:{self.port}"}
        if encoding:
            headers["Accept-Encoding"] = encoding
        body = None
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://{HOST}:{self.port}"
            headers["Referer"] = f"http://{HOST}:{self.port}{path}"
        connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
        start = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        elapsed = (time.perf_counter() - start) * 1000
        connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, content, elapsed

    def get(self, path: str, expect: int = 200):
        status, content, elapsed = self.request("GET", path)
        if status != expect:
            raise RuntimeError(f"GET {path} answered {status}, expected {expect}")
        return content, elapsed

    def post_form(self, path: str, form: dict, expect: int = 302) -> float:
        status, content, elapsed = self.request("POST", path, form)
        if status != expect:
            raise RuntimeError(f"POST {path} answered {status}: {content[-2000:]!r}")
        return elapsed

    def form_on(self, path: str) -> dict:
        """What a browser would submit from the form on `path`."""
        from tests.editing import form_values  # the suite's parser; needs Django set up

        content, _ = self.get(path)
        return form_values(SimpleNamespace(content=content))

    def log_in(self, username: str, password: str) -> None:
        form = self.form_on("/admin/login/?next=/admin/")
        self.post_form(
            "/admin/login/?next=/admin/", {**form, "username": username, "password": password}
        )


def bytes_on_the_wire(browser: Browser, pages: dict[str, str]) -> list[dict]:
    """The size of each page as sent with each Accept-Encoding a browser may send."""
    rows = []
    for name, path in pages.items():
        sizes = {}
        for encoding in ("identity", "gzip", "br"):
            status, content, _ = browser.request("GET", path, encoding=encoding)
            if status != 200:
                raise RuntimeError(f"GET {path} answered {status}")
            sizes[encoding] = len(content)
        rows.append({"page": name, "path": path, **sizes})
    return rows


def timed_gets(browser: Browser, name: str, path: str, samples: int, warmup: int = 2) -> Latency:
    for _ in range(warmup):
        browser.get(path)
    return Latency(name, [browser.get(path)[1] for _ in range(samples)])


def admin_saves(browser: Browser, article_id: int, samples: int) -> Latency:
    """Open the article's change form and save it with one section edited, as an
    editor does; only the save (POST) is timed."""
    url = f"/admin/articles/article/{article_id}/change/"
    times = []
    for n in range(samples):
        form = browser.form_on(url)
        form["sections-0-body"] += f"\n\nBenchmark edit {n}."
        form["edit_summary"] = f"Benchmark edit {n}"
        times.append(browser.post_form(url, form))
    return Latency("admin save, 20 sections", times)


def worker_rss_mb(master_pid: int) -> list[float]:
    """Resident memory of each gunicorn worker (the master's children), in MB."""
    with open(f"/proc/{master_pid}/task/{master_pid}/children") as children:
        pids = children.read().split()
    sizes = []
    for pid in pids:
        with open(f"/proc/{pid}/status") as status:
            kilobytes = re.search(r"^VmRSS:\s+(\d+) kB", status.read(), re.M).group(1)
        sizes.append(int(kilobytes) / 1024)
    return sizes


def worker_cpu_seconds(master_pid: int) -> float:
    """CPU time (user and system) the gunicorn workers have used so far. Per request,
    it is what a page costs the server whatever else the machine runs: wrk's
    throughput falls and rises with other processes' load, this hardly does."""
    with open(f"/proc/{master_pid}/task/{master_pid}/children") as children:
        pids = children.read().split()
    ticks = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return ticks / os.sysconf("SC_CLK_TCK")
