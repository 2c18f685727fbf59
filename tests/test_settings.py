"""Settings fail early, with the variable's name, on a bad value."""

import os
import subprocess
import sys

import pytest


def _import_settings(**variables: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(variables)
    return subprocess.run(
        [sys.executable, "-c", "import reform.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG must be true or false"),
        ({"DEBUG": "true", "DATABASE_URL": "nonsense://x"}, "DATABASE_URL must be"),
        ({"DEBUG": "true", "SURVEY_RATE_CLIENT": "often"}, "SURVEY_RATE_CLIENT must be a rate"),
        ({"DEBUG": "true", "SURVEY_RATE_DESK": "600/0m"}, "SURVEY_RATE_DESK must be a rate"),
    ],
)
def test_bad_configuration_stops_with_a_clear_error(variables, message):
    result = _import_settings(**variables)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_without_debug_a_missing_secret_key_is_refused_where_one_is_needed():
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DEBUG="false", SECRET_KEY="")
    script = "import django; django.setup(); from django.conf import settings; settings.SECRET_KEY"
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "The SECRET_KEY setting must not be empty" in result.stderr


def test_development_defaults_need_no_configuration():
    result = _import_settings(DEBUG="true", SECRET_KEY="")
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_the_checks_migrate_runs_on_the_database_warn_of_nothing():
    """``migrate`` runs the system checks of the database (``make run`` on SQLite):
    none warns, on either database."""
    from django.core.management import call_command

    call_command("check", "--database", "default", "--fail-level", "WARNING")
