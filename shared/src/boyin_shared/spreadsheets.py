"""What every XLSX export shares: its media type, and cells a spreadsheet program never
runs as a formula (text starting with ``=``, ``+``, ``-`` or ``@`` stays text)."""

from __future__ import annotations

from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet.worksheet import Worksheet

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: what a cell may hold
Cell = str | int | float | None


def xlsx_cell(sheet: Worksheet, value: Cell) -> WriteOnlyCell:
    """A cell of a write-only sheet; text is always stored as text, never as a formula."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever it starts with
    return cell
