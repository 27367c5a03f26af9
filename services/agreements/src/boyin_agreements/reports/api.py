"""Reports over HTTP: the funnel as JSON (``GET /reports/funnel``) and as a spreadsheet
(``GET /exports/funnel``), for operators, and for district officers their district's."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, Request, Response

from boyin_agreements.reports.domain import Filters
from boyin_agreements.reports.service import FunnelReports
from boyin_shared.api.registry import Channel, HeaderLanguage
from boyin_shared.api.reports import FunnelDimension, FunnelOut
from boyin_shared.callers import CurrentActor
from boyin_shared.clock import utcnow
from boyin_shared.spreadsheets import XLSX_MEDIA_TYPE

router = APIRouter(tags=["reports"])


async def reports(request: Request) -> FunnelReports:
    return cast(FunnelReports, request.app.state.service.reports)


Reports = Annotated[FunnelReports, Depends(reports)]


async def filters(
    edition: str | None = None,
    district_code: str | None = None,
    cluster: str | None = None,
    channel: Channel | None = None,
) -> Filters:
    """Only what has this edition, district, cluster (taxonomy code) and channel."""
    return Filters(edition, district_code, cluster, channel.value if channel else None)


Filtered = Annotated[Filters, Depends(filters)]


@router.get("/reports/funnel")
async def funnel(
    actor: CurrentActor,
    reports: Reports,
    where: Filtered,
    by: FunnelDimension = FunnelDimension.EDITION,
) -> FunnelOut:
    """Demands → proposals → mutual matches → meetings held → intentions → signed →
    landed: in total and per value of ``by``, with each step's conversion, the signed
    agreements' contract values and the days from match to signature."""
    return await reports.funnel(actor, by, where)


@router.get("/exports/funnel")
async def export_funnel(
    actor: CurrentActor,
    reports: Reports,
    where: Filtered,
    by: FunnelDimension = FunnelDimension.EDITION,
    headers: HeaderLanguage = "zh",
) -> Response:
    """``GET /reports/funnel`` as an XLSX file, its headers in Chinese or English."""
    data = await reports.spreadsheet(actor, by, where, headers)
    name = f"funnel-{by.value.lower()}-{utcnow():%Y%m%d}.xlsx"
    disposition = f'attachment; filename="{name}"'
    return Response(data, media_type=XLSX_MEDIA_TYPE, headers={"Content-Disposition": disposition})
