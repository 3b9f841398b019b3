r"""CSV that spreadsheets open as data: text that could start a formula is neutralised.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
formula by Excel, LibreOffice and Google Sheets (``=HYPERLINK(...)`` in a provider's name
would become a link, or worse). Following OWASP's CSV-injection guidance, such text cells are
prefixed with ``'``, which those programs show as text and do not display; numbers are left
as they are. Every cell holding a line break or a carriage return is quoted, so a bare
``\r`` cannot start a row of its own.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any, Final

__all__ = ["cell", "records_csv"]

FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
"""What a text cell must not start with (OWASP, "CSV Injection")."""


def cell(value: object) -> object:
    """*value* as a safe CSV cell: text that could start a formula gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def records_csv(records: Sequence[Mapping[str, Any]], fields: Sequence[str]) -> str:
    """*records* as CSV with a header row of *fields*; every text cell made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    rows: list[list[object]] = [list(fields), *([r.get(f) for f in fields] for r in records)]
    for row in rows:
        safe = [cell(v) for v in row]
        if any(isinstance(v, str) and "\r" in v for v in safe):
            buffer.write(",".join(_quoted(v) for v in safe) + "\n")
        else:
            writer.writerow(safe)
    return buffer.getvalue()


def _quoted(value: object) -> str:
    r"""One cell, always quoted (the csv module would leave a bare ``\r`` unquoted)."""
    text = "" if value is None else str(value)
    return '"' + text.replace('"', '""') + '"'
