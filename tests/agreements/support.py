"""Helpers of the agreements domain's tests: the actors, the terms of a typical
agreement, agreements brought to each stage, and a check that a refusal is bilingual and
names its fields."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from boyin_agreements.agreements.domain import Agreement
from boyin_agreements.agreements.milestones import MilestonePlan
from boyin_agreements.agreements.offers import offer_from_match
from boyin_agreements.agreements.parties import Party
from boyin_agreements.agreements.terms import Document
from boyin_shared.api.agreements import (
    AgreementStage,
    AmountKind,
    CooperationType,
    DocumentKind,
    MilestoneKind,
    MoneyIn,
    TermsIn,
    TextIn,
)
from boyin_shared.errors import BoyinError, Message
from boyin_shared.identity import Actor, Role

S = AgreementStage
TZ = ZoneInfo("Asia/Shanghai")
#: the day of the signing ceremony
NOW = datetime(2026, 12, 16, 10, tzinfo=TZ)
SIGNING_DAY = NOW.date()
DISTRICT = "500103"
MATCH_ID = "dem_supply~dem_demand"

TALENT = Actor("acc_t", Role.TALENT, party_id="tal_1")
ORG = Actor("acc_o", Role.ORGANISATION, party_id="org_1")
INVESTOR = Actor("acc_i", Role.INVESTOR, party_id="org_vc")
STRANGER = Actor("acc_x", Role.ORGANISATION, party_id="org_9")
OFFICER = Actor("acc_d", Role.DISTRICT_OFFICER, district_code=DISTRICT)
OTHER_OFFICER = Actor("acc_d2", Role.DISTRICT_OFFICER, district_code="500101")
MENTOR = Actor("acc_m", Role.MENTOR)
VISITOR = Actor("acc_p", Role.PUBLIC)
OPERATOR = Actor("acc_op", Role.OPERATOR)
ADMIN = Actor("acc_ad", Role.ADMIN)

SIDES = (
    Party.side("talent", "tal_1", "dem_supply"),
    Party.side("organisation", "org_1", "dem_demand"),
)

TERMS = TermsIn(
    title=TextIn(zh="新材料中试基地落地重庆", en="A new-materials pilot plant lands in Chongqing"),
    cooperation_type=CooperationType.TECHNOLOGY_TRANSFER,
    amounts={
        AmountKind.CONTRACT_VALUE: MoneyIn(amount=Decimal("15000000"), currency="CNY"),
        AmountKind.INVESTMENT: MoneyIn(amount=Decimal("2000000.5"), currency="usd"),
    },
    district_code=DISTRICT,
    edition_id="CQ2026",
)

DRAFT_CONTRACT = Document("att_1", "合同草稿.pdf", DocumentKind.DRAFT_CONTRACT)

_HAN = re.compile(r"[\u4e00-\u9fff]")


def later(minutes: int) -> datetime:
    return NOW + timedelta(minutes=minutes)


def bilingual(m: Message) -> None:
    """A message a person reads: Chinese in ``zh``, English (no Chinese) in ``en``."""
    assert _HAN.search(m.zh), m.zh
    assert re.search("[A-Za-z]", m.en) and not _HAN.search(m.en), m.en


def check_refusal(e: BoyinError, code: str, status: int, *fields: str) -> None:
    assert (e.code, e.status) == (code, status), (e.code, e.status, e.fields)
    bilingual(e.message)
    assert [f.field for f in e.fields] == list(fields)
    for f in e.fields:
        bilingual(f.message)


@contextmanager
def refused(code: str, status: int = 409, *fields: str) -> Iterator[None]:
    """The block raises ``code`` with ``status``, naming exactly ``fields``, in both
    languages."""
    with pytest.raises(BoyinError) as raised:
        yield
    check_refusal(raised.value, code, status, *fields)


def intention() -> Agreement:
    offered = offer_from_match(MATCH_ID, SIDES, NOW)
    assert offered is not None
    return offered[0]


def negotiating() -> Agreement:
    """With the terms of ``TERMS`` and a draft contract (``att_1``)."""
    a, _ = intention().advance(ORG, S.NEGOTIATING, later(1), "we want to talk")
    a, _ = a.amend(TALENT, TERMS, later(2))
    a, _ = a.attach_document(TALENT, DRAFT_CONTRACT, later(2))
    return a


def drafted() -> Agreement:
    a, _ = negotiating().advance(TALENT, S.DRAFTED, later(3))
    return a


def signed() -> Agreement:
    a, _ = drafted().confirm_signature(TALENT, "tal_1", later(4))
    a, _ = a.confirm_signature(ORG, "org_1", later(5))
    assert a.stage is S.SIGNED
    return a


def implementing(*due: date) -> Agreement:
    """Signed, implementing, with a required COMPANY_REGISTERED milestone per ``due``."""
    a, _ = signed().advance(ORG, S.IMPLEMENTING, later(6))
    for d in due:
        a, _ = a.plan_milestone(TALENT, MilestonePlan(MilestoneKind.COMPANY_REGISTERED, d), NOW)
    return a


def at_stage(stage: AgreementStage) -> Agreement:
    """An agreement at one of the stages before LANDED."""
    return {
        S.INTENTION: intention,
        S.NEGOTIATING: negotiating,
        S.DRAFTED: drafted,
        S.SIGNED: signed,
        S.IMPLEMENTING: implementing,
    }[stage]()
