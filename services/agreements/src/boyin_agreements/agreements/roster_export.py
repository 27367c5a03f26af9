"""The ceremony roster as files (pure: rows in, bytes out): an XLSX sheet, and a printable
A4 page in both languages. ``lang`` picks the language of the headings and which name of
each party comes first; the titles are shown in both languages.

Text from the agreements is never code: the XLSX stores it as text (a title starting with
``=`` is not a formula, :func:`boyin_shared.spreadsheets.xlsx_cell`), the page escapes it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from html import escape

from openpyxl import Workbook

from boyin_agreements.agreements.roster import RosterRow
from boyin_agreements.agreements.terms import Text
from boyin_shared.api.agreements import CooperationType, RosterLanguage
from boyin_shared.spreadsheets import Cell, xlsx_cell

HTML_MEDIA_TYPE = "text/html; charset=utf-8"

#: each cooperation type in Chinese and English
COOPERATION: dict[CooperationType, Text] = {
    CooperationType.TECHNOLOGY_TRANSFER: Text("技术转让", "Technology transfer"),
    CooperationType.LICENCE: Text("许可", "Licence"),
    CooperationType.JOINT_RND: Text("联合研发", "Joint R&D"),
    CooperationType.COMMISSIONED_RND: Text("委托研发", "Commissioned R&D"),
    CooperationType.EQUITY_INVESTMENT: Text("股权投资", "Equity investment"),
    CooperationType.LOAN_OR_CREDIT: Text("贷款或授信", "Loan or credit"),
    CooperationType.INCUBATION: Text("孵化", "Incubation"),
    CooperationType.EMPLOYMENT: Text("人才引进", "Employment"),
    CooperationType.OFFSHORE_RND_CENTRE: Text("离岸研发中心", "Offshore R&D centre"),
}

#: the columns, in order: key -> heading
_HEADINGS: dict[str, Text] = {
    "order": Text("序号", "No."),
    "parties": Text("签约各方", "Parties"),
    "title_zh": Text("项目名称（中文）", "Title (Chinese)"),
    "title_en": Text("项目名称（英文）", "Title (English)"),
    "cooperation_type": Text("合作方式", "Cooperation"),
    "headline": Text("金额", "Amount"),
    "agreement_id": Text("协议编号", "Agreement"),
}
_TITLE = Text("签约仪式名单", "Signing ceremony roster")


def _party_names(row: RosterRow, lang: RosterLanguage) -> str:
    return "; ".join(p.best(lang) for p in row.parties)


def _cells(row: RosterRow, lang: RosterLanguage) -> dict[str, Cell]:
    kind = row.cooperation_type
    return {
        "order": row.order,
        "parties": _party_names(row, lang),
        "title_zh": row.title.zh,
        "title_en": row.title.en,
        "cooperation_type": COOPERATION[kind].best(lang) if kind else None,
        "headline": row.headline,
        "agreement_id": row.agreement_id,
    }


def roster_xlsx(edition_id: str, rows: Sequence[RosterRow], lang: RosterLanguage) -> bytes:
    """One sheet: a heading row, then a row per agreement on stage, in order."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_TITLE.best(lang))
    sheet.freeze_panes = "A2"
    sheet.append([h.best(lang) for h in _HEADINGS.values()])
    for row in rows:
        cells = _cells(row, lang)
        sheet.append([xlsx_cell(sheet, cells[key]) for key in _HEADINGS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_STYLE = """
@page { size: A4 portrait; margin: 15mm 12mm; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
  "Microsoft YaHei", sans-serif; font-size: 10.5pt; color: #000; margin: 0; }
h1 { font-size: 16pt; margin: 0 0 2mm; }
h1 .other { display: block; font-size: 11pt; font-weight: normal; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 0.3mm solid #444; padding: 1.5mm 2mm; vertical-align: top; text-align: left; }
th { background: #eee; }
td.order, td.amount { white-space: nowrap; }
td .other { display: block; color: #333; font-size: 9pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
@media screen { body { max-width: 210mm; margin: 10mm auto; } }
"""


def _both(text: Text, lang: RosterLanguage) -> str:
    """``text`` in ``lang``, with the other language beneath it when it differs."""
    other: RosterLanguage = "en" if lang == "zh" else "zh"
    first, second = text.best(lang), text.best(other)
    shown = escape(first)
    if second and second != first:
        shown += f'<span class="other" lang="{other}">{escape(second)}</span>'
    return shown


def _html_row(row: RosterRow, lang: RosterLanguage) -> str:
    kind = row.cooperation_type
    parties = "".join(f"<div>{_both(p, lang)}</div>" for p in row.parties)
    cells = [
        f'<td class="order">{row.order}</td>',
        f"<td>{parties}</td>",
        f"<td>{_both(row.title, lang)}</td>",
        f"<td>{_both(COOPERATION[kind], lang) if kind else ''}</td>",
        f'<td class="amount">{escape(row.headline or "")}</td>',
    ]
    return f'<tr data-agreement="{escape(row.agreement_id)}">{"".join(cells)}</tr>'


def roster_html(edition_id: str, rows: Sequence[RosterRow], lang: RosterLanguage) -> bytes:
    """A printable page (A4): the roster as a table, every text escaped."""
    headings = [_HEADINGS[k] for k in ("order", "parties")]
    headings += [Text("项目名称", "Title"), _HEADINGS["cooperation_type"], _HEADINGS["headline"]]
    head = "".join(f"<th>{_both(h, lang)}</th>" for h in headings)
    body = "\n".join(_html_row(row, lang) for row in rows)
    page = f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{escape(_TITLE.best(lang))} · {escape(edition_id)}</title>
<style>{_STYLE}</style>
</head>
<body>
<h1>{_both(_TITLE, lang)} · {escape(edition_id)}</h1>
<table>
<thead><tr>{head}</tr></thead>
<tbody>
{body}
</tbody>
</table>
</body>
</html>
"""
    return page.encode("utf-8")
