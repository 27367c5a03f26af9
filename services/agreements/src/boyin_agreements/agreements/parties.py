"""Who an agreement is between, where it came from, and who may act on it (pure).

An agreement is between at least two parties: at most one talent (alone or leading a
team), at least one organisation, and any number of investors (organisations too).
A party acts only for itself; operators and admins (and the platform's own services) act
on every agreement; district officers of the landing district follow its milestones up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from boyin_agreements.agreements.refusals import error, not_yours
from boyin_shared.api.agreements import OriginKind, PartyKind, PartyRole
from boyin_shared.errors import FieldError, invalid
from boyin_shared.identity import Actor, Role

#: the roles an account acting for a talent or an organisation signs in with
PARTY_ROLES = (Role.TALENT, Role.ORGANISATION, Role.INVESTOR)


@dataclass(frozen=True)
class Party:
    kind: PartyKind
    id: str
    role: PartyRole
    #: the party's demand the agreement answers, when it grew from a match
    demand_id: str | None = None

    @classmethod
    def side(cls, kind: PartyKind, party_id: str, demand_id: str | None = None) -> Party:
        """A side of a match or a meeting: a talent takes part as the talent, an
        organisation as an organisation (an investor is named by hand)."""
        role = PartyRole.TALENT if kind == "talent" else PartyRole.ORGANISATION
        return cls(kind, party_id, role, demand_id)


@dataclass(frozen=True)
class Origin:
    kind: OriginKind
    match_id: str | None = None
    meeting_id: str | None = None
    #: the account that started it by hand
    started_by: str | None = None


def check_parties(parties: Sequence[Party], out: list[FieldError]) -> None:
    """Adds to ``out`` what is wrong with these parties as the parties of one agreement."""
    seen: set[str] = set()
    for i, p in enumerate(parties):
        f = f"parties.{i}"
        if not p.id.strip():
            out.append(error(f"{f}.id", "REQUIRED", "请指明参与方", "name the party"))
        elif p.id in seen:
            out.append(
                error(
                    f"{f}.id", "DUPLICATE", "同一参与方重复列出", "the same party is listed twice"
                )
            )
        seen.add(p.id)
        wanted: PartyKind = "talent" if p.role is PartyRole.TALENT else "organisation"
        if p.kind != wanted:
            out.append(
                error(
                    f"{f}.role",
                    "ROLE_OF_KIND",
                    "人才只能以人才（团队）身份参与，机构以机构或投资方身份参与",
                    "a talent takes part as the talent (or team); an organisation as an "
                    "organisation or an investor",
                )
            )
    roles = [p.role for p in parties]
    if roles.count(PartyRole.TALENT) > 1:
        out.append(
            error(
                "parties",
                "ONE_TALENT",
                "一份协议最多一位人才（或其团队）",
                "an agreement has at most one talent (or team)",
            )
        )
    if PartyRole.ORGANISATION not in roles:
        out.append(
            error(
                "parties",
                "NO_ORGANISATION",
                "协议须至少有一家机构参与",
                "an agreement needs at least one organisation",
            )
        )
    if len(parties) < 2:
        out.append(
            error(
                "parties", "TOO_FEW", "协议须至少有两方", "an agreement needs at least two parties"
            )
        )


def check_joining(party: Party, parties: Sequence[Party]) -> None:
    """Refuses (naming the field) a party that may not join these parties by itself: only
    an organisation or an investor joins, and not twice."""
    out: list[FieldError] = []
    if party.role is PartyRole.TALENT:
        out.append(
            error(
                "role",
                "ORGANISATIONS_ONLY",
                "只能增加机构或投资方",
                "only an organisation or an investor is added",
            )
        )
    if party.id in (p.id for p in parties):
        out.append(error("id", "ALREADY_A_PARTY", "已是本协议的参与方", "already a party to it"))
    if out:
        raise invalid(out)


def check_leaving(party_id: str, parties: Sequence[Party]) -> None:
    """Refuses (naming the field) removing ``party_id`` from these parties: it must be one
    of them, an organisation or an investor (the talent stays)."""
    found = next((p for p in parties if p.id == party_id), None)
    if found is None:
        raise invalid([error("party_id", "NOT_A_PARTY", "不是本协议的参与方", "not a party to it")])
    if found.role is PartyRole.TALENT:
        raise invalid(
            [
                error(
                    "party_id",
                    "ORGANISATIONS_ONLY",
                    "只能移除机构或投资方",
                    "only an organisation or an investor is removed",
                )
            ]
        )


def acts_for(actor: Actor, party_ids: Sequence[str]) -> bool:
    """The actor signs in for one of these parties."""
    return actor.role in PARTY_ROLES and actor.party_id is not None and actor.party_id in party_ids


def may_act(actor: Actor, party_ids: Sequence[str]) -> bool:
    """A party of the agreement, or staff."""
    return actor.is_staff or acts_for(actor, party_ids)


def officer_of(actor: Actor, district_code: str | None) -> bool:
    """A district officer of ``district_code``."""
    return (
        actor.role is Role.DISTRICT_OFFICER
        and district_code is not None
        and actor.district_code == district_code
    )


def may_view(actor: Actor, party_ids: Sequence[str], district_code: str | None) -> bool:
    """Staff, the parties, and district officers of the landing district."""
    return may_act(actor, party_ids) or officer_of(actor, district_code)


def may_follow_up(actor: Actor, district_code: str | None) -> bool:
    """Staff and district officers of the landing district."""
    return actor.is_staff or officer_of(actor, district_code)


def require_to_act(actor: Actor, party_ids: Sequence[str]) -> None:
    if not may_act(actor, party_ids):
        raise not_yours(
            "只有协议各方和工作人员可以操作", "only the agreement's parties and staff may do this"
        )


def require_to_start(actor: Actor, parties: Sequence[Party]) -> None:
    """Operators start any agreement; a party only one it is part of."""
    if actor.is_staff:
        return
    if actor.role not in PARTY_ROLES:
        raise not_yours(
            "只有协议方和工作人员可以发起协议", "only parties and staff start agreements"
        )
    if not acts_for(actor, [p.id for p in parties]):
        raise not_yours(
            "只能发起本方参与的协议", "a party may only start an agreement it is part of"
        )


def require_to_follow_up(actor: Actor, district_code: str | None) -> None:
    if not may_follow_up(actor, district_code):
        raise not_yours(
            "只有落地区县的工作人员和平台工作人员可以登记跟进",
            "only officers of the landing district and staff record follow-ups",
        )


def require_staff(actor: Actor, zh: str, en: str) -> None:
    if not actor.is_staff:
        raise not_yours(zh, en)
