"""The signing ceremony's roster: the signed agreements of an edition an operator puts on
stage, in the operator's order, with names, titles and headline figures."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from boyin_agreements.agreements.domain import Agreement
from boyin_agreements.agreements.roster import RosterRow, roster
from boyin_agreements.agreements.terms import Text
from boyin_shared.api.agreements import AmountKind, CooperationType, MoneyIn, TermsIn, TextIn
from tests.agreements.support import (
    ORG,
    TALENT,
    TERMS,
    S,
    drafted,
    later,
    negotiating,
    refused,
    signed,
)

NAMES = {
    "tal_1": Text("张博士团队", "Dr Zhang's team"),
    "org_1": Text("重庆某新材料公司", "A Chongqing materials company"),
}


def signed_with(agreement_id: str, terms: TermsIn) -> Agreement:
    a = dataclasses.replace(negotiating(), id=agreement_id)
    a, _ = a.amend(TALENT, terms, later(2))
    a, _ = a.advance(TALENT, S.DRAFTED, later(3))
    a, _ = a.confirm_signature(TALENT, "tal_1", later(4))
    a, _ = a.confirm_signature(ORG, "org_1", later(5))
    return a


def test_the_roster_follows_the_operator_s_order() -> None:
    first = signed_with("ag_a", TERMS)
    licence = TERMS.model_copy(
        update={
            "title": TextIn(zh="专利许可", en="A patent licence"),
            "cooperation_type": CooperationType.LICENCE,
            "amounts": {
                AmountKind.START_UP_FUNDS: MoneyIn(amount=Decimal("800000"), currency="JPY")
            },
        }
    )
    second = signed_with("ag_b", licence)
    no_amount = signed_with("ag_c", TERMS.model_copy(update={"amounts": {}}))
    rows = roster("CQ2026", [first, second, no_amount], ["ag_b", "ag_c", "ag_a"], NAMES)
    assert rows == [
        RosterRow(
            order=1,
            agreement_id="ag_b",
            parties=(NAMES["tal_1"], NAMES["org_1"]),
            title=Text("专利许可", "A patent licence"),
            cooperation_type=CooperationType.LICENCE,
            headline="JPY 800,000",
        ),
        RosterRow(
            order=2,
            agreement_id="ag_c",
            parties=(NAMES["tal_1"], NAMES["org_1"]),
            title=Text(TERMS.title.zh, TERMS.title.en),
            cooperation_type=CooperationType.TECHNOLOGY_TRANSFER,
            headline=None,
        ),
        RosterRow(
            order=3,
            agreement_id="ag_a",
            parties=(NAMES["tal_1"], NAMES["org_1"]),
            title=Text(TERMS.title.zh, TERMS.title.en),
            cooperation_type=CooperationType.TECHNOLOGY_TRANSFER,
            headline="CNY 15,000,000.00",
        ),
    ]


def test_only_the_agreements_listed_are_on_stage() -> None:
    rows = roster(
        "CQ2026", [signed_with("ag_a", TERMS), signed_with("ag_b", TERMS)], ["ag_b"], NAMES
    )
    assert [r.agreement_id for r in rows] == ["ag_b"]


def test_a_party_without_a_name_shows_its_id() -> None:
    [row] = roster("CQ2026", [signed()], [signed().id], {"org_1": NAMES["org_1"]})
    assert row.parties == (Text("tal_1", "tal_1"), NAMES["org_1"])


def test_unsigned_other_editions_and_duplicates_are_refused_by_place() -> None:
    other_edition = signed_with("ag_2025", TERMS.model_copy(update={"edition_id": "CQ2025"}))
    unsigned = dataclasses.replace(drafted(), id="ag_draft")
    ok = signed_with("ag_ok", TERMS)
    with refused("VALIDATION_FAILED", 422, "order.1", "order.2", "order.3", "order.4"):
        roster(
            "CQ2026",
            [other_edition, unsigned, ok],
            ["ag_ok", "ag_2025", "ag_draft", "ag_ok", "ag_unknown"],
            NAMES,
        )
