"""Privacy over HTTP: the notice, the audit of disclosures, a person's data export and
erasure."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, Request

from boyin_registry.privacy.schemas import audit_entry_out, notice_out
from boyin_registry.privacy.service import Privacy
from boyin_registry.profiles.schemas import talent_out
from boyin_registry.reference.api import Ref
from boyin_shared.api.registry import AuditEntryOut, NoticeOut, TalentOut
from boyin_shared.callers import CurrentActor, CurrentMember

router = APIRouter(tags=["privacy"])


async def privacy(request: Request) -> Privacy:
    return cast(Privacy, request.app.state.service.privacy)


PrivacyDep = Annotated[Privacy, Depends(privacy)]


@router.get("/parties/{party_id}/audit")
async def audit_of(party_id: str, actor: CurrentActor, svc: PrivacyDep) -> list[AuditEntryOut]:
    """Who was shown this party's contact details (or exported its data), and when."""
    return [audit_entry_out(e) for e in await svc.audit_of(actor, party_id)]


@router.get("/privacy/notice")
async def privacy_notice(ref: Ref) -> NoticeOut:
    """The notice people agree to when they register (no sign-in needed to read it)."""
    return notice_out(ref.notice)


@router.get("/talents/{talent_id}/personal-data")
async def export_personal_data(
    talent_id: str, actor: CurrentMember, svc: PrivacyDep
) -> dict[str, object]:
    return await svc.personal_data(actor, talent_id)


@router.delete("/talents/{talent_id}")
async def erase_talent(talent_id: str, actor: CurrentMember, svc: PrivacyDep) -> TalentOut:
    """Erase a person's data (their own request, or an administrator's); their open
    demands are withdrawn."""
    return talent_out(await svc.erase_talent(actor, talent_id), contacts_visible=True)
