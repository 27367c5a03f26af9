"""What each event announces, and to whom: matching's proposals and mutual matches,
scheduling's meetings (with the .ics, built from the meeting the event carries), the
registry's own published and returned demands, and agreements' stage changes.

Every plan is keyed by the event's id, so a redelivered event plans nothing new.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from boyin_registry.notifications.domain import Attachment
from boyin_registry.notifications.service import Directory, Notifier
from boyin_registry.notifications.templates import (
    DemandChange,
    MeetingChange,
    Party,
    Slot,
    Text,
    agreement,
    demand,
    meeting,
    meeting_ics,
    mutual_match,
    proposals,
)
from boyin_registry.privacy.repository import AuditLog
from boyin_shared.api.registry import NotificationKind
from boyin_shared.clock import utcnow
from boyin_shared.contracts.agreements import AgreementStageChanged
from boyin_shared.contracts.matching import MatchesProposed, MatchMutuallyAccepted, MatchParty
from boyin_shared.contracts.registry import DemandPublished, DemandReturned
from boyin_shared.contracts.scheduling import MeetingChange as MeetingChangeData
from boyin_shared.contracts.scheduling import MeetingPlace
from boyin_shared.identity import Actor, Role


def _slot(place: MeetingPlace | None) -> Slot | None:
    if place is None:
        return None
    return Slot(place.start, place.end, place.table, place.video_link)


@dataclass
class Announcements:
    notifier: Notifier
    #: the privacy audit log: a message with a counterpart's contacts is a disclosure
    audit: AuditLog

    @property
    def directory(self) -> Directory:
        return self.notifier.directory

    async def proposed(self, event: MatchesProposed) -> None:
        """The ranked demand's owner hears of its new matches in one message; each
        counterpart hears that it was proposed."""
        ranked_id = event.data.demand_id
        ranked_owner: dict[str, list[MatchParty]] = defaultdict(list)
        for p in event.data.proposals:
            ranked, other = (
                (p.supply, p.demand)
                if p.supply.demand_id == ranked_id
                else (
                    p.demand,
                    p.supply,
                )
            )
            ranked_owner[ranked.party_id].append(other)
            letter = proposals(
                await self.directory.demand_title(ranked.demand_id),
                [await self.directory.name(ranked.party_id)],
                own_demand=False,
            )
            await self.notifier.plan(event.id, NotificationKind.PROPOSAL, other.party_id, letter)
        title = await self.directory.demand_title(ranked_id)
        for owner, others in ranked_owner.items():
            names = [await self.directory.name(o.party_id) for o in others]
            letter = proposals(title, names, own_demand=True)
            await self.notifier.plan(event.id, NotificationKind.PROPOSAL, owner, letter)

    async def mutual(self, event: MatchMutuallyAccepted) -> None:
        """Each side receives the other's contact details (disclosed by the mutual yes);
        each message planned is logged as a disclosure (``mail_contacts``, by the reading
        party), once: a redelivered event plans nothing and logs nothing."""
        first, second = event.data.first, event.data.second
        for reader, other in ((first, second), (second, first)):
            found = await self.directory.recipient(other.party_id)
            counterpart = found.party if found else Party(Text("对方", "the other party"))
            letter = mutual_match(counterpart, await self.directory.demand_title(reader.demand_id))
            planned = await self.notifier.plan(
                event.id, NotificationKind.MUTUAL_MATCH, reader.party_id, letter
            )
            if planned and found is not None and found.party.contact:
                role = Role.TALENT if reader.party_kind == "talent" else Role.ORGANISATION
                by = Actor(account_id=reader.party_id, role=role, party_id=reader.party_id)
                await self.audit.record(by, "mail_contacts", other.party_id)

    async def meeting(self, event_id: str, change: MeetingChange, data: MeetingChangeData) -> None:
        """Both parties hear of it, each naming the other, with the meeting's .ics."""
        m = data.meeting
        slot, previous = _slot(m.place), _slot(data.previous_place)
        cancelled = change == "cancelled"
        ics_slot = slot or (previous if cancelled else None)
        for reader, other in ((m.requester, m.invitee), (m.invitee, m.requester)):
            counterpart = await self.directory.name(other.party_id)
            letter = meeting(change, counterpart, slot, previous)
            attachments: tuple[Attachment, ...] = ()
            if ics_slot is not None:
                ics = meeting_ics(
                    uid=f"{m.edition_id}.{m.meeting_id}@boyin",
                    sequence=m.revision,
                    slot=ics_slot,
                    summary=Text(
                        f"博引会谈：{counterpart.name.zh}", f"Boyin meeting: {counterpart.name.en}"
                    ),
                    cancelled=cancelled,
                    stamp=utcnow(),
                )
                attachments = (
                    Attachment(
                        "meeting.ics",
                        "text/calendar; method=" + ("CANCEL" if cancelled else "REQUEST"),
                        ics,
                    ),
                )
            await self.notifier.plan(
                event_id, NotificationKind.MEETING, reader.party_id, letter, attachments
            )

    async def demand(self, event: DemandPublished | DemandReturned, change: DemandChange) -> None:
        d = event.data.demand
        title = Text(d.title.zh or d.title.en or "", d.title.en or d.title.zh or "")
        letter = demand(change, title, event.data.reason)
        await self.notifier.plan(event.id, NotificationKind.DEMAND, d.owner_id, letter)

    async def agreement(self, event: AgreementStageChanged) -> None:
        data = event.data
        a = data.agreement
        title = Text(a.title.zh or a.title.en or "", a.title.en or a.title.zh or "")
        letter = agreement(title, data.from_stage, data.to_stage, data.reason)
        for party in dict.fromkeys(p.party_id for p in a.parties):
            await self.notifier.plan(event.id, NotificationKind.AGREEMENT, party, letter)
