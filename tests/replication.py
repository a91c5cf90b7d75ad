"""A real PostgreSQL primary and streaming standby, and MiitWiki on gunicorn over them.

Both servers live in a temporary folder, listen on free ports of 127.0.0.1 and run
as the `postgres` OS user (initdb refuses root); the shared server on 5432 is never
touched. The standby is a `pg_basebackup -R` copy of the primary.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path("/usr/lib/postgresql") / max(os.listdir("/usr/lib/postgresql"), key=int) / "bin"
DATABASE = "wiki"


def run(*command, **options) -> subprocess.CompletedProcess:
    """Our own command line: fixed programs, arguments of our making."""
    arguments = [str(argument) for argument in command]
    return subprocess.run(arguments, capture_output=True, text=True, check=False, **options)  # noqa: S603


def as_postgres(*command) -> str:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    done = run(*prefix, *command, timeout=60)
    if done.returncode:
        raise RuntimeError(f"{command[0]} failed: {done.stderr or done.stdout}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, timeout: float, step: float = 0.1):
    """condition()'s first true value within `timeout` seconds, else AssertionError."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {condition}")
        time.sleep(step)


@dataclass
class Server:
    folder: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.folder.parent} -c listen_addresses=127.0.0.1 -c fsync=off"
        )
        as_postgres(PG_BIN / "pg_ctl", "-D", self.folder, "-l", self.folder / "log",
                    "-o", options, "-w", "-t", "30", "start")  # fmt: skip
        wait_until(lambda: self.ready(), timeout=30)

    def stop(self) -> None:
        as_postgres(PG_BIN / "pg_ctl", "-D", self.folder, "-m", "fast", "-w", "-t", "30", "stop")

    def ready(self) -> bool:
        probe = run(PG_BIN / "pg_isready", "-q", "-h", "127.0.0.1", "-p", self.port, timeout=10)
        return probe.returncode == 0

    def sql(self, query: str) -> str:
        return as_postgres(
            PG_BIN / "psql", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres", "-d", DATABASE,
            "-v", "ON_ERROR_STOP=1", "-qAtc", query,
        ).strip()  # fmt: skip


@dataclass
class Cluster:
    primary: Server
    standby: Server

    def pause_replay(self) -> None:
        self.standby.sql("SELECT pg_wal_replay_pause()")
        wait_until(
            lambda: self.standby.sql("SELECT pg_get_wal_replay_pause_state()") == "paused", 10
        )

    def resume_replay(self) -> None:
        self.standby.sql("SELECT pg_wal_replay_resume()")


def start_cluster() -> tuple[Cluster, Path]:
    """A primary with an empty database and its standby, and the folder holding both."""
    root = Path(tempfile.mkdtemp(prefix="miitwiki-replication-"))
    shutil.chown(root, "postgres")
    primary = Server(root / "primary", free_port())
    as_postgres(PG_BIN / "initdb", "-D", primary.folder, "-U", "postgres", "--auth=trust",
                "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")  # fmt: skip
    primary.start()
    as_postgres(PG_BIN / "createdb", "-h", "127.0.0.1", "-p", primary.port, "-U", "postgres",
                DATABASE)  # fmt: skip
    standby = Server(root / "standby", free_port())
    as_postgres(PG_BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", primary.port, "-U", "postgres",
                "-D", standby.folder, "-R", "-X", "stream", "-c", "fast")  # fmt: skip
    standby.start()
    return Cluster(primary, standby), root


def stop_cluster(cluster: Cluster, root: Path) -> None:
    for server in (cluster.standby, cluster.primary):
        if server.ready():
            server.stop()
    shutil.rmtree(root, ignore_errors=True)


def manage(env: dict, *arguments: str) -> None:
    done = run(sys.executable, "manage.py", *arguments, cwd=ROOT, env=env, timeout=180)
    if done.returncode:
        raise RuntimeError(f"manage.py {arguments[0]} failed: {done.stderr}")


@dataclass
class Site:
    """MiitWiki on gunicorn, reads spread to the standby, and its editor's password."""

    base: str
    process: subprocess.Popen
    password: str

    def get(self, path: str, session: requests.Session | None = None, **options):
        return (session or requests).get(self.base + path, timeout=10, **options)


def start_site(cluster: Cluster, **settings: str) -> Site:
    """The site over `cluster`: migrated, the seed article loaded with its first revision."""
    password = "replication-tests-only"  # noqa: S105 - a throwaway site's editor
    env = {
        "PATH": os.environ["PATH"],
        "SECRET_KEY": "replication-tests",
        "DEBUG": "0",
        "SECURE_COOKIES": "0",
        "STATIC_MANIFEST": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "ERROR",
        "DATABASE_URL": cluster.primary.url,
        "DJANGO_SUPERUSER_PASSWORD": password,
        **settings,
    }
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "loaddata", "miit", "-v", "0")
    manage(env, "createinitialrevisions", "-v", "0")
    manage(env, "createsuperuser", "--noinput", "--username", "editor", "--email", "e@example.org")
    port = free_port()
    env["DATABASE_REPLICA_URLS"] = cluster.standby.url
    gunicorn = [sys.executable, "-m", "gunicorn", "miitwiki.wsgi", "--bind", f"127.0.0.1:{port}",
                "--workers", "1", "--threads", "4", "--timeout", "30",
                "--no-control-socket"]  # fmt: skip
    process = subprocess.Popen(gunicorn, cwd=ROOT, env=env)  # noqa: S603 - our own command line
    site = Site(f"http://127.0.0.1:{port}", process, password)

    def healthy() -> bool:
        """Up, and the standby in rotation (the monitor starts with the first check)."""
        try:
            return site.get("/healthz?replicas").json()["replicas"]["replica1"]["in_rotation"]
        except requests.ConnectionError:
            return False

    wait_until(healthy, timeout=30)
    return site


def stop_site(site: Site) -> None:
    site.process.terminate()
    site.process.wait(timeout=10)
