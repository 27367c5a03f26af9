"""Agreements over HTTP: start, list and read them, move them through the pipeline, sign,
amend, milestones and follow-ups, and the ceremony roster of an edition."""

from __future__ import annotations

from typing import Annotated, cast
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request, Response, status

from boyin_agreements.agreements.repository import AgreementQuery
from boyin_agreements.agreements.roster_export import HTML_MEDIA_TYPE, roster_html, roster_xlsx
from boyin_agreements.agreements.schemas import (
    agreement_out,
    document_in,
    parties_in,
    plan_in,
    roster_out,
)
from boyin_agreements.agreements.service import AgreementCommands
from boyin_shared.api.agreements import (
    AdvanceIn,
    AgreementOut,
    AgreementPage,
    AgreementStage,
    ConfirmIn,
    DocumentIn,
    FollowUpIn,
    MilestoneIn,
    PartyIn,
    ReachedIn,
    RosterFormat,
    RosterIn,
    RosterLanguage,
    RosterRowOut,
    StartIn,
    TerminateIn,
    TermsIn,
)
from boyin_shared.callers import CurrentActor, CurrentMember
from boyin_shared.spreadsheets import XLSX_MEDIA_TYPE

router = APIRouter(tags=["agreements"])


async def commands(request: Request) -> AgreementCommands:
    return cast(AgreementCommands, request.app.state.service.agreements)


Commands = Annotated[AgreementCommands, Depends(commands)]


@router.post("/agreements", status_code=status.HTTP_201_CREATED)
async def start_agreement(body: StartIn, actor: CurrentMember, cmd: Commands) -> AgreementOut:
    agreement = await cmd.start(
        actor, parties_in(body.parties), body.terms, tuple(body.taxonomy_codes)
    )
    return agreement_out(agreement)


@router.get("/agreements")
async def list_agreements(
    actor: CurrentActor,
    cmd: Commands,
    stage: AgreementStage | None = None,
    district_code: str | None = None,
    edition_id: str | None = None,
    party_id: str | None = None,
    after: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    match_id: Annotated[list[str] | None, Query(max_length=200)] = None,
) -> AgreementPage:
    """The agreements the caller may see: staff all, district officers their district's,
    parties their own (``match_id``, repeated: those started from these matches)."""
    query = AgreementQuery(
        stage, district_code, edition_id, party_id, after, limit, tuple(match_id or ())
    )
    items = await cmd.page(actor, query)
    return AgreementPage(
        items=[agreement_out(a) for a in items],
        next_after=items[-1].id if len(items) == limit else None,
    )


@router.get("/agreements/{agreement_id}")
async def get_agreement(agreement_id: str, actor: CurrentActor, cmd: Commands) -> AgreementOut:
    return agreement_out(await cmd.get(actor, agreement_id))


@router.post("/agreements/{agreement_id}/advance")
async def advance(
    agreement_id: str, body: AdvanceIn, actor: CurrentMember, cmd: Commands
) -> AgreementOut:
    return agreement_out(await cmd.advance(actor, agreement_id, body.to, body.reason))


@router.post("/agreements/{agreement_id}/terminate")
async def terminate(
    agreement_id: str, body: TerminateIn, actor: CurrentMember, cmd: Commands
) -> AgreementOut:
    return agreement_out(await cmd.terminate(actor, agreement_id, body.reason))


@router.post("/agreements/{agreement_id}/confirm")
async def confirm(
    agreement_id: str, body: ConfirmIn, actor: CurrentMember, cmd: Commands
) -> AgreementOut:
    """A party confirms its signature; the last one signs the agreement."""
    return agreement_out(await cmd.confirm(actor, agreement_id, body.party_id))


@router.put("/agreements/{agreement_id}/terms")
async def amend(
    agreement_id: str, body: TermsIn, actor: CurrentMember, cmd: Commands
) -> AgreementOut:
    return agreement_out(await cmd.amend(actor, agreement_id, body))


@router.post("/agreements/{agreement_id}/documents")
async def attach_document(
    agreement_id: str, body: DocumentIn, actor: CurrentMember, cmd: Commands
) -> AgreementOut:
    """A party or staff add a document whose file is in the registry's attachment store
    (before signing the confirmations are cleared; a terminated agreement takes none)."""
    return agreement_out(await cmd.attach_document(actor, agreement_id, document_in(body)))


@router.delete("/agreements/{agreement_id}/documents/{attachment_id}")
async def detach_document(
    agreement_id: str, attachment_id: str, actor: CurrentMember, cmd: Commands
) -> AgreementOut:
    """A party or staff remove a document before signing (the confirmations are cleared)."""
    return agreement_out(await cmd.detach_document(actor, agreement_id, attachment_id))


@router.post("/agreements/{agreement_id}/parties")
async def add_party(
    agreement_id: str, body: PartyIn, actor: CurrentMember, cmd: Commands
) -> AgreementOut:
    """Staff add an organisation or an investor before signing; the confirmations given so
    far are cleared."""
    (party,) = parties_in([body])
    return agreement_out(await cmd.add_party(actor, agreement_id, party))


@router.delete("/agreements/{agreement_id}/parties/{party_id}")
async def remove_party(
    agreement_id: str, party_id: str, actor: CurrentMember, cmd: Commands
) -> AgreementOut:
    """Staff remove an organisation or an investor before signing; the confirmations given
    so far are cleared."""
    return agreement_out(await cmd.remove_party(actor, agreement_id, party_id))


@router.post("/agreements/{agreement_id}/milestones")
async def plan_milestone(
    agreement_id: str, body: MilestoneIn, actor: CurrentMember, cmd: Commands
) -> AgreementOut:
    return agreement_out(await cmd.plan_milestone(actor, agreement_id, plan_in(body)))


@router.post("/agreements/{agreement_id}/milestones/{milestone_id}/reached")
async def reach_milestone(
    agreement_id: str, milestone_id: str, body: ReachedIn, actor: CurrentMember, cmd: Commands
) -> AgreementOut:
    return agreement_out(
        await cmd.reach_milestone(actor, agreement_id, milestone_id, body.reached_on)
    )


@router.post("/agreements/{agreement_id}/milestones/{milestone_id}/follow-ups")
async def follow_up(
    agreement_id: str, milestone_id: str, body: FollowUpIn, actor: CurrentMember, cmd: Commands
) -> AgreementOut:
    return agreement_out(await cmd.follow_up(actor, agreement_id, milestone_id, body.note))


@router.get("/editions/{edition_id}/roster")
async def roster(edition_id: str, actor: CurrentMember, cmd: Commands) -> list[RosterRowOut]:
    """The signing ceremony's roster: every signed agreement of the edition, in the order
    they were signed."""
    return [roster_out(r) for r in await cmd.roster(actor, edition_id)]


@router.post("/editions/{edition_id}/roster")
async def compile_roster(
    edition_id: str, body: RosterIn, actor: CurrentMember, cmd: Commands
) -> list[RosterRowOut]:
    """The roster in the order given (each a signed agreement of the edition, once)."""
    return [roster_out(r) for r in await cmd.roster(actor, edition_id, body.order)]


@router.get("/editions/{edition_id}/roster/export")
async def export_roster(
    edition_id: str,
    actor: CurrentMember,
    cmd: Commands,
    format: RosterFormat = "xlsx",
    lang: RosterLanguage = "zh",
    order: Annotated[list[str] | None, Query(max_length=1000)] = None,
) -> Response:
    """The roster as an XLSX file or a printable A4 page (``order``: the agreement ids on
    stage, in order, repeated; none: every signed agreement in the order signed)."""
    rows = await cmd.roster(actor, edition_id, order or None)
    if format == "xlsx":
        data, media_type = roster_xlsx(edition_id, rows, lang), XLSX_MEDIA_TYPE
    else:
        data, media_type = roster_html(edition_id, rows, lang), HTML_MEDIA_TYPE
    name = quote(f"ceremony-roster-{edition_id}.{format}", safe="")
    disposition = f"attachment; filename*=UTF-8''{name}"
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})
