"""Use cases of support policies: seed the fair's measures, create and revise policies
(staff), list them and the facts they read, evaluate an agreement and keep the answer
with the policy versions it used, list an agreement's evaluations.

What an evaluation knows of an agreement comes from the agreement itself (its stage,
cooperation type, district, edition, amounts in CNY, documents; each party's kind and
whether it confirmed its signature). What the agreements service does not know about a
party (leading a national project, last year's national funds, attending on site...) is
stated by the caller for its own party (staff for any); a fact nobody stated stays
unknown, and a policy that needs it answers MISSING_FACTS naming it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from boyin_agreements.agreements.domain import Agreement
from boyin_agreements.agreements.service import AgreementCommands, today
from boyin_agreements.policies.domain import Policy, check_revision, latest
from boyin_agreements.policies.evaluation import evaluate
from boyin_agreements.policies.facts import (
    FACTS,
    AgreementFacts,
    FactKind,
    FactSpec,
    PartyFacts,
    PolicyParty,
    PolicySubject,
)
from boyin_agreements.policies.repository import Evaluations, Policies
from boyin_agreements.policies.schemas import evaluation_out
from boyin_agreements.policies.seed import fair_measures, read_policy
from boyin_shared.api.agreements import AmountKind, EvaluationOut, PartyFactsIn, PartyRole
from boyin_shared.clock import new_id, utcnow
from boyin_shared.errors import FieldError, Message, conflict, forbidden, invalid
from boyin_shared.identity import Actor
from boyin_shared.store import AlreadyExists

#: party facts the service itself knows: nobody states them
KNOWN_PARTY_FACTS = ("kind", "signed")


def _error(field: str, code: str, zh: str, en: str) -> FieldError:
    return FieldError(field, code, Message(zh, en))


def _cny(a: Agreement, kind: AmountKind) -> Decimal | None:
    """An amount of the agreement in CNY (another currency is not converted: unknown)."""
    money = a.terms.amounts.get(kind)
    return money.amount if money is not None and money.currency == "CNY" else None


def _stated(i: int, given: PartyFactsIn, out: list[FieldError]) -> dict[str, Any]:
    """The party facts stated for one party, checked against their declared kinds."""
    facts: dict[str, Any] = {}
    for name, value in given.facts.items():
        short = name.removeprefix("party.")
        f = f"parties.{i}.facts.{name}"
        spec: FactSpec | None = FACTS.get(f"party.{short}")
        if spec is None or short in KNOWN_PARTY_FACTS:
            out.append(
                _error(f, "UNKNOWN_FACT", "不是可以申报的参与方事实", "not a party fact to state")
            )
        elif spec.kind is FactKind.BOOL:
            if isinstance(value, bool):
                facts[short] = value
            else:
                out.append(_error(f, "NOT_A_BOOL", "应为是或否", "must be true or false"))
        elif spec.kind is FactKind.NUMBER:
            try:
                if isinstance(value, bool):
                    raise InvalidOperation
                facts[short] = Decimal(str(value))
            except InvalidOperation:
                out.append(_error(f, "NOT_A_NUMBER", "应为数字", "must be a number"))
        elif isinstance(value, str) and (not spec.values or value in spec.values):
            facts[short] = value
        else:
            out.append(_error(f, "UNKNOWN_VALUE", "取值无效", "not an allowed value"))
    return facts


def subject_of(a: Agreement, stated: Sequence[PartyFactsIn]) -> PolicySubject:
    """What the engine reads of an agreement, with the party facts stated for it."""
    out: list[FieldError] = []
    by_party: dict[str, tuple[dict[str, Any], frozenset[str]]] = {}
    for i, given in enumerate(stated):
        if given.party_id not in a.party_ids:
            out.append(
                _error(
                    f"parties.{i}.party_id",
                    "NOT_A_PARTY",
                    "不是本协议的参与方",
                    "not a party to it",
                )
            )
            continue
        by_party[given.party_id] = (_stated(i, given, out), frozenset(given.documents))
    if out:
        raise invalid(out)
    parties = []
    for p in a.parties:
        facts, documents = by_party.get(p.id, ({}, frozenset()))
        kind = "investor" if p.role is PartyRole.INVESTOR else p.kind
        parties.append(
            PolicyParty(
                p.id,
                dataclasses.replace(PartyFacts(**facts), kind=kind, signed=p.id in a.confirmed),
                documents,
            )
        )
    t = a.terms
    return PolicySubject(
        agreement_id=a.id,
        facts=AgreementFacts(
            cooperation_type=t.cooperation_type.value if t.cooperation_type else None,
            stage=a.stage.value,
            district=t.district_code,
            edition=t.edition_id,
            contract_value=_cny(a, AmountKind.CONTRACT_VALUE),
            investment=_cny(a, AmountKind.INVESTMENT),
            horizontal_funds=_cny(a, AmountKind.HORIZONTAL_RESEARCH_FUNDS),
            startup_funds=_cny(a, AmountKind.START_UP_FUNDS),
        ),
        parties=tuple(parties),
        documents=frozenset(d.kind.value.lower() for d in t.documents),
    )


def _require_staff(actor: Actor) -> None:
    if not actor.is_staff:
        raise forbidden(
            Message("只有工作人员可以维护扶持政策", "only staff maintain support policies")
        )


@dataclass
class PolicyBook:
    policies: Policies
    evaluations: Evaluations
    agreements: AgreementCommands

    async def seed(self) -> int:
        """Store the fair's measures not stored yet (at start; idempotent)."""
        added = 0
        for policy in fair_measures():
            try:
                await self.policies.insert(policy)
                added += 1
            except AlreadyExists:
                pass
        return added

    async def save(self, actor: Actor, raw: dict[str, Any]) -> Policy:
        """A new policy (version 1) or the next version of one, validated whole."""
        _require_staff(actor)
        policy = read_policy(raw)
        check_revision(await self.policies.newest(policy.id), policy)
        try:
            await self.policies.insert(policy)
        except AlreadyExists:
            raise conflict(
                "STALE_POLICY_VERSION",
                Message(
                    f"政策 {policy.id} 的第 {policy.version} 版已被他人保存",
                    f"version {policy.version} of policy {policy.id} was saved by someone else",
                ),
            ) from None
        return policy

    async def current(self, versions: bool = False) -> list[Policy]:
        """The newest version of each policy (every version with ``versions``)."""
        every = await self.policies.every_version()
        return every if versions else list(latest(every))

    async def evaluate(
        self, actor: Actor, agreement_id: str, stated: Sequence[PartyFactsIn], on: date | None
    ) -> EvaluationOut:
        agreement = await self.agreements.get(actor, agreement_id)
        if not actor.is_staff:
            for i, given in enumerate(stated):
                if given.party_id != actor.party_id:
                    raise forbidden(
                        Message(
                            f"只能申报本方的事实（第 {i + 1} 项）",
                            f"a party states only its own facts (item {i + 1})",
                        )
                    )
        subject = subject_of(agreement, stated)
        evaluation = evaluate(await self.current(), subject, on or today())
        answered = evaluation_out(new_id("ev_"), evaluation, utcnow(), actor.account_id)
        await self.evaluations.add(answered.id, agreement_id, answered.model_dump(mode="json"))
        return answered

    async def of_agreement(self, actor: Actor, agreement_id: str) -> list[EvaluationOut]:
        """An agreement's evaluations, for whoever may see the agreement."""
        await self.agreements.get(actor, agreement_id)
        return [
            EvaluationOut.model_validate(e)
            for e in await self.evaluations.of_agreement(agreement_id)
        ]
