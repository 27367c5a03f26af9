"""Support policies between the HTTP models of :mod:`boyin_shared.api.agreements` and
the engine: policies, facts and evaluations into their API form."""

from __future__ import annotations

from datetime import datetime

from boyin_agreements.policies.domain import Evidence, Policy, PolicyRef, Text
from boyin_agreements.policies.evaluation import Evaluation, PolicyResult
from boyin_agreements.policies.facts import FactSpec
from boyin_shared.api import agreements as api
from boyin_shared.errors import Message


def _text(t: Text | Message) -> api.TextOut:
    return api.TextOut(zh=t.zh, en=t.en)


def _ref(r: PolicyRef) -> api.PolicyRefOut:
    return api.PolicyRefOut(id=r.id, version=r.version)


def _evidence(e: Evidence) -> api.EvidenceOut:
    return api.EvidenceOut(key=e.key, title=_text(e.title))


def policy_out(p: Policy) -> api.PolicyOut:
    return api.PolicyOut(
        id=p.id,
        version=p.version,
        title=_text(p.title),
        issuer_level=p.issuer.level.value,
        issuer=_text(p.issuer.name),
        scope=p.scope.value,
        effective_from=p.effective_from,
        effective_until=p.effective_until,
        condition=p.condition,
        amount=p.outcome.amount,
        cap=p.outcome.cap,
        eligibility=_text(p.outcome.eligibility),
        note=_text(p.outcome.note),
        exclusive_group=p.exclusive_group,
    )


def fact_out(f: FactSpec) -> api.FactOut:
    return api.FactOut(
        name=f.name, kind=f.kind.value, label=_text(f.label), values=list(f.values), unit=f.unit
    )


def _result(r: PolicyResult) -> api.PolicyResultOut:
    return api.PolicyResultOut(
        policy=_ref(r.policy),
        level=r.level.value,
        party_id=r.party_id,
        verdict=r.verdict.value,
        reasons=[_text(m) for m in r.reasons],
        failed_clauses=list(r.failed_clauses),
        missing_facts=list(r.missing_facts),
        eligibility=_text(r.eligibility),
        note=_text(r.note),
        amount=r.amount,
        computed=r.computed,
        capped=r.capped,
        missing_evidence=[_evidence(e) for e in r.missing_evidence],
        counted=r.counted,
        superseded_by=_ref(r.superseded_by) if r.superseded_by else None,
    )


def evaluation_out(evaluation_id: str, e: Evaluation, at: datetime, by: str) -> api.EvaluationOut:
    return api.EvaluationOut(
        id=evaluation_id,
        agreement_id=e.agreement_id,
        on=e.on,
        at=at,
        by=by,
        policies=[_ref(r) for r in e.policies],
        results=[_result(r) for r in e.results],
        support=[
            api.SupportOut(
                party_id=s.party_id,
                total=s.total,
                by_level={level.value: amount for level, amount in s.by_level},
                policies=[_ref(r) for r in s.policies],
            )
            for s in e.support
        ],
        total=e.total,
    )
