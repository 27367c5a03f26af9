"""The registry's submitted demands: each project-cooperation demand is routed to
mentors once (the screening's id comes from the demand, so a redelivered or repeated
submission routes nothing twice); and a mentor suspended or retired (the service's own
events): their open reviews are routed to others."""

from __future__ import annotations

from dataclasses import dataclass

from boyin_mentors.mentors.profile import Text
from boyin_mentors.screening.routing import DemandBrief
from boyin_mentors.screening.service import ScreeningDesk
from boyin_shared.bus import Handler
from boyin_shared.contracts.common import LocalizedText
from boyin_shared.contracts.mentors import MentorRetired, MentorSuspended
from boyin_shared.contracts.registry import DemandSnapshot, DemandSubmitted
from boyin_shared.events import Event

SCREENED_CHANNEL = "PROJECT_COOPERATION"


def _text(t: LocalizedText) -> Text:
    return Text(t.zh, t.en)


def brief(d: DemandSnapshot) -> DemandBrief:
    co = d.details.get("co_applicants")
    return DemandBrief(
        demand_id=d.demand_id,
        title=_text(d.title),
        description=_text(d.description),
        language=d.language,
        taxonomy_codes=d.taxonomy_codes,
        keywords=d.keywords,
        owner_kind=d.owner_kind,
        owner_id=d.owner_id,
        co_applicants=tuple(str(x) for x in co) if isinstance(co, list) else (),
    )


@dataclass
class DemandConsumers:
    desk: ScreeningDesk

    async def on_submitted(self, event: DemandSubmitted) -> None:
        demand = event.data.demand
        if demand.channel == SCREENED_CHANNEL:
            await self.desk.route(brief(demand))

    async def on_mentor_gone(self, event: MentorSuspended | MentorRetired) -> None:
        await self.desk.replace_mentor(event.data.mentor_id)

    def handlers(self) -> dict[type[Event], Handler]:
        return {
            DemandSubmitted: self.on_submitted,
            MentorSuspended: self.on_mentor_gone,
            MentorRetired: self.on_mentor_gone,
        }
