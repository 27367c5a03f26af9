"""An edition's draft and published timetables: versions, what changed, and the list of
meetings still to catch up (plain domain, no I/O)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from boyin_scheduling.schedules.domain import (
    Placed,
    Schedule,
    SolveProgress,
    Timetable,
    changed_meetings,
)
from boyin_shared.contracts.scheduling import ScheduleRelease
from boyin_shared.errors import BoyinError

NOW = datetime(2030, 12, 1, tzinfo=UTC)


def table(*placed: tuple[str, str, int | None], unscheduled: tuple[str, ...] = ()) -> Timetable:
    return Timetable(
        placements=tuple(Placed(m, s, t) for m, s, t in placed), unscheduled=unscheduled
    )


V1 = table(("a", "s1", 1), ("b", "s1", 2), ("c", "s2", None), unscheduled=("d",))


def test_changed_meetings_are_the_added_the_moved_and_the_removed() -> None:
    after = table(
        ("a", "s1", 1),  # unchanged
        ("b", "s1", 3),  # other table
        ("d", "s3", 1),  # newly placed
        ("e", "s3", 2),  # new
    )  # c dropped
    assert changed_meetings(V1, after) == ["b", "c", "d", "e"]
    assert changed_meetings(None, V1) == ["a", "b", "c"]
    assert changed_meetings(V1, V1) == []


def test_publishing_needs_a_valid_draft() -> None:
    with pytest.raises(BoyinError) as none:
        Schedule("ed_1").publish(NOW)
    assert none.value.code == "NO_DRAFT" and none.value.status == 409
    bad = Schedule("ed_1").drafted(Timetable(placements=(), violations=2))
    with pytest.raises(BoyinError) as invalid:
        bad.publish(NOW)
    assert invalid.value.code == "DRAFT_INVALID"
    assert invalid.value.message.zh and invalid.value.message.en


def test_publishing_makes_the_next_version_and_lists_every_placed_meeting() -> None:
    s = Schedule("ed_1").solving(NOW)
    assert s.job == "RUNNING"
    s = s.drafted(V1)
    assert s.job == "IDLE" and s.draft == V1
    s, [event] = s.publish(NOW)
    assert (s.version, s.published, s.draft, s.published_at) == (1, V1, None, NOW)
    assert s.pending == ("a", "b", "c")
    assert event.type == "boyin.scheduling.schedule.published" and event.sequence == 1
    assert isinstance(event.data, ScheduleRelease)
    assert (event.data.scheduled, event.data.unscheduled, event.data.cause) == (3, 1, "solve")


def test_pending_accumulates_across_versions_until_caught_up() -> None:
    s, _ = Schedule("ed_1").drafted(V1).publish(NOW)
    s = s.caught_up({"a"})
    assert s.pending == ("b", "c")
    v2 = table(("a", "s1", 1), ("b", "s1", 2), ("c", "s2", None), ("d", "s4", 1))
    s, [event] = s.repaired(v2, NOW)
    assert s.version == 2 and s.pending == ("b", "c", "d")
    assert isinstance(event.data, ScheduleRelease) and event.data.cause == "repair"
    v3 = table(("a", "s5", 1), ("b", "s1", 2), ("c", "s2", None), ("d", "s4", 1))
    s, _ = s.repaired(v3, NOW)
    assert s.version == 3 and s.pending == ("b", "c", "d", "a")
    s = s.caught_up({"a", "b", "c", "d", "zzz"})
    assert s.pending == ()


def test_a_repair_keeps_the_draft_under_review() -> None:
    s, _ = Schedule("ed_1").drafted(V1).publish(NOW)
    review = table(("a", "s9", 1))
    s = s.drafted(review)
    s, _ = s.repaired(V1, NOW)
    assert s.draft == review and s.version == 2
    assert s.pending == ("a", "b", "c")  # nobody moved in v2, but v1 was never caught up


def test_a_failed_job_keeps_the_published_timetable() -> None:
    s, _ = Schedule("ed_1").drafted(V1).publish(NOW)
    s = s.solving(NOW).failed("interrupted by a restart")
    assert (s.job, s.job_error, s.published, s.version) == (
        "FAILED",
        "interrupted by a restart",
        V1,
        1,
    )
    s = s.refreshed("abc")
    assert s.published is not None and s.published.fingerprint == "abc"
    assert s.published.placements == V1.placements and s.version == 1


def test_progress_is_kept_while_running_and_cleared_by_the_next_solve() -> None:
    running = Schedule(id="ed").solving(NOW)
    first = SolveProgress("greedy", 90, 100, NOW)
    better = SolveProgress("lp-integral", 100, 100, NOW)
    assert first.gap == pytest.approx(0.1) and better.gap == 0.0
    assert SolveProgress("lp", None, 100, NOW).gap is None
    seen = running.progressed(first).progressed(better)
    assert seen.progress == better and seen.revision == running.revision + 2
    done = seen.drafted(Timetable(placements=(), objective=100, bound=100.0))
    assert done.progress == better  # the last report stays with the draft
    assert done.progressed(first) is done  # a late report after the job is ignored
    assert done.solving(NOW).progress is None


def test_a_timetable_gap_is_zero_only_when_the_bound_is_reached() -> None:
    assert Timetable(placements=(), objective=100, bound=100.0).gap == 0.0
    assert Timetable(placements=(), objective=99, bound=100.0).gap == pytest.approx(0.01)
    assert Timetable(placements=(), objective=0, bound=None).gap is None
