"""Read replicas: reads go to a healthy replica that has what the reader wrote.

Read-your-writes by WAL position (as MediaWiki's ChronologyProtector does it):
`ReadYourWritesMiddleware` watches the statements a request sends to the primary;
after one that writes, it records the primary's WAL position in a signed cookie on
that response. Later requests of the same browser read a replica only if the
monitor (miitwiki.replica_monitor) saw it replay that position, else the primary.
Nothing else sets the cookie: routing hints (django-reversion asks
`db_for_write()` only to name a database), reads and plain GETs never do, so
anonymous, cacheable pages carry no cookie.

Within a request: unsafe methods read the primary from the start (a form reads
what it is about to change), every request reads the primary after its first
write, and sessions and users are always read from the primary, so replication
lag never signs anybody out. Outside requests (commands, shells) everything uses
the primary.
"""

import math
import random
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.signing import BadSignature
from django.db import DatabaseError, connections

from miitwiki.replica_monitor import STALE_SECONDS, lsn_value, replica_monitor

POSITION_COOKIE = "wal_position"
COOKIE_SALT = "miitwiki.replicas"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
# Users, sessions and login throttling: lag must neither sign anybody out nor forget a failure.
PRIMARY_APPS = {"auth", "sessions", "axes"}
WRITES = ("INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE", "COPY", "CREATE", "ALTER", "DROP")


@dataclass
class Route:
    """Where one request reads: `needed` is the WAL position its browser last wrote."""

    pinned: bool
    needed: int = 0
    replica: str | None = None  # chosen at the request's first read
    wrote: bool = False


_route: ContextVar[Route | None] = ContextVar("replica_route", default=None)


def is_write(sql: str) -> bool:
    return (
        sql.lstrip()[:8].upper().startswith(WRITES)
    )  # the first word alone: bulk INSERTs are long


def connects(alias: str) -> bool:
    """Whether `alias` has a working connection for this request; a failure takes
    it out of rotation until the monitor's next check."""
    connection = connections[alias]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DatabaseError as error:
        replica_monitor().mark_unreachable(alias, error)
        return False
    return True


def choose_replica(needed: int) -> str:
    """A random healthy replica that has replayed `needed`; the primary if none has."""
    states = replica_monitor().current()
    candidates = [alias for alias, state in states.items() if state.serves(needed)]
    random.shuffle(candidates)
    return next((alias for alias in candidates if connects(alias)), "default")


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        route = _route.get()
        if route is None or route.pinned or model._meta.app_label in PRIMARY_APPS:
            return "default"
        if route.replica is None:
            route.replica = choose_replica(route.needed)
        return route.replica

    def db_for_write(self, model, **hints):
        return "default"  # only a name: the statement that writes is what pins

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every alias holds the same data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def written_position(request) -> int:
    """The WAL position this browser last wrote, from its signed cookie (0: none)."""
    try:
        return lsn_value(request.get_signed_cookie(POSITION_COOKIE, salt=COOKIE_SALT))
    except (KeyError, BadSignature, ValueError):
        return 0


def note_writes(route: Route, execute, sql, params, many, context):
    result = execute(sql, params, many, context)  # a statement that failed wrote nothing
    if not route.wrote and is_write(sql):
        route.wrote = route.pinned = True
    return result


def position_cookie_seconds() -> int:
    """How long a browser's position matters: after that, every replica in rotation
    (lagging at most DATABASE_REPLICA_MAX_LAG by a check at most STALE_SECONDS old)
    has replayed it."""
    return math.ceil(settings.DATABASE_REPLICA_MAX_LAG + STALE_SECONDS)


def remember_position(request, response) -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_flush_lsn()")
        (position,) = cursor.fetchone()
    response.set_signed_cookie(
        POSITION_COOKIE,
        position,
        salt=COOKIE_SALT,
        max_age=position_cookie_seconds(),
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


class ReadYourWritesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        route = Route(request.method not in SAFE_METHODS, written_position(request))
        token = _route.set(route)
        try:
            # Outermost middleware: the session's own save is watched too.
            with connections["default"].execute_wrapper(partial(note_writes, route)):
                response = self.get_response(request)
            if route.wrote:
                remember_position(request, response)
            return response
        finally:
            # A worker thread serves many requests: the next one starts afresh.
            _route.reset(token)
