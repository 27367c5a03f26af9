"""Evaluating support policies for one agreement (pure): which policies apply to the
agreement and to each of its parties on a given day, which do not and why, the amounts
with their caps applied, the evidence still missing, and the support combined across
issuers.

An evaluation records the subject it read and the version of every policy it used, so it
can be stored and reproduced later (:func:`replay`) even after the policies changed.
A policy whose expression cannot be evaluated is reported as such; the others go on.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from boyin_agreements.policies.domain import (
    NO_TEXT,
    Evidence,
    IssuerLevel,
    Policy,
    PolicyRef,
    Text,
    latest,
)
from boyin_agreements.policies.expressions import Failure, Scalar, conjuncts, run
from boyin_agreements.policies.facts import PolicyParty, PolicySubject, Scope, known
from boyin_shared.errors import Message, not_found

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


class Verdict(StrEnum):
    APPLIES = "APPLIES"
    #: the condition does not hold
    NOT_APPLICABLE = "NOT_APPLICABLE"
    NOT_YET_EFFECTIVE = "NOT_YET_EFFECTIVE"
    EXPIRED = "EXPIRED"
    #: the condition cannot be decided: facts it needs are unknown
    MISSING_FACTS = "MISSING_FACTS"
    #: the condition could not be evaluated (e.g. a division by zero)
    FAILED = "FAILED"


@dataclass(frozen=True)
class PolicyResult:
    """One policy (one version) for the agreement or for one of its parties."""

    policy: PolicyRef
    level: IssuerLevel
    #: the party it was evaluated for; ``None``: the agreement
    party_id: str | None
    verdict: Verdict
    #: why it does not apply, or why its amount is unknown
    reasons: tuple[Message, ...] = ()
    #: the top-level clauses of the condition that do not hold
    failed_clauses: tuple[str, ...] = ()
    missing_facts: tuple[str, ...] = ()
    eligibility: Text = NO_TEXT
    note: Text = NO_TEXT
    #: the amount granted in CNY, the cap applied; ``None``: no amount (or unknown)
    amount: Decimal | None = None
    #: what the formula gave, before the cap
    computed: Decimal | None = None
    capped: bool = False
    missing_evidence: tuple[Evidence, ...] = ()
    #: whether the amount counts toward the total (not superseded in its exclusive group)
    counted: bool = False
    superseded_by: PolicyRef | None = None


@dataclass(frozen=True)
class Support:
    """The combined support for the agreement (``party_id`` ``None``) or one party."""

    party_id: str | None
    total: Decimal
    by_level: tuple[tuple[IssuerLevel, Decimal], ...]
    #: every policy that applies, with or without an amount
    policies: tuple[PolicyRef, ...]


@dataclass(frozen=True)
class Evaluation:
    agreement_id: str
    on: date
    subject: PolicySubject
    #: the versions used, one per policy
    policies: tuple[PolicyRef, ...]
    results: tuple[PolicyResult, ...]
    support: tuple[Support, ...]
    total: Decimal

    def result(self, policy_id: str, party_id: str | None = None) -> PolicyResult:
        """The result of one policy for the agreement or one party."""
        for r in self.results:
            if r.policy.id == policy_id and r.party_id == party_id:
                return r
        raise KeyError((policy_id, party_id))


def evaluate(policies: Iterable[Policy], subject: PolicySubject, on: date) -> Evaluation:
    """Evaluate the newest version of each of ``policies`` for ``subject`` on day ``on``."""
    used = latest(policies)
    results: list[PolicyResult] = []
    for policy in used:
        if policy.scope is Scope.AGREEMENT:
            results.append(_one(policy, subject, None, on))
        elif not subject.parties:
            why = Message("该协议没有参与方", "the agreement has no parties")
            results.append(replace(_result(policy, None, Verdict.NOT_APPLICABLE), reasons=(why,)))
        else:
            results += [_one(policy, subject, party, on) for party in subject.parties]
    combined = _combine(results, {p.ref: p.exclusive_group for p in used if p.exclusive_group})
    order = [None, *(p.id for p in subject.parties)]
    support = tuple(s for pid in order if (s := _support(pid, combined)) is not None)
    return Evaluation(
        agreement_id=subject.agreement_id,
        on=on,
        subject=subject,
        policies=tuple(p.ref for p in used),
        results=tuple(combined),
        support=support,
        total=sum((s.total for s in support), ZERO),
    )


def replay(evaluation: Evaluation, versions: Iterable[Policy]) -> Evaluation:
    """``evaluation`` computed again with exactly the policy versions it recorded (found
    among ``versions``, which may hold newer and older ones too)."""
    by_ref = {p.ref: p for p in versions}
    missing = [ref for ref in evaluation.policies if ref not in by_ref]
    if missing:
        ref = missing[0]
        raise not_found("policy version", f"{ref.id}@{ref.version}", zh_kind="政策版本")
    used = [by_ref[ref] for ref in evaluation.policies]
    return evaluate(used, evaluation.subject, evaluation.on)


# -- one policy for one beneficiary ----------------------------------------------------


def _result(policy: Policy, party_id: str | None, verdict: Verdict) -> PolicyResult:
    return PolicyResult(policy.ref, policy.issuer.level, party_id, verdict)


def _one(
    policy: Policy, subject: PolicySubject, party: PolicyParty | None, on: date
) -> PolicyResult:
    pid = party.id if party else None
    if on < policy.effective_from:
        why = Message(
            f"自 {policy.effective_from} 起生效", f"in force from {policy.effective_from}"
        )
        return replace(_result(policy, pid, Verdict.NOT_YET_EFFECTIVE), reasons=(why,))
    if policy.effective_until is not None and on > policy.effective_until:
        why = Message(
            f"已于 {policy.effective_until} 后失效", f"expired after {policy.effective_until}"
        )
        return replace(_result(policy, pid, Verdict.EXPIRED), reasons=(why,))
    facts = known(subject.facts, party.facts if party else None)
    held = run(policy.condition, policy.scope, facts)
    if isinstance(held, Failure):
        verdict = Verdict.MISSING_FACTS if held.missing else Verdict.FAILED
        return replace(
            _result(policy, pid, verdict), reasons=(held.message,), missing_facts=held.missing
        )
    if held is not True:
        failed = _failed_clauses(policy, facts)
        shown = "；".join(failed)
        why = Message(f"条件不成立：{shown}", f"the condition does not hold: {'; '.join(failed)}")
        return replace(
            _result(policy, pid, Verdict.NOT_APPLICABLE), reasons=(why,), failed_clauses=failed
        )
    documents = subject.documents | (party.documents if party else frozenset())
    base = replace(
        _result(policy, pid, Verdict.APPLIES),
        eligibility=policy.outcome.eligibility,
        note=policy.outcome.note,
        missing_evidence=tuple(e for e in policy.evidence if _lacks(e, facts, documents)),
    )
    if policy.outcome.amount is None:
        return base
    return _amount(policy, base, run(policy.outcome.amount, policy.scope, facts))


def _failed_clauses(policy: Policy, facts: dict[str, Scalar]) -> tuple[str, ...]:
    clauses = conjuncts(policy.condition)
    if len(clauses) == 1:
        return clauses
    failed = tuple(c for c in clauses if run(c, policy.scope, facts) is False)
    return failed or (policy.condition.strip(),)


def _amount(policy: Policy, base: PolicyResult, value: Scalar | Failure) -> PolicyResult:
    if isinstance(value, Failure):
        return replace(base, reasons=(value.message,), missing_facts=value.missing)
    if isinstance(value, bool | str) or not math.isfinite(value) or value < 0:
        why = Message(
            f"金额公式的结果不是非负的有限数：{value}",
            f"the amount formula gave {value}, not a finite amount of at least zero",
        )
        return replace(base, reasons=(why,))
    computed = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    cap = policy.outcome.cap
    if cap is not None and computed > cap:
        return replace(base, amount=cap.quantize(CENT), computed=computed, capped=True)
    return replace(base, amount=computed, computed=computed)


def _lacks(item: Evidence, facts: dict[str, Scalar], documents: frozenset[str]) -> bool:
    if item.fact is not None:
        return facts.get(item.fact) in (None, False)
    return item.document not in documents


# -- combination -----------------------------------------------------------------------


def _combine(results: list[PolicyResult], exclusive: dict[PolicyRef, str]) -> list[PolicyResult]:
    """Mark the amounts that count: all of them, except that of the policies sharing an
    exclusive group for one beneficiary only the largest counts (ties: the smaller id)."""
    groups: dict[tuple[str | None, str], list[int]] = {}
    counted = [r.verdict is Verdict.APPLIES and r.amount is not None for r in results]
    for i, r in enumerate(results):
        if counted[i] and (group := exclusive.get(r.policy)) is not None:
            groups.setdefault((r.party_id, group), []).append(i)
    superseded: dict[int, PolicyRef] = {}
    for members in groups.values():
        best = min(members, key=lambda i: (-(results[i].amount or ZERO), results[i].policy.id))
        for i in members:
            if i != best:
                superseded[i] = results[best].policy
    return [
        replace(r, counted=counted[i] and i not in superseded, superseded_by=superseded.get(i))
        for i, r in enumerate(results)
    ]


def _support(party_id: str | None, results: list[PolicyResult]) -> Support | None:
    mine = [r for r in results if r.party_id == party_id and r.verdict is Verdict.APPLIES]
    if not mine:
        return None
    by_level: dict[IssuerLevel, Decimal] = {}
    for r in mine:
        if r.counted and r.amount is not None:
            by_level[r.level] = by_level.get(r.level, ZERO) + r.amount
    return Support(
        party_id=party_id,
        total=sum(by_level.values(), ZERO),
        by_level=tuple((level, by_level[level]) for level in IssuerLevel if level in by_level),
        policies=tuple(r.policy for r in mine),
    )
