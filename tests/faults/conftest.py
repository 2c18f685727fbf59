"""What the fault tests break and mend: a Redis of their own, started and stopped by the
test (never the shared one), this process publishing to it, and a real Celery worker in
a process of its own, which a test may kill with SIGKILL (``tests/faults/outages.py``).

They run on PostgreSQL (the worker reads the test database the test writes, and two
processes must be able to write at once) and need ``redis-server``; elsewhere they are
skipped. Every wait is bounded, and every process they start is killed at teardown.
"""

from __future__ import annotations

import pytest
from django.db import connection

from commitments import services
from reform.celery import app
from tests import factories
from tests.faults.outages import REDIS_SERVER, OwnRedis, Worker, publish_to


@pytest.fixture(autouse=True)
def _faults_need_postgres_and_redis_server():
    if connection.vendor != "postgresql":
        pytest.skip("the fault tests run on PostgreSQL (set DATABASE_URL)")
    if REDIS_SERVER is None:
        pytest.skip("no redis-server (apt-get install redis-server)")


@pytest.fixture
def own_redis(tmp_path):
    server = OwnRedis(tmp_path / "redis.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def broker(own_redis, settings):
    """This process as a web process of production: its tasks published to the test's
    Redis (a short countdown after a save), its cache there too."""
    settings.REDIS_URL = own_redis.url
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": own_redis.url,
        }
    }
    settings.RECOMPUTE_DELAY_SECONDS = 1
    previous, eager = app.conf.broker_url, app.conf.task_always_eager
    publish_to(own_redis.url)
    app.conf.task_always_eager = False
    yield own_redis
    app.conf.task_always_eager = eager
    publish_to(previous)


@pytest.fixture
def worker(broker, transactional_db, tmp_path):
    """A real worker, started once the world is stored; killed before the test database
    is emptied, with any connection it left behind."""
    process = Worker(broker.url, tmp_path / "worker.log")
    yield process
    process.kill()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture
def world(broker, transactional_db):
    """The 2021 catalogue, a department with a receiving desk, its staff and an admin.
    Stored before the worker starts: their requests wait in the outbox."""
    services.catalogue.catalogue_load(name="hcmc-dard-2021")
    department = factories.department()
    desk = factories.unit("vp", parent=department, receives_dossiers=True)
    return {
        "department": department,
        "desk": desk,
        "staff": factories.staff("chuyenvien", desk),
        "admin": factories.superuser(),
    }
