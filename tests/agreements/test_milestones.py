"""Milestones of a signed agreement: planned no earlier than the signature, reached once,
followed up by the landing district, and each overdue one announced once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from boyin_agreements.agreements.domain import Agreement
from boyin_agreements.agreements.milestones import MilestonePlan
from boyin_shared.api.agreements import MilestoneKind
from boyin_shared.contracts.agreements import MilestoneChange
from boyin_shared.errors import BoyinError
from tests.agreements.support import (
    NOW,
    OFFICER,
    OPERATOR,
    ORG,
    SIGNING_DAY,
    TALENT,
    S,
    check_refusal,
    drafted,
    implementing,
    later,
    refused,
    signed,
)

K = MilestoneKind
JAN_10, FEB_10 = date(2027, 1, 10), date(2027, 2, 10)
IN_MARCH = NOW + timedelta(days=90)


def test_milestones_are_planned_once_signed() -> None:
    a, events = signed().plan_milestone(TALENT, MilestonePlan(K.FUNDS_RECEIVED, JAN_10), NOW)
    a, _ = a.plan_milestone(ORG, MilestonePlan(K.TEAM_ARRIVED, FEB_10, required=False), NOW)
    assert events == []
    assert [(m.id, m.kind, m.due, m.required) for m in a.milestones] == [
        ("ms_1", K.FUNDS_RECEIVED, JAN_10, True),
        ("ms_2", K.TEAM_ARRIVED, FEB_10, False),
    ]
    with refused("WRONG_STAGE", 409, "stage"):
        drafted().plan_milestone(TALENT, MilestonePlan(K.FUNDS_RECEIVED, JAN_10), NOW)


def test_a_milestone_due_before_the_signature_is_refused() -> None:
    day_before = SIGNING_DAY - timedelta(days=1)
    with pytest.raises(BoyinError) as raised:
        signed().plan_milestone(TALENT, MilestonePlan(K.COMPANY_REGISTERED, day_before), NOW)
    check_refusal(raised.value, "VALIDATION_FAILED", 422, "due")
    assert "2026-12-16" in raised.value.fields[0].message.en
    assert "签约日期" in raised.value.fields[0].message.zh
    # the signing day itself is fine
    a, _ = signed().plan_milestone(TALENT, MilestonePlan(K.COMPANY_REGISTERED, SIGNING_DAY), NOW)
    assert a.milestones[0].due == SIGNING_DAY


def test_an_other_milestone_says_what_it_is() -> None:
    with refused("VALIDATION_FAILED", 422, "label"):
        signed().plan_milestone(TALENT, MilestonePlan(K.OTHER, JAN_10, label="  "), NOW)
    with refused("VALIDATION_FAILED", 422, "label", "due"):
        signed().plan_milestone(TALENT, MilestonePlan(K.OTHER, date(2020, 1, 1)), NOW)
    plan = MilestonePlan(K.OTHER, JAN_10, label="首批设备进场")
    a, _ = signed().plan_milestone(TALENT, plan, NOW)
    assert a.milestones[0].label == "首批设备进场"


def test_reached_once() -> None:
    a = implementing(JAN_10)
    a, [event] = a.reach_milestone(ORG, "ms_1", date(2027, 1, 8), IN_MARCH)
    assert isinstance(event.data, MilestoneChange)
    assert (event.data.milestone.milestone_id, event.data.by_role) == ("ms_1", "ORGANISATION")
    assert a.milestones[0].reached_by == "acc_o"
    assert a.reach_milestone(TALENT, "ms_1", date(2027, 1, 9), IN_MARCH) == (a, [])
    # a reached milestone is not planned anew
    with refused("MILESTONE_REACHED", 409, "milestone_id"):
        a.plan_milestone(TALENT, MilestonePlan(K.FUNDS_RECEIVED, FEB_10, milestone_id="ms_1"), NOW)


def test_not_reached_in_the_future() -> None:
    with refused("VALIDATION_FAILED", 422, "reached_on"):
        implementing(JAN_10).reach_milestone(ORG, "ms_1", SIGNING_DAY + timedelta(days=1), NOW)


def test_an_unknown_milestone_is_not_found() -> None:
    with refused("NOT_FOUND", 404):
        implementing(JAN_10).reach_milestone(ORG, "ms_7", SIGNING_DAY, NOW)


def test_a_follow_up_needs_a_note() -> None:
    with refused("VALIDATION_FAILED", 422, "note"):
        implementing(JAN_10).follow_up(OFFICER, "ms_1", "   ", NOW)


def test_follow_ups_go_on_after_landing_not_after_termination() -> None:
    a = implementing(JAN_10)
    a, _ = a.reach_milestone(ORG, "ms_1", JAN_10, IN_MARCH)
    landed, _ = a.advance(OPERATOR, S.LANDED, IN_MARCH)
    noted, _ = landed.follow_up(OFFICER, "ms_1", "production started", IN_MARCH)
    assert [f.note for f in noted.milestones[0].follow_ups] == ["production started"]
    ended, _ = implementing(JAN_10).terminate(ORG, NOW, "the site fell through")
    with refused("AGREEMENT_CLOSED", 409, "stage"):
        ended.follow_up(OFFICER, "ms_1", "too late", NOW)


# -- overdue ---------------------------------------------------------------------------


def overdue_ids(a: Agreement, today: date) -> tuple[Agreement, list[str]]:
    new, events = a.overdue(today)
    ids = []
    for e in events:
        assert e.type == "boyin.agreements.milestone.overdue"
        assert isinstance(e.data, MilestoneChange) and e.data.by_role == "SERVICE"
        ids.append(e.data.milestone.milestone_id)
    return new, ids


def test_an_overdue_milestone_is_announced_once() -> None:
    a = implementing(JAN_10, FEB_10)
    a, none = overdue_ids(a, JAN_10)  # due today: not overdue yet
    assert none == []
    a, first = overdue_ids(a, JAN_10 + timedelta(days=1))
    assert first == ["ms_1"] and a.milestones[0].overdue_announced
    a, again = overdue_ids(a, JAN_10 + timedelta(days=2))
    assert again == []
    a, both = overdue_ids(a, date(2027, 3, 1))
    assert both == ["ms_2"]


def test_a_milestone_moved_later_may_be_overdue_again() -> None:
    a = implementing(JAN_10)
    a, _ = overdue_ids(a, date(2027, 1, 11))
    moved = MilestonePlan(K.COMPANY_REGISTERED, FEB_10, milestone_id="ms_1")
    a, _ = a.plan_milestone(TALENT, moved, NOW)
    assert not a.milestones[0].overdue_announced
    a, none = overdue_ids(a, date(2027, 1, 20))
    assert none == []
    a, again = overdue_ids(a, date(2027, 2, 11))
    assert again == ["ms_1"]


def test_a_milestone_planned_anew_with_the_same_due_date_is_not_announced_again() -> None:
    a = implementing(JAN_10)
    a, _ = overdue_ids(a, date(2027, 1, 11))
    same = MilestonePlan(K.FUNDS_RECEIVED, JAN_10, milestone_id="ms_1")
    a, _ = a.plan_milestone(TALENT, same, NOW)
    a, none = overdue_ids(a, date(2027, 1, 12))
    assert none == []


def test_reached_milestones_and_closed_agreements_are_never_overdue() -> None:
    a = implementing(JAN_10)
    a, _ = a.reach_milestone(ORG, "ms_1", JAN_10, IN_MARCH)
    assert a.overdue(date(2027, 6, 1)) == (a, [])
    ended, _ = implementing(JAN_10).terminate(ORG, later(100), "no site")
    assert ended.overdue(date(2027, 6, 1)) == (ended, [])


def test_an_announcement_is_a_new_revision() -> None:
    a = implementing(JAN_10)
    new, [event] = a.overdue(date(2027, 1, 11))
    assert new.revision == a.revision + 1 == event.sequence
