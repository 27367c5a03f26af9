"""The in-memory fake of the mentors service (see ``tests/gateway/fakes.py``).

The mentors service's rules, in short: a mentor's record is seen by the mentor and staff
(404 otherwise); only a MENTOR account applies, for itself, once (409 ``MENTOR_EXISTS``);
staff list, invite, decide, read the board, reassign and read the overdue list (403
otherwise); a mentor sees and reviews only the screenings assigned to them (404
otherwise), once (409 ``ALREADY_SUBMITTED``), each score 1–5 (422 naming the field); a
demand's aggregated result is for its owner and staff, once it is out (404 otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from boyin_gateway.clients import ServiceError
from boyin_shared.api.errors import ErrorOut, FieldErrorOut, MessageOut
from boyin_shared.api.mentors import (
    AssignmentOut,
    AssignmentState,
    ConflictsOut,
    ConsultationMode,
    ConsultationOut,
    ConsultationStatus,
    CriterionResultOut,
    DemandOut,
    MentorDetailOut,
    MentorOut,
    MentorPage,
    MentorStatus,
    NoteOut,
    ProfileOut,
    ProfileVersionOut,
    ResultOut,
    ReviewOut,
    ScoreOut,
    ScreeningOut,
    ScreeningPage,
    ScreeningStatus,
    TaskOut,
    TextOut,
    TransitionOut,
)
from boyin_shared.identity import Actor, Role
from tests.gateway.fake_records import forbidden, not_found, refusal
from tests.gateway.fake_registry import Log

NOW = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


def profile(name: str = "Dr. Anna Weber") -> ProfileOut:
    return ProfileOut(
        name=name,
        expertise_codes=["C33-L1"],
        expertise=TextOut(zh=None, en="battery management"),
        languages=["en"],
        country="DE",
        timezone="Europe/Berlin",
        organisation_id=None,
        organisation_name=None,
        availability=[],
        max_open_reviews=3,
        conflicts=ConflictsOut(organisations=[], people=[], interests=[]),
        max_consultations_per_day=4,
        online_link="https://meet.example.org/weber",
    )


def mentor(account_id: str, status: MentorStatus = MentorStatus.APPROVED) -> MentorDetailOut:
    return MentorDetailOut(
        id=f"men_{account_id}",
        account_id=account_id,
        status=status,
        profile=profile(),
        version=1,
        history=[
            TransitionOut(from_status=None, to_status=status, by="acc_op", at=NOW, reason=None)
        ],
        versions=[ProfileVersionOut(version=1, at=NOW, by=account_id, profile=profile())],
    )


def screening(demand_id: str, owner_id: str, mentor_ids: list[str]) -> ScreeningOut:
    return ScreeningOut(
        id=f"scr_{demand_id}",
        demand=DemandOut(
            demand_id=demand_id,
            title=TextOut(zh=None, en="Battery chip"),
            description=TextOut(zh=None, en="A battery management chip."),
            language="en",
            taxonomy_codes=["C33-L1"],
            keywords=[],
        ),
        owner_id=owner_id,
        status=ScreeningStatus.IN_REVIEW,
        ranked_by="MATCHING",
        assignments=[
            AssignmentOut(
                mentor_id=m,
                state=AssignmentState.OPEN,
                assigned_at=NOW,
                due_at=NOW,
                reminded_at=None,
                escalated_at=None,
                relevance=0.9,
            )
            for m in mentor_ids
        ],
        reviews=[],
        result=None,
    )


@dataclass
class MentorsData:
    mentors: dict[str, MentorDetailOut] = field(default_factory=dict)
    screenings: dict[str, ScreeningOut] = field(default_factory=dict)
    consultations: dict[str, ConsultationOut] = field(default_factory=dict)


def _staff_only(actor: Actor) -> None:
    if not actor.is_staff:
        raise forbidden()


class FakeMentors:
    def __init__(self, data: MentorsData, actor: Actor, log: Log) -> None:
        self.data, self.actor, self._log = data, actor, log
        self.calls = 0

    def _call(self, method: str, **args: Any) -> None:
        self.calls += 1
        self._log(method, args)

    @property
    def _me(self) -> str:
        return f"men_{self.actor.account_id}"

    async def stream(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        raise AssertionError("the mentors service streams nothing")

    async def my_mentor(self) -> MentorDetailOut:
        return await self.mentor(self._me)

    async def mentor(self, mentor_id: str) -> MentorDetailOut:
        self._call("mentor", id=mentor_id)
        found = self.data.mentors.get(mentor_id)
        if found is None or not (self.actor.is_staff or found.account_id == self.actor.account_id):
            raise not_found(mentor_id)
        return found

    async def mentors(self, *, status: str | None, after: str | None, limit: int) -> MentorPage:
        self._call("mentors", status=status)
        _staff_only(self.actor)
        items = [m for m in self.data.mentors.values() if status in (None, m.status.value)]
        return MentorPage(
            items=[MentorOut.model_validate(m.model_dump()) for m in items], next_after=None
        )

    async def apply(self, body: dict[str, Any]) -> MentorDetailOut:
        self._call("apply")
        if self.actor.role is not Role.MENTOR:
            raise forbidden()
        if self._me in self.data.mentors:
            raise refusal(409, "MENTOR_EXISTS", "该账号已有导师档案", "a mentor record exists")
        made = mentor(self.actor.account_id, MentorStatus.APPLIED)
        self.data.mentors[made.id] = made
        return made

    async def invite(self, body: dict[str, Any]) -> MentorDetailOut:
        self._call("invite")
        _staff_only(self.actor)
        made = mentor(body["account_id"], MentorStatus.INVITED)
        self.data.mentors[made.id] = made
        return made

    async def update_profile(self, mentor_id: str, body: dict[str, Any]) -> MentorDetailOut:
        found = await self.mentor(mentor_id)
        return found.model_copy(update={"version": found.version + 1})

    async def decide(self, mentor_id: str, action: str, body: dict[str, Any]) -> MentorOut:
        self._call("decide", action=action)
        _staff_only(self.actor)
        found = self.data.mentors.get(mentor_id)
        if found is None:
            raise not_found(mentor_id)
        status = {"approve": MentorStatus.APPROVED, "suspend": MentorStatus.SUSPENDED}.get(
            action, MentorStatus.RETIRED
        )
        self.data.mentors[mentor_id] = found.model_copy(update={"status": status})
        return MentorOut.model_validate(self.data.mentors[mentor_id].model_dump())

    def _task(self, s: ScreeningOut) -> TaskOut:
        mine = next(a for a in s.assignments if a.mentor_id == self._me)
        own = next((r for r in s.reviews if r.mentor_id == self._me), None)
        others = [r for r in s.reviews if r.mentor_id != self._me] if own else []
        return TaskOut(
            screening_id=s.id,
            demand=s.demand,
            assignment=mine,
            own_review=own,
            other_reviews=others,
        )

    def _assigned(self, screening_id: str) -> ScreeningOut:
        found = self.data.screenings.get(screening_id)
        if found is None or self._me not in [a.mentor_id for a in found.assignments]:
            raise not_found(screening_id)
        return found

    async def queue(self) -> list[TaskOut]:
        self._call("queue")
        return [
            self._task(s)
            for s in self.data.screenings.values()
            if self._me in [a.mentor_id for a in s.assignments]
        ]

    async def task(self, screening_id: str) -> TaskOut:
        self._call("task", id=screening_id)
        return self._task(self._assigned(screening_id))

    async def submit_review(self, screening_id: str, body: dict[str, Any]) -> TaskOut:
        self._call("submit_review", id=screening_id)
        s = self._assigned(screening_id)
        if any(r.mentor_id == self._me for r in s.reviews):
            raise refusal(409, "ALREADY_SUBMITTED", "您已提交过评审", "submitted already")
        bad = [c for c, v in body["scores"].items() if not 1 <= v["score"] <= 5]
        if bad:
            fields = [
                FieldErrorOut(
                    field=f"scores.{c}.score",
                    code="OUT_OF_RANGE",
                    message=MessageOut(zh="分数须为 1 到 5", en="1 to 5"),
                )
                for c in bad
            ]
            raise _invalid(fields)
        scores = [
            ScoreOut(criterion=c, score=v["score"], comment=v["comment"])
            for c, v in body["scores"].items()
        ]
        review = ReviewOut(
            mentor_id=self._me, submitted_at=NOW, scores=scores, total=sum(x.score for x in scores)
        )
        self.data.screenings[s.id] = s = s.model_copy(update={"reviews": [*s.reviews, review]})
        return self._task(s)

    async def screenings(
        self, *, status: str | None, after: str | None, limit: int
    ) -> ScreeningPage:
        self._call("screenings", status=status)
        _staff_only(self.actor)
        items = [s for s in self.data.screenings.values() if status in (None, s.status.value)]
        return ScreeningPage(items=items, next_after=None)

    async def screening(self, screening_id: str) -> ScreeningOut:
        self._call("screening", id=screening_id)
        _staff_only(self.actor)
        found = self.data.screenings.get(screening_id)
        if found is None:
            raise not_found(screening_id)
        return found

    async def reassign(self, screening_id: str, body: dict[str, Any]) -> ScreeningOut:
        found = await self.screening(screening_id)
        kept = [a for a in found.assignments if a.mentor_id != body.get("from_mentor_id")]
        added = found.assignments[0].model_copy(update={"mentor_id": body["to_mentor_id"]})
        self.data.screenings[screening_id] = found.model_copy(
            update={"assignments": [*kept, added]}
        )
        return self.data.screenings[screening_id]

    async def overdue(self) -> list[ScreeningOut]:
        self._call("overdue")
        _staff_only(self.actor)
        return list(self.data.screenings.values())

    async def screening_result(self, demand_id: str) -> ResultOut:
        self._call("screening_result", id=demand_id)
        found = self.data.screenings.get(f"scr_{demand_id}")
        owner = found is not None and self.actor.party_id == found.owner_id
        if found is None or found.result is None or not (self.actor.is_staff or owner):
            raise not_found(demand_id)
        return found.result

    # -- consultations (the service's rules: a talent books, each slot of a mentor once;
    # its team, the mentor and staff see it; the mentor or staff record and note)

    def _sees(self, c: ConsultationOut) -> bool:
        return self.actor.is_staff or c.mentor_id == self._me or c.party_id == self.actor.party_id

    async def consultations(self) -> list[ConsultationOut]:
        self._call("consultations")
        return [c for c in self.data.consultations.values() if self._sees(c)]

    async def book(self, mentor_id: str, body: dict[str, Any]) -> ConsultationOut:
        self._call("book", mentor_id=mentor_id)
        if self.actor.role is not Role.TALENT or self.actor.party_id is None:
            raise forbidden()
        made = ConsultationOut(
            id=f"con_{mentor_id}_{body['slot_id']}",
            mentor_id=mentor_id,
            party_id=self.actor.party_id,
            edition_id=body["edition_id"],
            slot_id=body["slot_id"],
            start=NOW,
            end=NOW,
            mode=ConsultationMode(body.get("mode", "ONLINE")),
            mentor_timezone="Europe/Berlin",
            mentor_start=NOW,
            talent_timezone="Asia/Shanghai",
            talent_start=NOW,
            online_link="https://meet.example.org/weber",
            topic=body.get("topic", ""),
            status=ConsultationStatus.BOOKED,
            notes=[],
        )
        if made.id in self.data.consultations:
            raise refusal(409, "SLOT_TAKEN", "该时段已被预约", "the slot is booked")
        self.data.consultations[made.id] = made
        return made

    async def consultation_action(
        self, consultation_id: str, action: str, body: dict[str, Any]
    ) -> ConsultationOut:
        self._call("consultation_action", action=action)
        found = self.data.consultations.get(consultation_id)
        if found is None or not self._sees(found):
            raise not_found(consultation_id)
        if action in ("cancel", "move"):
            changed = self._changed(found, action, body)
            self.data.consultations[consultation_id] = changed
            return changed
        if not (self.actor.is_staff or found.mentor_id == self._me):
            raise forbidden()
        if action == "outcome":
            changed = found.model_copy(update={"status": ConsultationStatus(body["outcome"])})
        else:
            note = NoteOut(by=self.actor.account_id, at=NOW, text=body["text"])
            changed = found.model_copy(update={"notes": [*found.notes, note]})
        self.data.consultations[consultation_id] = changed
        return changed

    def _changed(
        self, found: ConsultationOut, action: str, body: dict[str, Any]
    ) -> ConsultationOut:
        """Cancelled (with a reason) or moved, by whoever sees it (as the service has it)."""
        if action == "move":
            return found.model_copy(update={"slot_id": body["slot_id"]})
        if not body["reason"].strip():
            problem = FieldErrorOut(
                field="reason",
                code="REQUIRED",
                message=MessageOut(zh="请说明取消原因", en="say why it is cancelled"),
            )
            raise ServiceError(
                422,
                ErrorOut(
                    code="VALIDATION_FAILED",
                    message=MessageOut(zh="输入有误", en="invalid input"),
                    fields=[problem],
                ),
            )
        side = (
            "OPERATOR"
            if self.actor.is_staff
            else "MENTOR"
            if found.mentor_id == self._me
            else "TALENT"
        )
        return found.model_copy(
            update={
                "status": ConsultationStatus.CANCELLED,
                "cancelled_by": side,
                "cancel_reason": body["reason"],
            }
        )


def aggregated(s: ScreeningOut) -> ScreeningOut:
    """``s`` with a result (two reviews of 4 on every criterion)."""
    criteria = [
        CriterionResultOut(criterion=c, mean=4.0, spread=0)
        for c in (
            "NOVELTY_MATURITY",
            "MARKET_POTENTIAL",
            "TEAM",
            "CLUSTER_FIT",
            "READINESS_TO_LAND",
        )
    ]
    result = ResultOut(
        reviews=2, criteria=criteria, total_mean=20.0, total_spread=0, aggregated_at=NOW
    )
    return s.model_copy(update={"status": ScreeningStatus.AGGREGATED, "result": result})


def _invalid(fields: list[FieldErrorOut]) -> ServiceError:
    error = ErrorOut(
        code="VALIDATION_FAILED",
        message=MessageOut(zh="输入有误", en="Invalid input"),
        fields=fields,
    )
    return ServiceError(422, error)
