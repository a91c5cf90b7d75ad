"""Replica states: WAL positions, lag measured from the primary's history, rotation."""

import math
import time
from collections import deque

import pytest
from django.db import connection

from miitwiki.replica_monitor import (
    STALE_SECONDS,
    ReplicaMonitor,
    ReplicaState,
    lag_seconds,
    lsn_value,
)


def test_wal_positions_compare_as_numbers():
    assert lsn_value("16/B374D848") == 0x16_B374D848
    assert lsn_value("0/FF") < lsn_value("1/0")


def test_lag_is_how_long_ago_the_primary_passed_what_the_replica_replayed():
    history = deque([(-math.inf, 100), (10.0, 200), (12.0, 300)])
    assert lag_seconds(history, 300, now=15.0) == 0
    assert lag_seconds(history, 250, now=15.0) == 3.0
    assert lag_seconds(history, 150, now=15.0) == 5.0
    # Behind the first position this monitor saw: nobody knows for how long.
    assert lag_seconds(history, 50, now=15.0) == math.inf


@pytest.mark.parametrize(
    ("state", "needed", "serves"),
    [
        (ReplicaState(reachable=True, replayed=500, lag_seconds=0), 400, True),
        (ReplicaState(reachable=True, replayed=500, lag_seconds=0), 600, False),
        (ReplicaState(reachable=True, replayed=500, lag_seconds=31), 0, False),
        (ReplicaState(reachable=False, error="connection refused"), 0, False),
    ],
)
def test_a_replica_serves_when_reachable_close_enough_and_past_the_readers_write(
    settings, state, needed, serves
):
    settings.DATABASE_REPLICA_MAX_LAG = 30
    assert state.serves(needed) is serves


def test_the_report_says_whether_a_replica_is_in_rotation(settings):
    settings.DATABASE_REPLICA_MAX_LAG = 30
    down = ReplicaState(reachable=False, error="connection refused").report()
    assert down["in_rotation"] is False and down["lag_seconds"] is None
    assert ReplicaState(reachable=True, lag_seconds=1.5, lag_bytes=80).report()["in_rotation"]


def test_an_old_check_is_not_trusted():
    monitor = ReplicaMonitor(["replica1"])
    monitor.states = {"replica1": ReplicaState(reachable=True, lag_seconds=0)}
    monitor.checked_at = time.monotonic() - STALE_SECONDS - 1
    assert monitor.current() == {}
    monitor.checked_at = time.monotonic() - STALE_SECONDS / 2
    assert monitor.current() == monitor.states


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="asks for WAL positions")
def test_a_primary_listed_as_a_replica_is_not_taken_for_one(db):
    monitor = ReplicaMonitor(["default"])
    monitor.check()
    state = monitor.current()["default"]
    assert state.reachable and state.error == "not a standby" and not state.serves()
    assert monitor.history and monitor.history[0][1] > 0
