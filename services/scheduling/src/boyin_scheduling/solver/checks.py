"""Input checks: every bad field of an instance, with a code and a message in both languages.

``check_instance`` returns the list; ``problem.build_problem`` raises it as one
``boyin_shared.errors.invalid`` error (HTTP 422) so a caller sees all problems at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from boyin_scheduling.solver.model import Edition, Instance, Kind, Mode, Participant, Request
from boyin_shared.errors import FieldError, Message


def _e(field: str, code: str, zh: str, en: str) -> FieldError:
    return FieldError(field, code, Message(zh, en))


def zone(name: str) -> ZoneInfo | None:
    """The time zone called ``name``, or None if there is none by that name."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _aware(field: str, value: datetime | None, out: list[FieldError]) -> bool:
    if value is None:
        return True
    if value.tzinfo is None or value.utcoffset() is None:
        out.append(
            _e(
                field,
                "NAIVE_DATETIME",
                "时间必须带时区",
                "a time must carry its time zone",
            )
        )
        return False
    return True


def _span(field: str, start: datetime | None, end: datetime | None, out: list[FieldError]) -> bool:
    """Both ends aware and ``end`` after ``start``; reports on ``field.end``."""
    ok = _aware(f"{field}.start", start, out) & _aware(f"{field}.end", end, out)
    if ok and start is not None and end is not None and end <= start:
        out.append(
            _e(
                f"{field}.end",
                "END_BEFORE_START",
                f"结束时间（{end.isoformat()}）必须晚于开始时间（{start.isoformat()}）",
                f"the end ({end.isoformat()}) must come after the start ({start.isoformat()})",
            )
        )
        return False
    return ok


def _duplicates(field: str, keys: Iterable[object], what_zh: str, what_en: str) -> list[FieldError]:
    seen: set[object] = set()
    out = []
    for i, key in enumerate(keys):
        if key in seen:
            out.append(
                _e(
                    f"{field}.{i}",
                    "DUPLICATE",
                    f"{what_zh}重复：{key}",
                    f"duplicate {what_en}: {key}",
                )
            )
        seen.add(key)
    return out


def check_edition(edition: Edition, participants: Mapping[str, Participant]) -> list[FieldError]:
    out: list[FieldError] = []
    tz = zone(edition.timezone)
    if tz is None:
        out.append(
            _e(
                "edition.timezone",
                "UNKNOWN_TIME_ZONE",
                f"未知时区：{edition.timezone}",
                f"unknown time zone: {edition.timezone}",
            )
        )
    if edition.last_day < edition.first_day:
        out.append(
            _e(
                "edition.last_day",
                "END_BEFORE_START",
                "最后一天不能早于第一天",
                "the last day cannot come before the first day",
            )
        )
    lo, hi = edition.local_hours
    if hi <= lo:
        out.append(
            _e(
                "edition.local_hours",
                "END_BEFORE_START",
                "线上会谈的当地时段必须先开始后结束",
                "the local hours for online meetings must end after they start",
            )
        )
    if not edition.slots:
        out.append(_e("edition.slots", "EMPTY", "没有任何时段", "the edition has no slots"))

    numbers = {t.number for t in edition.tables}
    out += _duplicates("edition.tables", (t.number for t in edition.tables), "桌号", "table")
    for i, table in enumerate(edition.tables):
        if table.number < 1:
            out.append(
                _e(
                    f"edition.tables.{i}.number",
                    "NOT_POSITIVE",
                    "桌号必须是正整数",
                    "table numbers must be positive",
                )
            )
        owner = table.booth_of
        if owner is not None:
            if owner not in participants:
                out.append(
                    _e(
                        f"edition.tables.{i}.booth_of",
                        "UNKNOWN_PARTICIPANT",
                        f"展位所属机构不存在：{owner}",
                        f"the booth's organisation does not exist: {owner}",
                    )
                )
            elif participants[owner].kind is not Kind.ORGANISATION:
                out.append(
                    _e(
                        f"edition.tables.{i}.booth_of",
                        "NOT_AN_ORGANISATION",
                        f"只有机构可以有固定展位：{owner}",
                        f"only organisations have fixed booths: {owner}",
                    )
                )

    out += _duplicates("edition.slots", (s.id for s in edition.slots), "时段", "slot")
    spans: list[tuple[datetime, datetime, int]] = []
    for i, slot in enumerate(edition.slots):
        f = f"edition.slots.{i}"
        if not _span(f, slot.start, slot.end, out):
            continue
        spans.append((slot.start, slot.end, i))
        if tz is not None:
            local_start, local_end = slot.start.astimezone(tz), slot.end.astimezone(tz)
            if local_start.date() != slot.day or local_end.date() != slot.day:
                out.append(
                    _e(
                        f"{f}.day",
                        "DAY_MISMATCH",
                        f"时段 {slot.id} 不在其所标日期 {slot.day.isoformat()} 内（展会时区）",
                        f"slot {slot.id} does not fall on its day {slot.day.isoformat()} "
                        f"in the fair's time zone",
                    )
                )
        if not edition.first_day <= slot.day <= edition.last_day:
            out.append(
                _e(
                    f"{f}.day",
                    "OUTSIDE_EDITION",
                    f"时段 {slot.id}（{slot.day.isoformat()}）不在本届展会日期"
                    f"（{edition.first_day.isoformat()} 至 {edition.last_day.isoformat()}）内",
                    f"slot {slot.id} ({slot.day.isoformat()}) is outside the edition's dates "
                    f"({edition.first_day.isoformat()} to {edition.last_day.isoformat()})",
                )
            )
        missing = sorted(set(slot.tables or ()) - numbers)
        if missing:
            out.append(
                _e(
                    f"{f}.tables",
                    "UNKNOWN_TABLE",
                    f"时段 {slot.id} 使用了不存在的桌号：{missing}",
                    f"slot {slot.id} uses tables that do not exist: {missing}",
                )
            )
    spans.sort()
    latest: tuple[datetime, int] | None = None  # the span reaching furthest so far
    for start, end, i in spans:
        if latest is not None and start < latest[0]:
            other = edition.slots[latest[1]].id
            out.append(
                _e(
                    f"edition.slots.{i}.start",
                    "OVERLAP",
                    f"时段 {edition.slots[i].id} 与时段 {other} 重叠",
                    f"slot {edition.slots[i].id} overlaps slot {other}",
                )
            )
        if latest is None or end > latest[0]:
            latest = (end, i)

    out += _duplicates("edition.sessions", (s.id for s in edition.sessions), "场次", "session")
    for i, session in enumerate(edition.sessions):
        _span(f"edition.sessions.{i}", session.start, session.end, out)
    return out


def check_participant(
    i: int, p: Participant, session_ids: set[str], field: str = "participants"
) -> list[FieldError]:
    out: list[FieldError] = []
    f = f"{field}.{i}"
    if zone(p.timezone) is None:
        out.append(
            _e(
                f"{f}.timezone",
                "UNKNOWN_TIME_ZONE",
                f"未知时区：{p.timezone}",
                f"unknown time zone: {p.timezone}",
            )
        )
    ok = _aware(f"{f}.arrival", p.arrival, out) & _aware(f"{f}.departure", p.departure, out)
    if ok and p.arrival is not None and p.departure is not None and p.departure <= p.arrival:
        out.append(
            _e(
                f"{f}.departure",
                "END_BEFORE_START",
                f"{p.id} 的离开时间必须晚于到达时间",
                f"{p.id} must leave after arriving",
            )
        )
    for j, span in enumerate(p.blocked):
        _span(f"{f}.blocked.{j}", span.start, span.end, out)
    for j, session in enumerate(p.sessions):
        if session not in session_ids:
            out.append(
                _e(
                    f"{f}.sessions.{j}",
                    "UNKNOWN_SESSION",
                    f"场次不存在：{session}",
                    f"no such session: {session}",
                )
            )
    if p.representatives < 1:
        out.append(
            _e(
                f"{f}.representatives",
                "NOT_POSITIVE",
                "至少需要一名代表",
                "at least one representative is needed",
            )
        )
    if p.min_meetings < 0:
        out.append(
            _e(
                f"{f}.min_meetings",
                "NEGATIVE",
                "最少会谈数不能为负",
                "the minimum number of meetings cannot be negative",
            )
        )
    return out


def check_request(r: Request, participants: Mapping[str, Participant], f: str) -> list[FieldError]:
    """Problems with one request; ``f`` is its field path (``requests.3``, ``request``)."""
    out: list[FieldError] = []
    for side in ("a", "b"):
        pid = getattr(r, side)
        if pid not in participants:
            out.append(
                _e(
                    f"{f}.{side}",
                    "UNKNOWN_PARTICIPANT",
                    f"会谈请求 {r.id} 的参与者不存在：{pid}",
                    f"request {r.id} names a participant that does not exist: {pid}",
                )
            )
        elif r.mode is Mode.ON_SITE and participants[pid].online_only:
            out.append(
                _e(
                    f"{f}.mode",
                    "ONLINE_ONLY",
                    f"{pid} 只能线上参会，会谈请求 {r.id} 不能安排在现场",
                    f"{pid} takes part online only; request {r.id} cannot be on site",
                )
            )
    if r.a == r.b:
        out.append(
            _e(
                f"{f}.b",
                "SAME_PARTICIPANT",
                "不能与自己会谈",
                "a participant cannot meet themselves",
            )
        )
    if r.weight < 0:
        out.append(
            _e(f"{f}.weight", "NEGATIVE", "优先级权重不能为负", "the weight cannot be negative")
        )
    return out


def check_instance(instance: Instance) -> list[FieldError]:
    """Every problem with ``instance``; empty when it can be scheduled."""
    participants = {p.id: p for p in instance.participants}
    out = check_edition(instance.edition, participants)
    out += _duplicates(
        "participants", (p.id for p in instance.participants), "参与者", "participant"
    )
    session_ids = {s.id for s in instance.edition.sessions}
    for i, p in enumerate(instance.participants):
        out += check_participant(i, p, session_ids)
    out += _duplicates("requests", (r.id for r in instance.requests), "会谈请求", "request")
    for i, r in enumerate(instance.requests):
        out += check_request(r, participants, f"requests.{i}")
    return out
