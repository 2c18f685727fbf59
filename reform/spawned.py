"""Work handed to processes spawned from this one (multiprocessing's "spawn": a fresh
interpreter, safe to start from any process, whatever threads it runs, unlike a fork).

Importable before Django is set up: a spawned process first sets Django up once
(``django_setup``), on the database its parent uses, then runs the functions it is
given by their dotted names (``call``)."""

from __future__ import annotations

import importlib
import multiprocessing
from typing import Any


def pool(processes: int, *, database_name: str):
    """A pool of ``processes`` spawned processes, each with Django set up on the
    database named ``database_name`` (the parent's: under the tests, the test
    database rather than the one the settings name)."""
    return multiprocessing.get_context("spawn").Pool(
        processes, initializer=django_setup, initargs=(database_name,)
    )


def django_setup(database_name: str) -> None:
    import django
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = database_name  # before any connection opens
    django.setup()


def call(target: str, kwargs: dict[str, Any]) -> Any:
    """``target`` is ``package.module:function``, imported once Django is set up."""
    module, name = target.split(":")
    return getattr(importlib.import_module(module), name)(**kwargs)
