"""A department's signed sheet as a file (tệp bản đăng ký chỉ tiêu): the columns, and
the rows of a CSV or XLSX file read into a checked plan of the sheet.

One row per what (the ``type`` column): a ``commitment`` (cam kết, numbered and
worded as signed), an ``indicator`` of a commitment (chỉ tiêu) with its target of the
year and the signed words of it, an ``override`` of an indicator's threshold for a
category or for the units of a kind or sector (ngưỡng riêng), and a ``definition``
the file describes (a new shared definition, for the indicators that name it). The
README gives the format with examples.

Reading writes nothing: ``sheet_plan`` returns the sheet as plain values, checked
against what is stored (``Known``), with every row's problems as ``line N: column:
reason`` and the signed words that state another target than the one given as
warnings; ``services.sheet_files.sheet_load`` writes it. Reasons are in the active
language (the command runs in English).
"""

from commitments.sheet_file.columns import (
    COLUMNS,
    COMMITMENT,
    DEFINITION,
    INDICATOR,
    MEASURE_COLUMNS,
    OVERRIDE,
    CommitmentLine,
    DefinitionLine,
    IndicatorLine,
    Known,
    OverrideLine,
    SheetPlan,
)
from commitments.sheet_file.reading import sheet_plan
from commitments.sheet_file.writing import csv_text, sheet_rows

__all__ = [
    "COLUMNS",
    "COMMITMENT",
    "DEFINITION",
    "INDICATOR",
    "MEASURE_COLUMNS",
    "OVERRIDE",
    "CommitmentLine",
    "DefinitionLine",
    "IndicatorLine",
    "Known",
    "OverrideLine",
    "SheetPlan",
    "csv_text",
    "sheet_plan",
    "sheet_rows",
]
