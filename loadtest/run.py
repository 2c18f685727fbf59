"""The load test of the public survey form (``make load``): how many citizens' answers
per second one 2-core machine stores, at what latency, and that none is lost.

1. A fresh PostgreSQL database (``--database``, dropped and created again), migrated,
   with the smallest world the form needs (``loadtest/world.py setup``).
2. The production shape on 127.0.0.1 only: gunicorn (``--workers`` sync workers) with
   ``DEBUG`` off, a Redis of its own (``redis-server`` on a free port; else
   ``REDIS_URL``) as cache and broker, a Celery worker that tallies the answers every
   few seconds as they come. The survey's throttles are lifted (``SURVEY_RATE_CLIENT``
   and ``SURVEY_RATE_DESK`` empty): every simulated citizen comes from one address.
3. Locust, headless, bounded in users and time: first the trivial page alone
   (``--baseline-time``), then the citizens alone (``--run-time``), ``--users`` each.
4. The servers stopped, the tally and the recompute run (``world.py check``), then
   sent = stored = counted: the answers locust saw accepted, the responses stored, and
   the desk's ``survey_responses`` figures. Exits 1 when they differ.

Prints the sustained submissions per second, the p50/p95 latencies, and the ratio to the
trivial page; ``--json`` writes them to a file too.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
FORM_POST = "POST /s/<desk>/ (answers)"
FORM_GET = "GET /s/<desk>/ (form)"
TRIVIAL = "GET trivial page"


class LoadTestFailed(RuntimeError):
    """The load test could not run: a server did not start, a command failed."""


@dataclass(frozen=True)
class Options:
    database: str  # postgres://user:password@127.0.0.1:5432/name (dropped and created)
    users: int = 12
    run_time: int = 60
    baseline_time: int = 20
    workers: int = 4
    desk: str = "bp-motcua"
    redis_url: str = ""  # empty: a redis-server of its own
    keep_database: bool = True
    log_dir: Path | None = None


@dataclass(frozen=True)
class Measure:
    """One locust request name: how many, how many failed, per second, latencies (ms)."""

    requests: int
    failures: int
    per_second: float
    median: float
    p95: float
    p99: float

    @property
    def succeeded(self) -> int:
        return self.requests - self.failures


@dataclass(frozen=True)
class Result:
    submissions: Measure
    forms: Measure
    trivial: Measure | None
    check: dict
    workers: int
    users: int
    run_time: int
    cpu: dict[str, float]  # CPU seconds of the measured phase, by part (``Usage``)

    @property
    def sent(self) -> int:
        return self.submissions.succeeded

    @property
    def nothing_lost(self) -> bool:
        check = self.check
        return self.sent == check["stored"] == check["valid"] == check["counted"] and (
            check["satisfied"] == check["satisfied_counted"]
        )


def local_only(url: str) -> None:
    host = urlsplit(url).hostname or ""
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise LoadTestFailed(f"the load test runs against this machine only, not {host!r}")


def fresh_database(url: str) -> None:
    """Drop the database of ``url`` if it exists and create it empty."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.replace("_", "").replace("-", "").isalnum():
        raise LoadTestFailed(f"not a plain database name: {name!r}")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def local_production_env(database: str, redis_url: str) -> dict[str, str]:
    """Production settings (``DEBUG`` off, a fresh secret) served on plain HTTP at
    127.0.0.1, as the load test and the benchmark run the server."""
    return {
        **os.environ,
        "DATABASE_URL": database,
        "REDIS_URL": redis_url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
    }


def server_env(options: Options, redis_url: str) -> dict[str, str]:
    """Production settings on plain HTTP at 127.0.0.1, throttles lifted."""
    return {
        **local_production_env(options.database, redis_url),
        "STATIC_MANIFEST": "false",  # no collectstatic: the form's page is what is measured
        "SURVEY_RATE_CLIENT": "",
        "SURVEY_RATE_DESK": "",
        "LOG_LEVEL": "WARNING",
        "LOAD_DESK": options.desk,
    }


def wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise LoadTestFailed(f"{what} did not come up within {timeout:.0f} s")


@contextmanager
def process(command: list[str], env: dict, log: Path):
    """A process of its own for the block, stopped (TERM, then KILL) at its end."""
    with log.open("ab") as out:
        child = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield child
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGTERM)
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait(timeout=10)


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_timeout=0.5).ping())
    except redis.RedisError:
        return False


@contextmanager
def own_redis(options: Options, logs: Path):
    """A redis-server on a free port, or the one of ``options.redis_url``."""
    if options.redis_url or not shutil.which("redis-server"):
        url = options.redis_url or os.environ.get("REDIS_URL", "")
        if not url:
            raise LoadTestFailed("no redis-server to start and no REDIS_URL")
        local_only(url)
        yield url
        return
    port = free_port()
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    command += ["--appendonly", "no"]
    with process(command, dict(os.environ), logs / "redis.log"):
        url = f"redis://127.0.0.1:{port}/0"
        wait_for(lambda: redis_answers(url), 10, "redis-server")
        yield url


def manage(args: list[str], env: dict) -> str:
    done = subprocess.run(
        [PYTHON, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise LoadTestFailed(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def locust(user: str, seconds: int, options: Options, host: str, env: dict, out: Path) -> dict:
    """Locust headless with one user class for ``seconds``; its measures by name."""
    measures = out / f"{user.lower()}.json"
    command = [PYTHON, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless"]
    command += ["--host", host, "-u", str(options.users), "-r", str(options.users)]
    command += ["-t", f"{seconds}s", "--stop-timeout", "10", "--only-summary"]
    command += ["--exit-code-on-error", "0", user]
    with (out / f"locust-{user.lower()}.log").open("ab") as log:
        done = subprocess.run(
            command,
            cwd=ROOT,
            env={**env, "LOAD_MEASURES": str(measures)},
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
        )
    if done.returncode or not measures.exists():
        raise LoadTestFailed(f"locust failed ({done.returncode}): see {log.name}")
    return {name: Measure(**values) for name, values in json.loads(measures.read_text()).items()}


def _servers(stack: ExitStack, options: Options, logs: Path) -> tuple[str, dict, list[int]]:
    """Redis, the migrated database and its world, gunicorn and a Celery worker, stopped
    when ``stack`` closes; the address, the environment and the servers' pids."""
    redis_url = stack.enter_context(own_redis(options, logs))
    env = server_env(options, redis_url)
    manage(["manage.py", "migrate", "--noinput", "-v0"], env)
    manage([str(HERE / "world.py"), "setup", options.desk], env)
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    gunicorn = [PYTHON, "-m", "gunicorn", "reform.wsgi:application"]
    gunicorn += ["--bind", f"127.0.0.1:{port}", "--workers", str(options.workers)]
    gunicorn += ["--log-level", "warning", "--graceful-timeout", "20"]
    web = stack.enter_context(process(gunicorn, env, logs / "gunicorn.log"))
    worker = [PYTHON, "-m", "celery", "-A", "reform", "worker", "--pool=solo"]
    worker += ["--loglevel=WARNING", "--without-gossip", "--without-mingle"]
    tally = stack.enter_context(process(worker, env, logs / "worker.log"))
    wait_for(lambda: answers(f"{host}/s/{options.desk}/"), 30, f"GET /s/{options.desk}/")
    return host, env, [web.pid, tally.pid]


def run(options: Options) -> Result:
    """The whole load test (see the module's docstring); the servers are stopped and,
    unless ``keep_database``, the database dropped, whatever happens."""
    local_only(options.database)
    logs = options.log_dir or Path(tempfile.mkdtemp(prefix="loadtest-"))
    logs.mkdir(parents=True, exist_ok=True)
    fresh_database(options.database)
    try:
        with ExitStack() as stack:
            host, env, servers = _servers(stack, options, logs)
            trivial = None
            if options.baseline_time:
                trivial = locust("Trivial", options.baseline_time, options, host, env, logs)
            usage = Usage(options.database, servers)
            measured = locust("Citizen", options.run_time, options, host, env, logs)
            usage.stop()
        # Servers stopped: nothing more comes in; count what came.
        check = json.loads(manage([str(HERE / "world.py"), "check", options.desk], env))
    finally:
        if not options.keep_database:
            drop_database(options.database)
    return Result(
        submissions=measured[FORM_POST],
        forms=measured[FORM_GET],
        trivial=trivial[TRIVIAL] if trivial else None,
        check=check,
        workers=options.workers,
        users=options.users,
        run_time=options.run_time,
        cpu=usage.seconds,
    )


# ---------------------------------------------------------------------------
# What the submissions cost the machine (Linux /proc)
# ---------------------------------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def _cpu(pid: int) -> float:
    """CPU seconds (user and system) a process has used; 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def _tree(pid: int) -> list[int]:
    """A process and its descendants."""
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            children = []
        stack.extend(int(child) for child in children)
    return found


def _machine_busy() -> tuple[float, float]:
    """Seconds the machine's cores were busy and in all, since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / TICK, sum(values) / TICK


class Usage:
    """CPU seconds over the measured phase: the web (gunicorn and its workers), the
    tally (the Celery worker), PostgreSQL's backends serving the load database, locust
    (this process's children that ended meanwhile), and the whole machine's busy and
    total core-seconds (everyone's work, not only this test's)."""

    def __init__(self, database: str, servers: list[int]):
        self.database, self.servers = database, servers
        self.seconds: dict[str, float] = {}
        self._backends_start = self._backends()
        self._start = self._read()

    def _backends(self) -> dict[int, float]:
        import psycopg

        with psycopg.connect(self.database, autocommit=True) as connection:
            pids = connection.execute(
                "SELECT pid FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchall()
        return {pid: _cpu(pid) for (pid,) in pids}

    def _read(self) -> dict[str, float]:
        web, tally = self.servers
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        busy, total = _machine_busy()
        return {
            "web": sum(_cpu(pid) for pid in _tree(web)),
            "tally": sum(_cpu(pid) for pid in _tree(tally)),
            "locust": children.ru_utime + children.ru_stime,
            "machine_busy": busy,
            "machine_total": total,
        }

    def stop(self) -> None:
        end, backends = self._read(), self._backends()
        self.seconds = {name: end[name] - self._start[name] for name in end}
        self.seconds["postgresql"] = sum(
            cpu - self._backends_start.get(pid, 0.0) for pid, cpu in backends.items()
        )


def report(result: Result) -> str:
    s, f, t, c = result.submissions, result.forms, result.trivial, result.check
    cpu, per = result.cpu, 1000 / max(s.succeeded, 1)
    ours = sum(cpu[part] for part in ("web", "tally", "postgresql", "locust"))
    others = max(cpu["machine_busy"] - ours, 0.0) / max(cpu["machine_total"], 0.01)
    lines = [
        f"gunicorn {result.workers} sync workers, {result.users} users, {result.run_time} s",
        f"submissions (GET form + POST answers): {s.succeeded} accepted, {s.failures} failed, "
        f"{s.per_second:.1f}/s sustained",
        f"  POST answers  p50 {s.median:.0f} ms  p95 {s.p95:.0f} ms  p99 {s.p99:.0f} ms",
        f"  GET form      p50 {f.median:.0f} ms  p95 {f.p95:.0f} ms  p99 {f.p99:.0f} ms",
    ]
    if t:
        cost = t.per_second / max(s.per_second, 0.01)
        lines += [
            f"trivial page alone: {t.per_second:.1f}/s, p50 {t.median:.0f} ms, p95 {t.p95:.0f} ms",
            f"ratio: one submission (two requests) costs as much as {cost:.1f} trivial pages",
        ]
    lines += [
        f"CPU per submission: {ours * per:.1f} ms (Django {cpu['web'] * per:.1f}, PostgreSQL "
        f"{cpu['postgresql'] * per:.1f}, tally {cpu['tally'] * per:.1f}, locust "
        f"{cpu['locust'] * per:.1f}): at most {1000 * (os.cpu_count() or 1) / max(ours * per, 0.01):.0f}"
        f"/s on {os.cpu_count()} idle cores; other work kept the machine {others:.0%} busy",
        f"sent {result.sent} = stored {c['stored']} = counted {c['counted']} "
        f"(satisfied {c['satisfied']} = {c['satisfied_counted']}; 4.1 {c['status_4_1']})",
        "nothing lost" if result.nothing_lost else "MISMATCH: answers lost or miscounted",
    ]
    return "\n".join(lines)


def parse(argv: list[str] | None) -> tuple[Options, Path | None]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default_db = os.environ.get(
        "LOAD_DATABASE_URL", "postgres://postgres:postgres@127.0.0.1:5432/reform_load"
    )
    parser.add_argument("--database", default=default_db)
    parser.add_argument("--users", type=int, default=Options.users)
    parser.add_argument("--run-time", type=int, default=Options.run_time)
    parser.add_argument("--baseline-time", type=int, default=Options.baseline_time)
    parser.add_argument("--workers", type=int, default=Options.workers)
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--logs", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--drop", action="store_true", help="drop the database afterwards")
    a = parser.parse_args(argv)
    options = Options(
        database=a.database,
        users=a.users,
        run_time=a.run_time,
        baseline_time=a.baseline_time,
        workers=a.workers,
        redis_url=a.redis_url,
        keep_database=not a.drop,
        log_dir=a.logs,
    )
    return options, a.json


def main(argv: list[str] | None = None) -> int:
    options, json_path = parse(argv)
    try:
        result = run(options)
    except LoadTestFailed as failure:
        print(f"load test not run: {failure}", file=sys.stderr)
        return 2
    print(report(result))
    if json_path:
        data = {"result": asdict(result), "nothing_lost": result.nothing_lost}
        json_path.write_text(json.dumps(data, indent=2, default=str))
    return 0 if result.nothing_lost else 1


if __name__ == "__main__":
    sys.exit(main())
