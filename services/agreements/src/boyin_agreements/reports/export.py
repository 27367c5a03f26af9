"""The funnel as a spreadsheet (XLSX): the total, then a row per value of the dimension,
headers in Chinese or English. Pure: the answer in, bytes out.

Every text cell is written as text (:func:`boyin_shared.spreadsheets.xlsx_cell`, as the
registry's exports do): a key such as ``=HYPERLINK(...)`` is shown, never run as a
formula."""

from __future__ import annotations

import io

from openpyxl import Workbook

from boyin_shared.api.reports import FunnelDimension, FunnelOut, FunnelRowOut, FunnelStep
from boyin_shared.spreadsheets import Cell, xlsx_cell

_DIMENSION = {
    FunnelDimension.EDITION: ("届次", "Edition"),
    FunnelDimension.DISTRICT: ("区县", "District"),
    FunnelDimension.CLUSTER: ("产业集群", "Cluster"),
    FunnelDimension.CHANNEL: ("频道", "Channel"),
}
_STEP = {
    FunnelStep.DEMANDS: ("需求", "Demands"),
    FunnelStep.PROPOSALS: ("推荐匹配", "Proposals"),
    FunnelStep.MUTUAL_MATCHES: ("双向匹配", "Mutual matches"),
    FunnelStep.MEETINGS_HELD: ("已洽谈", "Meetings held"),
    FunnelStep.INTENTIONS: ("意向", "Intentions"),
    FunnelStep.SIGNED: ("签约", "Signed"),
    FunnelStep.LANDED: ("落地", "Landed"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def headers(by: FunnelDimension, lang: str) -> list[str]:
    zh = lang == "zh"
    out = [_pick(_DIMENSION[by], lang)]
    for step in FunnelStep:
        name = _pick(_STEP[step], lang)
        out.append(name)
        if step is not FunnelStep.DEMANDS:
            out.append(f"{name}转化率" if zh else f"{name} conversion")
    out += (
        ["合同金额", "自匹配至签约（份）", "平均天数", "中位天数"]
        if zh
        else ["Contract values", "Match to signature (agreements)", "Mean days", "Median days"]
    )
    return out


def cells(row: FunnelRowOut, key: str) -> list[Cell]:
    out: list[Cell] = [key]
    for s in row.steps:
        out.append(s.count)
        if s.step is not FunnelStep.DEMANDS:
            out.append(round(s.conversion, 4) if s.conversion is not None else None)
    values = "; ".join(f"{m.currency} {m.amount}" for m in row.contract_values)
    delay = row.match_to_signature
    out += [values or None, delay.agreements, delay.mean_days, delay.median_days]
    return out


def write_xlsx(funnel: FunnelOut, lang: str) -> bytes:
    zh = lang == "zh"
    book = Workbook(write_only=True)
    sheet = book.create_sheet("转化漏斗" if zh else "Funnel")
    sheet.freeze_panes = "B2"
    sheet.append(headers(funnel.by, lang))
    rows = [(funnel.total, "合计" if zh else "Total")]
    rows += [
        (r, r.key if r.key is not None else ("未注明" if zh else "(none)")) for r in funnel.rows
    ]
    for row, key in rows:
        sheet.append([xlsx_cell(sheet, value) for value in cells(row, key)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
