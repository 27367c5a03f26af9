"""Every error the agreements and policies domains produce speaks the platform's one style:
UPPER_SNAKE codes (the error's and each field's), and Chinese messages that name stages and
milestone kinds in Chinese, never by their English enum values."""

from __future__ import annotations

import copy
import dataclasses
import json
import re
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from importlib import resources
from typing import Any

import pytest

from boyin_agreements.agreements.domain import Agreement
from boyin_agreements.agreements.milestones import MilestonePlan
from boyin_agreements.agreements.parties import Party
from boyin_agreements.agreements.roster import roster
from boyin_agreements.policies.domain import Evidence, Policy, validate
from boyin_agreements.policies.domain import Text as PolicyText
from boyin_agreements.policies.expressions import MAX_LENGTH, MAX_NESTING
from boyin_agreements.policies.facts import Scope
from boyin_agreements.policies.seed import fair_measures, read_policies
from boyin_agreements.policies.service import subject_of
from boyin_shared.api.agreements import (
    AgreementStage,
    AmountKind,
    MilestoneKind,
    MoneyIn,
    PartyFactsIn,
    TermsIn,
    TextIn,
)
from boyin_shared.errors import BoyinError
from tests.agreements.support import (
    NOW,
    OPERATOR,
    ORG,
    SIGNING_DAY,
    STRANGER,
    TALENT,
    TERMS,
    drafted,
    implementing,
    intention,
    later,
    negotiating,
    signed,
)

S = AgreementStage
UPPER_SNAKE = re.compile(r"[A-Z][A-Z0-9]*(_[A-Z0-9]+)*")
#: English words a Chinese message must not show for a stage or a milestone kind
#: what a Chinese message quotes (“...”): a value as typed, which may be an enum's
QUOTED = re.compile(r"“[^”]*”")
ENUM_WORDS = re.compile(
    r"\b(" + "|".join(m.value for e in (AgreementStage, MilestoneKind) for m in e) + r")\b"
)


def _terminated() -> Agreement:
    a, _ = negotiating().terminate(OPERATOR, later(9), "the talent withdrew")
    return a


def _bad_terms() -> TermsIn:
    return TERMS.model_copy(
        update={
            "title": TextIn(zh="x" * 1000),
            "district_code": "500103\n1",
            "amounts": {
                AmountKind.CONTRACT_VALUE: MoneyIn(amount=Decimal("-1"), currency="CNY"),
                AmountKind.INVESTMENT: MoneyIn(amount=Decimal("1"), currency="RMB"),
                AmountKind.HORIZONTAL_RESEARCH_FUNDS: MoneyIn(amount=Decimal("1.001")),
            },
        }
    )


def _bad_policy(**changes: Any) -> Policy:
    [base, *_] = fair_measures()
    return dataclasses.replace(base, **changes)


def _broken_seed() -> dict[str, Any]:
    text = resources.files("boyin_agreements.policies").joinpath("data", "fair-measures.json")
    data: dict[str, Any] = json.loads(text.read_text("utf-8"))
    items = data["policies"]
    items.append(copy.deepcopy(items[0]))  # the same id and version again
    items[0]["condition"] = "party.signed &&"
    items[1]["outcome"]["cap"] = "a lot"
    items[2]["scope"] = "EVERYONE"
    items[3]["effective_from"] = "16/12/2026"
    items[4]["version"] = "1"
    return data


#: bad inputs, each a call that must be refused
BAD: dict[str, Callable[[], object]] = {
    # the agreement's pipeline
    "skips a stage": lambda: intention().advance(OPERATOR, S.SIGNED, later(10)),
    "goes backwards": lambda: drafted().advance(OPERATOR, S.INTENTION, later(10)),
    "drafts without terms": lambda: intention().advance(OPERATOR, S.DRAFTED, later(10)),
    "changes a closed one": lambda: _terminated().advance(OPERATOR, S.NEGOTIATING, later(10)),
    "terminates without a reason": lambda: negotiating().terminate(OPERATOR, later(10), None),
    "a stranger acts": lambda: negotiating().advance(STRANGER, S.DRAFTED, later(10)),
    # terms and parties
    "bad terms": lambda: negotiating().amend(TALENT, _bad_terms(), later(10)),
    "bad parties": lambda: negotiating().change_parties(
        OPERATOR,
        (Party.side("talent", "tal_1"), Party.side("talent", "tal_1"), Party.side("talent", "")),
        later(10),
    ),
    "too few parties": lambda: negotiating().change_parties(
        OPERATOR, (Party.side("talent", "tal_1"),), later(10)
    ),
    "adds a talent": lambda: negotiating().add_party(
        OPERATOR, Party.side("talent", "tal_2"), later(10)
    ),
    "adds a party twice": lambda: negotiating().add_party(
        OPERATOR, Party.side("organisation", "org_1"), later(10)
    ),
    "removes the talent": lambda: negotiating().remove_party(OPERATOR, "tal_1", later(10)),
    "removes a stranger": lambda: negotiating().remove_party(OPERATOR, "org_x", later(10)),
    "adds after signing": lambda: signed().add_party(
        OPERATOR, Party.side("organisation", "org_2"), later(10)
    ),
    # signing
    "confirms in the wrong stage": lambda: negotiating().confirm_signature(
        TALENT, "tal_1", later(10)
    ),
    "confirms for another party": lambda: drafted().confirm_signature(OPERATOR, "org_9", later(10)),
    "signs unconfirmed": lambda: drafted().advance(OPERATOR, S.SIGNED, later(10)),
    # milestones
    "plans before signing": lambda: negotiating().plan_milestone(
        TALENT, MilestonePlan(MilestoneKind.FUNDS_RECEIVED, SIGNING_DAY), later(10)
    ),
    "plans an unnamed OTHER due before the signature": lambda: signed().plan_milestone(
        TALENT, MilestonePlan(MilestoneKind.OTHER, SIGNING_DAY - timedelta(days=1)), later(10)
    ),
    "reaches in the future": lambda: implementing(SIGNING_DAY).reach_milestone(
        ORG, "ms_1", SIGNING_DAY + timedelta(days=3), NOW
    ),
    "replans a reached one": lambda: (
        implementing(SIGNING_DAY)
        .reach_milestone(ORG, "ms_1", SIGNING_DAY, NOW)[0]
        .plan_milestone(
            TALENT,
            MilestonePlan(MilestoneKind.FUNDS_RECEIVED, SIGNING_DAY, milestone_id="ms_1"),
            NOW,
        )
    ),
    "follows up without a note": lambda: implementing(SIGNING_DAY).follow_up(
        OPERATOR, "ms_1", " ", NOW
    ),
    "lands with a milestone open": lambda: implementing(SIGNING_DAY).advance(
        OPERATOR, S.LANDED, later(10)
    ),
    "lands without milestones": lambda: implementing().advance(OPERATOR, S.LANDED, later(10)),
    "a bad roster": lambda: roster("CQ2026", [signed()], ["agr_x", "agr_x"], {}),
    # policies
    "a bad policy": lambda: validate(
        _bad_policy(
            id="Not An Id",
            version=0,
            effective_until=date(2000, 1, 1),
            condition="party.nope && agreement.stage == 'signed'",
            outcome=dataclasses.replace(_bad_policy().outcome, amount="true", cap=Decimal("-1")),
            evidence=(Evidence("k", PolicyText("证明", "proof"), fact="party.nope"),)
            + (Evidence("k", PolicyText("证明", "proof")),) * 2,
        )
    ),
    "a wrong type": lambda: validate(_bad_policy(condition="party.previous_year_national_funds")),
    "a syntax error": lambda: validate(_bad_policy(condition="party.signed &&")),
    "an unknown value": lambda: validate(_bad_policy(condition='agreement.stage == "signed"')),
    "too long": lambda: validate(_bad_policy(condition="true || " * MAX_LENGTH + "true")),
    "too deep": lambda: validate(
        _bad_policy(condition="(" * (MAX_NESTING + 1) + "true" + ")" * (MAX_NESTING + 1))
    ),
    "a party fact in an agreement policy": lambda: validate(
        _bad_policy(scope=Scope.AGREEMENT, condition="party.signed")
    ),
    "a broken seed": lambda: read_policies(_broken_seed()),
    "a seed without a list": lambda: read_policies({"policies": {}}),
    "bad stated facts": lambda: subject_of(
        signed(),
        [
            PartyFactsIn(
                party_id="tal_1",
                facts={
                    "signed": True,
                    "nope": 1,
                    "leads_national_project": "yes",
                    "previous_year_national_funds": True,
                    "kind": "alien",
                },
            ),
            PartyFactsIn(party_id="org_9"),
        ],
    ),
}


@pytest.mark.parametrize("attempt", BAD.values(), ids=BAD.keys())
def test_every_refusal_is_upper_snake_and_chinese_in_chinese(
    attempt: Callable[[], object],
) -> None:
    with pytest.raises(BoyinError) as raised:
        attempt()
    e = raised.value
    assert UPPER_SNAKE.fullmatch(e.code), e.code
    assert not ENUM_WORDS.search(QUOTED.sub("", e.message.zh)), e.message.zh
    for f in e.fields:
        assert UPPER_SNAKE.fullmatch(f.code), (f.field, f.code)
        assert not ENUM_WORDS.search(QUOTED.sub("", f.message.zh)), (f.field, f.message.zh)


def test_the_walk_meets_the_domains_field_codes() -> None:
    """The bad inputs above reach a good spread of the codes (so the check means something)."""
    codes: set[str] = set()
    for attempt in BAD.values():
        try:
            attempt()
        except BoyinError as e:
            codes |= {f.code for f in e.fields}
    assert {
        "BACKWARDS",
        "SKIPPED",
        "CLOSED",
        "WRONG_STAGE",
        "NOT_REACHED",
        "NONE_REQUIRED",
        "NEGATIVE",
        "UNKNOWN_CURRENCY",
        "SYNTAX",
        "UNKNOWN_FACT",
        "WRONG_TYPE",
        "TOO_DEEP",
        "TOO_LONG",
        "UNKNOWN_VALUE",
        "BAD_TYPE",
        "DUPLICATE",
        "NOT_A_PARTY",
        "NOT_A_BOOL",
        "NOT_A_NUMBER",
    } <= codes, sorted(codes)
