"""What each notification says, in Chinese and English, and the .ics of a meeting.

Pure: a template takes the facts the service gathered (names, titles, times) and returns a
:class:`Letter`, both languages; :func:`render` lays it out in the reader's language, or
both in one message, with the unsubscribe line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

import icalendar

from boyin_shared.api.registry import MailLanguage

#: times in messages are shown in the fair's time zone (the .ics carries UTC)
FAIR_TZ = ZoneInfo("Asia/Shanghai")
PRODID = "-//Boyin//Notifications//ZH-EN"

MeetingChange = Literal["scheduled", "moved", "cancelled"]
DemandChange = Literal["published", "returned"]


@dataclass(frozen=True)
class Text:
    zh: str
    en: str


@dataclass(frozen=True)
class Letter:
    subject: Text
    body: Text


@dataclass(frozen=True)
class Party:
    """A counterpart as a message names it; ``contact`` only after a mutual match."""

    name: Text
    contact: tuple[str, ...] = ()


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    table: int | None
    video_link: str | None


_STAGES = {
    "INTENTION": Text("合作意向", "intention"),
    "NEGOTIATING": Text("洽谈中", "negotiating"),
    "DRAFTED": Text("已起草", "drafted"),
    "SIGNED": Text("已签约", "signed"),
    "IMPLEMENTING": Text("实施中", "implementing"),
    "LANDED": Text("已落地", "landed"),
    "TERMINATED": Text("已终止", "terminated"),
}


def _quoted(title: Text) -> Text:
    return Text(f"“{title.zh}”", f"“{title.en}”")


def proposals(demand: Text, counterparts: Sequence[Party], *, own_demand: bool) -> Letter:
    """New matches: proposed for the reader's demand, or the reader proposed to one."""
    names = Text(
        "、".join(p.name.zh for p in counterparts), ", ".join(p.name.en for p in counterparts)
    )
    d = _quoted(demand)
    if own_demand:
        n = len(counterparts)
        return Letter(
            Text(f"您的需求有 {n} 个新匹配", f"{n} new match" + ("es" if n != 1 else "")),
            Text(
                f"平台为您的需求{d.zh}推荐了新的匹配：{names.zh}。请登录博引查看并回复。",
                f"The platform proposed new matches for your demand {d.en}: {names.en}. "
                "Sign in to Boyin to see them and answer.",
            ),
        )
    return Letter(
        Text("您有一个新的匹配推荐", "You have been proposed a new match"),
        Text(
            f"平台将您推荐给{names.zh}的需求{d.zh}。请登录博引查看并回复。",
            f"The platform proposed you for the demand {d.en} of {names.en}. "
            "Sign in to Boyin to see it and answer.",
        ),
    )


def mutual_match(counterpart: Party, demand: Text) -> Letter:
    """Both said yes: the counterpart's contact details, for the reader to get in touch."""
    contact = "\n".join(f"  {line}" for line in counterpart.contact) or "  —"
    d = _quoted(demand)
    return Letter(
        Text(f"双向匹配成功：{counterpart.name.zh}", f"It's a mutual match: {counterpart.name.en}"),
        Text(
            f"您与{counterpart.name.zh}就{d.zh}互相确认了匹配。对方的联系方式：\n{contact}",
            f"You and {counterpart.name.en} both said yes about {d.en}. "
            f"Their contact details:\n{contact}",
        ),
    )


def _when(slot: Slot) -> str:
    start, end = slot.start.astimezone(FAIR_TZ), slot.end.astimezone(FAIR_TZ)
    return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M} (UTC+08:00)"


def _where(slot: Slot) -> Text:
    if slot.video_link:
        return Text(f"线上：{slot.video_link}", f"online: {slot.video_link}")
    if slot.table is not None:
        return Text(f"现场 {slot.table} 号桌", f"on site, table {slot.table}")
    return Text("地点待定", "place to be announced")


def meeting(
    change: MeetingChange, counterpart: Party, slot: Slot | None, previous: Slot | None
) -> Letter:
    """A meeting scheduled, moved (or taken off the timetable), or cancelled."""
    who = counterpart.name
    if change == "cancelled":
        was = f"（原定 {_when(slot)}）" if slot else ""
        was_en = f" (it was set for {_when(slot)})" if slot else ""
        return Letter(
            Text(f"会谈已取消：{who.zh}", f"Meeting cancelled: {who.en}"),
            Text(
                f"您与{who.zh}的会谈已取消{was}。",
                f"Your meeting with {who.en} is cancelled{was_en}.",
            ),
        )
    if slot is None:
        return Letter(
            Text(f"会谈待重新安排：{who.zh}", f"Meeting to be rescheduled: {who.en}"),
            Text(
                f"您与{who.zh}的会谈已从日程中移出，将另行安排。",
                f"Your meeting with {who.en} was taken off the timetable; a new time will follow.",
            ),
        )
    where = _where(slot)
    before = Text("", "")
    if change == "moved" and previous is not None:
        before = Text(f"（原定 {_when(previous)}）", f" (was {_when(previous)})")
    verb = Text("已调整", "moved") if change == "moved" else Text("已安排", "scheduled")
    return Letter(
        Text(f"会谈{verb.zh}：{who.zh}", f"Meeting {verb.en}: {who.en}"),
        Text(
            f"您与{who.zh}的会谈{verb.zh}：{_when(slot)}{before.zh}，{where.zh}。日历文件见附件。",
            f"Your meeting with {who.en} is {verb.en}: {_when(slot)}{before.en}, {where.en}. "
            "The calendar file is attached.",
        ),
    )


def demand(change: DemandChange, title: Text, reason: str | None) -> Letter:
    d = _quoted(title)
    if change == "published":
        return Letter(
            Text("您的需求已发布", "Your demand is published"),
            Text(
                f"您的需求{d.zh}已通过审核并发布，平台将为其推荐匹配。",
                f"Your demand {d.en} passed review and is published; matches will follow.",
            ),
        )
    why = Text(f"\n审核意见：{reason}", f"\nReviewer's note: {reason}") if reason else Text("", "")
    return Letter(
        Text("您的需求被退回修改", "Your demand was returned for changes"),
        Text(
            f"您的需求{d.zh}被退回，请修改后重新提交。{why.zh}",
            f"Your demand {d.en} was returned: please change it and submit it again.{why.en}",
        ),
    )


def agreement(title: Text, from_stage: str | None, to_stage: str, reason: str | None) -> Letter:
    to = _STAGES.get(to_stage, Text(to_stage, to_stage))
    a = _quoted(title)
    was = _STAGES.get(from_stage, Text(from_stage, from_stage)) if from_stage else None
    moved = (
        Text(f"由“{was.zh}”变为“{to.zh}”", f"moved from {was.en} to {to.en}")
        if was
        else Text(f"已创建，阶段为“{to.zh}”", f"was created at stage {to.en}")
    )
    why = Text(f"\n说明：{reason}", f"\nNote: {reason}") if reason else Text("", "")
    return Letter(
        Text(f"合作协议进展：{to.zh}", f"Agreement update: {to.en}"),
        Text(f"协议{a.zh}{moved.zh}。{why.zh}", f"The agreement {a.en} {moved.en}.{why.en}"),
    )


_FOOTER = Text(
    "——\n博引 · 离岸双创 博引未来\n不想再收到此类通知？点击退订：{url}",
    "--\nBoyin · Offshore Innovation & Entrepreneurship Project Fair\n"
    "Don't want these messages? Unsubscribe in one click: {url}",
)


def render(letter: Letter, language: MailLanguage, unsubscribe_url: str) -> tuple[str, str]:
    """The subject and plain text of a letter in the reader's language, or both (Chinese
    first) in one message."""
    zh = f"{letter.body.zh}\n\n{_FOOTER.zh.format(url=unsubscribe_url)}\n"
    en = f"{letter.body.en}\n\n{_FOOTER.en.format(url=unsubscribe_url)}\n"
    if language is MailLanguage.ZH:
        return letter.subject.zh, zh
    if language is MailLanguage.EN:
        return letter.subject.en, en
    subject = f"{letter.subject.zh} | {letter.subject.en}"
    return subject, f"{zh}\n==== English ====\n\n{en}"


def meeting_ics(
    *,
    uid: str,
    sequence: int,
    slot: Slot,
    summary: Text,
    cancelled: bool,
    stamp: datetime,
) -> bytes:
    """The meeting as one calendar event (RFC 5546: REQUEST, or CANCEL). The UID stays the
    meeting's, and SEQUENCE its revision, so a calendar updates the event in place."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", stamp)
    event.add("dtstart", slot.start)
    event.add("dtend", slot.end)
    event.add("summary", f"{summary.zh} / {summary.en}")
    where = _where(slot)
    event.add("location", f"{where.zh} / {where.en}")
    if slot.video_link:
        event.add("url", slot.video_link)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    cal.add_component(event)
    return bytes(cal.to_ical())
