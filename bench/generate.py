"""Synthetic unit trees and their figures for the scale benchmark, deterministic: the
same scale gives the same files, byte for byte, on any machine.

- **city**: a city (the root), 15 departments of 10 units each, 168 communes: 334 units,
  about 65,000 figure rows over two years.
- **national**: the country (the root), 34 provinces, each with 15 departments of 8 units
  and 98 communes: 7,957 units, about 1.47 million figure rows over two years.
- **tiny**: two provinces of two departments of two units and three communes, for the
  tests.

Every department has its one-stop desk (its first unit) and every commune receives
dossiers: those report dossiers by field (two to five fields each), satisfaction
surveys, documents, feedback by channel and two flags every quarter; the other units
report documents, feedback and the flags. The departments, provinces and the root report
nothing of their own: their figures are the sums below them. Every value keeps the
catalogue's validation rules (on time ≤ resolved, satisfied ≤ responses …).

``python -m bench.generate SCALE FOLDER`` writes ``units.csv`` and ``figures.csv`` (the
columns of ``import_units`` and ``import_figures``) and prints their counts.
"""

from __future__ import annotations

import csv
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

YEARS = (2020, 2021)  # the baseline and the year judged (the catalogue's targets)
SEED = 14
FIELDS = (
    "crop",
    "livestock_vet",
    "fisheries",
    "forestry",
    "irrigation",
    "rural_development",
    "quality",
    "land",
    "investment",
)
CHANNELS = ("national_portal", "portal_1022", "other")
DEPARTMENTS = (
    ("Sở Nông nghiệp và Môi trường", "agriculture"),
    ("Sở Tài chính", "finance"),
    ("Sở Xây dựng", "construction"),
    ("Sở Y tế", "health"),
    ("Sở Giáo dục và Đào tạo", "education"),
    ("Sở Công Thương", "industry_trade"),
    ("Sở Tư pháp", "justice"),
    ("Sở Nội vụ", "home_affairs"),
    ("Sở Văn hóa, Thể thao và Du lịch", "culture"),
    ("Sở Khoa học và Công nghệ", "science_technology"),
    ("Sở Dân tộc và Tôn giáo", "home_affairs"),
    ("Sở Ngoại vụ", "home_affairs"),
    ("Thanh tra", "justice"),
    ("Văn phòng Ủy ban nhân dân", "home_affairs"),
    ("Ban Quản lý các khu công nghiệp", "planning_investment"),
)
UNIT_COLUMNS = ["code", "name", "parent", "kind", "sector", "public_service", "receives_dossiers"]
FIGURE_COLUMNS = ["year", "quarter", "unit", "element", "category", "value"]


@dataclass(frozen=True)
class Scale:
    """A tree: a root, ``provinces`` below it (none: the root is the one province),
    each with ``departments`` of ``units`` units and ``communes`` communes."""

    name: str
    root: str
    root_name: str
    provinces: int
    departments: int
    units: int
    communes: int

    @property
    def unit_count(self) -> int:
        province = 1 + self.departments * (1 + self.units) + self.communes
        return 1 + self.provinces * province if self.provinces else province


SCALES = {
    "tiny": Scale("tiny", "tn", "Quốc gia thử", 2, 2, 2, 3),
    "city": Scale("city", "hcm", "Ủy ban nhân dân Thành phố Hồ Chí Minh", 0, 15, 10, 168),
    "national": Scale("national", "vn", "Chính phủ", 34, 15, 8, 98),
}


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    parent: str
    kind: str
    sector: str = ""
    public_service: bool = False
    receives_dossiers: bool = False

    def row(self) -> list[str]:
        flags = [str(int(self.public_service)), str(int(self.receives_dossiers))]
        return [self.code, self.name, self.parent, self.kind, self.sector, *flags]


def units(scale: Scale) -> Iterator[Unit]:
    """The tree, each unit after its parent."""
    yield Unit(scale.root, scale.root_name, "", "department", "home_affairs")
    if not scale.provinces:
        yield from _province(scale, scale.root, "Thành phố Hồ Chí Minh", parent="")
        return
    for p in range(1, scale.provinces + 1):
        code = f"{scale.root}-p{p:02d}"
        yield Unit(code, f"Ủy ban nhân dân tỉnh số {p}", scale.root, "department", "home_affairs")
        yield from _province(scale, code, f"tỉnh số {p}", parent=scale.root)


def _province(scale: Scale, code: str, place: str, *, parent: str) -> Iterator[Unit]:
    for d in range(1, scale.departments + 1):
        name, sector = DEPARTMENTS[(d - 1) % len(DEPARTMENTS)]
        department = f"{code}-s{d:02d}"
        yield Unit(department, f"{name} {place}", code, "department", sector)
        for u in range(1, scale.units + 1):
            if u == 1:
                yield Unit(f"{department}-u{u:02d}", f"Bộ phận Một cửa · {name} {place}",
                           department, "division", sector, receives_dossiers=True)  # fmt: skip
            elif u <= 4:
                yield Unit(f"{department}-u{u:02d}", f"Phòng {u} · {name} {place}",
                           department, "division", sector)  # fmt: skip
            else:
                yield Unit(f"{department}-u{u:02d}", f"Trung tâm {u} · {name} {place}",
                           department, "affiliated_unit", sector, public_service=True)  # fmt: skip
    for c in range(1, scale.communes + 1):
        yield Unit(f"{code}-x{c:03d}", f"Ủy ban nhân dân xã số {c}, {place}", code,
                   "affiliated_unit", "home_affairs", receives_dossiers=True)  # fmt: skip


def figures(scale: Scale) -> Iterator[tuple[int, int, str, str, str, int]]:
    """Every figure of every reporting unit: (year, quarter, unit, element, category,
    value), from one seeded generator, in a fixed order."""
    rng = random.Random(f"{SEED}-{scale.name}")
    reporting = [u for u in units(scale) if u.kind != "department"]
    fields = {u.code: rng.sample(FIELDS, rng.randint(2, 5)) for u in reporting}
    for year in YEARS:
        for quarter in range(1, 5):
            for unit in reporting:
                yield from _unit_quarter(rng, year, quarter, unit, fields[unit.code])


def _unit_quarter(rng: random.Random, year: int, quarter: int, unit: Unit, fields: list[str]):
    def row(element: str, value: int, category: str = ""):
        return (year, quarter, unit.code, element, category, value)

    if unit.receives_dossiers:
        for field in fields:
            received = rng.randint(20, 2000)
            resolved = rng.randint(received // 2, received)
            yield row("dossiers_received", received, field)
            yield row("dossiers_online", rng.randint(0, received), field)
            yield row("dossiers_resolved", resolved, field)
            yield row("dossiers_on_time", resolved - rng.randint(0, max(resolved // 25, 1)), field)
        responses = rng.randint(50, 400)
        yield row("survey_responses", responses)
        yield row("survey_satisfied", responses - rng.randint(0, responses // 8))
        yield row("survey_published", int(rng.random() < 0.9))
    issued = rng.randint(30, 900)
    yield row("docs_issued", issued)
    yield row("docs_signed_digitally", rng.randint(issued // 2, issued))
    for channel in CHANNELS:
        due = rng.randint(0, 40)
        handled = rng.randint(due, due + 10)
        yield row("feedback_due", due, channel)
        yield row("feedback_on_time", due - rng.randint(0, max(due // 10, 0)), channel)
        yield row("feedback_handled", handled, channel)
        yield row("feedback_published", rng.randint(handled // 2, handled), channel)
    yield row("epayment_applied", int(rng.random() < 0.85))
    yield row("website_reform_section", int(rng.random() < 0.95))


def write(scale: Scale, folder: Path) -> dict[str, int | str]:
    """``units.csv`` and ``figures.csv`` of ``scale`` in ``folder``, streamed to disk."""
    folder.mkdir(parents=True, exist_ok=True)
    counts = {"units": 0, "figures": 0}
    with (folder / "units.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(UNIT_COLUMNS)
        for unit in units(scale):
            writer.writerow(unit.row())
            counts["units"] += 1
    with (folder / "figures.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(FIGURE_COLUMNS)
        for figure in figures(scale):
            writer.writerow(figure)
            counts["figures"] += 1
    return {
        **counts,
        "units_csv": str(folder / "units.csv"),
        "figures_csv": str(folder / "figures.csv"),
    }


def main(argv: list[str]) -> None:
    name, folder = argv
    print(write(SCALES[name], Path(folder)))


if __name__ == "__main__":
    main(sys.argv[1:])
