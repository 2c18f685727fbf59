"""Loading the built-in catalogue once a module, not once a test.

The first test that asks for it inside its own transaction loads it for real and
records what the load wrote over the database as that test found it: the rows added,
changed and removed, model by model. A later test gets the same rows written in bulk,
a few queries instead of some nine hundred, when it is of the same module with the same
fixtures set up before it (so the same things patched: a module that stops the
recompute's kick gets a catalogue never computed) and finds the database in the same
state (every table's count and largest key alike). A test that runs outside a
transaction (a real worker, ``transaction=True``), or finds the database in another
state, loads it for real.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection


@dataclass
class Changes:
    added: dict = field(default_factory=dict)  # model -> [row dict]
    changed: dict = field(default_factory=dict)  # model -> [row dict]
    removed: dict = field(default_factory=dict)  # model -> [pk]


_recorded: dict[tuple, Changes] = {}


def load_once(request, name: str, load) -> None:
    """Run ``load`` (which writes ``name``'s rows) for the test of ``request``, or write
    again what it wrote before for a test like it."""
    if not connection.in_atomic_block:
        load()
        return
    # The fixtures set up before this one (pytest keeps them in a private dict; without
    # it, the module alone).
    set_up = sorted(getattr(request, "_fixture_defs", {}))
    like = (request.node.module.__name__, tuple(set_up))
    state = (connection.vendor, name, like, _state())
    changes = _recorded.get(state)
    if changes is not None:
        _apply(changes)
        return
    before = _rows()
    load()
    _recorded[state] = _diff(before, _rows())


def _models():
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def _state() -> tuple:
    """Each table's count and largest key (a number: a session's random key says
    nothing of the state), in one query."""
    quote = connection.ops.quote_name
    parts = [
        f"SELECT COUNT(*), "
        f"{f'MAX({quote(m._meta.pk.column)})' if _numbered(m) else 'CAST(NULL AS bigint)'} "
        f"FROM {quote(m._meta.db_table)}"
        for m in _models()
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(f"SELECT * FROM ({p}) t{i}" for i, p in enumerate(parts)))
        return tuple(tuple(row) for row in cursor.fetchall())


def _numbered(model) -> bool:
    return model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField", "SmallAutoField")


def _names(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


def _rows() -> dict:
    found = {}
    for model in _models():
        names = _names(model)
        key = names.index(model._meta.pk.attname)
        found[model] = {row[key]: row for row in model._base_manager.values_list(*names)}
    return found


def _diff(before: dict, after: dict) -> Changes:
    changes = Changes()
    for model, rows in after.items():
        names, old = _names(model), before[model]
        added = [dict(zip(names, row, strict=True)) for pk, row in rows.items() if pk not in old]
        changed = [
            dict(zip(names, row, strict=True))
            for pk, row in rows.items()
            if pk in old and old[pk] != row
        ]
        removed = [pk for pk in old if pk not in rows]
        for kind, values in (("added", added), ("changed", changed), ("removed", removed)):
            if values:
                getattr(changes, kind)[model] = values
    return changes


def _apply(changes: Changes) -> None:
    for model, pks in changes.removed.items():
        model._base_manager.filter(pk__in=pks)._raw_delete(connection.alias)
    for model, rows in changes.changed.items():
        fields = [f.name for f in model._meta.concrete_fields if not f.primary_key]
        model._base_manager.bulk_update([model(**row) for row in rows], fields)
    for model, rows in changes.added.items():
        created = model._base_manager.bulk_create([model(**row) for row in rows])
        # bulk_create stamps auto_now fields with the time now: put back those recorded.
        stamped = [
            f.attname
            for f in model._meta.concrete_fields
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        if stamped:
            for obj, row in zip(created, rows, strict=True):
                for name in stamped:
                    setattr(obj, name, row[name])
            model._base_manager.bulk_update(created, stamped)
    reset = connection.ops.sequence_reset_sql(no_style(), list(changes.added))
    if reset:
        with connection.cursor() as cursor:
            for sql in reset:
                cursor.execute(sql)
