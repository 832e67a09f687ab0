"""Workbooks Goldthread writes (XLSX), in one place so that every sheet keeps the same rule: what a user typed is
stored as text — never turned into a formula, a link or a number — and dates are shown as ISO dates.

rustpy-xlsxwriter writes them (rust_xlsxwriter underneath): a text value is always written as a text cell, and it
streams each row as it comes, about seven times faster than XlsxWriter did, which matters for an evaluation report's
workbook of seventy thousand comparisons. Reading workbooks (imports, tests) is openpyxl's job.
"""

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import rustpy_xlsxwriter as xlsx

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BANNER_GREEN = "#007A33"
CELL_MAX = 32_767  # characters in one cell, Excel's limit


@dataclass
class Sheet:
    """One table on a sheet of its own: a bold header row kept in view when scrolling, and its rows under it;
    `banner`, when given, is a line in bold green across the table (of two columns or more) above the header. A
    column with dates holds dates or None only: the writer shows a number below a date as a date."""

    title: str
    header: list[str]
    rows: Iterable[list[Any]]
    banner: str | None = None
    widths: dict[str, float] = field(default_factory=dict)  # by column; the others keep Excel's width
    filtered: bool = False  # Excel's filter buttons on the header

    def records(self) -> Iterator[dict[str, Any]]:
        empty = True
        for row in self.rows:
            empty = False
            yield {name: _fitted(value) for name, value in zip(self.header, row, strict=True)}
        if empty:  # the writer takes the header from the records: one of blanks, which writes no cell
            yield dict.fromkeys(self.header)


def _fitted(value: Any) -> Any:
    """A text cut to what a cell holds: the writer refuses a longer one, and an imported AAR's text may be."""
    if isinstance(value, str) and len(value) > CELL_MAX:
        return value[: CELL_MAX - 1] + "…"
    return value


def build(sheets: list[Sheet]) -> bytes:
    """The bytes of a workbook of `sheets`, in their order."""
    buffer = io.BytesIO()
    book = xlsx.FastExcel(buffer).format(datetime_format="yyyy-mm-dd")
    for sheet in sheets:
        if len(set(sheet.header)) < len(sheet.header):
            raise ValueError(f"sheet {sheet.title!r} names a column twice")  # the records would merge them
        top = 1 if sheet.banner else 0
        banner = xlsx.Format().set_bold().set_font_color(BANNER_GREEN).set_align("center")
        book.freeze(row=top + 1, sheet=sheet.title).sheet(
            sheet.title,
            sheet.records(),
            header_row=top,
            header_format=xlsx.Format().set_bold(),
            merge_ranges=[(0, 0, 0, len(sheet.header) - 1, sheet.banner, banner)] if sheet.banner else None,
            column_widths={name: width for name, width in sheet.widths.items() if name in sheet.header} or None,
            autofilter=sheet.filtered,
        )
    book.save()
    return buffer.getvalue()
