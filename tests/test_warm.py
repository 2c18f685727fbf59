"""A web process is made ready before its first request (``reform.warm``, run by
gunicorn's ``post_worker_init``): the templates compiled, what pages import lazily
imported."""

from __future__ import annotations

import gc
import runpy
import sys
from pathlib import Path

from django.template import engines

from reform import warm

ROOT = Path(__file__).resolve().parent.parent


def _cached(name: str) -> bool:
    loader = engines["django"].engine.template_loaders[0]
    return any(key.startswith(name) for key in loader.get_template_cache)


def test_every_template_of_the_project_is_compiled_before_a_request():
    engines["django"].engine.template_loaders[0].reset()
    assert not _cached("commitments/dashboard.html")
    compiled = warm.warm()
    ours = [p for p in (ROOT / "templates").rglob("*.html")]
    assert compiled >= len(ours)
    for path in ours:
        assert _cached(path.relative_to(ROOT / "templates").as_posix()), path
    for module in warm.LAZY_MODULES:
        assert module in sys.modules


def test_gunicorn_warms_each_worker_before_its_first_request(monkeypatch):
    called = []
    monkeypatch.setattr(warm, "warm", lambda: called.append("warm") or 0)
    monkeypatch.setattr(warm, "settle", lambda: called.append("settle") or 0)
    settings = runpy.run_path(str(ROOT / "reform" / "gunicorn.conf.py"))
    settings["post_worker_init"](worker=None)
    assert called == ["warm", "settle"]


def test_what_a_ready_process_holds_is_set_aside_from_the_garbage_collector():
    warm.warm()
    try:
        assert gc.get_freeze_count() == 0
        held = warm.settle()
        assert held == gc.get_freeze_count() > 10_000
        # What the collector walks (every generation but the frozen one) is now only
        # what was made since.
        assert len(gc.get_objects()) < held / 10
    finally:
        gc.unfreeze()
    assert gc.get_freeze_count() == 0
