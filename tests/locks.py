"""Racing saves on PostgreSQL: wait until another session queues behind our row lock."""

import time

from django.db import connection


def sessions_waiting_for_me(timeout: float = 10) -> list[int]:
    """Backend pids blocked by this connection's locks, once there is at least one.

    pg_locks and pg_blocking_pids() are live (pg_stat_activity would be a snapshot
    inside a transaction), and asking who waits for *this* backend keeps other
    databases' sessions out of it.
    """
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT DISTINCT pid FROM pg_locks"
                " WHERE NOT granted AND pg_backend_pid() = ANY(pg_blocking_pids(pid))"
            )
            if pids := [row[0] for row in cursor.fetchall()]:
                return pids
            time.sleep(0.02)
    raise AssertionError("no session waited for this connection's row lock")
