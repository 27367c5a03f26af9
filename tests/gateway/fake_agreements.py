"""The in-memory fake of the agreements service (see ``tests/gateway/fakes.py``).

The agreements service's rules, in short: an agreement is seen by its parties, the
district officers of its district and staff (anyone else is told it is not found); a
visitor does nothing (403 ``SIGN_IN_REQUIRED``); its parties and staff act on it, district
officers of its district (and staff) follow milestones up (403 otherwise); a participant
starts an agreement only as one of its parties and confirms only its own signature, on a
draft, the last confirmation signing it; the stages are taken one at a time (409
``STAGE_SKIPPED``), signing comes from every party's confirmation (409), a terminated or
landed agreement does not move (409); an amount needs its currency and may not be
negative (422 naming the field). The evaluation is canned: the 3% rule, capped at RMB 1,000,000.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import httpx

from boyin_gateway.clients import ServiceError
from boyin_shared.api.agreements import (
    AgreementOut,
    AgreementPage,
    AgreementStage,
    ConfirmationOut,
    DocumentOut,
    EvaluationOut,
    FollowUpOut,
    MilestoneOut,
    OriginOut,
    PartyOut,
    PolicyOut,
    PolicyRefOut,
    PolicyResultOut,
    RosterRowOut,
    SupportOut,
    TermsIn,
    TermsOut,
    TextOut,
    TransitionOut,
)
from boyin_shared.api.errors import ErrorOut, FieldErrorOut, MessageOut
from boyin_shared.api.reports import (
    FunnelDimension,
    FunnelOut,
    FunnelRowOut,
    FunnelStep,
    SignatureDelayOut,
    StepOut,
)
from boyin_shared.identity import Actor, Role
from tests.gateway.fake_records import new_id, refusal

_ORDER = [
    AgreementStage.INTENTION,
    AgreementStage.NEGOTIATING,
    AgreementStage.DRAFTED,
    AgreementStage.SIGNED,
    AgreementStage.IMPLEMENTING,
    AgreementStage.LANDED,
]
_NOW = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)

THREE_PERCENT = PolicyOut(
    id="pol_national_lead",
    version=1,
    title=TextOut(zh="国家项目牵头奖励", en="Reward for leading national projects"),
    issuer_level="CITY",
    issuer=TextOut(zh="重庆市科学技术局", en="Chongqing Science and Technology Bureau"),
    scope="PARTY",
    effective_from=date(2026, 1, 1),
    effective_until=None,
    condition="party.leads_national_project",
    amount="party.national_funds_last_year * 0.03",
    cap=Decimal("1000000"),
    eligibility=TextOut(zh="可获奖励", en="may be rewarded"),
    note=TextOut(zh=None, en=None),
    exclusive_group=None,
)


def agreement(
    parties: list[tuple[str, str, str]],
    *,
    stage: AgreementStage = AgreementStage.INTENTION,
    district_code: str | None = None,
    edition_id: str | None = None,
    match_id: str | None = None,
) -> AgreementOut:
    """An agreement between ``parties`` ((kind, id, role) each), started by hand or (with
    ``match_id``) offered after a match."""
    origin = (
        OriginOut(kind="MATCH", match_id=match_id)
        if match_id
        else OriginOut(kind="MANUAL", started_by="acc_staff")
    )
    return AgreementOut(
        id=new_id("ag_"),
        parties=[PartyOut(kind=k, id=i, role=r) for k, i, r in parties],
        origin=origin,
        terms=TermsOut(
            title=TextOut(zh="技术转让", en="Technology transfer"),
            cooperation_type=None,
            amounts={},
            district_code=district_code,
            edition_id=edition_id,
            documents=[],
        ),
        stage=stage,
        history=[],
        confirmations=[],
        unconfirmed=[i for _, i, _ in parties],
        milestones=[],
        taxonomy_codes=[],
        signed_at=_NOW if stage is AgreementStage.SIGNED else None,
        revision=1,
    )


@dataclass
class AgreementsData:
    agreements: dict[str, AgreementOut] = field(default_factory=dict)
    evaluations: dict[str, list[EvaluationOut]] = field(default_factory=dict)
    policies: list[PolicyOut] = field(default_factory=lambda: [THREE_PERCENT])

    def add(self, *records: AgreementOut) -> None:
        for r in records:
            self.agreements[r.id] = r


def _not_found(what: str) -> ServiceError:
    return refusal(404, "NOT_FOUND", f"未找到：{what}", f"not found: {what}")


def _conflict(code: str, en: str) -> ServiceError:
    return refusal(409, code, "协议当前阶段不允许此操作", en)


def _invalid(field_name: str, en: str) -> ServiceError:
    message = MessageOut(zh="输入有误", en=en)
    return ServiceError(
        422,
        ErrorOut(
            code="VALIDATION_FAILED",
            message=message,
            fields=[FieldErrorOut(field=field_name, code="INVALID", message=message)],
        ),
    )


class FakeAgreements:
    """:class:`boyin_gateway.clients.Agreements` in memory."""

    def __init__(
        self, data: AgreementsData, actor: Actor, log: Callable[[str, dict[str, Any]], None]
    ) -> None:
        self.data = data
        self.actor = actor
        self.calls = 0
        self._log = log

    def _called(self, method: str, **args: Any) -> None:
        self.calls += 1
        self._log(method, args)

    async def stream(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        self._called("stream", path=path)
        raise _not_found(path)

    # -- who ------------------------------------------------------------------------

    def _member(self) -> None:
        if self.actor.role is Role.PUBLIC:
            raise refusal(403, "SIGN_IN_REQUIRED", "请先登录", "Sign in first")

    def _sees(self, a: AgreementOut) -> bool:
        actor = self.actor
        if actor.is_staff:
            return True
        if actor.role is Role.DISTRICT_OFFICER:
            return a.terms.district_code == actor.district_code
        return actor.party_id is not None and any(p.id == actor.party_id for p in a.parties)

    def _acts(self, a: AgreementOut) -> None:
        """Its parties and staff act on it."""
        if not self.actor.is_staff and self.actor.party_id not in [p.id for p in a.parties]:
            raise refusal(403, "FORBIDDEN", "只有协议各方和工作人员可以操作", "parties only")

    def _get(self, agreement_id: str) -> AgreementOut:
        found = self.data.agreements.get(agreement_id)
        if found is None or not self._sees(found):
            raise _not_found(agreement_id)
        return found

    def _changed(self, a: AgreementOut, **changes: Any) -> AgreementOut:
        updated = a.model_copy(update={**changes, "revision": a.revision + 1})
        self.data.agreements[a.id] = updated
        return updated

    def _step(self, a: AgreementOut, to: AgreementStage, reason: str | None) -> AgreementOut:
        step = TransitionOut(
            from_stage=a.stage,
            to_stage=to,
            by=self.actor.account_id,
            role=self.actor.role.value,
            at=_NOW,
            reason=reason,
        )
        signed = _NOW if to is AgreementStage.SIGNED else a.signed_at
        return self._changed(a, stage=to, history=[*a.history, step], signed_at=signed)

    # -- agreements ------------------------------------------------------------------

    async def agreements(
        self,
        *,
        stage: str | None,
        district_code: str | None,
        edition_id: str | None,
        party_id: str | None,
        after: str | None,
        limit: int,
    ) -> AgreementPage:
        self._called("agreements", stage=stage, after=after, limit=limit)
        if not 1 <= limit <= 200:
            raise _invalid("limit", "limit must be from 1 to 200")
        items = [
            a
            for a in sorted(self.data.agreements.values(), key=lambda a: a.id)
            if self._sees(a)
            and (stage is None or a.stage == stage)
            and (district_code is None or a.terms.district_code == district_code)
            and (edition_id is None or a.terms.edition_id == edition_id)
            and (party_id is None or any(p.id == party_id for p in a.parties))
            and (after is None or a.id > after)
        ][:limit]
        return AgreementPage(items=items, next_after=items[-1].id if len(items) == limit else None)

    async def agreement(self, agreement_id: str) -> AgreementOut:
        self._called("agreement", id=agreement_id)
        return self._get(agreement_id)

    async def of_matches(self, match_ids: Sequence[str]) -> list[AgreementOut]:
        self._called("of_matches", ids=list(match_ids))
        self._member()
        return [
            a
            for a in self.data.agreements.values()
            if a.origin.match_id in match_ids and self._sees(a)
        ]

    async def start(self, body: dict[str, Any]) -> AgreementOut:
        self._called("start", body=body)
        self._member()
        parties = body.get("parties", [])
        if len(parties) < 2:
            raise _invalid("parties", "an agreement needs at least two parties")
        ids = [p["id"] for p in parties]
        if not self.actor.is_staff and self.actor.party_id not in ids:
            raise refusal(403, "FORBIDDEN", "无权执行此操作", "only a party may start it")
        terms = TermsIn.model_validate(body.get("terms", {}))
        made = agreement(
            [(p["kind"], p["id"], p["role"]) for p in parties],
            district_code=terms.district_code,
            edition_id=terms.edition_id,
        )
        self.data.add(made)
        return made

    async def agreement_action(
        self, agreement_id: str, action: str, body: dict[str, Any]
    ) -> AgreementOut:
        self._called("agreement_action", id=agreement_id, action=action, body=body)
        self._member()
        a = self._get(agreement_id)
        self._acts(a)
        if action == "advance":
            to = AgreementStage(body["to"])
            if a.stage in (AgreementStage.LANDED, AgreementStage.TERMINATED):
                raise _conflict("CLOSED", "the agreement is closed")
            if to not in _ORDER or _ORDER.index(to) != _ORDER.index(a.stage) + 1:
                raise _conflict("STAGE_SKIPPED", f"cannot go from {a.stage} to {to}")
            if to is AgreementStage.SIGNED and a.unconfirmed:
                raise _conflict("UNCONFIRMED", "every party must confirm its signature")
            return self._step(a, to, body.get("reason"))
        if action == "terminate":
            if a.stage in (AgreementStage.LANDED, AgreementStage.TERMINATED):
                raise _conflict("CLOSED", "the agreement is closed")
            return self._step(a, AgreementStage.TERMINATED, body.get("reason"))
        if action == "confirm":
            party_id = body["party_id"]
            if party_id not in [p.id for p in a.parties]:
                raise _invalid("party_id", f"{party_id} is not a party of the agreement")
            if not self.actor.is_staff and party_id != self.actor.party_id:
                raise refusal(403, "FORBIDDEN", "无权执行此操作", "confirm your own signature")
            if a.stage is not AgreementStage.DRAFTED:
                raise _conflict("WRONG_STAGE", "signatures are confirmed on a draft")
            done = ConfirmationOut(party_id=party_id, by=self.actor.account_id, at=_NOW)
            unconfirmed = [p for p in a.unconfirmed if p != party_id]
            a = self._changed(a, confirmations=[*a.confirmations, done], unconfirmed=unconfirmed)
            return a if unconfirmed else self._step(a, AgreementStage.SIGNED, None)
        if action == "terms":
            for kind, money in body.get("amounts", {}).items():
                if not money.get("currency"):
                    raise _invalid(f"amounts.{kind}.currency", "an amount needs its currency")
                if Decimal(str(money.get("amount", 0))) < 0:
                    raise _invalid(f"amounts.{kind}.amount", "an amount may not be negative")
            terms = TermsIn.model_validate(body)
            kept = {"documents": a.terms.documents}  # documents come and go one by one
            return self._changed(a, terms=TermsOut.model_validate(terms.model_dump() | kept))
        if action == "documents":
            added = DocumentOut.model_validate(body)
            return self._changed(
                a, terms=a.terms.model_copy(update={"documents": [*a.terms.documents, added]})
            )
        if action == "parties":
            joining = PartyOut.model_validate(body)
            if joining.id in [p.id for p in a.parties]:
                raise _invalid("id", f"{joining.id} is already a party")
            return self._new_parties(a, [*a.parties, joining])
        if action == "milestones":
            due = date.fromisoformat(body["due"])
            if a.signed_at is None or due < a.signed_at.date():
                raise _invalid("due", "a milestone is due after the signature")
            planned = MilestoneOut(
                id=new_id("ms_"),
                kind=body["kind"],
                due=due,
                label=body.get("label"),
                required=body.get("required", True),
                reached_on=None,
                reached_by=None,
                follow_ups=[],
                overdue_announced=False,
            )
            return self._changed(a, milestones=[*a.milestones, planned])
        raise _not_found(action)

    async def remove_party(self, agreement_id: str, party_id: str) -> AgreementOut:
        self._called("remove_party", id=agreement_id, party_id=party_id)
        self._member()
        a = self._get(agreement_id)
        if party_id not in [p.id for p in a.parties]:
            raise _invalid("party_id", f"{party_id} is not a party of the agreement")
        return self._new_parties(a, [p for p in a.parties if p.id != party_id])

    async def remove_document(self, agreement_id: str, attachment_id: str) -> AgreementOut:
        self._called("remove_document", id=agreement_id, attachment_id=attachment_id)
        self._member()
        a = self._get(agreement_id)
        self._acts(a)
        kept = [d for d in a.terms.documents if d.attachment_id != attachment_id]
        if len(kept) == len(a.terms.documents):
            raise _invalid("attachment_id", f"{attachment_id} is not a document of it")
        return self._changed(a, terms=a.terms.model_copy(update={"documents": kept}))

    def _new_parties(self, a: AgreementOut, parties: list[PartyOut]) -> AgreementOut:
        """Staff change the parties before signing; every confirmation is cleared."""
        if not self.actor.is_staff:
            raise refusal(403, "FORBIDDEN", "无权执行此操作", "only staff change the parties")
        if a.signed_at is not None or a.stage is AgreementStage.TERMINATED:
            raise _conflict("TERMS_SIGNED", "the parties of a signed agreement do not change")
        return self._changed(
            a, parties=parties, confirmations=[], unconfirmed=[p.id for p in parties]
        )

    async def milestone_action(
        self, agreement_id: str, milestone_id: str, action: str, body: dict[str, Any]
    ) -> AgreementOut:
        self._called("milestone_action", id=agreement_id, milestone=milestone_id, action=action)
        self._member()
        a = self._get(agreement_id)
        if action == "follow-ups":
            officer = self.actor.role is Role.DISTRICT_OFFICER
            if not (self.actor.is_staff or officer):  # _get: of its district
                raise refusal(403, "FORBIDDEN", "无权执行此操作", "district officers only")
        else:
            self._acts(a)
        found = next((m for m in a.milestones if m.id == milestone_id), None)
        if found is None:
            raise _not_found(milestone_id)
        if action == "reached":
            changed = found.model_copy(
                update={
                    "reached_on": date.fromisoformat(body["reached_on"]),
                    "reached_by": self.actor.account_id,
                }
            )
        else:
            note = FollowUpOut(at=_NOW, by=self.actor.account_id, note=body["note"])
            changed = found.model_copy(update={"follow_ups": [*found.follow_ups, note]})
        return self._changed(
            a, milestones=[changed if m.id == milestone_id else m for m in a.milestones]
        )

    async def roster(
        self, edition_id: str, order: Sequence[str] | None = None
    ) -> list[RosterRowOut]:
        self._called("roster", edition_id=edition_id, order=order)
        self._member()
        signed = [
            a
            for a in self.data.agreements.values()
            if a.terms.edition_id == edition_id and a.signed_at is not None and self._sees(a)
        ]
        if order is not None:
            by_id = {a.id: a for a in signed}
            for i, agreement_id in enumerate(order):
                if agreement_id not in by_id:
                    raise _invalid(f"order.{i}", f"not a signed agreement: {agreement_id}")
            signed = [by_id[i] for i in order]
        return [
            RosterRowOut(
                order=n,
                agreement_id=a.id,
                parties=[TextOut(zh=p.id, en=p.id) for p in a.parties],
                title=a.terms.title,
                cooperation_type=a.terms.cooperation_type,
                headline=None,
            )
            for n, a in enumerate(signed, start=1)
        ]

    # -- support policies ------------------------------------------------------------

    async def policies(self) -> list[PolicyOut]:
        self._called("policies")
        return list(self.data.policies)

    async def evaluate(self, agreement_id: str, body: dict[str, Any]) -> EvaluationOut:
        self._called("evaluate", id=agreement_id, body=body)
        self._member()
        a = self._get(agreement_id)
        ref = PolicyRefOut(id=THREE_PERCENT.id, version=THREE_PERCENT.version)
        results = [_three_percent(ref, p) for p in body.get("parties", [])]
        support = [
            SupportOut(
                party_id=r.party_id,
                total=r.amount or Decimal(0),
                by_level={"CITY": r.amount or Decimal(0)},
                policies=[ref],
            )
            for r in results
        ]
        made = EvaluationOut(
            id=new_id("ev_"),
            agreement_id=a.id,
            on=date.fromisoformat(body["on"]) if "on" in body else _NOW.date(),
            at=_NOW,
            by=self.actor.account_id,
            policies=[ref],
            results=results,
            support=support,
            total=sum((s.total for s in support), Decimal(0)),
        )
        self.data.evaluations.setdefault(a.id, []).append(made)
        return made

    async def evaluations(self, agreement_id: str) -> list[EvaluationOut]:
        self._called("evaluations", id=agreement_id)
        a = self._get(agreement_id)
        return list(self.data.evaluations.get(a.id, []))

    async def funnel(self, params: dict[str, str]) -> FunnelOut:
        """Staff any district's, a district officer their own (403 for another's),
        others 403; only the agreements' steps are counted (the fake has no demands)."""
        self._called("funnel", params=params)
        actor, district = self.actor, params.get("district_code")
        if actor.role is Role.DISTRICT_OFFICER and district in (None, actor.district_code):
            district = actor.district_code
        elif not actor.is_staff:
            raise refusal(403, "FORBIDDEN", "仅限工作人员和区县工作人员", "staff only")
        seen = [
            a
            for a in self.data.agreements.values()
            if district is None or a.terms.district_code == district
        ]
        counts = dict.fromkeys(FunnelStep, 0)
        counts[FunnelStep.INTENTIONS] = len(seen)
        counts[FunnelStep.SIGNED] = sum(a.signed_at is not None for a in seen)
        counts[FunnelStep.LANDED] = sum(a.stage is AgreementStage.LANDED for a in seen)
        total = FunnelRowOut(
            key=None,
            steps=[StepOut(step=s, count=n, conversion=None) for s, n in counts.items()],
            contract_values=[],
            match_to_signature=SignatureDelayOut(agreements=0, mean_days=None, median_days=None),
        )
        return FunnelOut(by=FunnelDimension(params["by"]), total=total, rows=[])


def _three_percent(ref: PolicyRefOut, party: dict[str, Any]) -> PolicyResultOut:
    """The 3% rule for one party: 3% of last year's national funds, at most the cap."""
    facts = party.get("facts", {})
    funds = facts.get("national_funds_last_year")
    leads = facts.get("leads_national_project")
    computed = Decimal(str(funds)) * Decimal("0.03") if funds is not None else None
    cap = THREE_PERCENT.cap or Decimal(0)
    amount = min(computed, cap) if computed is not None and leads else None
    return PolicyResultOut(
        policy=ref,
        level="CITY",
        party_id=party["party_id"],
        verdict="APPLIES" if amount is not None else "MISSING_FACTS",
        reasons=[],
        failed_clauses=[],
        missing_facts=[] if amount is not None else ["party.national_funds_last_year"],
        eligibility=THREE_PERCENT.eligibility,
        note=THREE_PERCENT.note,
        amount=amount,
        computed=computed,
        capped=computed is not None and computed > cap,
        missing_evidence=[],
        counted=amount is not None,
        superseded_by=None,
    )
