"""Reading CSV (UTF-8, with or without BOM) and XLSX files as numbered rows of text."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import re
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path, PurePath


class ImportFailed(Exception):
    """An import that wrote nothing; ``errors`` are lines ``line N: column: reason``."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


# ``line N: column: reason``, the shape of every import's problem.
_PROBLEM = re.compile(r"^line (?P<line>\d+): (?P<column>[^:]+): (?P<reason>.*)$", re.DOTALL)


def problem_parts(problem: str) -> tuple[int | None, str, str]:
    """A problem ``line N: column: reason`` as (N, column, reason), for a page that
    shows them as a table; a line of another shape is all reason."""
    match = _PROBLEM.match(problem)
    if match is None:
        return None, "", problem
    return int(match["line"]), match["column"], match["reason"]


@contextlib.contextmanager
def uploaded_file(upload) -> Iterator[Path]:
    """An uploaded file written to a temporary file of the same suffix (the readers
    read a path and go by its suffix), removed afterwards."""
    suffix = PurePath(upload.name).suffix.lower()[:10]
    with tempfile.TemporaryDirectory(prefix="upload-") as folder:
        path = Path(folder) / f"upload{suffix}"
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        yield path


@dataclass(frozen=True)
class Row:
    line: int  # the line (CSV) or row (XLSX) number a person sees in the file
    values: dict[str, str]

    def error(self, column: str, reason: str) -> str:
        return f"line {self.line}: {column}: {reason}"


def line_number(error: str) -> tuple[int, str]:
    """Sorts the messages of rows ("line 12: …") by their line."""
    match = re.match(r"line (\d+):", error)
    return (int(match.group(1)) if match else 0, error)


def read_rows(
    path: str | Path,
    columns: tuple[str, ...],
    *,
    xlsx: bool = True,
    optional: tuple[str, ...] = (),
) -> list[Row]:
    """The file's data rows, keyed by the expected columns, each value stripped.

    The header must name every expected column (in any order), and may name the
    ``optional`` ones, which read as empty when it does not; a missing or unknown
    column fails the whole file. Blank rows are skipped.
    """
    named = (*columns, *optional)
    return [
        Row(
            line=line,
            values={name: cell.strip() for name, cell in zip(named, cells, strict=True)},
        )
        for line, cells in row_cells(path, columns, xlsx=xlsx, optional=optional)
    ]


def row_cells(
    path: str | Path,
    columns: tuple[str, ...],
    *,
    xlsx: bool = True,
    optional: tuple[str, ...] = (),
) -> Iterator[tuple[int, Sequence[str]]]:
    """The file's data rows one at a time, as they are read: each row's line and its
    cells in the order of ``columns`` then ``optional`` (empty where the header does
    not name one), as written (not stripped), so that a file of any size is read in
    constant memory.

    The header is checked at once, before this returns (``ImportFailed``, as in
    ``read_rows``); a row that cannot be read fails while iterating.
    """
    path = Path(path)
    if not path.is_file():
        raise ImportFailed([f"line 0: file: {path} does not exist"])
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        if not xlsx:
            raise ImportFailed([f"line 0: file: {path.name}: only CSV is accepted here"])
        lines = _xlsx_lines(path)
    elif path.suffix.lower() in (".csv", ".txt", ""):
        lines = _csv_lines(path)
    else:
        raise ImportFailed([f"line 0: file: {path.name}: expected a .csv or .xlsx file"])

    header_line, header = next(lines, (1, []))
    names = [h.strip().lower() for h in header]
    missing = [c for c in columns if c not in names]
    unknown = [n for n in names if n and n not in columns and n not in optional]
    problems = [f"line {header_line}: {c}: missing column" for c in missing]
    problems += [f"line {header_line}: {n}: unknown column" for n in unknown]
    if problems:
        lines.close()
        raise ImportFailed(problems)
    # A column named twice: its last cell counts.
    where = {name: i for i, name in enumerate(names) if name}
    return _picked(
        lines, len(names), [where[c] for c in columns] + [where.get(c) for c in optional]
    )


# ``_picked``'s way when an optional column is not in the file.
_SOME_ABSENT = object()


def _picked(
    lines: Iterator[tuple[int, list[str]]], width: int, indexes: list[int | None]
) -> Iterator[tuple[int, Sequence[str]]]:
    """The non-blank rows of ``lines`` (the header read) as the cells at ``indexes``
    (an empty cell where an index is None)."""
    if None in indexes:
        pick = _SOME_ABSENT
    else:
        pick = None if indexes == list(range(width)) else itemgetter(*indexes)
    single = len(indexes) == 1
    for line, cells in lines:
        if len(cells) != width:
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                raise ImportFailed([f"line {line}: row: more cells than columns in the header"])
            cells = [*cells[:width], *[""] * (width - len(cells))]
        first = cells[0] if cells else ""
        # Most rows start with a value: the blank test of every cell only when not.
        if (not first or first.isspace()) and not any(c.strip() for c in cells):
            continue
        if pick is None:  # the columns as expected, in their order
            yield line, cells
        elif pick is _SOME_ABSENT:
            yield line, [cells[i] if i is not None else "" for i in indexes]
        else:
            picked = pick(cells)
            yield line, ((picked,) if single else picked)


def _csv_lines(path: Path) -> Iterator[tuple[int, list[str]]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream)
        try:
            for cells in reader:
                yield reader.line_num, cells
        except UnicodeDecodeError as exc:
            raise _not_utf8(path) from exc
        except csv.Error as exc:  # a cell over the csv module's limit, a stray NUL byte…
            raise ImportFailed(
                [f"line {reader.line_num}: file: not a readable CSV row ({exc})"]
            ) from exc


def _not_utf8(path: Path) -> ImportFailed:
    """The failure of a file that is not UTF-8, naming the line of its first bad byte
    (read again whole: this happens once, on a file refused)."""
    data = path.read_bytes()
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
    else:  # pragma: no cover - the stream refused what the whole file decodes
        line = 0
    guess = _encoding_guess(data)
    looks = f" (it looks like {guess})" if guess else ""
    return ImportFailed([f"line {line}: file: not UTF-8; save it as UTF-8{looks}"])


def _encoding_guess(data: bytes) -> str:
    """The encoding a file that is not UTF-8 was most likely saved in: what Excel and
    older Vietnamese software write (UTF-16 "Unicode text", Windows-1258)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    for codec, name in (("cp1258", "Windows-1258"), ("cp1252", "Windows-1252")):
        try:
            data.decode(codec)
        except UnicodeDecodeError:
            continue
        return name
    return ""


def _xlsx_lines(path: Path) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportFailed([f"line 0: file: not a readable XLSX workbook ({exc})"]) from exc
    try:
        sheet = workbook.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(c) for c in cells]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
