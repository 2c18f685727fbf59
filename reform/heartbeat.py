"""The workers' heartbeat, read by the health check (``/healthz``).

Each Celery worker writes, every ``INTERVAL`` seconds from a thread of its main process,
that it is alive into the cache (Redis, the broker's server); ``/healthz`` counts the
workers heard from within ``WINDOW`` seconds. Asking the workers at every probe (a
broadcast ping) kept a web process waiting for the whole ping timeout, a second each
time a load balancer probed; reading one cache key takes a millisecond. A thread rather
than a task: it beats while the worker's pool is busy with a long recompute, and without
the beat scheduler.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache import cache

KEY = "health:workers"  # {hostname: unix time of its last beat}
INTERVAL = 15
# A worker not heard from for this long is not counted: a missed beat or two is not an
# outage, a worker killed without a word drops out within a minute.
WINDOW = 60

logger = logging.getLogger(__name__)


def beat(*, hostname: str, now: float | None = None) -> None:
    """Record that ``hostname`` is alive now, dropping the workers long silent. Two
    workers beating at the same instant may drop each other's line until their next
    beat, well inside ``WINDOW``."""
    now = time.time() if now is None else now
    seen = {name: at for name, at in (cache.get(KEY) or {}).items() if now - at < 2 * WINDOW}
    seen[hostname] = now
    cache.set(KEY, seen, timeout=2 * WINDOW)


def forget(*, hostname: str) -> None:
    """A worker that stops says so: it is no longer counted."""
    seen = cache.get(KEY) or {}
    if seen.pop(hostname, None) is not None:
        cache.set(KEY, seen, timeout=2 * WINDOW)


def workers_alive(*, now: float | None = None) -> int:
    """How many workers beat within ``WINDOW`` seconds (the cache's errors propagate)."""
    now = time.time() if now is None else now
    return sum(1 for at in (cache.get(KEY) or {}).values() if now - at < WINDOW)


class Heart(threading.Thread):
    """The thread that beats for one worker until ``stop``."""

    def __init__(self, hostname: str):
        super().__init__(name="health-heartbeat", daemon=True)
        self.hostname = hostname
        self._stopped = threading.Event()

    def run(self) -> None:
        while not self._stopped.is_set():
            try:
                beat(hostname=self.hostname)
            except Exception as exc:  # the cache down: the health check says so itself
                logger.warning("heartbeat not written: %s", exc.__class__.__name__)
            self._stopped.wait(INTERVAL)

    def stop(self) -> None:
        self._stopped.set()
        try:
            forget(hostname=self.hostname)
        except Exception as exc:
            logger.warning("heartbeat not cleared: %s", exc.__class__.__name__)
