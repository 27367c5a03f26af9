"""Events that notify people: matching's proposals and mutual matches, scheduling's
meetings scheduled, moved or cancelled, the registry's own published and returned demands,
and agreements' stage changes. Idempotent: a notification is keyed by the event's id."""

from __future__ import annotations

from boyin_registry.notifications.announcements import Announcements
from boyin_shared.bus import Subscription
from boyin_shared.contracts.agreements import AgreementStageChanged
from boyin_shared.contracts.matching import MatchesProposed, MatchMutuallyAccepted
from boyin_shared.contracts.registry import DemandPublished, DemandReturned
from boyin_shared.contracts.scheduling import (
    MeetingCancelled,
    MeetingRescheduled,
    MeetingScheduled,
)


def subscription(announce: Announcements) -> Subscription:
    async def on_proposed(event: MatchesProposed) -> None:
        await announce.proposed(event)

    async def on_mutual(event: MatchMutuallyAccepted) -> None:
        await announce.mutual(event)

    async def on_scheduled(event: MeetingScheduled) -> None:
        await announce.meeting(event.id, "scheduled", event.data)

    async def on_rescheduled(event: MeetingRescheduled) -> None:
        await announce.meeting(event.id, "moved", event.data)

    async def on_cancelled(event: MeetingCancelled) -> None:
        await announce.meeting(event.id, "cancelled", event.data)

    async def on_published(event: DemandPublished) -> None:
        await announce.demand(event, "published")

    async def on_returned(event: DemandReturned) -> None:
        await announce.demand(event, "returned")

    async def on_stage(event: AgreementStageChanged) -> None:
        await announce.agreement(event)

    return Subscription(
        "registry.notifications",
        {
            MatchesProposed: on_proposed,
            MatchMutuallyAccepted: on_mutual,
            MeetingScheduled: on_scheduled,
            MeetingRescheduled: on_rescheduled,
            MeetingCancelled: on_cancelled,
            DemandPublished: on_published,
            DemandReturned: on_returned,
            AgreementStageChanged: on_stage,
        },
    )
