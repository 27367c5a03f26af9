"""The fair's announced measures ship as data and load as validated policies; policies
read from data report every bad field, and the facts schema is the one source of the
expression language's declarations."""

from __future__ import annotations

import copy
import dataclasses
import json
from decimal import Decimal
from importlib import resources
from typing import Any

import pytest

from boyin_agreements.policies.domain import IssuerLevel
from boyin_agreements.policies.expressions import (
    Failure,
    Want,
    check,
    conjuncts,
    references,
    run,
)
from boyin_agreements.policies.facts import (
    AGREEMENT_FACTS,
    FACTS,
    PARTY_FACTS,
    AgreementFacts,
    FactKind,
    PartyFacts,
    Scope,
    known,
)
from boyin_agreements.policies.seed import fair_measures, read_policies
from boyin_shared.errors import BoyinError


def raw() -> dict[str, Any]:
    text = resources.files("boyin_agreements.policies").joinpath("data", "fair-measures.json")
    data: dict[str, Any] = json.loads(text.read_text("utf-8"))
    return data


def test_the_announced_measures_load_and_validate() -> None:
    policies = fair_measures()
    by_id = {p.id: p for p in policies}
    assert set(by_id) == {
        "fair.municipal-platform-priority",
        "fair.national-project-reward",
        "fair.horizontal-project-inclusion",
        "fair.participation-subsidy",
        "example.liangjiang-startup-subsidy",
    }
    reward = by_id["fair.national-project-reward"]
    assert reward.outcome.amount == "party.previous_year_national_funds * 0.03"
    assert reward.outcome.cap == Decimal("1000000")
    assert by_id["fair.municipal-platform-priority"].outcome.amount is None
    assert "200000.0" in by_id["fair.horizontal-project-inclusion"].condition
    assert by_id["example.liangjiang-startup-subsidy"].issuer.level is IssuerLevel.DISTRICT
    assert by_id["example.liangjiang-startup-subsidy"].title.en.startswith("(Example)")
    assert {p.issuer.level for p in policies} >= {IssuerLevel.CITY, IssuerLevel.DISTRICT}
    assert all(p.version == 1 and p.exclusive_group is None for p in policies)  # all combine
    assert all(p.title.zh and p.title.en and p.outcome.eligibility.en for p in policies)


def test_read_policies_reports_every_problem_of_every_policy() -> None:
    data = raw()
    broken = copy.deepcopy(data)
    items = broken["policies"]
    items[0]["condition"] = "party.signed &&"
    items[1]["outcome"]["cap"] = "a lot"
    items[2]["scope"] = "EVERYONE"
    items[3]["effective_from"] = "16/12/2026"
    items[4]["version"] = "1"
    items.append(copy.deepcopy(data["policies"][0]))  # the same id and version again
    with pytest.raises(BoyinError) as caught:
        read_policies(broken)
    fields = {(f.field, f.code) for f in caught.value.fields}
    assert fields == {
        ("policies.0.condition", "SYNTAX"),
        ("policies.1.outcome.cap", "BAD_TYPE"),
        ("policies.2.scope", "UNKNOWN_VALUE"),
        ("policies.3.effective_from", "BAD_TYPE"),
        ("policies.4.version", "BAD_TYPE"),
        ("policies.5.version", "DUPLICATE"),
    }
    assert all(f.message.zh and f.message.en for f in caught.value.fields)


def test_read_policies_refuses_a_document_without_a_list() -> None:
    with pytest.raises(BoyinError) as caught:
        read_policies({"policies": {}})
    assert [(f.field, f.code) for f in caught.value.fields] == [("policies", "BAD_TYPE")]


def test_a_policy_read_from_data_is_validated_like_a_save() -> None:
    data = raw()
    data["policies"] = [data["policies"][1]]
    data["policies"][0]["outcome"]["amount"] = "party.nope * 0.03"
    with pytest.raises(BoyinError) as caught:
        read_policies(data)
    [f] = caught.value.fields
    assert (f.field, f.code) == ("policies.0.outcome.amount", "UNKNOWN_FACT")


# -- the facts schema and the language -------------------------------------------------


def test_the_facts_derive_from_the_two_fact_classes() -> None:
    assert set(AGREEMENT_FACTS) == {
        f"agreement.{f.name}" for f in dataclasses.fields(AgreementFacts)
    }
    assert set(PARTY_FACTS) == {f"party.{f.name}" for f in dataclasses.fields(PartyFacts)}
    assert FACTS["agreement.contract_value"].kind is FactKind.NUMBER
    assert FACTS["agreement.contract_value"].unit == "CNY"
    assert FACTS["party.attended_on_site"].kind is FactKind.BOOL
    assert "SIGNED" in FACTS["agreement.stage"].values
    assert FACTS["party.kind"].label.zh and FACTS["party.kind"].label.en
    # every declared fact is readable by an expression, with its declared type
    for name, spec in FACTS.items():
        scope = Scope.AGREEMENT if name.startswith("agreement.") else Scope.PARTY
        want = Want.NUMBER if spec.kind is FactKind.NUMBER else Want.BOOL
        text = name if spec.kind is not FactKind.TEXT else f"size({name}) > 0"
        assert check(text, scope, want) == [], name


def test_known_facts_leave_out_the_unknown_and_give_numbers_as_doubles() -> None:
    facts = known(
        AgreementFacts(stage="SIGNED", investment=Decimal("2.5")), PartyFacts(signed=False)
    )
    assert facts == {
        "agreement.stage": "SIGNED",
        "agreement.investment": 2.5,
        "party.signed": False,
    }
    assert run("agreement.investment * 2.0", Scope.PARTY, facts) == 5.0
    missing = run("party.attended_on_site", Scope.PARTY, facts)
    assert isinstance(missing, Failure) and missing.missing == ("party.attended_on_site",)


def test_references_and_clauses_ignore_string_literals() -> None:
    text = 'agreement.district == "party.kind && x" && (party.signed || party.kind == "a?b")'
    assert references(text) == {"agreement.district", "party.signed", "party.kind"}
    assert conjuncts(text) == (
        'agreement.district == "party.kind && x"',
        '(party.signed || party.kind == "a?b")',
    )
    assert conjuncts("party.signed || party.attended_on_site && party.kind == 'x'") == (
        "party.signed || party.attended_on_site && party.kind == 'x'",
    )
