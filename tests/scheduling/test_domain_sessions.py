"""Agenda sessions: sign-ups, the waiting list, promotion, capacity changes, what the
events say, and presenters checked against how and when they take part (plain domain,
no I/O)."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from boyin_scheduling.attendance.domain import Availability
from boyin_scheduling.rules import Text
from boyin_scheduling.sessions.domain import (
    Presenter,
    Session,
    SessionPlan,
    at_night,
    check_presenters,
    check_session,
)
from boyin_shared.api.scheduling import Mode, SessionKind, SessionStatus, SignUpState
from boyin_shared.contracts.scheduling import SessionChange, SignUpChange
from boyin_shared.errors import BoyinError
from boyin_shared.events import Event

TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2030, 12, 12, 9, tzinfo=TZ)
T0 = datetime(2030, 11, 1, 8, tzinfo=TZ)


def roadshow(capacity: int | None = 2, waitlist: int = 2) -> SessionPlan:
    return SessionPlan(
        kind=SessionKind.ROADSHOW,
        title=Text("新材料路演", "New materials roadshow"),
        start=START,
        end=START + timedelta(hours=1),
        room="hall-a",
        capacity=capacity,
        waitlist_limit=waitlist,
        presenters=(Presenter("tal_presenter"),),
    )


def published(capacity: int | None = 2, waitlist: int = 2) -> Session:
    s, events = Session("se_1", "ed_1", roadshow(capacity, waitlist)).publish()
    assert s.status is SessionStatus.PUBLISHED and len(events) == 1
    return s


def signed(s: Session, *people: str) -> Session:
    for i, p in enumerate(people):
        s, _ = s.sign_up(p, T0 + timedelta(minutes=i))
    return s


def changes(events: list[Event]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for e in events:
        assert isinstance(e.data, SignUpChange)
        out.append((e.data.party_id, e.data.state))
    return out


def test_confirmed_while_there_is_room_then_waitlisted_then_full() -> None:
    s = published(capacity=2, waitlist=1)
    s, e1 = s.sign_up("a", T0)
    s, e2 = s.sign_up("b", T0)
    s, e3 = s.sign_up("c", T0)
    assert changes(e1 + e2 + e3) == [("a", "CONFIRMED"), ("b", "CONFIRMED"), ("c", "WAITLISTED")]
    assert s.confirmed == ("a", "b") and s.waiting == ("c",)
    last = e3[0].data
    assert isinstance(last, SignUpChange) and (last.confirmed, last.waiting) == (2, 1)
    with pytest.raises(BoyinError) as full:
        s.sign_up("d", T0)
    err = full.value
    assert err.code == "SESSION_FULL" and err.status == 409
    assert "2" in err.message.zh and "2" in err.message.en and "满" in err.message.zh
    assert s.state_of("d") is None


def test_a_repeat_sign_up_changes_nothing_and_a_presenter_does_not_sign_up() -> None:
    s = signed(published(), "a")
    again, events = s.sign_up("a", T0)
    assert again == s and events == []
    with pytest.raises(BoyinError) as presenter:
        s.sign_up("tal_presenter", T0)
    assert presenter.value.code == "PRESENTER"


def test_a_draft_session_takes_no_sign_up() -> None:
    with pytest.raises(BoyinError) as refused:
        Session("se_1", "ed_1", roadshow()).sign_up("a", T0)
    assert refused.value.code == "SESSION_NOT_OPEN"


def test_an_unlimited_session_confirms_everyone() -> None:
    s = signed(published(capacity=None, waitlist=0), *[f"p{i}" for i in range(50)])
    assert len(s.confirmed) == 50 and s.waiting == ()


def test_withdrawing_promotes_the_first_waiting() -> None:
    s = signed(published(capacity=2, waitlist=3), "a", "b", "c", "d")
    assert s.waiting == ("c", "d")
    s, events = s.withdraw("b")
    assert changes(events) == [("b", "CANCELLED"), ("c", "PROMOTED")]
    assert s.confirmed == ("a", "c") and s.waiting == ("d",)
    assert s.state_of("c") is SignUpState.CONFIRMED and s.state_of("b") is None
    # a waiting person leaving promotes nobody
    s, events = s.withdraw("d")
    assert changes(events) == [("d", "CANCELLED")]
    # withdrawing twice is harmless
    again, none = s.withdraw("d")
    assert again == s and none == []


def test_a_larger_capacity_promotes_those_waiting_in_order() -> None:
    s = signed(published(capacity=1, waitlist=3), "a", "b", "c", "d")
    s, events = s.edit(dataclasses.replace(s.plan, capacity=3))
    assert s.confirmed == ("a", "b", "c") and s.waiting == ("d",)
    kinds = [e.type for e in events]
    assert kinds == [
        "boyin.scheduling.session.changed",
        "boyin.scheduling.session.sign_up_changed",
        "boyin.scheduling.session.sign_up_changed",
    ]
    assert changes(events[1:]) == [("b", "PROMOTED"), ("c", "PROMOTED")]
    assert s.version == 2


def test_a_capacity_below_the_confirmed_is_refused() -> None:
    s = signed(published(capacity=3, waitlist=0), "a", "b", "c")
    with pytest.raises(BoyinError) as refused:
        s.edit(dataclasses.replace(s.plan, capacity=2))
    err = refused.value
    assert err.status == 422
    [f] = err.fields
    assert (f.field, f.code) == ("capacity", "BELOW_SIGN_UPS")
    assert "3" in f.message.zh and "3" in f.message.en
    # down to exactly the confirmed is fine
    same, _ = s.edit(dataclasses.replace(s.plan, capacity=3, waitlist_limit=1))
    assert same.confirmed == ("a", "b", "c")


def test_session_changed_lists_everyone_affected() -> None:
    s = signed(published(capacity=1, waitlist=2), "a", "b")
    later = dataclasses.replace(
        s.plan, start=START + timedelta(hours=2), end=START + timedelta(hours=3)
    )
    s, events = s.edit(later)
    [changed] = events
    assert changed.type == "boyin.scheduling.session.changed"
    assert changed.subject == "se_1"
    data = changed.data
    assert isinstance(data, SessionChange)
    assert set(data.changed) == {"start", "end"}
    assert data.affected == ("tal_presenter", "a", "b")
    assert data.session.version == 2 and data.session.start == START + timedelta(hours=2)
    # cancelling tells the same people
    _, [cancelled] = s.cancel()
    assert isinstance(cancelled.data, SessionChange)
    assert cancelled.data.changed == ("status",)
    assert cancelled.data.affected == ("tal_presenter", "a", "b")


def test_an_edit_that_changes_nothing_says_nothing_and_a_draft_edit_is_silent() -> None:
    s = signed(published(), "a")
    same, events = s.edit(s.plan)
    assert same is s and events == []
    draft = Session("se_2", "ed_1", roadshow())
    edited, events = draft.edit(dataclasses.replace(draft.plan, room=None))
    assert events == [] and edited.version == 1 and edited.plan.room is None


def test_a_cancelled_session_cannot_be_edited() -> None:
    s, _ = published().cancel()
    with pytest.raises(BoyinError) as refused:
        s.edit(dataclasses.replace(s.plan, capacity=5))
    assert refused.value.code == "SESSION_CANCELLED"


def test_involvement_blocks_presenters_and_the_confirmed_only() -> None:
    s = signed(published(capacity=1, waitlist=1), "a", "b")
    assert s.involves("tal_presenter") and s.involves("a")
    assert not s.involves("b")  # waiting: free to meet


# -- check_session -------------------------------------------------------------------

EDITION_STARTS = datetime(2030, 12, 12, tzinfo=TZ)
EDITION_ENDS = datetime(2030, 12, 14, tzinfo=TZ)


def session_fields(p: SessionPlan) -> set[tuple[str, str]]:
    with pytest.raises(BoyinError) as caught:
        check_session(p, EDITION_STARTS, EDITION_ENDS, {"hall-a"})
    for f in caught.value.fields:
        assert f.message.zh and f.message.en
    return {(f.field, f.code) for f in caught.value.fields}


def test_a_valid_session_passes() -> None:
    check_session(roadshow(), EDITION_STARTS, EDITION_ENDS, {"hall-a"})


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"end": START - timedelta(minutes=1)}, {("end", "END_BEFORE_START")}),
        (
            {"start": START - timedelta(days=1), "end": START - timedelta(days=1, hours=-1)},
            {("start", "OUTSIDE_EDITION")},
        ),
        ({"room": "hall-z"}, {("room", "UNKNOWN_ROOM")}),
        ({"capacity": 0}, {("capacity", "NOT_POSITIVE")}),
        ({"waitlist_limit": -1}, {("waitlist_limit", "NEGATIVE")}),
        ({"title": Text()}, {("title", "REQUIRED")}),
        ({"departure": START + timedelta(hours=2)}, {("departure", "OUT_OF_RANGE")}),
        (
            {"presenters": (Presenter("x"), Presenter("x"))},
            {("presenters.1.party_id", "DUPLICATE")},
        ),
        (
            {
                "presenters": (
                    Presenter(
                        "x", start=START + timedelta(minutes=50), end=START + timedelta(hours=2)
                    ),
                )
            },
            {("presenters.0.start", "OUTSIDE_SESSION")},
        ),
        (
            {"presenters": (Presenter("x", start=START),)},
            {("presenters.0", "INCOMPLETE_SPAN")},
        ),
    ],
)
def test_bad_sessions(changes: dict[str, object], expected: set[tuple[str, str]]) -> None:
    bad = dataclasses.replace(roadshow(), **changes)  # type: ignore[arg-type]
    assert session_fields(bad) == expected


# -- presenters: how they take part and their local time -----------------------------

ONLINE_BERLIN = Availability(mode=Mode.ONLINE, timezone="Europe/Berlin")
ON_SITE_HOME = Availability(mode=Mode.ON_SITE, timezone="Asia/Shanghai")


def at_local(hour: int, minutes: int = 60) -> SessionPlan:
    """The roadshow from ``hour`` o'clock fair time, its presenter ``tal_presenter``."""
    start = datetime(2030, 12, 12, hour, tzinfo=TZ)
    return dataclasses.replace(roadshow(), start=start, end=start + timedelta(minutes=minutes))


def test_an_online_presenter_is_refused_at_a_session_held_on_site() -> None:
    with pytest.raises(BoyinError) as refused:
        check_presenters(roadshow(), {"tal_presenter": ONLINE_BERLIN})
    assert refused.value.status == 422
    [field] = refused.value.fields
    assert (field.field, field.code) == ("presenters.0.party_id", "ONLINE_PRESENTER")
    assert "ONLINE" in field.message.en and "线上" in field.message.zh


def test_a_field_visit_is_on_site_even_without_a_room() -> None:
    visit = dataclasses.replace(roadshow(), kind=SessionKind.FIELD_VISIT, room=None)
    with pytest.raises(BoyinError):
        check_presenters(visit, {"tal_presenter": ONLINE_BERLIN})


def test_an_online_presenter_may_present_at_a_session_without_a_room() -> None:
    online = dataclasses.replace(roadshow(), room=None)  # 09:00 fair time: 02:00 in Berlin
    [warning] = check_presenters(online, {"tal_presenter": ONLINE_BERLIN})
    assert (warning.field, warning.code) == ("presenters.0", "PRESENTER_AT_NIGHT")
    assert "02:00–03:00" in warning.message.en and "Europe/Berlin" in warning.message.en
    assert "02:00–03:00" in warning.message.zh and "夜间" in warning.message.zh


def test_a_presenter_by_day_gets_no_warning() -> None:
    assert check_presenters(roadshow(), {"tal_presenter": ON_SITE_HOME}) == []
    afternoon = dataclasses.replace(at_local(16), room=None)  # 09:00 in Berlin
    assert check_presenters(afternoon, {"tal_presenter": ONLINE_BERLIN}) == []


def test_the_pitch_slot_not_the_whole_session_decides_the_night() -> None:
    # 13:00–17:00 fair time is 06:00–10:00 in Berlin; the pitch at 15:00 is 08:00 there
    plan = dataclasses.replace(at_local(13, minutes=240), room=None)
    pitch = Presenter("tal_presenter", start=plan.start + timedelta(hours=2), end=plan.end)
    assert check_presenters(plan, {"tal_presenter": ONLINE_BERLIN}) != []
    later = dataclasses.replace(plan, presenters=(pitch,))
    assert check_presenters(later, {"tal_presenter": ONLINE_BERLIN}) == []


@pytest.mark.parametrize(
    ("start_hour", "minutes", "night"),
    [(22, 60, False), (22, 61, True), (6, 60, True), (7, 60, False), (2, 30, True)],
)
def test_the_night_runs_from_23_to_7(start_hour: int, minutes: int, night: bool) -> None:
    start = datetime(2030, 12, 12, start_hour, tzinfo=TZ)
    assert at_night(start, start + timedelta(minutes=minutes), "Asia/Shanghai") is night
