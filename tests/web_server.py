"""Local HTTP servers for tests that fetch: real sockets on loopback addresses,
answers set per path, and a log of every request (path, headers, when)."""

import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    drip: float = 0.0  # seconds between 1 KB chunks of the body


@dataclass
class Request:
    path: str
    headers: dict
    started: float
    ended: float = 0.0


class LocalSite:
    """A threaded HTTP server on `host` (any of 127.0.0.0/8), port chosen by the OS."""

    def __init__(self, host: str = "127.0.0.1", certificate: tuple[str, str] | None = None):
        self.answers: dict[str, Answer] = {}
        self.requests: list[Request] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                request = Request(self.path, dict(self.headers), time.monotonic())
                site.requests.append(request)
                answer = site.answers.get(self.path, Answer(404, b"not here"))
                time.sleep(answer.delay)
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", answer.content_type)
                    self.send_header("Content-Length", str(len(answer.body)))
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    for start in range(0, len(answer.body), 1024):
                        self.wfile.write(answer.body[start : start + 1024])
                        time.sleep(answer.drip)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                request.ended = time.monotonic()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.server.daemon_threads = True
        self.scheme = "http"
        if certificate:  # (certificate file, key file): serve https
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*certificate)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            self.scheme = "https"
        self.host = host
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"{self.scheme}://{self.host}:{self.port}{path}"

    def serve(self, path: str, body: bytes | str = b"", **answer) -> str:
        """Answer `path` so; its full URL."""
        self.answers[path] = Answer(body=body.encode() if isinstance(body, str) else body, **answer)
        return self.url(path)

    def paths(self) -> list[str]:
        return [request.path for request in self.requests]

    def close(self):
        self.server.shutdown()
        self.server.server_close()
