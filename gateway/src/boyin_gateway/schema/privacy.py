"""GraphQL of personal data: the privacy notice, a person's export and erasure, and the log
of who was shown a party's contact details."""

from __future__ import annotations

from typing import Annotated, Any, cast

import strawberry
from strawberry.scalars import JSON

from boyin_gateway.clients import Registry, ServiceError
from boyin_gateway.context import Context
from boyin_gateway.derived import derived, shown_as
from boyin_gateway.errors import not_found, problem
from boyin_gateway.permissions import Talents, guarded_field, guarded_mutation, not_a_talent
from boyin_gateway.types import (
    Forbidden,
    LocalizedText,
    NotFound,
    Talent,
    described_field,
    described_mutation,
)
from boyin_shared.api.registry import AuditEntryOut, NoticeOut
from boyin_shared.errors import Message

Info = strawberry.Info[Context, None]


@strawberry.type
class PrivacyPurpose:
    """Written by hand: the notice holds its purposes as a mapping, code to text."""

    code: str
    description: LocalizedText


def _text(root: strawberry.Parent[NoticeOut]) -> LocalizedText:
    return LocalizedText(zh=root.text.get("zh"), en=root.text.get("en"))


def _purposes(root: strawberry.Parent[NoticeOut]) -> list[PrivacyPurpose]:
    return [
        PrivacyPurpose(code=code, description=LocalizedText(zh=text.get("zh"), en=text.get("en")))
        for code, text in root.purposes.items()
    ]


@derived(
    NoticeOut, name="PrivacyNotice", description="The notice people agree to when they register."
)
class PrivacyNotice:
    text: LocalizedText = strawberry.field(resolver=_text)
    purposes: list[PrivacyPurpose] = strawberry.field(resolver=_purposes)


@strawberry.type(
    description="Everything the registry holds about a person, as a take-away copy: the "
    "profile, who it was disclosed to, and who was shown it."
)
class PersonalDataExport:
    talent_id: strawberry.ID
    data: JSON


@derived(
    AuditEntryOut,
    name="AuditEntry",
    description="One disclosure of a party's personal data to someone but the party itself "
    "(its contact details shown, or its data exported).",
    exclude=["subject"],
)
class AuditEntry:
    pass


@strawberry.type
class PartyAudit:
    party_id: strawberry.ID
    entries: list[AuditEntry]


PersonalDataResult = Annotated[
    PersonalDataExport | Forbidden | NotFound, strawberry.union("PersonalDataResult")
]
PartyAuditResult = Annotated[
    PartyAudit | Forbidden | NotFound, strawberry.union("PartyAuditResult")
]
EraseTalentResult = Annotated[Talent | Forbidden | NotFound, strawberry.union("EraseTalentResult")]


def _no_profile() -> NotFound:
    return not_found(Message("您尚未登记人才信息", "you have not registered a talent profile"))


async def _own_talent(info: Info) -> tuple[str, Registry] | NotFound:
    """The signed-in talent's id (who else may ask, :class:`Talents` decides), and a
    registry client acting for it. A token issued before the profile was registered
    names no party: the account does."""
    ctx = info.context
    actor = ctx.actor
    if actor.party_id is not None:
        return actor.party_id, ctx.registry
    account = await ctx.accounts.get(actor.account_id)
    if account is None or account.party_id is None:
        return _no_profile()
    return account.party_id, ctx.registry_acting_for(account.party_id)


async def _export(registry: Registry, talent_id: str) -> PersonalDataResult:
    try:
        data: dict[str, Any] = await registry.personal_data(talent_id)
    except ServiceError as exc:
        result = problem(exc)
        assert isinstance(result, Forbidden | NotFound), result
        return result
    return PersonalDataExport(talent_id=strawberry.ID(talent_id), data=cast(JSON, data))


async def _erase(registry: Registry, talent_id: str) -> EraseTalentResult:
    try:
        return shown_as(Talent, await registry.erase_talent(talent_id))
    except ServiceError as exc:
        result = problem(exc)
        assert isinstance(result, Forbidden | NotFound), result
        return result


@strawberry.type
class PrivacyQuery:
    @described_field("The current privacy notice (no sign-in needed).")
    async def privacy_notice(self, info: Info) -> PrivacyNotice:
        return shown_as(PrivacyNotice, await info.context.registry.privacy_notice())

    @guarded_field(Talents(not_a_talent), "The signed-in talent's personal data, to take away.")
    async def my_personal_data(self, info: Info) -> PersonalDataResult:
        own = await _own_talent(info)
        if not isinstance(own, tuple):
            return own
        talent_id, registry = own
        return await _export(registry, talent_id)

    @described_field(
        "A talent's personal data (operators and administrators; the read is audit-logged)."
    )
    async def personal_data(self, info: Info, talent_id: strawberry.ID) -> PersonalDataResult:
        return await _export(info.context.registry, str(talent_id))

    @described_field(
        "Who was shown this party's contact details or exported its data, and when (the "
        "party itself, operators and administrators)."
    )
    async def audit_of_party(self, info: Info, party_id: strawberry.ID) -> PartyAuditResult:
        try:
            entries = await info.context.registry.audit_of(str(party_id))
        except ServiceError as exc:
            result = problem(exc)
            assert isinstance(result, Forbidden | NotFound), result
            return result
        return PartyAudit(party_id=party_id, entries=[shown_as(AuditEntry, e) for e in entries])


@strawberry.type
class PrivacyMutation:
    @guarded_mutation(
        Talents(not_a_talent),
        "Erase the signed-in talent's personal data: the profile is blanked, the "
        "e-mail freed, contact grants revoked and open demands withdrawn.",
    )
    async def erase_my_data(self, info: Info) -> EraseTalentResult:
        own = await _own_talent(info)
        if not isinstance(own, tuple):
            return own
        talent_id, registry = own
        return await _erase(registry, talent_id)

    @described_mutation("Erase a talent's personal data (administrators).")
    async def erase_talent(self, info: Info, id: strawberry.ID) -> EraseTalentResult:
        return await _erase(info.context.registry, str(id))
