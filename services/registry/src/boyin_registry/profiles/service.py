"""Use cases of profiles: register, change and read organisations and talents, deciding
who may do each; contact details are read only when the caller asks for them (privacy
decides whether they are shown, and logs each disclosure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from boyin_registry.privacy.service import Privacy
from boyin_registry.profiles.domain import (
    Consent,
    Organisation,
    OrganisationDetails,
    Talent,
    TalentDetails,
    own_profile_id,
)
from boyin_registry.profiles.events import organisation_event, talent_event
from boyin_registry.profiles.repository import Organisations, Talents
from boyin_registry.profiles.validation import check_consent
from boyin_registry.reference.service import ReferenceData
from boyin_shared.clock import new_id, utcnow
from boyin_shared.errors import (
    BoyinError,
    FieldError,
    Message,
    conflict,
    forbidden,
    invalid,
    not_found,
)
from boyin_shared.events import Event
from boyin_shared.identity import Actor, Role
from boyin_shared.store import AlreadyExists

P = TypeVar("P", Organisation, Talent)


def already_registered_one() -> BoyinError:
    """The account registered its one profile already (perhaps a moment ago, concurrently)."""
    return conflict(
        "ALREADY_BOUND",
        Message("该账号已登记过自己的主体", "this account has already registered its own profile"),
    )


def _duplicate(field: str, zh: str, en: str) -> BoyinError:
    error = invalid([FieldError(field, "ALREADY_REGISTERED", Message(zh, en))])
    error.status = 409
    return error


@dataclass(frozen=True)
class Viewed(Generic[P]):
    """A profile and whether the caller is shown its contact details (asked for them, and
    may see them)."""

    profile: P
    contacts_visible: bool


@dataclass
class Profiles:
    organisations: Organisations
    talents: Talents
    reference_data: ReferenceData
    privacy: Privacy

    async def register_organisation(
        self, actor: Actor, details: OrganisationDetails, *, org_id: str | None = None
    ) -> Organisation:
        """Register an organisation (under ``org_id``: an import chose it beforehand)."""
        own_district = (
            actor.role is Role.DISTRICT_OFFICER and actor.district_code == details.district_code
        )
        self_registration = actor.role is Role.ORGANISATION and actor.party_id is None
        if not (actor.is_staff or own_district or self_registration):
            raise forbidden(Message("无权登记该单位", "you may not register this organisation"))
        now = utcnow()
        if org_id is None:
            org_id = (
                own_profile_id("org_", actor.account_id) if self_registration else new_id("org_")
            )
        org = Organisation(org_id, details, 1, now, now)
        try:
            await self.organisations.add(org, [organisation_event(org)])
        except AlreadyExists as exc:
            if self_registration and await self.organisations.get(org_id) is not None:
                raise already_registered_one() from exc
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
                raise forbidden(Message("无权修改该单位", "you may not change this organisation"))
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

    async def _shown(
        self, actor: Actor, profile: P, district_code: str | None, contacts: bool
    ) -> Viewed[P]:
        """``profile`` with its contacts where the caller asked for them (``contacts``)."""
        if not contacts:
            return Viewed(profile, False)
        return Viewed(profile, await self.privacy.show_contacts(actor, profile.id, district_code))

    async def _viewed_organisation(
        self, actor: Actor, org: Organisation, contacts: bool
    ) -> Viewed[Organisation]:
        return await self._shown(actor, org, org.details.district_code, contacts)

    async def organisation(
        self, actor: Actor, org_id: str, *, contacts: bool = False
    ) -> Viewed[Organisation]:
        loaded = await self.organisations.get(org_id)
        if loaded is None or not self._may_view_organisation(actor, loaded.aggregate):
            raise not_found("organisation", org_id, zh_kind="单位")
        return await self._viewed_organisation(actor, loaded.aggregate, contacts)

    async def organisations_page(
        self,
        actor: Actor,
        *,
        district_code: str | None,
        after: str | None,
        limit: int,
        contacts: bool = False,
    ) -> list[Viewed[Organisation]]:
        if actor.role is Role.DISTRICT_OFFICER:
            if district_code and district_code != actor.district_code:
                return []
            district_code = actor.district_code or "-"
        orgs = await self.organisations.page(district_code=district_code, after=after, limit=limit)
        return [await self._viewed_organisation(actor, o, contacts) for o in orgs]

    async def organisations_by_id(
        self, actor: Actor, ids: Sequence[str], *, contacts: bool = False
    ) -> list[Viewed[Organisation]]:
        found = await self.organisations.get_many(ids)
        return [
            await self._viewed_organisation(actor, o, contacts)
            for i in dict.fromkeys(ids)
            if (o := found.get(i)) is not None and self._may_view_organisation(actor, o)
        ]

    async def talents_by_id(
        self, actor: Actor, ids: Sequence[str], *, contacts: bool = False
    ) -> list[Viewed[Talent]]:
        if actor.role is Role.PUBLIC:
            return []
        found = await self.talents.get_many(ids)
        return [
            await self._shown(actor, t, None, contacts)
            for i in dict.fromkeys(ids)
            if (t := found.get(i)) is not None
        ]

    @staticmethod
    def _may_register_talent(actor: Actor) -> bool:
        """Staff and district officers (who collect both sides of the fair), or a talent
        registering themself."""
        collects = actor.is_staff or actor.role is Role.DISTRICT_OFFICER
        return collects or (actor.role is Role.TALENT and actor.party_id is None)

    async def register_talent(
        self,
        actor: Actor,
        details: TalentDetails,
        consent: tuple[str, Sequence[str]],
        *,
        talent_id: str | None = None,
    ) -> Talent:
        """Register a talent (under ``talent_id``: an import chose it beforehand)."""
        self_registration = actor.role is Role.TALENT and actor.party_id is None
        if not self._may_register_talent(actor):
            raise forbidden(Message("无权登记人才", "you may not register a talent"))
        notice_version, purposes = consent
        # Reference data as last refreshed (the request refreshed it while parsing).
        check_consent(notice_version, purposes, self.reference_data.cached.notice.version)
        now = utcnow()
        agreed = Consent(notice_version, tuple(purposes), now)
        if talent_id is None:
            talent_id = (
                own_profile_id("tal_", actor.account_id) if self_registration else new_id("tal_")
            )
        talent = Talent(talent_id, details, 1, now, now, consents=(agreed,))
        try:
            await self.talents.add(talent, [talent_event(talent)])
        except AlreadyExists as exc:
            if self_registration and await self.talents.get(talent_id) is not None:
                raise already_registered_one() from exc
            raise _duplicate(
                "contact.email",
                f"电子邮箱 {details.contact.email} 已注册",
                f"e-mail {details.contact.email} is already registered",
            ) from exc
        return talent

    async def update_talent(self, actor: Actor, talent_id: str, details: TalentDetails) -> Talent:
        """Change a talent's details: staff, the talent, or a district officer whose import
        registered it (the import checks the key it was registered under)."""

        async def mutate(talent: Talent) -> tuple[Talent, Sequence[Event]]:
            if talent.erased_at is not None:
                raise conflict(
                    "ERASED",
                    Message("该人才的个人信息已删除", "this talent's personal data was erased"),
                )
            if not (self._may_register_talent(actor) or actor.party_id == talent.id):
                raise forbidden(Message("无权修改该人才", "you may not change this talent"))
            new = talent.updated(details, utcnow())
            return new, [talent_event(new)]

        try:
            updated = await self.talents.change(talent_id, mutate)
        except AlreadyExists as exc:
            raise _duplicate(
                "contact.email",
                f"电子邮箱 {details.contact.email} 已被其他人才使用",
                f"e-mail {details.contact.email} belongs to another talent",
            ) from exc
        if updated is None:
            raise not_found("talent", talent_id, zh_kind="人才")
        return updated

    async def talents_page(
        self, actor: Actor, *, after: str | None, limit: int, contacts: bool = False
    ) -> list[Viewed[Talent]]:
        """Talents for exports: signed-in people only (as ``talent``)."""
        if actor.role is Role.PUBLIC:
            return []
        found = await self.talents.page(after=after, limit=limit)
        return [await self._shown(actor, t, None, contacts) for t in found]

    async def talent(
        self, actor: Actor, talent_id: str, *, contacts: bool = False
    ) -> Viewed[Talent]:
        loaded = await self.talents.get(talent_id)
        if loaded is None or actor.role is Role.PUBLIC:
            raise not_found("talent", talent_id, zh_kind="人才")
        return await self._shown(actor, loaded.aggregate, None, contacts)
