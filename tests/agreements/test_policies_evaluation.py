"""Evaluating support policies for an agreement: which apply and why not, amounts with
caps, missing facts and evidence, combination across issuers, reproducibility."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from boyin_agreements.policies.domain import (
    Evidence,
    Issuer,
    IssuerLevel,
    Outcome,
    Policy,
    PolicyRef,
    Text,
    validate,
)
from boyin_agreements.policies.evaluation import Evaluation, Verdict, evaluate, replay
from boyin_agreements.policies.facts import (
    AgreementFacts,
    PartyFacts,
    PolicyParty,
    PolicySubject,
    Scope,
)
from boyin_agreements.policies.seed import fair_measures
from boyin_shared.errors import BoyinError

D = Decimal
ON = date(2027, 3, 1)
REWARD = "fair.national-project-reward"
DISTRICT = "example.liangjiang-startup-subsidy"


def leader(funds: str | None, pid: str = "tal_1", **more: Any) -> PolicyParty:
    facts = PartyFacts(
        **{
            "kind": "talent",
            "signed": True,
            "leads_national_project": True,
            "previous_year_national_funds": None if funds is None else D(funds),
            **more,
        }
    )
    return PolicyParty(pid, facts)


def signed(*parties: PolicyParty, **facts: Any) -> PolicySubject:
    return PolicySubject("ag_1", AgreementFacts(stage="SIGNED", **facts), parties)


def reward(funds: str, on: date = ON) -> tuple[Decimal | None, Decimal | None, bool]:
    r = evaluate(fair_measures(), signed(leader(funds)), on).result(REWARD, "tal_1")
    assert r.verdict is Verdict.APPLIES
    return r.amount, r.computed, r.capped


def policy(**changes: Any) -> Policy:
    base = Policy(
        id="test.grant",
        version=1,
        title=Text("资助", "Grant"),
        issuer=Issuer(IssuerLevel.DEPARTMENT, Text("市科技局", "S&T bureau")),
        scope=Scope.AGREEMENT,
        effective_from=date(2027, 1, 1),
        effective_until=date(2027, 12, 31),
        condition='agreement.stage == "SIGNED"',
        outcome=Outcome(Text("资助", "a grant"), amount="agreement.contract_value * 0.1"),
    )
    return validate(dataclasses.replace(base, **changes))


# -- the 3% rule and its cap -----------------------------------------------------------


def test_three_percent_below_the_cap() -> None:
    assert reward("20000000") == (D("600000.00"), D("600000.00"), False)
    assert reward("33333333") == (D("999999.99"), D("999999.99"), False)


def test_three_percent_at_the_cap() -> None:
    assert reward("33333333.34") == (D("1000000.00"), D("1000000.00"), False)


def test_three_percent_beyond_the_cap_is_capped() -> None:
    assert reward("33333334") == (D("1000000.00"), D("1000000.02"), True)
    assert reward("40000000") == (D("1000000.00"), D("1200000.00"), True)


def test_the_reward_needs_the_funds_and_says_so() -> None:
    r = evaluate(fair_measures(), signed(leader(None)), ON).result(REWARD, "tal_1")
    assert r.verdict is Verdict.APPLIES and r.amount is None
    assert r.missing_facts == ("party.previous_year_national_funds",)
    assert "party.previous_year_national_funds" in r.reasons[0].en
    assert [e.key for e in r.missing_evidence] == [
        "national_project_approval",
        "national_funds_statement",
        "previous_year_national_funds",
    ]


def test_evidence_held_is_not_missing() -> None:
    party = dataclasses.replace(
        leader("20000000"), documents=frozenset({"national_funds_statement"})
    )
    subject = dataclasses.replace(signed(party), documents=frozenset({"national_project_approval"}))
    r = evaluate(fair_measures(), subject, ON).result(REWARD, "tal_1")
    assert r.missing_evidence == ()


# -- why a policy does not apply ---------------------------------------------------------


def test_a_condition_that_does_not_hold_names_the_failing_clause() -> None:
    subject = signed(leader("20000000", leads_national_project=False))
    subject = dataclasses.replace(subject, facts=AgreementFacts(stage="NEGOTIATING"))
    r = evaluate(fair_measures(), subject, ON).result(REWARD, "tal_1")
    assert r.verdict is Verdict.NOT_APPLICABLE and r.amount is None
    assert r.failed_clauses == (
        'agreement.stage in ["SIGNED", "IMPLEMENTING", "LANDED"]',
        "party.leads_national_project",
    )
    assert "party.leads_national_project" in r.reasons[0].en
    assert "party.leads_national_project" in r.reasons[0].zh


def test_a_condition_that_is_not_a_chain_is_named_whole() -> None:
    p = policy(condition='agreement.stage == "LANDED" || agreement.investment > 0.0')
    subject = PolicySubject("ag_1", AgreementFacts(stage="SIGNED", investment=D("0")))
    r = evaluate([p], subject, ON).result("test.grant")
    assert r.failed_clauses == (p.condition,)


def test_a_false_clause_decides_even_when_other_facts_are_unknown() -> None:
    subject = PolicySubject("ag_1", AgreementFacts(stage="INTENTION"))
    p = policy(condition='agreement.stage == "SIGNED" && agreement.investment > 0.0')
    r = evaluate([p], subject, ON).result("test.grant")
    assert r.verdict is Verdict.NOT_APPLICABLE
    assert r.failed_clauses == ('agreement.stage == "SIGNED"',)


def test_unknown_facts_leave_the_condition_undecided() -> None:
    subject = PolicySubject("ag_1", AgreementFacts())
    p = policy(condition='agreement.stage == "SIGNED" && agreement.investment > 0.0')
    r = evaluate([p], subject, ON).result("test.grant")
    assert r.verdict is Verdict.MISSING_FACTS
    assert r.missing_facts == ("agreement.investment", "agreement.stage")


def test_not_yet_effective_and_expired() -> None:
    p = policy()
    subject = PolicySubject("ag_1", AgreementFacts(stage="SIGNED", contract_value=D("100")))

    def verdict(on: date) -> Verdict:
        return evaluate([p], subject, on).result("test.grant").verdict

    assert verdict(date(2026, 12, 31)) is Verdict.NOT_YET_EFFECTIVE
    assert verdict(date(2027, 1, 1)) is Verdict.APPLIES
    assert verdict(date(2027, 12, 31)) is Verdict.APPLIES
    assert verdict(date(2028, 1, 1)) is Verdict.EXPIRED
    early = evaluate([p], subject, date(2026, 12, 31)).result("test.grant")
    assert "2027-01-01" in early.reasons[0].en and "2027-01-01" in early.reasons[0].zh
    late = evaluate([p], subject, date(2028, 1, 1))
    assert "2027-12-31" in late.result("test.grant").reasons[0].en
    assert late.total == D("0") and late.support == ()


def test_an_evaluation_error_is_reported_for_its_policy_only() -> None:
    broken = policy(id="test.broken", outcome=Outcome(Text("x", "x"), amount="1 / 0"))
    infinite = policy(
        id="test.infinite",
        outcome=Outcome(Text("x", "x"), amount="agreement.contract_value / 0.0"),
    )
    failing = policy(id="test.failing", condition="1 / 0 == 1")
    subject = PolicySubject("ag_1", AgreementFacts(stage="SIGNED", contract_value=D("1000")))
    e = evaluate([broken, infinite, failing, policy()], subject, ON)
    assert e.result("test.broken").verdict is Verdict.APPLIES
    assert e.result("test.broken").amount is None
    assert "divide by zero" in e.result("test.broken").reasons[0].en
    assert e.result("test.infinite").amount is None
    assert "inf" in e.result("test.infinite").reasons[0].en
    assert e.result("test.failing").verdict is Verdict.FAILED
    assert e.result("test.grant").amount == D("100.00")
    assert e.total == D("100.00")


def test_an_expression_that_would_run_long_is_stopped_and_reported() -> None:
    numbers = "[" + ",".join(str(i) for i in range(40)) + "]"
    bomb = f"{numbers}.all(a, {numbers}.all(b, {numbers}.all(c, {numbers}.all(d, true))))"
    p = policy(id="test.bomb", condition=bomb)  # short and shallow enough to be saved
    subject = PolicySubject("ag_1", AgreementFacts(stage="SIGNED", contract_value=D("1000")))
    e = evaluate([p, policy()], subject, ON)
    assert e.result("test.bomb").verdict is Verdict.FAILED
    assert "budget" in e.result("test.bomb").reasons[0].en
    assert e.result("test.grant").amount == D("100.00")


def test_a_policy_per_party_on_an_agreement_without_parties() -> None:
    e = evaluate(fair_measures(), signed(), ON)
    r = e.result(REWARD)
    assert r.verdict is Verdict.NOT_APPLICABLE and r.reasons[0].en == "the agreement has no parties"


# -- combination -----------------------------------------------------------------------


def test_city_and_district_support_combine() -> None:
    talent = leader("20000000", attended_on_site=True)
    subject = signed(talent, district="LJXQ", startup_funds=D("3000000"))
    e = evaluate(fair_measures(), subject, ON)
    assert e.result(REWARD, "tal_1").amount == D("600000.00")
    assert e.result(DISTRICT, "tal_1").amount == D("300000.00")
    assert e.result("fair.participation-subsidy", "tal_1").verdict is Verdict.APPLIES
    [support] = e.support
    assert support.party_id == "tal_1"
    assert support.by_level == (
        (IssuerLevel.CITY, D("600000.00")),
        (IssuerLevel.DISTRICT, D("300000.00")),
    )
    assert support.total == e.total == D("900000.00")
    assert (
        PolicyRef("fair.participation-subsidy", 1) in support.policies
    )  # no amount, still support


def test_the_district_policy_does_not_apply_elsewhere() -> None:
    subject = signed(leader("20000000"), district="500112", startup_funds=D("3000000"))
    e = evaluate(fair_measures(), subject, ON)
    r = e.result(DISTRICT, "tal_1")
    assert r.verdict is Verdict.NOT_APPLICABLE
    assert r.failed_clauses == ('agreement.district == "LJXQ"',)
    assert e.total == D("600000.00")


def test_policies_of_one_exclusive_group_do_not_combine() -> None:
    small = policy(id="test.small", exclusive_group="landing")
    large = policy(
        id="test.large",
        issuer=Issuer(IssuerLevel.DISTRICT, Text("两江新区", "Liangjiang")),
        outcome=Outcome(Text("资助", "a grant"), amount="agreement.contract_value * 0.2"),
        exclusive_group="landing",
    )
    other = policy(id="test.other")
    subject = PolicySubject("ag_1", AgreementFacts(stage="SIGNED", contract_value=D("1000")))
    e = evaluate([small, large, other], subject, ON)
    assert e.result("test.large").counted and not e.result("test.small").counted
    assert e.result("test.small").superseded_by == large.ref
    assert e.result("test.other").counted
    assert e.total == D("300.00")  # 200 + 100, not 200 + 100 + 100


# -- reproducibility -------------------------------------------------------------------


def test_an_evaluation_keeps_the_versions_it_used() -> None:
    v1 = policy()
    subject = PolicySubject("ag_1", AgreementFacts(stage="SIGNED", contract_value=D("1000")))
    stored = evaluate([v1], subject, ON)
    assert stored.policies == (PolicyRef("test.grant", 1),)
    assert stored.result("test.grant").policy == PolicyRef("test.grant", 1)

    v2 = v1.revised(
        outcome=Outcome(Text("资助", "a grant"), amount="agreement.contract_value * 0.5")
    )
    now = evaluate([v1, v2], subject, ON)  # the newest version is used
    assert now.policies == (PolicyRef("test.grant", 2),)
    assert now.total == D("500.00") != stored.total
    assert stored.total == D("100.00") and stored.policies == (PolicyRef("test.grant", 1),)
    # the stored evaluation is reproduced with the version it recorded, not the newest
    assert replay(stored, [v2, v1]) == stored
    assert replay(now, [v1, v2]) == now


def test_replay_needs_the_recorded_versions() -> None:
    stored: Evaluation = evaluate([policy()], PolicySubject("ag_1"), ON)
    with pytest.raises(BoyinError) as caught:
        replay(stored, [policy().revised()])
    assert caught.value.code == "NOT_FOUND" and "test.grant@1" in caught.value.message.en


def test_evidence_as_a_fact_must_hold() -> None:
    p = policy(
        evidence=(Evidence("value", Text("金额", "value"), fact="agreement.contract_value"),)
    )
    known = evaluate(
        [p], PolicySubject("ag_1", AgreementFacts(stage="SIGNED", contract_value=D("5"))), ON
    )
    assert known.result("test.grant").missing_evidence == ()
    q = policy(
        scope=Scope.PARTY,
        evidence=(Evidence("here", Text("到场", "on site"), fact="party.attended_on_site"),),
    )
    absent = PolicyParty("org_1", PartyFacts(attended_on_site=False))
    subject = PolicySubject(
        "ag_1", AgreementFacts(stage="SIGNED", contract_value=D("5")), (absent,)
    )
    assert [
        e.key for e in evaluate([q], subject, ON).result("test.grant", "org_1").missing_evidence
    ] == ["here"]
