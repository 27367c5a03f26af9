"""Reading import spreadsheets (of any :class:`Layout`): CSV or XLSX bytes in, a sheet of
rows out.

Pure: bytes in, values out; nothing here touches a store. Unusable files raise one
bilingual error; the rows' cells are read into values by :mod:`boyin_registry.imports.cells`.
"""

from __future__ import annotations

import codecs
import csv
import io
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as day_start

from openpyxl import load_workbook

from boyin_registry.imports.columns import FORMULA_START, Layout, normalised
from boyin_registry.imports.unpacking import MAX_COLUMNS, check_unpacked_size
from boyin_shared.errors import BoyinError, FieldError, Message

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
#: rows read before giving up: the data rows allowed, a header and title rows above it
_GRID_LIMIT = MAX_ROWS + 11
#: rows of an XLSX sheet read at most, empty ones included
_ROWS_READ = 2 * _GRID_LIMIT
#: rows read between two questions whether to stop (the request may be gone)
STOP_CHECK_ROWS = 200


# -- file-level errors --------------------------------------------------------------------


def _file_error(code: str, zh: str, en: str, *, fields: Sequence[FieldError] = ()) -> BoyinError:
    return BoyinError(code=code, message=Message(zh, en), fields=list(fields), status=422)


def too_large() -> BoyinError:
    error = _file_error(
        "FILE_TOO_LARGE",
        f"文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB，请拆分后分批导入",
        f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split it",
    )
    error.status = 413
    return error


def _empty() -> BoyinError:
    return _file_error(
        "EMPTY_FILE", "文件为空或没有表头行", "the file is empty or has no header row"
    )


def _not_a_spreadsheet(why_zh: str, why_en: str) -> BoyinError:
    return _file_error(
        "NOT_A_SPREADSHEET",
        f"无法读取文件：{why_zh}。请上传 CSV 或 XLSX 文件",
        f"cannot read the file: {why_en}. Upload a CSV or XLSX file",
    )


# -- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    #: the row's number as the spreadsheet shows it (the header is usually row 1)
    number: int
    #: column key -> the cell's text, trimmed; empty cells are left out
    cells: Mapping[str, str]

    @property
    def key(self) -> str | None:
        return self.cells.get("external_ref")


@dataclass(frozen=True)
class Sheet:
    layout: Layout
    format: str
    #: the language most headers are written in: names missing columns in errors
    language: str
    #: column key -> the header as the file writes it
    headers: Mapping[str, str]
    #: headers that name no column: their cells are not read
    ignored: tuple[str, ...]
    rows: tuple[Row, ...]

    def header(self, key: str) -> str:
        return self.headers.get(key) or self.layout.by_key[key].header(self.language)


Grid = list[tuple[int, list[str]]]


class ReadStopped(Exception):
    """The reader was told to stop (its request is gone) after ``rows`` rows."""

    def __init__(self, rows: int) -> None:
        super().__init__(f"stopped after {rows} rows")
        self.rows = rows


def _never() -> bool:
    return False


def read_sheet(data: bytes, layout: Layout, stop: Callable[[], bool] = _never) -> Sheet:
    """Read a CSV or XLSX file of ``layout``; raises one bilingual error if the file is
    unusable. ``stop`` is asked every ``STOP_CHECK_ROWS`` rows whether to go on; when it
    says stop, :class:`ReadStopped` is raised."""
    if len(data) > MAX_FILE_BYTES:
        raise too_large()
    if not data.strip():
        raise _empty()
    fmt, grid = _grid(data, stop)
    if not grid:
        raise _empty()
    at = _header_index(grid, layout)
    (_, header_cells), body = grid[at], grid[at + 1 :]
    positions, headers, ignored, language = _match_headers(header_cells, layout)
    rows = _rows(body, positions, layout, unescape=fmt == "csv")
    _check_keys(rows, headers.get("external_ref", "external_ref"))
    return Sheet(layout, fmt, language, headers, ignored, tuple(rows))


def _grid(data: bytes, stop: Callable[[], bool] = _never) -> tuple[str, Grid]:
    if data.startswith(b"PK\x03\x04"):
        return "xlsx", _xlsx_grid(data, stop)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _file_error(
            "OLD_EXCEL_FORMAT",
            "不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV（UTF-8）",
            "old Excel (.xls) files are not supported; save as .xlsx or CSV (UTF-8)",
        )
    return "csv", _csv_grid(_decode(data), stop)


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        encodings: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise _not_a_spreadsheet(
        "既不是 XLSX，也不是 UTF-8 或 GB18030 编码的 CSV",
        "neither XLSX nor a CSV in UTF-8 or GB18030",
    )


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_grid(text: str, stop: Callable[[], bool] = _never) -> Grid:
    grid: Grid = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        for number, cells in enumerate(reader, start=1):
            if number % STOP_CHECK_ROWS == 0 and stop():
                raise ReadStopped(number)
            if any(c.strip() for c in cells):
                grid.append((number, cells))
            if len(grid) > _GRID_LIMIT:
                break
    except csv.Error as exc:
        raise _not_a_spreadsheet("CSV 格式错误", f"malformed CSV ({exc})") from exc
    return grid


def _xlsx_grid(data: bytes, stop: Callable[[], bool] = _never) -> Grid:
    check_unpacked_size(data)  # before any XML is parsed (see unpacking.py)
    grid: Grid = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = book.worksheets[0]
                sheet.reset_dimensions()  # a declared A1:XFD8000 pads nothing
                rows = sheet.iter_rows(max_row=_ROWS_READ, values_only=True)
                for number, values in enumerate(rows, start=1):
                    if number % STOP_CHECK_ROWS == 0 and stop():
                        raise ReadStopped(number)
                    cells = [cell_text(v) for v in values[:MAX_COLUMNS]]
                    if any(c.strip() for c in cells):
                        grid.append((number, cells))
                    if len(grid) > _GRID_LIMIT:
                        break
            finally:
                book.close()
    except ReadStopped:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise _not_a_spreadsheet("XLSX 文件已损坏", f"damaged XLSX file ({exc})") from exc
    return grid


def cell_text(value: object) -> str:
    """A cell's value as the text a person would have typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        if value.time() == day_start():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _header_index(grid: Grid, layout: Layout) -> int:
    """Where the header row is: the first of the first rows naming every required column
    (districts often put a title row above it), else the first row."""
    required = {c.key for c in layout.import_columns if c.required}
    for index, (_, cells) in enumerate(grid[:10]):
        found = {layout.headers.get(normalised(c), ("", ""))[0] for c in cells}
        if required <= found:
            return index
    return 0


def _match_headers(
    cells: Sequence[str], layout: Layout
) -> tuple[dict[str, int], dict[str, str], tuple[str, ...], str]:
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    languages = {"zh": 0, "en": 0, "key": 0}
    duplicates: list[FieldError] = []
    for position, raw in enumerate(cells):
        written = raw.strip()
        if not written:
            continue
        found = layout.headers.get(normalised(written))
        if found is None:
            ignored.append(written)
            continue
        key, lang = found
        languages[lang] += 1
        if key in positions:
            duplicates.append(_duplicate_column(key, headers[key], written))
            continue
        positions[key] = position
        headers[key] = written
    if duplicates:
        raise _file_error(
            "DUPLICATE_COLUMN", "同一列出现了不止一次", "a column appears twice", fields=duplicates
        )
    _check_required(positions, layout)
    language = "en" if languages["en"] > languages["zh"] else "zh"
    return positions, headers, tuple(ignored), language


def _duplicate_column(key: str, first: str, again: str) -> FieldError:
    return FieldError(
        f"columns.{key}",
        "DUPLICATE_COLUMN",
        Message(f"“{again}”与“{first}”是同一列", f"“{again}” is the same column as “{first}”"),
    )


def _check_required(positions: Mapping[str, int], layout: Layout) -> None:
    missing = [c for c in layout.import_columns if c.required and c.key not in positions]
    if missing:
        raise _file_error(
            "MISSING_COLUMNS",
            "缺少必需的列：" + "、".join(c.zh for c in missing),
            "missing required columns: " + ", ".join(c.en for c in missing),
            fields=[
                FieldError(
                    f"columns.{c.key}",
                    "MISSING_COLUMN",
                    Message(
                        f"缺少列“{c.zh}”（或“{c.en}”）", f"missing column “{c.en}” (or “{c.zh}”)"
                    ),
                )
                for c in missing
            ],
        )


def _rows(body: Grid, positions: Mapping[str, int], layout: Layout, *, unescape: bool) -> list[Row]:
    if len(body) > MAX_ROWS:
        raise _file_error(
            "TOO_MANY_ROWS",
            f"一次最多导入 {MAX_ROWS} 行，请拆分文件",
            f"at most {MAX_ROWS} rows per file; split it",
        )
    wanted = {k: p for k, p in positions.items() if not layout.by_key[k].export_only}
    rows = []
    for number, cells in body:
        values = {}
        for key, position in wanted.items():
            text = cells[position].strip() if position < len(cells) else ""
            if unescape and len(text) > 1 and text[0] == "'" and text[1] in FORMULA_START:
                text = text[1:]
            if text:
                values[key] = text
        if values:
            rows.append(Row(number, values))
    return rows


def _check_keys(rows: Sequence[Row], header: str) -> None:
    first: dict[str, int] = {}
    clashes: list[FieldError] = []
    for row in rows:
        if row.key is None:
            continue
        if row.key in first:
            clashes.append(
                FieldError(
                    f"rows.{row.number}.external_ref",
                    "DUPLICATE_KEY",
                    Message(
                        f"第 {row.number} 行的“{header}” {row.key} 与第 {first[row.key]} 行重复",
                        f"row {row.number}: “{header}” {row.key} repeats row {first[row.key]}",
                    ),
                )
            )
        else:
            first[row.key] = row.number
    if clashes:
        raise _file_error(
            "DUPLICATE_KEYS",
            f"文件中有 {len(clashes)} 行的外部编号重复，未导入任何内容",
            f"{len(clashes)} rows repeat another row's external ref; nothing was imported",
            fields=clashes[:200],
        )
