"""Workbooks Goldthread writes (XLSX), in one place so that every sheet keeps the same rule: what a user typed is
stored as text — never turned into a formula, a link or a number — and dates are shown as ISO dates.

XlsxWriter writes them: it streams each row as it comes, about two and a half times faster than building the
workbook in memory, which matters for a report with tens of thousands of findings. Reading workbooks (imports, tests)
is openpyxl's job.
"""

import io
from collections.abc import Callable, Iterable
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "default_date_format": "yyyy-mm-dd",
}


def build(fill: Callable[[xlsxwriter.Workbook], None]) -> bytes:
    """The bytes of a workbook that `fill` adds its sheets to."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, _OPTIONS)
    fill(book)
    book.close()
    return buffer.getvalue()


def table(sheet: Worksheet, first_row: int, header: list[str], rows: Iterable[list[Any]], bold) -> int:
    """Write a bold header row and the rows under it, the header kept in view when scrolling; return the index
    of the last row written."""
    sheet.write_row(first_row, 0, header, bold)
    sheet.freeze_panes(first_row + 1, 0)
    last = first_row
    for last, row in enumerate(rows, start=first_row + 1):  # noqa: B007 (the last index is the answer)
        sheet.write_row(last, 0, row)
    return last
