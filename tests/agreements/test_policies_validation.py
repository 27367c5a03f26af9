"""Saving a support policy: every expression is compiled and type-checked against the
declared facts; each refusal names its field, in Chinese and English, all at once."""

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
    Text,
    check_revision,
    latest,
    validate,
)
from boyin_agreements.policies.expressions import MAX_LENGTH, MAX_NESTING
from boyin_agreements.policies.facts import Scope
from boyin_shared.errors import BoyinError, FieldError


def policy(**changes: Any) -> Policy:
    base = Policy(
        id="test.reward",
        version=1,
        title=Text("奖励", "Reward"),
        issuer=Issuer(IssuerLevel.CITY, Text("重庆市", "Chongqing")),
        scope=Scope.PARTY,
        effective_from=date(2026, 12, 16),
        effective_until=None,
        condition="party.leads_national_project",
        outcome=Outcome(
            Text("奖励", "a reward"),
            amount="party.previous_year_national_funds * 0.03",
            cap=Decimal("1000000"),
        ),
    )
    return dataclasses.replace(base, **changes)


def outcome(**changes: Any) -> Outcome:
    return dataclasses.replace(policy().outcome, **changes)


def refusals(p: Policy) -> list[FieldError]:
    with pytest.raises(BoyinError) as caught:
        validate(p)
    assert caught.value.code == "VALIDATION_FAILED" and caught.value.status == 422
    for f in caught.value.fields:  # both languages, always
        assert f.message.zh.strip() and f.message.en.strip(), f
        assert f.message.zh != f.message.en, f
    return caught.value.fields


def only(p: Policy) -> FieldError:
    [problem] = refusals(p)
    return problem


def test_a_sound_policy_is_returned_as_it_is() -> None:
    p = policy()
    assert validate(p) is p
    assert (
        validate(
            policy(
                scope=Scope.AGREEMENT,
                condition='agreement.stage == "SIGNED"',
                outcome=outcome(amount="agreement.investment * 0.01"),
            )
        ).scope
        is Scope.AGREEMENT
    )


def test_bad_syntax_is_refused_on_the_condition() -> None:
    f = only(policy(condition="party.leads_national_project &&"))
    assert (f.field, f.code) == ("condition", "SYNTAX")
    assert "line 1, column 32" in f.message.en and "第1行第32列" in f.message.zh
    assert "-1" not in f.message.en


def test_bad_syntax_in_the_formula_is_refused_on_the_amount() -> None:
    f = only(policy(outcome=outcome(amount="party.previous_year_national_funds * ")))
    assert (f.field, f.code) == ("outcome.amount", "SYNTAX")


def test_a_field_not_in_the_facts_is_refused() -> None:
    f = only(policy(condition="party.leads_nationl_project"))
    assert (f.field, f.code) == ("condition", "UNKNOWN_FACT")
    assert "party.leads_nationl_project" in f.message.en
    assert "party.leads_nationl_project" in f.message.zh
    f = only(policy(outcome=outcome(amount="agreement.turnover * 0.1")))
    assert (f.field, f.code) == ("outcome.amount", "UNKNOWN_FACT")
    assert "agreement.turnover" in f.message.en


def test_a_party_fact_is_unknown_to_a_policy_for_the_agreement() -> None:
    f = only(policy(scope=Scope.AGREEMENT, outcome=outcome(amount=None, cap=None)))
    assert (f.field, f.code) == ("condition", "UNKNOWN_FACT")
    assert "per party" in f.message.en and "参与方" in f.message.zh


def test_a_condition_must_give_a_bool() -> None:
    f = only(policy(condition="party.previous_year_national_funds * 0.03"))
    assert (f.field, f.code) == ("condition", "WRONG_TYPE")
    assert "bool" in f.message.en and "double" in f.message.en and "布尔" in f.message.zh


def test_an_amount_must_give_a_number() -> None:
    f = only(policy(outcome=outcome(amount="party.leads_national_project")))
    assert (f.field, f.code) == ("outcome.amount", "WRONG_TYPE")
    assert "number" in f.message.en and "数字" in f.message.zh
    f = only(policy(outcome=outcome(amount='agreement.district + "x"')))
    assert (f.field, f.code) == ("outcome.amount", "WRONG_TYPE")
    # whole numbers are numbers too
    assert validate(policy(outcome=outcome(amount="1000"))).outcome.amount == "1000"


def test_operands_of_the_wrong_type_are_refused_with_a_hint() -> None:
    f = only(policy(condition="party.horizontal_project_funds > 200000"))
    assert (f.field, f.code) == ("condition", "WRONG_TYPE")
    assert "200000.0" in f.message.en and "200000.0" in f.message.zh


def test_a_value_an_enumerated_fact_never_takes_is_refused() -> None:
    f = only(policy(condition='agreement.stage == "signed" && party.signed'))
    assert (f.field, f.code) == ("condition", "UNKNOWN_VALUE")
    assert '"signed"' in f.message.en and "SIGNED" in f.message.en
    f = only(policy(condition='agreement.stage in ["SIGNED", "landed"]'))
    assert "landed" in f.message.en and "landed" in f.message.zh
    assert validate(policy(condition='"talent" == party.kind')).condition


def test_an_expression_too_long_is_refused_before_compiling() -> None:
    long = " || ".join(["party.signed"] * (MAX_LENGTH // 16 + 1))
    assert len(long) > MAX_LENGTH
    f = only(policy(condition=long))
    assert (f.field, f.code) == ("condition", "TOO_LONG")
    assert str(MAX_LENGTH) in f.message.en and str(MAX_LENGTH) in f.message.zh


def test_an_expression_too_deep_is_refused() -> None:
    deep = "(" * (MAX_NESTING + 1) + "party.signed" + ")" * (MAX_NESTING + 1)
    f = only(policy(condition=deep))
    assert (f.field, f.code) == ("condition", "TOO_DEEP")
    # the parser's own limit (any kind of nesting) is reported the same way
    chain = " + ".join(["1.0"] * 40) + " > 0.0"
    assert len(chain) < MAX_LENGTH
    f = only(policy(condition=chain))
    assert (f.field, f.code) == ("condition", "TOO_DEEP")
    assert validate(policy(condition="(" * MAX_NESTING + "party.signed" + ")" * MAX_NESTING))


def test_an_empty_condition_is_refused() -> None:
    f = only(policy(condition="  "))
    assert (f.field, f.code) == ("condition", "REQUIRED")


def test_every_problem_is_reported_at_once() -> None:
    bad = policy(
        id="Not An Id",
        version=0,
        title=Text("", "Reward"),
        issuer=Issuer(IssuerLevel.DISTRICT, Text()),
        effective_until=date(2026, 1, 1),
        condition="party.nope",
        outcome=Outcome(Text(), amount="party.signed", cap=Decimal("-1")),
        evidence=(
            Evidence("proof", Text("证明", "proof"), fact="party.nope"),
            Evidence("proof", Text("证明", "proof"), fact="party.signed", document="x"),
            Evidence("", Text()),
        ),
        exclusive_group=" ",
    )
    fields = {(f.field, f.code) for f in refusals(bad)}
    assert fields == {
        ("id", "BAD_ID"),
        ("version", "BAD_VERSION"),
        ("title.zh", "REQUIRED"),
        ("issuer.name", "REQUIRED"),
        ("effective_until", "END_BEFORE_START"),
        ("condition", "UNKNOWN_FACT"),
        ("outcome.eligibility", "REQUIRED"),
        ("outcome.amount", "WRONG_TYPE"),
        ("outcome.cap", "NOT_POSITIVE"),
        ("evidence.0.fact", "UNKNOWN_FACT"),
        ("evidence.1.key", "DUPLICATE"),
        ("evidence.1", "FACT_OR_DOCUMENT"),
        ("evidence.2.key", "REQUIRED"),
        ("evidence.2.title", "REQUIRED"),
        ("evidence.2", "FACT_OR_DOCUMENT"),
        ("exclusive_group", "REQUIRED"),
    }


def test_a_cap_needs_an_amount() -> None:
    f = only(policy(outcome=outcome(amount=None)))
    assert (f.field, f.code) == ("outcome.cap", "CAP_WITHOUT_AMOUNT")


def test_evidence_reads_only_facts_of_its_scope() -> None:
    p = policy(
        scope=Scope.AGREEMENT,
        condition="agreement.investment > 0.0",
        outcome=outcome(amount=None, cap=None),
        evidence=(Evidence("on_site", Text("到场", "on site"), fact="party.attended_on_site"),),
    )
    f = only(p)
    assert (f.field, f.code) == ("evidence.0.fact", "UNKNOWN_FACT")


def test_a_change_is_the_next_version_and_the_old_one_is_kept() -> None:
    v1 = policy()
    v2 = v1.revised(outcome=outcome(cap=Decimal("500000")))
    assert (v2.id, v2.version, v2.outcome.cap) == (v1.id, 2, Decimal("500000"))
    assert v1.version == 1 and v1.outcome.cap == Decimal("1000000")
    assert latest([v2, v1, policy(id="other")]) == (policy(id="other"), v2)
    check_revision(v1, v2)
    check_revision(None, v1)
    with pytest.raises(BoyinError) as caught:
        check_revision(v1, dataclasses.replace(v2, version=3))
    assert caught.value.code == "STALE_POLICY_VERSION" and caught.value.status == 409
    # a revision is validated like any save
    with pytest.raises(BoyinError):
        v1.revised(condition="party.nope")
