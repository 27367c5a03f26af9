"""Use cases of privacy: showing contact details to those who may see them (and logging
every disclosure),
granting disclosures after a mutual match, exporting and erasing a person's data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from boyin_registry.demands.service import DemandCommands
from boyin_registry.privacy.domain import audited, may_read_audit, may_see_contacts
from boyin_registry.privacy.repository import AuditLog, Disclosures
from boyin_registry.profiles.domain import Talent
from boyin_registry.profiles.events import talent_event
from boyin_registry.profiles.repository import Talents, talent_state
from boyin_shared.clock import utcnow
from boyin_shared.errors import Message, forbidden, not_found
from boyin_shared.events import Event
from boyin_shared.identity import Actor, Role


@dataclass
class Privacy:
    talents: Talents
    disclosures: Disclosures
    audit: AuditLog
    demands: DemandCommands

    async def show_contacts(self, actor: Actor, party_id: str, district_code: str | None) -> bool:
        """Whether ``actor``, who asked for them, is shown the party's contact details;
        each one shown to someone but the party itself is logged (``read_contacts``)."""
        disclosed = await self.disclosures.granted(actor.party_id, party_id)
        visible = may_see_contacts(
            actor, party_id=party_id, district_code=district_code, disclosed=disclosed
        )
        if visible and audited(actor, party_id):
            await self.audit.record(actor, "read_contacts", party_id)
        return visible

    async def disclose_mutually(self, first: str, second: str, match_id: str) -> None:
        """Both parties of a mutual match see each other's contact details (idempotent)."""
        await self.disclosures.grant(first, second, match_id)
        await self.disclosures.grant(second, first, match_id)

    async def audit_of(self, actor: Actor, party_id: str) -> list[dict[str, str]]:
        """Who was shown this party's contact details (or exported its data), and when."""
        if not may_read_audit(actor, party_id):
            raise forbidden(Message("无权查看访问记录", "you may not see this audit log"))
        return await self.audit.of_subject(party_id)

    async def personal_data(self, actor: Actor, talent_id: str) -> dict[str, object]:
        """Everything the registry holds about a person, for them to take away."""
        if not (actor.party_id == talent_id or actor.role in (Role.OPERATOR, Role.ADMIN)):
            raise forbidden(
                Message("无权导出该用户的个人信息", "you may not export this person's data")
            )
        loaded = await self.talents.get(talent_id)
        if loaded is None:
            raise not_found("talent", talent_id, zh_kind="人才")
        if actor.role in (Role.OPERATOR, Role.ADMIN):
            await self.audit.record(actor, "export_personal_data", talent_id)
        return {
            "profile": talent_state(loaded.aggregate),
            "disclosed_to": await self.disclosures.viewers_of(talent_id),
            "staff_reads": await self.audit.of_subject(talent_id),
        }

    async def erase_talent(self, actor: Actor, talent_id: str) -> Talent:
        """Delete a person's data: the profile is blanked, the e-mail freed, events follow,
        their grants are revoked and their open demands withdrawn."""
        if not (actor.party_id == talent_id or actor.role is Role.ADMIN):
            raise forbidden(
                Message("无权删除该用户的个人信息", "you may not erase this person's data")
            )

        async def mutate(t: Talent) -> tuple[Talent, Sequence[Event]]:
            if t.erased_at is not None:
                return t, ()
            erased = t.erased(utcnow())
            return erased, [talent_event(erased)]

        erased = await self.talents.change(talent_id, mutate)
        if erased is None:
            raise not_found("talent", talent_id, zh_kind="人才")
        await self.disclosures.revoke_party(talent_id)
        await self.demands.withdraw_all_of(talent_id, "personal data erased")
        return erased
