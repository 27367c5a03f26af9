"""A participant's declared presence: the checks of availability, the defaults, and
check-in (plain domain, no I/O)."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from boyin_scheduling.attendance.domain import (
    Attendance,
    Availability,
    Span,
    check_availability,
    default_availability,
)
from boyin_shared.api.scheduling import Mode
from boyin_shared.contracts.scheduling import CheckIn
from boyin_shared.errors import BoyinError, FieldError

TZ = ZoneInfo("Asia/Shanghai")
STARTS = datetime(2030, 12, 12, tzinfo=TZ)
ENDS = datetime(2030, 12, 14, tzinfo=TZ)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2030, 12, day, hour, minute, tzinfo=TZ)


ON_SITE = Availability(
    mode=Mode.ON_SITE,
    timezone="Asia/Shanghai",
    arrival=at(12, 8),
    departure=at(13, 18),
    blocked=(Span(at(12, 14), at(12, 15)),),
)


def errors(av: Availability, kind: str = "talent") -> list[FieldError]:
    with pytest.raises(BoyinError) as caught:
        check_availability(av, STARTS, ENDS, kind)
    assert caught.value.status == 422
    for f in caught.value.fields:
        assert f.message.zh and f.message.en
        assert any("\u4e00" <= c <= "\u9fff" for c in f.message.zh)
    return caught.value.fields


def codes(av: Availability, kind: str = "talent") -> list[tuple[str, str]]:
    return [(f.field, f.code) for f in errors(av, kind)]


def test_a_sound_declaration_passes() -> None:
    check_availability(ON_SITE, STARTS, ENDS, "talent")
    check_availability(
        dataclasses.replace(ON_SITE, representatives=5, min_meetings=32),
        STARTS,
        ENDS,
        "organisation",
    )


def test_a_blocked_window_that_ends_before_it_starts() -> None:
    bad = dataclasses.replace(
        ON_SITE, blocked=(Span(at(12, 9), at(12, 10)), Span(at(12, 16), at(12, 15)))
    )
    [e] = errors(bad)
    assert (e.field, e.code) == ("blocked.1.end", "END_BEFORE_START")
    assert "16:00" in e.message.en and "15:00" in e.message.en


def test_a_blocked_window_of_no_length_is_refused() -> None:
    assert codes(dataclasses.replace(ON_SITE, blocked=(Span(at(12, 9), at(12, 9)),))) == [
        ("blocked.0.end", "END_BEFORE_START")
    ]


def test_a_departure_before_the_arrival() -> None:
    bad = dataclasses.replace(ON_SITE, arrival=at(13, 10), departure=at(12, 10))
    [e] = errors(bad)
    assert (e.field, e.code) == ("departure", "END_BEFORE_START")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"arrival": at(11, 23)}, "arrival"),
        ({"departure": datetime(2030, 12, 14, 0, 1, tzinfo=TZ)}, "departure"),
    ],
)
def test_a_stay_outside_the_edition(changes: dict[str, object], field: str) -> None:
    bad = dataclasses.replace(ON_SITE, **changes)  # type: ignore[arg-type]
    assert codes(bad) == [(field, "OUTSIDE_EDITION")]


def test_a_stay_may_touch_the_editions_bounds() -> None:
    check_availability(
        dataclasses.replace(ON_SITE, arrival=STARTS, departure=ENDS), STARTS, ENDS, "talent"
    )


def test_an_unknown_time_zone_is_reported_on_the_time_zone() -> None:
    assert codes(dataclasses.replace(ON_SITE, timezone="Mars/Olympus")) == [
        ("timezone", "UNKNOWN_TIME_ZONE")
    ]


def test_an_unknown_time_zone_without_a_stay_is_reported_on_the_time_zone() -> None:
    bad = dataclasses.replace(ON_SITE, timezone="Mars/Olympus", arrival=None, departure=None)
    assert codes(bad) == [("timezone", "UNKNOWN_TIME_ZONE")]


@pytest.mark.parametrize(
    ("kind", "representatives", "code"),
    [
        ("talent", 2, "TALENT_ALONE"),
        ("talent", 0, "OUT_OF_RANGE"),
        ("organisation", 0, "OUT_OF_RANGE"),
        ("organisation", 21, "OUT_OF_RANGE"),
    ],
)
def test_representatives(kind: str, representatives: int, code: str) -> None:
    bad = dataclasses.replace(ON_SITE, representatives=representatives)
    assert codes(bad, kind) == [("representatives", code)]


def test_an_organisation_may_send_up_to_twenty() -> None:
    check_availability(
        dataclasses.replace(ON_SITE, representatives=20), STARTS, ENDS, "organisation"
    )


@pytest.mark.parametrize("minimum", [-1, 33])
def test_minimum_meetings_out_of_range(minimum: int) -> None:
    assert codes(dataclasses.replace(ON_SITE, min_meetings=minimum)) == [
        ("min_meetings", "OUT_OF_RANGE")
    ]


def test_defaults_online_only_for_a_talent_abroad() -> None:
    abroad = default_availability("talent", "Europe/Berlin", "DE")
    assert (abroad.mode, abroad.timezone) == (Mode.ONLINE, "Europe/Berlin")
    home = default_availability("talent", "Asia/Shanghai", "CN")
    assert home.mode is Mode.ON_SITE
    org = default_availability("organisation", None, "US")
    assert (org.mode, org.timezone) == (Mode.ON_SITE, "Asia/Shanghai")
    unknown = default_availability("talent", "Nowhere/Land", None)
    assert (unknown.mode, unknown.timezone) == (Mode.ON_SITE, "Asia/Shanghai")


def test_check_in_once_on_site_and_never_online() -> None:
    a = Attendance.new("ed_1", "tal_1", "talent", ON_SITE)
    assert a.id == "ed_1.tal_1" and a.checkin_token != a.calendar_token
    now = at(12, 8, 30)
    checked, [event] = a.check_in(now, STARTS, ENDS)
    assert isinstance(event.data, CheckIn)
    assert (event.data.party_id, event.data.at) == ("tal_1", now)
    again, none = checked.check_in(now + timedelta(minutes=5), STARTS, ENDS)
    assert again == checked and none == []
    online = Attendance.new(
        "ed_1", "tal_2", "talent", default_availability("talent", "Europe/Berlin", "DE")
    )
    with pytest.raises(BoyinError) as refused:
        online.check_in(now, STARTS, ENDS)
    assert refused.value.code == "ONLINE_PARTICIPANT" and refused.value.status == 409


@pytest.mark.parametrize(
    ("moment", "code"),
    [
        (at(9, 10), "CHECK_IN_TOO_EARLY"),  # days before the fair
        (STARTS - timedelta(seconds=1), "CHECK_IN_TOO_EARLY"),  # the eve, 23:59:59
        (ENDS, "CHECK_IN_TOO_LATE"),  # midnight after the last day
        (at(20, 9), "CHECK_IN_TOO_LATE"),
    ],
)
def test_check_in_is_refused_outside_the_fair_days(moment: datetime, code: str) -> None:
    a = Attendance.new("ed_1", "tal_1", "talent", ON_SITE)
    with pytest.raises(BoyinError) as refused:
        a.check_in(moment, STARTS, ENDS)
    assert (refused.value.code, refused.value.status) == (code, 409)
    message = refused.value.message
    assert "2030-12-1" in message.en and any("\u4e00" <= c <= "\u9fff" for c in message.zh)
    assert not any(c.isascii() and c.isalpha() for c in message.zh)


@pytest.mark.parametrize("moment", [STARTS, at(12, 7), at(13, 23, 59)])
def test_check_in_is_taken_on_every_fair_day_local_time(moment: datetime) -> None:
    a = Attendance.new("ed_1", "tal_1", "talent", ON_SITE)
    checked, [_] = a.check_in(moment.astimezone(ZoneInfo("UTC")), STARTS, ENDS)
    assert checked.checked_in_at is not None


def test_a_new_calendar_token_replaces_the_old() -> None:
    a = Attendance.new("ed_1", "tal_1", "talent", ON_SITE)
    rotated = a.rotate_calendar_token()
    assert rotated.calendar_token != a.calendar_token
    assert rotated.checkin_token == a.checkin_token
