"""Which read replicas may serve reads now: checked in the background, read for free.

Each process runs one monitor thread that every CHECK_SECONDS reads the primary's
WAL position and each replica's replay position, over connections of its own.
Requests only look at the last result, so none waits for a check, and a replica
that is down or behind costs requests nothing once the monitor has seen it
(within CHECK_SECONDS); it rejoins at the first check that finds it healthy.

Lag in seconds is measured against the primary's history as this monitor saw it,
not with `pg_last_xact_replay_timestamp()`, which after a quiet hour reports an
hour of lag at the first write: a replica lags by how long ago the primary was
first seen past the position the replica has replayed.
"""

import logging
import os
import threading
import time
from collections import deque
from dataclasses import asdict, dataclass

import psycopg
from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

CHECK_SECONDS = 1.0
# A result older than this is not trusted (the thread died or hangs): reads go to the primary.
STALE_SECONDS = 5 * CHECK_SECONDS
# Positions of the primary remembered: one per check at most, only when it moved.
HISTORY = 3600
# libpq's shortest connect timeout. A stopped server refuses at once; this bounds a
# host that does not answer, and only the monitor thread ever waits for it.
CONNECT_TIMEOUT = 2


def lsn_value(lsn: str) -> int:
    """A WAL position such as "16/B374D848" as a number, for comparisons."""
    high, low = lsn.split("/")
    return int(high, 16) << 32 | int(low, 16)


def lag_seconds(history: deque, replayed: int, now: float) -> float:
    """How long ago the primary was first seen past `replayed` (0: not past it).

    `history` holds (time, position) of the primary, oldest first; its first entry's
    time is unknown (-inf): a replica behind the first position seen lags without bound."""
    return next((now - when for when, position in history if position > replayed), 0.0)


@dataclass(frozen=True)
class ReplicaState:
    reachable: bool
    replayed: int = 0  # WAL position replayed
    lag_seconds: float = float("inf")
    lag_bytes: int | None = None  # None while the primary cannot be asked
    error: str = ""

    def serves(self, needed: int = 0) -> bool:
        """Whether reads that must see WAL position `needed` may go here."""
        return (
            self.reachable
            and self.lag_seconds <= settings.DATABASE_REPLICA_MAX_LAG
            and self.replayed >= needed
        )

    def report(self) -> dict:
        lag = self.lag_seconds if self.lag_seconds != float("inf") else None
        return {**asdict(self), "lag_seconds": lag, "in_rotation": self.serves()}


def first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


class ReplicaMonitor:
    def __init__(self, aliases: list[str]):
        self.aliases = aliases
        self.history: deque = deque(maxlen=HISTORY)
        self.links: dict[str, psycopg.Connection] = {}
        self.states: dict[str, ReplicaState] = {}
        self.checked_at = float("-inf")

    def ask(self, alias: str, sql: str):
        """The one value `sql` returns on `alias`, over the monitor's own connection."""
        link = self.links.get(alias)
        try:
            if link is None or link.closed:
                params = connections[alias].get_connection_params()
                params["connect_timeout"] = CONNECT_TIMEOUT
                link = self.links[alias] = psycopg.connect(**params, autocommit=True)
            return link.execute(sql).fetchone()[0]
        except psycopg.Error:
            if link is not None:
                link.close()
            raise

    def check(self) -> None:
        now = time.monotonic()
        try:
            primary = lsn_value(self.ask("default", "SELECT pg_current_wal_flush_lsn()"))
        except psycopg.Error:
            primary = None  # replicas still serve what they have; the lag grows from history
        if primary is not None and (not self.history or primary > self.history[-1][1]):
            self.history.append((now if self.history else float("-inf"), primary))
        states = {}
        for alias in self.aliases:
            try:
                replayed = self.ask(alias, "SELECT pg_last_wal_replay_lsn()")
            except psycopg.Error as error:
                states[alias] = ReplicaState(reachable=False, error=first_line(error))
                continue
            if replayed is None:
                states[alias] = ReplicaState(reachable=True, error="not a standby")
                continue
            replayed = lsn_value(replayed)
            states[alias] = ReplicaState(
                reachable=True,
                replayed=replayed,
                lag_seconds=lag_seconds(self.history, replayed, now),
                lag_bytes=None if primary is None else max(0, primary - replayed),
            )
        self.states, self.checked_at = states, time.monotonic()

    def mark_unreachable(self, alias: str, error: Exception) -> None:
        """A request could not connect: nobody tries `alias` again before the next check."""
        self.states = {**self.states, alias: ReplicaState(reachable=False, error=first_line(error))}

    def current(self) -> dict[str, ReplicaState]:
        fresh = time.monotonic() - self.checked_at <= STALE_SECONDS
        return self.states if fresh else {}

    def run(self) -> None:
        while True:
            time.sleep(CHECK_SECONDS)
            try:
                self.check()
            except Exception:  # the thread must outlive any surprise; reads then use the primary
                logger.exception("Checking the read replicas failed")


_monitor: ReplicaMonitor | None = None
_monitor_pid = 0
_monitor_lock = threading.Lock()


def replica_monitor() -> ReplicaMonitor:
    """This process's monitor, started (with a first check) on first use after a fork."""
    global _monitor, _monitor_pid
    if _monitor is not None and _monitor_pid == os.getpid():
        return _monitor
    with _monitor_lock:
        if _monitor is None or _monitor_pid != os.getpid():
            _monitor, _monitor_pid = ReplicaMonitor(settings.DATABASE_REPLICAS), os.getpid()
            _monitor.check()
            threading.Thread(target=_monitor.run, name="replica-monitor", daemon=True).start()
        return _monitor


def replica_report() -> dict[str, dict]:
    """Each replica's state, as /healthz?replicas shows it."""
    if not settings.DATABASE_REPLICAS:
        return {}
    monitor = replica_monitor()
    return {alias: state.report() for alias, state in monitor.current().items()}
