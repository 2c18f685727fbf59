"""The processes the fault tests break and mend, and what they read back: a Redis of
their own (``OwnRedis``), a real Celery worker in a process of its own (``Worker``),
this process's publisher pointed at that Redis (``publish_to``), and bounded waits."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import redis
from django.conf import settings

from commitments.models import RecomputeRequest, Status
from reform.celery import app
from tests.databases import database_url

REDIS_SERVER = shutil.which("redis-server")


def wait_for(predicate: Callable[[], bool], timeout: float = 20.0, step: float = 0.1) -> bool:
    """Whether ``predicate`` came true within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


class OwnRedis:
    """A ``redis-server`` on a free port, without persistence, that the test stops and
    starts again on the same port (an outage, then the broker back, empty)."""

    def __init__(self, log: Path):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--logfile", str(self.log)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        assert wait_for(self.answers, timeout=10), "redis-server did not start"

    def stop(self) -> None:
        """Stopped dead, as a crash or a restart stops it."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def answers(self) -> bool:
        try:
            return redis.Redis.from_url(self.url, socket_timeout=0.5).ping()
        except redis.RedisError:
            return False


def publish_to(url: str) -> None:
    """Point this process's Celery publisher at ``url``: the app forgets its pools of
    connections (kombu keeps one per broker, so the previous one is there to return
    to) and takes those of the new URL."""
    app._pool = None
    app.amqp._producer_pool = None
    app.conf.broker_url = url


class Worker:
    """``celery -A reform worker`` in a process of its own (one pool process), on the
    test database and the test's Redis; its log is kept for the assertions.

    ``start(supervised=True)`` starts it again whenever it exits, as the process manager
    of production does (systemd's ``Restart=always``): a worker that loses its broker
    may exit rather than wait for it (kombu fails while handing back its unacknowledged
    tasks to a Redis that is gone), and production brings it back."""

    def __init__(self, url: str, log: Path):
        self.url, self.log = url, log
        self.process: subprocess.Popen | None = None
        self._supervisor: threading.Thread | None = None
        self._stopping = threading.Event()

    def start(self, *, supervised: bool = False) -> None:
        self._spawn()
        if supervised:
            self._stopping.clear()
            self._supervisor = threading.Thread(target=self._supervise, daemon=True)
            self._supervisor.start()

    def _supervise(self) -> None:
        while not self._stopping.wait(0.2):
            exited = self.process is not None and self.process.poll() is not None
            # A second's pause, as RestartSec= makes, unless the test kills it meanwhile.
            if exited and not self._stopping.wait(1):
                self._spawn(wait=False)  # it waits for its broker on its own

    def _spawn(self, *, wait: bool = True) -> None:
        env = {**os.environ, "DATABASE_URL": database_url(), "REDIS_URL": self.url}
        command = [sys.executable, "-m", "celery", "-A", "reform", "worker"]
        command += ["--pool=prefork", "--concurrency=1", "--loglevel=INFO"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        command += ["--hostname", f"faults-{os.getpid()}-{time.monotonic_ns()}@%h"]
        offset = self.text().count(" ready.")
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                command,
                cwd=settings.BASE_DIR,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its pool processes die with it at teardown
            )
        if not wait:
            return
        ready = wait_for(lambda: self.text().count(" ready.") > offset, timeout=30)
        assert ready, f"the worker did not start:\n{self.text()[-3000:]}"

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def pool_process(self) -> int:
        """The pid of the pool process that runs the tasks."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        pids = [int(pid) for pid in children.read_text().split()]
        assert len(pids) == 1, pids
        return pids[0]

    def kill(self) -> None:
        """SIGKILL to the worker and its pool process at once: nothing is acknowledged
        or handed back. A supervised worker stays dead."""
        self._stopping.set()
        if self._supervisor is not None:
            self._supervisor.join(timeout=10)
            self._supervisor = None
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None


def nothing_waits() -> bool:
    """No change waits for its recompute."""
    return not RecomputeRequest.objects.exists()


def land_on_time(world, *, official: bool = False):
    """The desk's share of land dossiers resolved on time in Q2 2021 (indicator 5.1), as
    last computed: from its report as typed (provisional) unless ``official``; None
    before it is computed."""
    row = Status.every.filter(
        indicator__code="5.1",
        unit=world["desk"],
        year=2021,
        quarter=2,
        category="land",
        provisional=not official,
    ).first()
    return None if row is None else row.value
