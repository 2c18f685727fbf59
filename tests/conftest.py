"""Shared fixtures. Tests run on SQLite by default and on PostgreSQL when DATABASE_URL
is set; tasks run in-process unless a test asks for the real worker."""

from __future__ import annotations

import pytest

from commitments import services
from tests import recorded


@pytest.fixture
def catalogue(db, django_capture_on_commit_callbacks, request):
    """The built-in 2021 DARD catalogue: 9 commitments, 21 indicators, 2021 targets.

    Its on-commit work runs here, as if its transaction had committed, so that what a
    test saves next queues work of its own.
    """

    def load():
        with django_capture_on_commit_callbacks(execute=True):
            services.catalogue.catalogue_load(name="hcmc-dard-2021")

    # Loaded for real once a module; the tests after get the rows it wrote (recorded.py).
    recorded.load_once(request, "hcmc-dard-2021", load)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Hashing with the production hasher costs a second per user; tests need none of it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language, Vietnamese, whatever language a test
    before it left active in this thread (a request's or a command's)."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _tasks_in_process(request, settings):
    """Run queued tasks in this process, unless the test drives a real worker."""
    from reform.celery import app

    if request.node.get_closest_marker("real_worker"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _evidence_files_in_a_temporary_folder(monkeypatch, tmp_path):
    """Evidence and signed sheets a test uploads go to a folder of its own, not the
    checkout's media/ (the field's storage is read once, when the model is loaded)."""
    from django.core.files.storage import FileSystemStorage

    from commitments.models import Evidence, Sheet

    storage = FileSystemStorage(location=str(tmp_path / "evidence-files"), base_url=None)
    monkeypatch.setattr(Evidence._meta.get_field("file"), "storage", storage)
    monkeypatch.setattr(Sheet._meta.get_field("document"), "storage", storage)


@pytest.fixture
def write_file(tmp_path):
    """Write text to a file in a temporary folder and return its path."""

    def write(name: str, text: str, *, bom: bool = False) -> str:
        path = tmp_path / name
        path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
        return str(path)

    return write
