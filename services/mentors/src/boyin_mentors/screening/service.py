"""Use cases of screening: route a submitted demand (once, however often the event comes),
a mentor's queue and review, the operators' board, reassignment and overdue list, the
owner's aggregated result, and the overdue job."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from boyin_mentors.mentors.domain import Mentor, mentor_id_of, require_staff
from boyin_mentors.mentors.repository import Mentors, Taxonomy
from boyin_mentors.screening import routing
from boyin_mentors.screening.domain import Screening, open_screening
from boyin_mentors.screening.relevance import Relevance
from boyin_mentors.screening.repository import ScreeningQuery, Screenings, screening_id_of
from boyin_mentors.screening.routing import Candidate, DemandBrief, Pick
from boyin_mentors.screening.rubric import Result, ScoreDraft
from boyin_shared.api.mentors import MentorStatus, ScreeningStatus
from boyin_shared.clock import utcnow
from boyin_shared.errors import BoyinError, FieldError, Message, forbidden, invalid, not_found
from boyin_shared.events import Event
from boyin_shared.identity import Actor
from boyin_shared.store import AlreadyExists

Step = Callable[[Screening], tuple[Screening, list[Event]]]
#: why an open review moved when its mentor was suspended or retired
LEFT = "the mentor was suspended or retired"


def _absent(screening_id: str) -> BoyinError:
    return not_found("screening", screening_id, zh_kind="评审")


@dataclass
class ScreeningDesk:
    screenings: Screenings
    mentors: Mentors
    taxonomy: Taxonomy
    relevance: Relevance

    # -- routing ----------------------------------------------------------------------

    async def _candidates(self, exclude: Sequence[str] = ()) -> list[Candidate]:
        loads = await self.screenings.open_loads()
        return [
            _candidate(m, loads[m.id]) for m in await self.mentors.approved() if m.id not in exclude
        ]

    async def _relevance(
        self, demand: DemandBrief, candidates: Sequence[Candidate]
    ) -> dict[str, float] | None:
        scores = await self.relevance.scores(demand.text(), [c.text() for c in candidates])
        if scores is None:
            return None
        return {c.mentor_id: s for c, s in zip(candidates, scores, strict=True)}

    async def _route(
        self, demand: DemandBrief, need: int, exclude: Sequence[str] = ()
    ) -> tuple[list[Pick], int, str]:
        candidates = await self._candidates(exclude)
        relevance = await self._relevance(demand, candidates)
        parents = await self.taxonomy.parents()
        picks, eligible = routing.route(demand, candidates, relevance, parents, need=need)
        return picks, eligible, "CODES" if relevance is None else "MATCHING"

    async def route(self, demand: DemandBrief) -> Screening | None:
        """Open the demand's screening with the mentors routing picks (None: it exists)."""
        screening_id = screening_id_of(demand.demand_id)
        if await self.screenings.get(screening_id) is not None:
            return None
        picks, eligible, ranked_by = await self._route(demand, routing.REVIEWERS)
        screening, events = open_screening(
            screening_id, demand, picks, eligible, ranked_by, utcnow()
        )
        try:
            await self.screenings.add(screening, events)
        except AlreadyExists:
            return None
        return screening

    # -- reading ----------------------------------------------------------------------

    async def _get(self, screening_id: str) -> Screening:
        loaded = await self.screenings.get(screening_id)
        if loaded is None:
            raise _absent(screening_id)
        return loaded.aggregate

    async def get(self, actor: Actor, screening_id: str) -> Screening:
        """Everything (operators)."""
        require_staff(actor)
        return await self._get(screening_id)

    async def board(self, actor: Actor, query: ScreeningQuery) -> list[Screening]:
        require_staff(actor)
        return await self.screenings.page(query)

    async def overdue(self, actor: Actor) -> list[Screening]:
        require_staff(actor)
        return await self.screenings.overdue(utcnow())

    async def queue(self, actor: Actor, after: str | None, limit: int) -> list[Screening]:
        """The screenings the calling mentor is assigned to."""
        query = ScreeningQuery(mentor_id=mentor_id_of(actor.account_id), after=after, limit=limit)
        return await self.screenings.page(query)

    async def task(self, actor: Actor, screening_id: str) -> Screening:
        """A screening the calling mentor is assigned to (absent otherwise)."""
        loaded = await self.screenings.get(screening_id)
        if loaded is None or mentor_id_of(actor.account_id) not in (
            a.mentor_id for a in loaded.aggregate.active
        ):
            raise _absent(screening_id)
        return loaded.aggregate

    async def result_of(self, actor: Actor, demand_id: str) -> Result:
        """A demand's aggregated result: for its owner and staff, once it is out."""
        loaded = await self.screenings.get(screening_id_of(demand_id))
        absent = not_found("screening result", demand_id, zh_kind="评审结果")
        if loaded is None or loaded.aggregate.result is None:
            raise absent
        s = loaded.aggregate
        if not (actor.is_staff or (actor.party_id and actor.party_id == s.demand.owner_id)):
            raise absent
        return loaded.aggregate.result

    # -- changes ----------------------------------------------------------------------

    async def _change(self, screening_id: str, step: Step) -> Screening:
        async def mutate(before: Screening) -> tuple[Screening, list[Event]]:
            return step(before)

        changed = await self.screenings.change(screening_id, mutate)
        if changed is None:
            raise _absent(screening_id)
        return changed

    async def submit(
        self, actor: Actor, screening_id: str, drafts: Mapping[str, ScoreDraft]
    ) -> Screening:
        """The calling mentor's review; a disagreement calls a third mentor."""
        loaded = await self.mentors.get(mentor_id_of(actor.account_id))
        if loaded is None:
            raise forbidden(Message("您不是导师", "you are not a mentor"))
        mentor = loaded.aggregate
        screening = await self.task(actor, screening_id)
        if mentor.status is not MentorStatus.APPROVED:
            raise BoyinError(
                code="MENTOR_NOT_APPROVED",
                message=Message("导师未获批准或已暂停，不能评审", "only approved mentors review"),
                fields=[_field("status", mentor.status.value, "当前状态", "current status")],
                status=409,
            )
        conflict = routing.conflict_of(_candidate(mentor, 0), screening.demand)
        now = utcnow()
        changed = await self._change(
            screening_id, lambda s: s.submit(mentor.id, drafts, conflict, now)
        )
        if changed.status is ScreeningStatus.NEEDS_THIRD_REVIEW and not changed.open_mentors:
            changed = await self._third(changed)
        return changed

    async def _third(self, screening: Screening) -> Screening:
        assigned = [a.mentor_id for a in screening.assignments]
        picks, _, _ = await self._route(screening.demand, 1, exclude=assigned)
        if not picks:
            return screening  # on the board as NEEDS_THIRD_REVIEW: an operator assigns
        return await self._change(screening.id, lambda s: s.assign(picks[0], "system", utcnow()))

    async def reassign(
        self,
        actor: Actor,
        screening_id: str,
        from_mentor_id: str | None,
        to_mentor_id: str,
        reason: str | None,
    ) -> Screening:
        """An operator moves an open review to another mentor (or adds one). The mentor
        must be approved, free of conflict, speak the language and have room; operators
        may overrule the expertise fit."""
        require_staff(actor)
        screening = await self._get(screening_id)
        loaded = await self.mentors.get(to_mentor_id)
        if loaded is None:
            raise invalid(
                [_field("to_mentor_id", "UNKNOWN_MENTOR", "没有这位导师", "no such mentor")]
            )
        loads = await self.screenings.open_loads()
        candidate = _candidate(loaded.aggregate, loads[to_mentor_id])
        why = routing.unsuitable(
            candidate, screening.demand, {}, None, check_fit=False, field="to_mentor_id"
        )
        if why is not None:
            raise BoyinError(
                code="MENTOR_UNSUITABLE",
                message=Message(
                    f"不能分配给该导师：{why.message.zh}", f"not this mentor: {why.message.en}"
                ),
                fields=[why],
                status=409,
            )
        pick = Pick(to_mentor_id, None)
        return await self._change(
            screening_id,
            lambda s: s.reassign(from_mentor_id, pick, actor.account_id, reason, utcnow()),
        )

    async def replace_mentor(self, mentor_id: str) -> int:
        """A mentor suspended or retired: route each of their open reviews to another
        qualified mentor (one that none qualifies for stays, escalated when overdue).
        Returns how many moved; a repeat moves nothing (none is open any more)."""
        moved = 0
        after: str | None = None
        while page := await self.screenings.page(ScreeningQuery(mentor_id=mentor_id, after=after)):
            for screening in page:
                if mentor_id not in screening.open_mentors:
                    continue
                assigned = [a.mentor_id for a in screening.assignments]
                picks, _, _ = await self._route(screening.demand, 1, exclude=assigned)
                if picks:
                    pick = picks[0]

                    def step(s: Screening, pick: Pick = pick) -> tuple[Screening, list[Event]]:
                        return s.reassign(mentor_id, pick, "system", LEFT, utcnow())

                    await self._change(screening.id, step)
                    moved += 1
            after = page[-1].id
        return moved

    async def announce_overdue(self, now: datetime | None = None) -> int:
        """Remind and escalate each overdue review once; returns how many screenings had
        news."""
        at = now or utcnow()
        count = 0
        after: str | None = None
        while due := await self.screenings.due(at, after):
            for screening in due:

                async def mutate(s: Screening) -> tuple[Screening, list[Event]]:
                    return s.overdue(at)

                await self.screenings.change(screening.id, mutate)
                count += 1
            after = due[-1].id
        return count


def _candidate(m: Mentor, open_reviews: int) -> Candidate:
    return Candidate(m.id, m.account_id, m.status, m.profile, open_reviews)


def _field(field: str, code: str, zh: str, en: str) -> FieldError:
    return FieldError(field, code, Message(zh, en))
