"""The fetcher: safe for URLs that editors type, polite to the sites it visits.

Safety (server-side request forgery): every hop's host name is resolved here
and each of its addresses vetted (`addresses.may_fetch`) before connecting, on
the first request and on every redirect (followed by hand, at most
`max_redirects`); the connection goes to the vetted address, so a second DNS
answer cannot swap it. Only http and https; URLs carrying a user name or
password are refused, and no cookie or credential is ever sent. A response is
read up to `max_bytes` and the whole fetch, redirects included, within
`timeout` seconds.

Politeness: robots.txt is read once per site and obeyed; one request at a time
per host, `host_delay` seconds apart. Many hosts are fetched at once:
`fetch_all` gives each host's URLs to one of `workers` threads.

Nothing here touches the database: threads only fetch, the caller records.
"""

import hashlib
import http.client
import logging
import queue
import socket
import ssl
import threading
import time
import urllib.robotparser
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from articles.checks.addresses import may_fetch

log = logging.getLogger(__name__)
REDIRECTS = {301, 302, 303, 307, 308}
CHUNK = 64 * 1024
BATCH = 50  # results handed over at once, at most


class FetchError(Exception):
    """Why a URL could not be fetched; `kind` is one of the `Fetched.error` kinds."""

    def __init__(self, kind: str, detail: str = "", status: int | None = None):
        super().__init__(detail or kind)
        self.kind = kind
        self.detail = detail or kind
        self.status = status  # the answer's status, when there was one (too-large)


@dataclass
class Fetched:
    """What fetching one URL gave. `error` is empty for an answer (any status) or
    one of: refused (address or scheme not allowed), dns, timeout, connection,
    redirects (too many, or a loop), too-large, robots (disallowed)."""

    url: str
    final_url: str = ""
    status: int | None = None
    content_type: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    started: float = 0.0  # time.monotonic() as the first request went out
    elapsed: float = 0.0
    error: str = ""
    detail: str = ""
    text: str | None = None  # the readable text, when the caller's `then` extracted it

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.body).hexdigest() if self.status else ""


@dataclass(frozen=True)
class FetchPolicy:
    """The limits of a fetch (from the SOURCE_FETCH_* settings)."""

    timeout: float = 20.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    host_delay: float = 1.0
    workers: int = 8
    allow_private: bool = False
    user_agent: str = "MiitWikiSourceChecker/1.0"
    obey_robots: bool = True


def vetted_address(host: str, port: int, policy: FetchPolicy) -> str:
    """An address of `host` that may be fetched; refused if any of its addresses
    may not (a name that also points inside is not to be trusted)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        # Only "no such name" says the host is gone; a resolver that failed or
        # timed out (EAI_AGAIN, EAI_FAIL) may answer next time.
        gone = error.errno in {socket.EAI_NONAME, getattr(socket, "EAI_NODATA", None)}
        raise FetchError("dns" if gone else "connection", f"{host}: {error}") from error
    except UnicodeError as error:
        raise FetchError("dns", f"{host}: {error}") from error
    addresses = [info[4][0] for info in infos]
    refused = [a for a in addresses if not may_fetch(a, policy.allow_private)]
    if refused or not addresses:
        raise FetchError("refused", f"{host} resolves to a refused address ({refused[0]})")
    return addresses[0]


def split_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path with query) of an http(s) URL without credentials."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise FetchError("refused", f"not a URL: {error}") from error
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise FetchError("refused", "only http and https URLs are fetched")
    if parts.username is not None or parts.password is not None:
        raise FetchError("refused", "URLs with credentials are not fetched")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port, path


class Deadline:
    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        remaining = self.end - time.monotonic()
        if remaining <= 0:
            raise FetchError("timeout", "took too long")
        return remaining


def connection(scheme: str, host: str, port: int, address: str, deadline: Deadline):
    """An HTTP(S) connection to `host` that connects to `address` only; TLS still
    checks the certificate against the host name."""
    if scheme == "https":
        conn = http.client.HTTPSConnection(
            host, port, timeout=deadline.left(), context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(host, port, timeout=deadline.left())

    def connect_to_vetted(_address, timeout, source_address=None):
        return socket.create_connection((address, port), timeout, source_address)

    conn._create_connection = connect_to_vetted
    return conn


def read_body(response, policy: FetchPolicy, deadline: Deadline, sock_owner) -> bytes:
    declared = response.getheader("Content-Length", "")
    if declared.isdigit() and int(declared) > policy.max_bytes:
        raise FetchError("too-large", f"{declared} bytes declared")
    chunks, size = [], 0
    while True:
        if sock_owner.sock is not None:
            sock_owner.sock.settimeout(deadline.left())
        chunk = response.read1(CHUNK) if hasattr(response, "read1") else response.read(CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > policy.max_bytes:
            raise FetchError("too-large", f"more than {policy.max_bytes} bytes")
        chunks.append(chunk)
        deadline.left()


class HostGate:
    """One request at a time per host, `delay` seconds apart."""

    def __init__(self, delay: float):
        self.delay = delay
        self.guard = threading.Lock()
        self.locks: dict[str, threading.Lock] = defaultdict(threading.Lock)
        self.last: dict[str, float] = {}

    def lock(self, host: str) -> threading.Lock:
        with self.guard:
            return self.locks[host]

    def wait(self, host: str) -> None:
        """Called holding the host's lock: sleep until the host may be asked again."""
        last = self.last.get(host)
        if last is not None:
            time.sleep(max(0.0, last + self.delay - time.monotonic()))

    def done(self, host: str) -> None:
        self.last[host] = time.monotonic()


class Fetcher:
    """Fetches URLs under one policy, sharing robots.txt answers and host turns."""

    def __init__(self, policy: FetchPolicy):
        self.policy = policy
        self.gate = HostGate(policy.host_delay)
        self.robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self.robots_lock = threading.Lock()

    def request(self, url: str, deadline: Deadline) -> tuple[int, list, bytes, str]:
        """One GET of `url`, no redirect followed: (status, headers, body, location)."""
        scheme, host, port, path = split_url(url)
        address = vetted_address(host, port, self.policy)
        with self.gate.lock(host):
            self.gate.wait(host)
            conn = connection(scheme, host, port, address, deadline)
            try:
                conn.request(
                    "GET",
                    path,
                    headers={"User-Agent": self.policy.user_agent, "Accept": "*/*"},
                )
                response = conn.getresponse()
                location = response.getheader("Location", "")
                if response.status in REDIRECTS:
                    return response.status, response.getheaders(), b"", location
                try:
                    body = read_body(response, self.policy, deadline, conn)
                except FetchError as error:
                    error.status = response.status
                    raise
                return response.status, response.getheaders(), body, location
            except TimeoutError as error:
                raise FetchError("timeout", "no answer in time") from error
            except ssl.SSLError as error:
                raise FetchError("connection", f"TLS: {error}") from error
            except (OSError, http.client.HTTPException) as error:
                raise FetchError("connection", str(error) or type(error).__name__) from error
            finally:
                conn.close()
                self.gate.done(host)

    def allowed(self, url: str, deadline: Deadline) -> bool:
        """Whether the site's robots.txt lets this user agent fetch `url`. A
        robots.txt that is missing (4xx) or cannot be read allows everything."""
        if not self.policy.obey_robots:
            return True
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        with self.robots_lock:
            parser = self.robots.get(site)
        if parser is None:
            parser = urllib.robotparser.RobotFileParser()
            try:
                status, _, body, _ = self.request(f"{site}/robots.txt", deadline)
            except FetchError:
                status, body = None, b""
            if status is not None and 200 <= status < 300:
                parser.parse(body.decode("utf-8", "replace").splitlines())
            else:
                parser.parse([])
            with self.robots_lock:
                self.robots[site] = parser
        return parser.can_fetch(self.policy.user_agent, url)

    def fetch(self, url: str) -> Fetched:
        """Fetch `url`, following redirects by hand; never raises."""
        result = Fetched(url=url, started=time.monotonic())
        deadline = Deadline(self.policy.timeout)
        current, seen = url, {url}
        try:
            for _ in range(self.policy.max_redirects + 1):
                if not self.allowed(current, deadline):
                    raise FetchError("robots", f"robots.txt disallows {current}")
                status, headers, body, location = self.request(current, deadline)
                result.final_url, result.status, result.headers = current, status, headers
                if status in REDIRECTS and location:
                    current = urljoin(current, location)
                    if current in seen:
                        raise FetchError("redirects", f"redirect loop at {current}")
                    seen.add(current)
                    continue
                result.body = body
                result.content_type = {k.lower(): v for k, v in headers}.get("content-type", "")
                break
            else:
                raise FetchError("redirects", f"more than {self.policy.max_redirects} redirects")
        except FetchError as error:
            result.error, result.detail = error.kind, error.detail
            result.final_url = current
            if error.kind != "redirects":  # keep the status of the last redirect
                result.status = error.status
        result.elapsed = time.monotonic() - result.started
        return result


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def fetch_all(
    urls: Iterable[str], policy: FetchPolicy, then: Callable[[Fetched], None] | None = None
) -> Iterator[list[Fetched]]:
    """Fetch every URL, yielding the results as they come, in lists of those
    finished since the last (at most BATCH): each host's URLs in turn on one
    thread (so no thread waits for another's host), up to `policy.workers` hosts
    at once. `then` is called on each result on its thread (text extraction:
    work that need not wait for the caller)."""
    by_host: dict[str, list[str]] = defaultdict(list)
    for url in dict.fromkeys(urls):
        by_host[host_of(url)].append(url)
    fetcher = Fetcher(policy)
    done: queue.SimpleQueue[Fetched] = queue.SimpleQueue()

    def fetch_host(host_urls: list[str]) -> None:
        for url in host_urls:
            try:
                result = fetcher.fetch(url)
                if then:
                    then(result)
            except Exception as error:  # a bug must neither hang the run nor end it
                log.exception("checking %s", url)
                result = Fetched(url=url, error="connection", detail=f"{type(error).__name__}")
            done.put(result)

    with ThreadPoolExecutor(max_workers=max(1, policy.workers)) as pool:
        for host_urls in by_host.values():
            pool.submit(fetch_host, host_urls)
        left = sum(map(len, by_host.values()))
        while left:
            batch = [done.get()]
            while len(batch) < min(BATCH, left):
                try:
                    batch.append(done.get_nowait())
                except queue.Empty:
                    break
            left -= len(batch)
            yield batch
