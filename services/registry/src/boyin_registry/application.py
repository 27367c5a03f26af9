"""The registry's use cases: validate, change aggregates, record events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from boyin_registry.domain.profiles import Organisation, OrganisationDetails, Talent, TalentDetails
from boyin_registry.events import organisation_event, talent_event
from boyin_registry.reference import Reference
from boyin_registry.repository import Organisations, Talents
from boyin_shared.clock import new_id, utcnow
from boyin_shared.errors import BoyinError, FieldError, Message, invalid, not_found
from boyin_shared.events import Event
from boyin_shared.store import AlreadyExists


def _duplicate(field: str, zh: str, en: str) -> BoyinError:
    error = invalid([FieldError(field, "ALREADY_REGISTERED", Message(zh, en))])
    error.status = 409
    return error


@dataclass
class Registry:
    organisations: Organisations
    talents: Talents
    reference: Reference

    async def register_organisation(self, details: OrganisationDetails) -> Organisation:
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

    async def update_organisation(self, org_id: str, details: OrganisationDetails) -> Organisation:
        async def mutate(org: Organisation) -> tuple[Organisation, Sequence[Event]]:
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

    async def organisation(self, org_id: str) -> Organisation:
        loaded = await self.organisations.get(org_id)
        if loaded is None:
            raise not_found("organisation", org_id, zh_kind="单位")
        return loaded.aggregate

    async def register_talent(self, details: TalentDetails) -> Talent:
        now = utcnow()
        talent = Talent(new_id("tal_"), details, 1, now, now)
        try:
            await self.talents.add(talent, [talent_event(talent)])
        except AlreadyExists as exc:
            raise _duplicate(
                "contact.email",
                f"电子邮箱 {details.contact.email} 已注册",
                f"e-mail {details.contact.email} is already registered",
            ) from exc
        return talent

    async def talent(self, talent_id: str) -> Talent:
        loaded = await self.talents.get(talent_id)
        if loaded is None:
            raise not_found("talent", talent_id, zh_kind="人才")
        return loaded.aggregate
