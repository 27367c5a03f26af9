"""Spreadsheets built to exhaust the reader (issue #20): an archive that unpacks to far
more than it weighs, and a tiny sheet declaring a grid of 131 million cells. Each is
refused or read in bounded work; nothing is timed: the tests show what is (not) read."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from boyin_registry.imports.columns import DEMANDS
from boyin_registry.imports.spreadsheets import STOP_CHECK_ROWS, ReadStopped, _xlsx_grid, read_sheet
from boyin_registry.imports.unpacking import MAX_COLUMNS, MAX_UNPACKED_BYTES
from boyin_shared.errors import BoyinError
from tests.registry.test_import import csv_file, grid, landing_row


def workbook(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewritten(
    data: bytes, change: Callable[[str, bytes], bytes], extra: dict[str, bytes] | None = None
) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            archive.writestr(member.filename, change(member.filename, source.read(member)))
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return out.getvalue()


def test_an_archive_that_unpacks_to_too_much_is_refused_before_it_is_parsed() -> None:
    strings = b"<sst>" + b"A" * (MAX_UNPACKED_BYTES + 1024) + b"</sst>"
    bomb = rewritten(
        workbook([["a", "b"]]),
        lambda name, content: content,
        {"xl/sharedStrings.xml": strings},
    )
    assert len(bomb) < 1024 * 1024  # under a megabyte on the wire
    with pytest.raises(BoyinError) as refused:
        read_sheet(bomb, DEMANDS)
    assert refused.value.code == "FILE_TOO_LARGE" and refused.value.status == 413
    assert "64 MB" in refused.value.message.en and "64 MB" in refused.value.message.zh


def test_a_declared_grid_is_not_read_only_the_cells_written() -> None:
    def declare_everything(name: str, content: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return content
        return re.sub(rb'<dimension ref="[^"]+"/>', b'<dimension ref="A1:XFD8000"/>', content)

    tiny = rewritten(workbook([["a", "b"], ["1", "2"]]), declare_everything)
    assert len(tiny) < 8 * 1024
    grid = _xlsx_grid(tiny)
    assert grid == [(1, ["a", "b"]), (2, ["1", "2"])]  # not 16,384 columns by 8,000 rows


def test_a_row_wider_than_any_layout_is_cut_at_the_column_limit() -> None:
    wide = workbook([[f"c{i}" for i in range(MAX_COLUMNS + 50)]])
    ((_, cells),) = _xlsx_grid(wide)
    assert len(cells) == MAX_COLUMNS


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.one_of(st.binary(max_size=2048), st.text(max_size=2048).map(str.encode)))
def test_any_bytes_are_read_as_a_sheet_or_refused_with_a_clear_error(data: bytes) -> None:
    try:
        read_sheet(data, DEMANDS)
    except BoyinError as refused:
        assert refused.status in (413, 422) and refused.message.zh and refused.message.en


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(st.lists(st.text(max_size=30), max_size=12), max_size=20))
def test_any_small_workbook_is_read_or_refused_with_a_clear_error(rows: list[list[str]]) -> None:
    clean = [[c.replace("\x00", "") for c in row] for row in rows]
    try:
        book = workbook(clean)
    except Exception:  # openpyxl refuses some characters: not the reader's matter
        return
    try:
        read_sheet(book, DEMANDS)
    except BoyinError as refused:
        assert refused.status in (413, 422) and refused.message.zh and refused.message.en


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_read_told_to_stop_stops_at_its_next_question(fmt: str) -> None:
    """What the upload route's worker thread does once its request is gone
    (``tests/e2e/test_read_stopped.py`` on a real server)."""
    rows = [landing_row(f"K{i}", "org_1") for i in range(1000)]
    data = workbook(grid(rows, "zh")) if fmt == "xlsx" else csv_file(rows)
    asked = 0

    def stop() -> bool:
        nonlocal asked
        asked += 1
        return asked == 2  # the second question: after 2 × STOP_CHECK_ROWS rows

    with pytest.raises(ReadStopped) as stopped:
        read_sheet(data, DEMANDS, stop)
    assert stopped.value.rows == 2 * STOP_CHECK_ROWS
    assert len(read_sheet(data, DEMANDS).rows) == 1000  # never told to stop: read whole
