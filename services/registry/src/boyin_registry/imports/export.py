"""Writing import spreadsheets of any :class:`Layout`: exports (the import format plus its
read-only columns, such as a demand's id and status) and the empty import templates.
Pure: values in, bytes out."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Mapping

from openpyxl import Workbook

from boyin_registry.demands.domain import Demand, details_state
from boyin_registry.imports.columns import (
    FORMULA_START,
    LABELS,
    MAX_CLAIMS,
    Layout,
)
from boyin_shared.api.registry import Status
from boyin_shared.spreadsheets import Cell, xlsx_cell

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"


def listed(values: Iterable[str]) -> str:
    return "; ".join(values)


def _detail_cell(value: object) -> Cell:
    if isinstance(value, list):
        return listed(str(v) for v in value)
    if value is None or isinstance(value, int | str):
        return value
    return str(value)


def yes_no(value: bool, lang: str) -> str:
    if lang == "zh":
        return "是" if value else "否"
    return "yes" if value else "no"


def demand_cells(demand: Demand, key: str, lang: str) -> dict[str, Cell]:
    """One demand as a row of the import format (``key`` goes in the external ref column)."""
    c = demand.content
    cells: dict[str, Cell] = {
        "external_ref": key,
        "channel": demand.channel.value,
        "owner_id": demand.owner_id,
        "title_zh": c.title.zh,
        "title_en": c.title.en,
        "description_zh": c.description.zh,
        "description_en": c.description.en,
        "taxonomy_codes": listed(c.taxonomy_codes),
        "keywords": listed(c.keywords),
        "editions": listed(c.editions),
        "expires_on": c.expires_on.isoformat() if c.expires_on else None,
        "submit": yes_no(demand.status not in (Status.DRAFT, Status.RETURNED), lang),
        "demand_id": demand.id,
        "status": demand.status.value,
    }
    for slot, claim in enumerate(c.claims[:MAX_CLAIMS], start=1):
        cells[f"claim_{slot}_criterion"] = claim.criterion.value
        cells[f"claim_{slot}_evidence"] = claim.evidence
    for name, value in details_state(c.details).items():
        cells[name] = _detail_cell(value)
    return cells


def _csv_safe(value: Cell) -> str:
    """Text that a spreadsheet program will not run as a formula (undone on import)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) and isinstance(value, str) else text


def write_csv(
    layout: Layout, rows: Iterable[Mapping[str, Cell]], lang: str, *, export: bool = False
) -> bytes:
    """UTF-8 with a byte order mark, so Excel opens the Chinese text correctly."""
    columns = layout.columns if export else layout.import_columns
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.header(lang) for c in columns])
    for row in rows:
        writer.writerow([_csv_safe(row.get(c.key)) for c in columns])
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


def write_xlsx(
    layout: Layout,
    rows: Iterable[Mapping[str, Cell]],
    lang: str,
    *,
    export: bool = False,
    notes: bool = False,
) -> bytes:
    columns = layout.columns if export else layout.import_columns
    book = Workbook(write_only=True)
    sheet = book.create_sheet(layout.sheet_name(lang))
    sheet.freeze_panes = "A2"
    sheet.append([c.header(lang) for c in columns])
    for row in rows:
        sheet.append([xlsx_cell(sheet, row.get(c.key)) for c in columns])
    if notes:
        _notes_sheet(book, layout, lang)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _notes_sheet(book: Workbook, layout: Layout, lang: str) -> None:
    zh = lang == "zh"
    sheet = book.create_sheet("说明" if zh else "Notes")
    sheet.append(
        ["列名", "英文列名", "必填", "说明"] if zh else ["Column", "Chinese", "Required", "Notes"]
    )
    for c in layout.import_columns:
        other = c.en if zh else c.zh
        note = c.note_zh if zh else c.note_en
        sheet.append([c.header(lang), other, yes_no(c.required, lang), note])
    sheet.append([])
    sheet.append(["取值" if zh else "Allowed values"])
    for kind in LABELS:
        for member in kind:
            label = LABELS[kind].get(member.value, "")
            sheet.append([kind.__name__, member.value, label])


def template(layout: Layout, fmt: str, lang: str) -> bytes:
    """An empty import file: the header row (and, in XLSX, a sheet of notes)."""
    if fmt == "csv":
        return write_csv(layout, [], lang)
    return write_xlsx(layout, [], lang, notes=True)


def write(layout: Layout, fmt: str, rows: Iterable[Mapping[str, Cell]], lang: str) -> bytes:
    """An export: the import format plus its read-only columns (a demand's id and status)."""
    if fmt == "csv":
        return write_csv(layout, rows, lang, export=True)
    return write_xlsx(layout, rows, lang, export=True)
