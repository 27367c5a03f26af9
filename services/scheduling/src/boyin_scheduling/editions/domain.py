"""A fair edition: its days, the grid of meeting slots, rooms and numbered tables.

The grid is derived, never stored: each day runs from ``start`` to ``end`` in slots of
``slot_minutes``; a slot that would overlap a break is left out. Slot ids are stable
(``2026-12-12T09:30``) so a published schedule survives an edit that keeps the slot.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from boyin_scheduling.rules import NO_TEXT, Text, error, refuse
from boyin_scheduling.solver import model as core
from boyin_scheduling.solver.checks import zone
from boyin_shared.api.scheduling import EditionStatus
from boyin_shared.contracts.common import LocalizedText
from boyin_shared.contracts.scheduling import EditionClosed, EditionOpened, EditionSnapshot
from boyin_shared.errors import FieldError, invalid
from boyin_shared.events import Event

SLOT_MINUTES = (15, 30)  # the shortest and longest meeting slot an edition may use
#: what a registry edition code looks like (``CQ2026``)
EDITION_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{1,31}")


@dataclass(frozen=True)
class Break:
    start: time
    end: time


@dataclass(frozen=True)
class FairDay:
    day: date
    start: time
    end: time
    breaks: tuple[Break, ...] = ()


@dataclass(frozen=True)
class Room:
    id: str
    name: Text
    venue: Text = NO_TEXT


@dataclass(frozen=True)
class TableSpec:
    number: int
    room: str | None = None
    #: the organisation whose fixed booth this table is
    booth_of: str | None = None


@dataclass(frozen=True)
class EditionPlan:
    """What an operator sets (create and edit take the same shape)."""

    name: Text
    timezone: str
    first_day: date
    last_day: date
    slot_minutes: int
    days: tuple[FairDay, ...]
    rooms: tuple[Room, ...] = ()
    tables: tuple[TableSpec, ...] = ()
    #: local hours an online participant may be asked to meet in, in their own zone
    local_hours: tuple[time, time] = (time(8, 0), time(22, 0))
    #: the registry's edition code (demands name editions by it): see :func:`for_match`
    code: str | None = None


@dataclass(frozen=True)
class Edition:
    id: str
    plan: EditionPlan
    status: EditionStatus = EditionStatus.DRAFT
    agenda_version: int = 0
    revision: int = 1

    # -- the grid ------------------------------------------------------------------

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.plan.timezone)

    def slots(self) -> tuple[core.Slot, ...]:
        return grid(self.plan)

    def starts(self) -> datetime:
        p = self.plan
        return datetime.combine(p.first_day, time(0), self.tz)

    def ends(self) -> datetime:
        p = self.plan
        return datetime.combine(p.last_day + timedelta(days=1), time(0), self.tz)

    def within(self, moment: datetime) -> bool:
        return self.starts() <= moment <= self.ends()

    def to_core(self, sessions: tuple[core.Session, ...] = ()) -> core.Edition:
        p = self.plan
        return core.Edition(
            id=self.id,
            first_day=p.first_day,
            last_day=p.last_day,
            slots=self.slots(),
            tables=tuple(core.Table(t.number, t.booth_of) for t in p.tables),
            sessions=sessions,
            timezone=p.timezone,
            local_hours=p.local_hours,
        )

    # -- changes -------------------------------------------------------------------

    def edit(self, plan: EditionPlan) -> Edition:
        if self.status is EditionStatus.CLOSED:
            raise refuse("EDITION_CLOSED", "该届展会已结束，不能修改", "the edition is closed")
        check_plan(plan)
        return dataclasses.replace(self, plan=plan, revision=self.revision + 1)

    def open(self) -> tuple[Edition, list[Event]]:
        if self.status is not EditionStatus.DRAFT:
            raise refuse(
                "NOT_DRAFT",
                "只有草稿状态的展会可以开放",
                f"only a draft edition can be opened (it is {self.status.value})",
            )
        new = dataclasses.replace(self, status=EditionStatus.OPEN, revision=self.revision + 1)
        return new, [EditionOpened.create(subject=self.id, data=new.snapshot())]

    def close(self) -> tuple[Edition, list[Event]]:
        if self.status is not EditionStatus.OPEN:
            raise refuse(
                "NOT_OPEN", "只有开放中的展会可以结束", "only an open edition can be closed"
            )
        new = dataclasses.replace(self, status=EditionStatus.CLOSED, revision=self.revision + 1)
        return new, [EditionClosed.create(subject=self.id, data=new.snapshot())]

    def agenda_released(self) -> Edition:
        return dataclasses.replace(
            self, agenda_version=self.agenda_version + 1, revision=self.revision + 1
        )

    def require_open(self) -> None:
        if self.status is not EditionStatus.OPEN:
            raise refuse(
                "EDITION_NOT_OPEN",
                "该届展会当前不接受报名或会谈请求",
                "the edition is not open for sign-ups or meeting requests",
            )

    def snapshot(self) -> EditionSnapshot:
        p = self.plan
        return EditionSnapshot(
            edition_id=self.id,
            name=LocalizedText(zh=p.name.zh, en=p.name.en),
            timezone=p.timezone,
            first_day=p.first_day.isoformat(),
            last_day=p.last_day.isoformat(),
            status=self.status.value,
            agenda_version=self.agenda_version,
        )


def slot_id(day: date, start: time) -> str:
    return f"{day.isoformat()}T{start.strftime('%H:%M')}"


def grid(plan: EditionPlan) -> tuple[core.Slot, ...]:
    tz = ZoneInfo(plan.timezone)
    step = timedelta(minutes=plan.slot_minutes)
    slots: list[core.Slot] = []
    for d in sorted(plan.days, key=lambda d: d.day):
        cursor = datetime.combine(d.day, d.start, tz)
        close = datetime.combine(d.day, d.end, tz)
        breaks = [
            (datetime.combine(d.day, b.start, tz), datetime.combine(d.day, b.end, tz))
            for b in d.breaks
        ]
        while cursor + step <= close:
            end = cursor + step
            clash = next((b for b in breaks if b[0] < end and cursor < b[1]), None)
            if clash is not None:
                cursor = clash[1]  # resume when the break is over
                continue
            slots.append(core.Slot(slot_id(d.day, cursor.timetz()), d.day, cursor, end))
            cursor = end
    return tuple(slots)


def check_plan(plan: EditionPlan) -> None:
    """Raise one ``invalid`` error listing every bad field of ``plan``."""
    out: list[FieldError] = []
    if not plan.name:
        out.append(error("name", "REQUIRED", "请填写名称（中文或英文）", "give a name (zh or en)"))
    if zone(plan.timezone) is None:
        out.append(
            error(
                "timezone",
                "UNKNOWN_TIME_ZONE",
                f"未知时区：{plan.timezone}",
                f"unknown time zone: {plan.timezone}",
            )
        )
    if plan.last_day < plan.first_day:
        out.append(
            error(
                "last_day",
                "END_BEFORE_START",
                "最后一天不能早于第一天",
                "the last day cannot come before the first day",
            )
        )
    lo, hi = SLOT_MINUTES
    if not lo <= plan.slot_minutes <= hi:
        out.append(
            error(
                "slot_minutes",
                "OUT_OF_RANGE",
                f"会谈时段长度须在 {lo}–{hi} 分钟之间",
                f"a meeting slot lasts {lo} to {hi} minutes",
            )
        )
    if plan.local_hours[1] <= plan.local_hours[0]:
        out.append(
            error(
                "local_hours",
                "END_BEFORE_START",
                "线上会谈的当地时段必须先开始后结束",
                "the local hours for online meetings must end after they start",
            )
        )
    if plan.code is not None and not EDITION_CODE.fullmatch(plan.code):
        out.append(
            error(
                "code",
                "BAD_EDITION_CODE",
                f"届次代码“{plan.code}”应为 2–32 位大写字母、数字或连字符（如 CQ2026）",
                f"edition code “{plan.code}” should be 2 to 32 capitals, digits or hyphens "
                "(e.g. CQ2026)",
            )
        )
    if not plan.days:
        out.append(error("days", "REQUIRED", "至少需要一天", "at least one day is needed"))
    seen: set[date] = set()
    for i, d in enumerate(plan.days):
        f = f"days.{i}"
        if d.day in seen:
            out.append(
                error(
                    f"{f}.day",
                    "OVERLAPPING_SLOTS",
                    f"{d.day.isoformat()} 重复出现，时段会重叠",
                    f"{d.day.isoformat()} appears twice: its slots would overlap",
                )
            )
        seen.add(d.day)
        if not plan.first_day <= d.day <= plan.last_day:
            out.append(
                error(
                    f"{f}.day",
                    "OUTSIDE_EDITION",
                    f"{d.day.isoformat()} 不在展会日期内",
                    f"{d.day.isoformat()} is outside the edition's dates",
                )
            )
        if d.end <= d.start:
            out.append(
                error(
                    f"{f}.end",
                    "END_BEFORE_START",
                    "每天的结束时间必须晚于开始时间",
                    "a day must end after it starts",
                )
            )
        previous: Break | None = None
        # in time order, each named by its position in the input
        for j, b in sorted(enumerate(d.breaks), key=lambda jb: jb[1].start):
            bf = f"{f}.breaks.{j}"
            if b.end <= b.start:
                out.append(
                    error(
                        f"{bf}.end",
                        "END_BEFORE_START",
                        "休息结束时间必须晚于开始时间",
                        "a break must end after it starts",
                    )
                )
            elif b.start < d.start or b.end > d.end:
                out.append(
                    error(bf, "OUTSIDE_DAY", "休息时间须在当天范围内", "a break must fit the day")
                )
            if previous is not None and b.start < previous.end:
                out.append(
                    error(bf, "OVERLAPPING_BREAKS", "休息时间互相重叠", "two breaks overlap")
                )
            previous = b
    rooms = {r.id for r in plan.rooms}
    if len(rooms) != len(plan.rooms):
        out.append(error("rooms", "DUPLICATE", "会议室编号重复", "two rooms share an id"))
    numbers: set[int] = set()
    for i, t in enumerate(plan.tables):
        f = f"tables.{i}"
        if t.number < 1:
            out.append(
                error(
                    f"{f}.number", "NOT_POSITIVE", "桌号必须是正整数", "table numbers are positive"
                )
            )
        if t.number in numbers:
            out.append(
                error(
                    f"{f}.number", "DUPLICATE", f"桌号重复：{t.number}", f"table {t.number} twice"
                )
            )
        numbers.add(t.number)
        if t.room is not None and t.room not in rooms:
            out.append(
                error(
                    f"{f}.room",
                    "UNKNOWN_ROOM",
                    f"会议室不存在：{t.room}",
                    f"no such room: {t.room}",
                )
            )
    if not out and not grid(plan):
        out.append(
            error(
                "days",
                "NO_SLOTS",
                "按所给时间和时段长度排不出任何会谈时段",
                "these days and slot length leave no meeting slot",
            )
        )
    if out:
        raise invalid(out)


def for_match(editions: Sequence[Edition], codes: Sequence[str], now: datetime) -> Edition | None:
    """The edition a mutual match's meeting goes to, given every edition and the edition
    codes its demands name (most wanted first); None: the match waits.

    The first named code that an edition not over yet carries decides: that edition if it
    is open, else (a draft) the match waits for it to open. When no edition not over yet
    carries a named code (the demands name none, or only past or unscheduled fairs), the
    fallback is the open edition that ends first (the next fair), or waiting for one.
    """
    live = [e for e in editions if e.status is not EditionStatus.CLOSED and e.ends() > now]
    for code in codes:
        named = [e for e in live if e.plan.code == code]
        if named:
            return next((e for e in named if e.status is EditionStatus.OPEN), None)
    open_now = [e for e in live if e.status is EditionStatus.OPEN]
    return min(open_now, key=lambda e: e.plan.last_day, default=None)
