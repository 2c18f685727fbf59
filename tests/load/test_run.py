"""The load test's own rules, without running it: it sends traffic to this machine only,
and it reports answers lost whenever sent, stored and counted differ."""

from __future__ import annotations

import pytest

from loadtest import run

MEASURE = run.Measure(requests=100, failures=0, per_second=10.0, median=5, p95=9, p99=12)
CHECK = {
    "stored": 100,
    "valid": 100,
    "counted": 100,
    "satisfied": 90,
    "satisfied_counted": 90,
    "status_4_1": {},
}


def _result(**check) -> run.Result:
    return run.Result(
        submissions=MEASURE,
        forms=MEASURE,
        trivial=None,
        check={**CHECK, **check},
        workers=2,
        users=4,
        run_time=10,
        cpu={
            "web": 1,
            "tally": 0,
            "postgresql": 0,
            "locust": 0,
            "machine_busy": 1,
            "machine_total": 2,
        },
    )


@pytest.mark.parametrize(
    "url",
    [
        "postgres://postgres@10.0.0.5:5432/reform_load",
        "postgres://postgres@db.example.org/reform_load",
        "redis://192.168.1.2:6379/0",
    ],
)
def test_it_refuses_any_host_but_this_machine(url):
    with pytest.raises(run.LoadTestFailed, match="this machine only"):
        run.local_only(url)


def test_it_accepts_the_loopback():
    run.local_only("postgres://postgres@127.0.0.1:5432/reform_load")
    run.local_only("redis://localhost:6379/3")


def test_nothing_lost_only_when_sent_stored_and_counted_agree():
    assert _result().nothing_lost
    assert "nothing lost" in run.report(_result())
    for check in ({"stored": 99}, {"counted": 101}, {"valid": 99}, {"satisfied_counted": 89}):
        assert not _result(**check).nothing_lost, check
        assert "MISMATCH" in run.report(_result(**check))
