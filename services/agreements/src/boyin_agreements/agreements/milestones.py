"""Milestones of a signed agreement's implementation: what should happen by when (company
registered, funds received, team arrived, ...), when it did, and district officers'
follow-ups. An agreement lands when every required milestone is reached."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from boyin_agreements.agreements.refusals import error, refuse
from boyin_shared.api.agreements import MilestoneKind
from boyin_shared.errors import BoyinError, FieldError, invalid, not_found
from boyin_shared.text import clean

#: each kind of milestone in Chinese (for messages; the enum's values are English)
KIND_ZH: dict[MilestoneKind, str] = {
    MilestoneKind.COMPANY_REGISTERED: "公司注册",
    MilestoneKind.FUNDS_RECEIVED: "资金到位",
    MilestoneKind.TEAM_ARRIVED: "团队到岗",
    MilestoneKind.PRODUCT_DELIVERED: "产品交付",
    MilestoneKind.STAFF_HIRED: "人员招聘",
    MilestoneKind.OTHER: "其他",
}


@dataclass(frozen=True)
class FollowUp:
    """A district officer's (or an operator's) note on a milestone."""

    at: datetime
    by: str
    note: str


@dataclass(frozen=True)
class Milestone:
    id: str
    kind: MilestoneKind
    due: date
    #: what an OTHER milestone is (optional for the others)
    label: str | None = None
    #: landing waits for a required milestone
    required: bool = True
    reached_on: date | None = None
    reached_by: str | None = None
    follow_ups: tuple[FollowUp, ...] = ()
    #: its being overdue was announced (cleared when its due date moves)
    overdue_announced: bool = False

    def overdue(self, today: date) -> bool:
        return self.reached_on is None and self.due < today


@dataclass(frozen=True)
class MilestonePlan:
    """A milestone to add (``milestone_id`` None) or the new plan of one not yet reached."""

    kind: MilestoneKind
    due: date
    label: str | None = None
    required: bool = True
    milestone_id: str | None = None


def find(milestones: Sequence[Milestone], milestone_id: str) -> Milestone:
    for m in milestones:
        if m.id == milestone_id:
            return m
    raise not_found("milestone", milestone_id, zh_kind="里程碑")


def replace_one(milestones: Sequence[Milestone], new: Milestone) -> tuple[Milestone, ...]:
    return tuple(new if m.id == new.id else m for m in milestones)


def planned(
    milestones: Sequence[Milestone], plan: MilestonePlan, signed_on: date
) -> tuple[Milestone, ...]:
    """The milestones with ``plan`` added or applied. A due date before the signature is
    refused, as is a change to a milestone already reached."""
    out: list[FieldError] = []
    label = None
    if plan.label is not None:
        cleaned = clean(plan.label, "label", max_length=200)
        if isinstance(cleaned, FieldError):
            out.append(cleaned)
        else:
            label = cleaned or None
    if plan.kind is MilestoneKind.OTHER and label is None and not out:
        out.append(
            error("label", "REQUIRED", "“其他”类里程碑须写明内容", "say what an OTHER milestone is")
        )
    if plan.due < signed_on:
        out.append(
            error(
                "due",
                "DUE_BEFORE_SIGNATURE",
                f"里程碑的截止日期（{plan.due.isoformat()}）不能早于签约日期（{signed_on.isoformat()}）",
                f"a milestone cannot be due ({plan.due.isoformat()}) before the signature "
                f"({signed_on.isoformat()})",
            )
        )
    if out:
        raise invalid(out)
    if plan.milestone_id is None:
        new = Milestone(_next_id(milestones), plan.kind, plan.due, label, plan.required)
        return (*milestones, new)
    old = find(milestones, plan.milestone_id)
    if old.reached_on is not None:
        raise already_reached(old)
    new = dataclasses.replace(
        old,
        kind=plan.kind,
        due=plan.due,
        label=label,
        required=plan.required,
        overdue_announced=old.overdue_announced and old.due == plan.due,
    )
    return replace_one(milestones, new)


def reached(m: Milestone, on: date, today: date, by: str) -> Milestone:
    """``m`` reached ``on`` (not after ``today``), as ``by`` reports."""
    if on > today:
        raise invalid(
            [
                error(
                    "reached_on",
                    "IN_FUTURE",
                    f"达成日期不能晚于今天（{today.isoformat()}）",
                    f"the day reached cannot be after today ({today.isoformat()})",
                )
            ]
        )
    return dataclasses.replace(m, reached_on=on, reached_by=by)


def noted(m: Milestone, follow_up: FollowUp) -> Milestone:
    """``m`` with one more follow-up (its note cleaned; an empty one is refused)."""
    text = clean(follow_up.note, "note", max_length=2000, multiline=True)
    if isinstance(text, FieldError):
        raise invalid([text])
    if not text:
        raise invalid([error("note", "REQUIRED", "请填写跟进内容", "the note is empty")])
    return dataclasses.replace(
        m, follow_ups=(*m.follow_ups, dataclasses.replace(follow_up, note=text))
    )


def already_reached(m: Milestone) -> BoyinError:
    assert m.reached_on is not None
    return refuse(
        "MILESTONE_REACHED",
        f"该里程碑已于 {m.reached_on.isoformat()} 达成，不能再修改",
        f"the milestone was reached on {m.reached_on.isoformat()}: it cannot change",
        error("milestone_id", "REACHED", "里程碑已达成", "the milestone is reached"),
    )


def newly_overdue(milestones: Sequence[Milestone], today: date) -> list[Milestone]:
    """Milestones overdue on ``today`` whose being overdue was not announced yet."""
    return [m for m in milestones if m.overdue(today) and not m.overdue_announced]


def missing_for_landing(milestones: Sequence[Milestone]) -> list[FieldError]:
    """Why these milestones do not let the agreement land: a required one not reached, or
    no required milestone at all."""
    required = [m for m in milestones if m.required]
    if not required:
        return [
            error(
                "milestones",
                "NONE_REQUIRED",
                "落地前须至少设定并达成一个必需的里程碑",
                "landing needs at least one required milestone, reached",
            )
        ]
    return [
        error(
            f"milestones.{m.id}.reached_on",
            "NOT_REACHED",
            f"必需的里程碑尚未达成：{m.label or KIND_ZH[m.kind]}（截止 {m.due.isoformat()}）",
            f"a required milestone is not reached: {m.label or m.kind.value} "
            f"(due {m.due.isoformat()})",
        )
        for m in required
        if m.reached_on is None
    ]


def _next_id(milestones: Sequence[Milestone]) -> str:
    numbers = [int(m.id[3:]) for m in milestones if m.id.startswith("ms_") and m.id[3:].isdigit()]
    return f"ms_{max(numbers, default=0) + 1}"
