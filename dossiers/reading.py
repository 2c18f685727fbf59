"""Reading a dossier export row by row (CSV or XLSX, English or Vietnamese headers),
never holding the file in memory, and checking each row on its own.

The column names are a contract with the systems that export them (README): add a
name, never rename one.
"""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

# openpyxl's read-only mode streams the sheet: the figures import's reader is ours too.
from commitments.tabular import ImportFailed, _xlsx_lines
from dossiers import rules

# Each column by its English name, with the Vietnamese headers that mean it.
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("mã hồ sơ",),
    "unit": ("đơn vị tiếp nhận", "mã đơn vị"),
    "field": ("lĩnh vực", "mã lĩnh vực"),
    "procedure": ("mã thủ tục", "thủ tục"),
    "channel": ("kênh tiếp nhận", "hình thức tiếp nhận"),
    "received_at": ("ngày tiếp nhận",),
    "due_at": ("hạn giải quyết", "ngày hẹn trả"),
    "resolved_at": ("ngày có kết quả", "ngày trả kết quả"),
    "paused_days": ("số ngày tạm dừng",),
    "status": ("trạng thái",),
    "paid_online": ("thanh toán trực tuyến",),
}
OPTIONAL = ("resolved_at", "paused_days", "paid_online")

CHANNELS = {
    "online": "online",
    "direct": "direct",
    "postal": "postal",
    "trực tuyến": "online",
    "trực tiếp": "direct",
    "bưu chính": "postal",
}
STATUSES = {
    "in_progress": rules.IN_PROGRESS,
    "resolved": rules.RESOLVED,
    "withdrawn": rules.WITHDRAWN,
    "refused": rules.REFUSED,
    "đang giải quyết": rules.IN_PROGRESS,
    "đã giải quyết": rules.RESOLVED,
    "rút hồ sơ": rules.WITHDRAWN,
    "từ chối": rules.REFUSED,
}
MAX_LENGTH = 100


def _key(text: str) -> str:
    """A header or a value as compared: NFC (Vietnamese typed in either form), trimmed,
    lower case."""
    return unicodedata.normalize("NFC", text).strip().lower()


HEADERS = {_key(name): column for column, names in COLUMNS.items() for name in (column, *names)}


def file_rows(path: str | Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, values by English column) for each non-blank data row of the file."""
    path = Path(path)
    if not path.is_file():
        raise ImportFailed([f"line 0: file: {path} does not exist"])
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        lines = _xlsx_lines(path)
    elif suffix in (".csv", ".txt", ""):
        lines = _csv_lines(path)
    else:
        raise ImportFailed([f"line 0: file: {path.name}: expected a .csv or .xlsx file"])
    header_line, header = next(lines, (1, []))
    names = _header(header_line, header)
    for line, cells in lines:
        if not any(c.strip() for c in cells):
            continue
        values = dict.fromkeys(OPTIONAL, "")
        values.update(
            (name, cell.strip()) for name, cell in zip(names, cells, strict=False) if name
        )
        yield line, values


def _header(line: int, header: list[str]) -> list[str | None]:
    """The English column of each header cell; a missing or unknown column fails the file."""
    names = [HEADERS.get(_key(h)) if h.strip() else None for h in header]
    problems = [
        f"line {line}: {h.strip()}: unknown column"
        for h, name in zip(header, names, strict=True)
        if h.strip() and name is None
    ]
    problems += [
        f"line {line}: {column}: missing column"
        for column in COLUMNS
        if column not in names and column not in OPTIONAL
    ]
    if problems:
        raise ImportFailed(problems)
    return names


def _csv_lines(path: Path) -> Iterator[tuple[int, list[str]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        try:
            for cells in reader:
                yield reader.line_num, cells
        except UnicodeDecodeError as exc:
            raise ImportFailed(
                [f"line {reader.line_num + 1}: file: not UTF-8; save it as UTF-8"]
            ) from exc
        except csv.Error as exc:
            raise ImportFailed(
                [f"line {reader.line_num}: file: not a readable CSV row ({exc})"]
            ) from exc


@dataclass(frozen=True)
class Lookups:
    """What a row is checked against: unit and field ids by code, now, the time zone."""

    units: Mapping[str, int]
    fields: Mapping[str, int]
    now: dt.datetime
    zone: ZoneInfo


# The columns of a checked row, in the order the staging table holds them.
STAGED = (
    "line",
    "code",
    "unit_id",
    "category_id",
    "procedure",
    "channel",
    "received_at",
    "due_at",
    "resolved_at",
    "paused_days",
    "status",
    "paid_online",
    "due_by",
    "received_year",
    "received_quarter",
    "resolved_year",
    "resolved_quarter",
    "on_time",
)


def row_check(line: int, values: Mapping[str, str], lookups: Lookups) -> tuple[tuple | None, list]:
    """A row as a tuple of ``STAGED`` values, or None and its problems
    (``line N: column: reason``)."""
    problems: list[str] = []

    def bad(column: str, reason: str) -> None:
        problems.append(f"line {line}: {column}: {reason}")

    code = _text(values["code"], "code", bad)
    unit_id = _known(values["unit"], lookups.units, "unit", "unknown unit", bad)
    field_id = _known(values["field"], lookups.fields, "field", "unknown field", bad)
    procedure = _text(values["procedure"], "procedure", bad)
    channel = _choice(values["channel"], CHANNELS, "channel", bad)
    status = _choice(values["status"], STATUSES, "status", bad)
    paused = _paused(values["paused_days"], bad)
    paid = _paid(values["paid_online"], bad)
    received, due, resolved = _dates(values, lookups, status, bad)
    if problems:
        return None, problems
    counted = rules.dossier_counted(
        channel=channel,
        status=status,
        received_at=received,
        due_at=due,
        paused_days=paused,
        resolved_at=resolved,
        zone=lookups.zone,
    )
    resolved_year, resolved_quarter = counted.resolved or (None, None)
    return (
        line, code, unit_id, field_id, procedure, channel, received, due, resolved, paused,
        status, paid, counted.due_by, *counted.received, resolved_year, resolved_quarter,
        counted.on_time,
    ), []  # fmt: skip


def _text(text: str, column: str, bad) -> str:
    if not text:
        bad(column, "required")
    elif len(text) > MAX_LENGTH:
        bad(column, f"longer than {MAX_LENGTH} characters")
    return text


def _known(code: str, known: Mapping[str, int], column: str, reason: str, bad) -> int | None:
    found = known.get(code)
    if found is None:
        bad(column, f"{reason} {code!r}" if code else "required")
    return found


def _choice(text: str, choices: Mapping[str, str], column: str, bad) -> str | None:
    found = choices.get(_key(text))
    if found is None:
        allowed = ", ".join(choices)
        bad(column, f"{text!r} is not one of {allowed}" if text else "required")
    return found


def _paused(text: str, bad) -> int:
    if not text:
        return 0
    if not text.isdigit():
        bad("paused_days", f"{text!r} is not a whole number of days, 0 or more")
        return 0
    return int(text)


def _paid(text: str, bad) -> bool | None:
    if text in ("0", "1"):
        return text == "1"
    if text:
        bad("paid_online", f"{text!r}: 0, 1 or empty (no fee)")
    return None


def _dates(values: Mapping[str, str], lookups: Lookups, status: str | None, bad) -> tuple:
    """received at, due at and resolved at, checked together."""
    received = _moment(values["received_at"], "received_at", lookups, bad, required=True)
    due = _moment(values["due_at"], "due_at", lookups, bad, required=True, end_of_day=True)
    resolved = _moment(values["resolved_at"], "resolved_at", lookups, bad)
    for column, moment in (("received_at", received), ("resolved_at", resolved)):
        if moment is not None and moment > lookups.now:
            bad(column, "in the future")
    if received is not None and due is not None and due < received:
        bad("due_at", "before received_at")
    if received is not None and resolved is not None and resolved < received:
        bad("resolved_at", "before received_at")
    if resolved is None and status in rules.COUNTED and values["resolved_at"] == "":
        bad("resolved_at", f"required for a dossier {status}")
    if resolved is not None and status == rules.IN_PROGRESS:
        bad("resolved_at", "must be empty while the dossier is in progress")
    return received, due, resolved


def _moment(
    text: str, column: str, lookups: Lookups, bad, *, required=False, end_of_day=False
) -> dt.datetime | None:
    """A date (ISO 2021-03-01 or 01/03/2021) with an optional time, on the department's
    clock unless it names its offset; a due date without a time is the end of that day."""
    if not text:
        if required:
            bad(column, "required")
        return None
    try:
        moment = _parse_moment(text)
    except ValueError:
        bad(column, f"{text!r} is not a date (2021-03-01, 2021-03-01 14:30 or 01/03/2021)")
        return None
    if end_of_day and moment.time() == dt.time() and len(text) <= 10:
        moment = moment.replace(hour=23, minute=59, second=59)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=lookups.zone)
    return moment


def _parse_moment(text: str) -> dt.datetime:
    if "/" in text:
        day, _, rest = text.partition("/")
        month, _, rest = rest.partition("/")
        year, _, time = rest.partition(" ")
        text = f"{int(year):04d}-{int(month):02d}-{int(day):02d}" + (f" {time}" if time else "")
    return dt.datetime.fromisoformat(text)
