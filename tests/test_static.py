"""Static files in production (reform/storage.py): ``collectstatic`` writes hashed and
compressed copies, and WhiteNoise serves them from the web processes with a far-future
cache lifetime."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings


@pytest.fixture
def collected(tmp_path):
    """The project's own static files collected as in production (the admin's are left
    out: they are Django's, and compressing them all takes most of a minute)."""
    production = {
        "STATIC_ROOT": tmp_path,
        "STORAGES": {**settings.STORAGES, "staticfiles": {"BACKEND": "reform.storage.StaticFiles"}},
        "STATICFILES_FINDERS": ["django.contrib.staticfiles.finders.FileSystemFinder"],
    }
    with override_settings(**production):
        call_command("collectstatic", "--noinput", verbosity=0)
        yield json.loads((tmp_path / "staticfiles.json").read_text())["paths"]


def test_collectstatic_writes_hashed_compressed_copies(collected, tmp_path):
    # The vendored chart names a source map that is not shipped: it is still collected.
    assert collected["vendor/chart-4.6.1.umd.min.js"] != "vendor/chart-4.6.1.umd.min.js"
    hashed = collected["css/app.css"]
    assert hashed.startswith("css/app.") and hashed != "css/app.css"
    assert (tmp_path / f"{hashed}.gz").exists()


def test_the_web_processes_serve_them_cached_for_good(collected, rf):
    from whitenoise.middleware import WhiteNoiseMiddleware

    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE
    # Built inside the settings of the collected files: WhiteNoise reads STATIC_ROOT once.
    serve = WhiteNoiseMiddleware(lambda request: pytest.fail("not served as a static file"))
    response = serve(rf.get(f"{settings.STATIC_URL}{collected['css/app.css']}"))
    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"]
