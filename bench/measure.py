"""How the benchmark measures: a command's wall time and peak memory (its own process,
read from the kernel when it ends), and a page's latencies under a small bounded load
against 127.0.0.1."""

from __future__ import annotations

import os
import statistics
import subprocess
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class BenchFailed(RuntimeError):
    """A step of the benchmark could not run."""


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mib: float  # the largest resident set of the process (and its waited children)
    output: str


def timed(command: list[str], env: dict, log: Path) -> Run:
    """Run ``command`` to its end; its wall time and peak resident memory (``wait4``)."""
    with log.open("ab") as out:
        out.write(f"\n$ {' '.join(command)}\n".encode())
        out.flush()
        started = time.monotonic()
        child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=out)
        output = child.stdout.read()
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.monotonic() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.write(output)
    if child.returncode:
        raise BenchFailed(f"{' '.join(command)} exited {child.returncode}: see {log}")
    return Run(seconds, usage.ru_maxrss / 1024, output.decode(errors="replace"))


@dataclass(frozen=True)
class Timing:
    """A page under load: how many answers, their latencies (s) and size (bytes)."""

    requests: int
    p50: float
    p95: float
    size: int
    statuses: tuple[int, ...]

    @property
    def ok(self) -> bool:
        return set(self.statuses) == {200}


def get(url: str, cookie: str, timeout: float) -> tuple[float, int, int]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            size = sum(len(chunk) for chunk in iter(lambda: response.read(1 << 16), b""))
            status = response.status
    except urllib.error.HTTPError as error:
        size, status = 0, error.code
    return time.monotonic() - started, status, size


def load(
    url: str,
    *,
    cookie: str = "",
    concurrency: int = 2,
    most: int = 30,
    budget: float = 40.0,
    timeout: float = 600.0,
    warm: int = 1,
) -> Timing:
    """``concurrency`` clients asking for ``url`` one after another, until ``most``
    answers or ``budget`` seconds (at least one answer each); p50 and p95 of them. First
    ``warm`` requests at once, not counted: one for each web process, so that what is
    timed is a page served again, not a process's first connection to the database."""
    results: list[tuple[float, int, int]] = []
    lock = threading.Lock()
    deadline = time.monotonic() + budget

    def client() -> None:
        while True:
            with lock:
                if len(results) >= most or (results and time.monotonic() > deadline):
                    return
            answer = get(url, cookie, timeout)
            with lock:
                results.append(answer)

    warming = [threading.Thread(target=get, args=(url, cookie, timeout)) for _ in range(warm)]
    for thread in warming:
        thread.start()
    for thread in warming:
        thread.join()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies = sorted(seconds for seconds, _status, _size in results)
    p95 = latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))]
    return Timing(
        requests=len(results),
        p50=statistics.median(latencies),
        p95=p95,
        size=max(size for _s, _status, size in results),
        statuses=tuple(sorted({status for _s, status, _size in results})),
    )
