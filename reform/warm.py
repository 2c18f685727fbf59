"""A web process made ready before its first request (gunicorn's ``post_worker_init``,
``reform/gunicorn.conf.py``): every template compiled into the cached loader, the URL
patterns and both languages' translations loaded. Without it, the first request of each
page in each worker pays for these (tens of milliseconds), after every start and every
restart that ``max_requests`` orders. The modules some pages import on first use (the
holiday calendars: a tenth of a second) are imported too.

Then what the process holds once ready is set aside from the garbage collector
(``settle``)."""

from __future__ import annotations

import gc
import importlib
from pathlib import Path

# Imported on a page's first use otherwise: the holiday calendars of every country
# (the working-day calendar of the completeness page, reminders and deadlines).
LAZY_MODULES = ("holidays.countries",)


def warm() -> int:
    """Compile every template the engines find, load the URLs and the translations;
    how many templates were compiled."""
    from django.conf import settings
    from django.template import TemplateSyntaxError, engines
    from django.template.autoreload import get_template_directories
    from django.urls import get_resolver
    from django.utils import translation

    for module in LAZY_MODULES:
        importlib.import_module(module)
    get_resolver().reverse_dict  # noqa: B018 (imports every view and fills the reverse map)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Tổng quan")
    compiled = 0
    for directory in get_template_directories():
        for path in Path(directory).rglob("*"):
            if not path.is_file() or path.suffix not in {".html", ".txt", ".xml"}:
                continue
            name = path.relative_to(directory).as_posix()
            for engine in engines.all():
                try:
                    engine.get_template(name)
                    compiled += 1
                except (TemplateSyntaxError, LookupError, ImportError):
                    pass  # a file that is no template of this engine
    return compiled


def settle() -> int:
    """Set aside from the garbage collector what the ready process holds (the modules,
    templates, translations and URL patterns: some 150,000 objects that live as long as
    the process), so that a full collection, which Python runs every few dozen
    requests, walks only what requests create: at national scale a full collection
    during a request took about 120 ms with them and 7 ms without (``gc.freeze``: every
    later collection ignores what it froze). How many objects were set aside."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
