"""The registry's use cases: validate, change aggregates, record events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from boyin_registry.documents import talent_state
from boyin_registry.domain.profiles import (
    Consent,
    Organisation,
    OrganisationDetails,
    Talent,
    TalentDetails,
    check_consent,
)
from boyin_registry.events import organisation_event, talent_event
from boyin_registry.privacy import AuditLog, Disclosures, may_see_contacts
from boyin_registry.reference import Reference
from boyin_registry.repository import Organisations, Talents
from boyin_registry.taxonomy import ReferenceData
from boyin_shared.clock import new_id, utcnow
from boyin_shared.errors import BoyinError, FieldError, Message, invalid, not_found
from boyin_shared.events import Event
from boyin_shared.identity import Actor, Role
from boyin_shared.store import AlreadyExists

P = TypeVar("P", Organisation, Talent)


def _duplicate(field: str, zh: str, en: str) -> BoyinError:
    error = invalid([FieldError(field, "ALREADY_REGISTERED", Message(zh, en))])
    error.status = 409
    return error


def _forbidden(zh: str, en: str) -> BoyinError:
    return BoyinError(code="FORBIDDEN", message=Message(zh, en), status=403)


@dataclass(frozen=True)
class Viewed(Generic[P]):
    """A profile and whether the caller may see its contact details."""

    profile: P
    contacts_visible: bool


@dataclass
class Registry:
    organisations: Organisations
    talents: Talents
    reference_data: ReferenceData
    disclosures: Disclosures
    audit: AuditLog

    @property
    def reference(self) -> Reference:
        """Reference data as last refreshed (requests refresh it through ``current_reference``)."""
        return self.reference_data.cached

    async def _contacts_visible(
        self, actor: Actor, party_id: str, district_code: str | None
    ) -> bool:
        disclosed = await self.disclosures.granted(actor.party_id, party_id)
        visible = may_see_contacts(
            actor, party_id=party_id, district_code=district_code, disclosed=disclosed
        )
        if visible and actor.role in (Role.OPERATOR, Role.ADMIN):
            await self.audit.record(actor, "read_contacts", party_id)
        return visible

    async def register_organisation(
        self, actor: Actor, details: OrganisationDetails
    ) -> Organisation:
        own_district = (
            actor.role is Role.DISTRICT_OFFICER and actor.district_code == details.district_code
        )
        self_registration = actor.role is Role.ORGANISATION and actor.party_id is None
        if not (actor.is_staff or own_district or self_registration):
            raise _forbidden("无权登记该单位", "you may not register this organisation")
        now = utcnow()
        org = Organisation(new_id("org_"), details, 1, now, now)
        try:
            await self.organisations.add(org, [organisation_event(org)])
        except AlreadyExists as exc:
            raise _duplicate(
                "credit_code",
                f"统一社会信用代码 {details.credit_code} 已登记",
                f"credit code {details.credit_code} is already registered",
            ) from exc
        return org

    async def update_organisation(
        self, actor: Actor, org_id: str, details: OrganisationDetails
    ) -> Organisation:
        async def mutate(org: Organisation) -> tuple[Organisation, Sequence[Event]]:
            # A district officer may not move an organisation out of its district either.
            moves_away = (
                actor.role is Role.DISTRICT_OFFICER and details.district_code != actor.district_code
            )
            if moves_away or not self._may_edit_organisation(actor, org):
                raise _forbidden("无权修改该单位", "you may not change this organisation")
            new = org.updated(details, utcnow())
            return new, [organisation_event(new)]

        try:
            updated = await self.organisations.change(org_id, mutate)
        except AlreadyExists as exc:
            raise _duplicate(
                "credit_code",
                f"统一社会信用代码 {details.credit_code} 已被其他单位登记",
                f"credit code {details.credit_code} belongs to another organisation",
            ) from exc
        if updated is None:
            raise not_found("organisation", org_id, zh_kind="单位")
        return updated

    @staticmethod
    def _may_edit_organisation(actor: Actor, org: Organisation) -> bool:
        if actor.is_staff or actor.party_id == org.id:
            return True
        return (
            actor.role is Role.DISTRICT_OFFICER and actor.district_code == org.details.district_code
        )

    @staticmethod
    def _may_view_organisation(actor: Actor, org: Organisation) -> bool:
        if actor.role is Role.DISTRICT_OFFICER:
            return actor.district_code == org.details.district_code
        return True

    async def organisation(self, actor: Actor, org_id: str) -> Viewed[Organisation]:
        loaded = await self.organisations.get(org_id)
        if loaded is None or not self._may_view_organisation(actor, loaded.aggregate):
            raise not_found("organisation", org_id, zh_kind="单位")
        org = loaded.aggregate
        visible = await self._contacts_visible(actor, org.id, org.details.district_code)
        return Viewed(org, visible)

    async def organisations_page(
        self, actor: Actor, *, district_code: str | None, after: str | None, limit: int
    ) -> list[Viewed[Organisation]]:
        if actor.role is Role.DISTRICT_OFFICER:
            if district_code and district_code != actor.district_code:
                return []
            district_code = actor.district_code or "-"
        orgs = await self.organisations.page(district_code=district_code, after=after, limit=limit)
        return [
            Viewed(o, await self._contacts_visible(actor, o.id, o.details.district_code))
            for o in orgs
        ]

    async def organisations_by_id(
        self, actor: Actor, ids: Sequence[str]
    ) -> list[Viewed[Organisation]]:
        found = await self.organisations.get_many(ids)
        return [
            Viewed(o, await self._contacts_visible(actor, o.id, o.details.district_code))
            for i in dict.fromkeys(ids)
            if (o := found.get(i)) is not None and self._may_view_organisation(actor, o)
        ]

    async def talents_by_id(self, actor: Actor, ids: Sequence[str]) -> list[Viewed[Talent]]:
        if actor.role is Role.PUBLIC:
            return []
        found = await self.talents.get_many(ids)
        return [
            Viewed(t, await self._contacts_visible(actor, t.id, None))
            for i in dict.fromkeys(ids)
            if (t := found.get(i)) is not None
        ]

    async def register_talent(
        self, actor: Actor, details: TalentDetails, consent: tuple[str, Sequence[str]]
    ) -> Talent:
        if not (actor.is_staff or (actor.role is Role.TALENT and actor.party_id is None)):
            raise _forbidden("无权登记人才", "you may not register a talent")
        notice_version, purposes = consent
        check_consent(notice_version, purposes, self.reference.notice.version)
        now = utcnow()
        agreed = Consent(notice_version, tuple(purposes), now)
        talent = Talent(new_id("tal_"), details, 1, now, now, consents=(agreed,))
        try:
            await self.talents.add(talent, [talent_event(talent)])
        except AlreadyExists as exc:
            raise _duplicate(
                "contact.email",
                f"电子邮箱 {details.contact.email} 已注册",
                f"e-mail {details.contact.email} is already registered",
            ) from exc
        return talent

    async def talent(self, actor: Actor, talent_id: str) -> Viewed[Talent]:
        loaded = await self.talents.get(talent_id)
        if loaded is None or actor.role is Role.PUBLIC:
            raise not_found("talent", talent_id, zh_kind="人才")
        visible = await self._contacts_visible(actor, talent_id, None)
        return Viewed(loaded.aggregate, visible)

    async def personal_data(self, actor: Actor, talent_id: str) -> dict[str, object]:
        """Everything the registry holds about a person, for them to take away."""
        if not (actor.party_id == talent_id or actor.role in (Role.OPERATOR, Role.ADMIN)):
            raise _forbidden("无权导出该用户的个人信息", "you may not export this person's data")
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
        """Delete a person's data: the profile is blanked, the e-mail freed, events follow."""
        if not (actor.party_id == talent_id or actor.role is Role.ADMIN):
            raise _forbidden("无权删除该用户的个人信息", "you may not erase this person's data")

        async def mutate(t: Talent) -> tuple[Talent, Sequence[Event]]:
            if t.erased_at is not None:
                return t, ()
            erased = t.erased(utcnow())
            return erased, [talent_event(erased)]

        erased = await self.talents.change(talent_id, mutate)
        if erased is None:
            raise not_found("talent", talent_id, zh_kind="人才")
        await self.disclosures.revoke_party(talent_id)
        return erased
