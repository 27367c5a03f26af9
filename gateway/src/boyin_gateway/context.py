"""Per-request GraphQL context: who is calling, the services' clients acting for them
(typed as the clients' protocols, so tests run the schema on fakes), this request's loaders."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TypeVar

from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext

from boyin_gateway.accounts.service import Accounts
from boyin_gateway.clients import (
    Agreements,
    DeadLetterDesk,
    Downstream,
    Mentors,
    Registry,
    Scheduling,
    ServiceError,
    ServiceName,
    Services,
)
from boyin_gateway.clients.agreements import MAX_MATCHES
from boyin_gateway.derived import shown_as
from boyin_gateway.feeds import Feeds, Listener, Session
from boyin_gateway.permissions import acts_for_no_party_yet
from boyin_gateway.reference_cache import ReferenceCache
from boyin_gateway.types import Organisation, Talent
from boyin_shared.api.agreements import AgreementOut
from boyin_shared.api.registry import ContactOut
from boyin_shared.api.scheduling import MeetingOut, TimetableDetailOut
from boyin_shared.events import Event
from boyin_shared.identity import Actor, Role

T = TypeVar("T")

ANONYMOUS = Actor(account_id="anonymous", role=Role.PUBLIC)


class Loaders:
    """Batch the lookups of one request: N owners become one call per service."""

    def __init__(self, registry: Registry, scheduling: Scheduling, agreements: Agreements) -> None:
        async def organisations(ids: list[str]) -> list[Organisation | None]:
            found = {
                o.id: shown_as(Organisation, o) for o in await registry.organisations_by_id(ids)
            }
            return [found.get(i) for i in ids]

        async def talents(ids: list[str]) -> list[Talent | None]:
            found = {t.id: shown_as(Talent, t) for t in await registry.talents_by_id(ids)}
            return [found.get(i) for i in ids]

        async def organisation_contacts(ids: list[str]) -> list[list[ContactOut] | None]:
            """Contact details, asked of the registry only for a field that shows them."""
            found = {
                o.id: o.contacts for o in await registry.organisations_by_id(ids, contacts=True)
            }
            return [found.get(i) for i in ids]

        async def talent_contacts(ids: list[str]) -> list[ContactOut | None]:
            found = {t.id: t.contact for t in await registry.talents_by_id(ids, contacts=True)}
            return [found.get(i) for i in ids]

        async def edition_meetings(edition_ids: list[str]) -> list[dict[str, MeetingOut]]:
            """Every meeting of each edition, by id: a page of placements names its meetings
            with a few pages of 500 rather than a call per meeting (staff only)."""
            found: list[dict[str, MeetingOut]] = []
            for edition_id in edition_ids:
                meetings: dict[str, MeetingOut] = {}
                after: str | None = None
                while True:
                    page = await scheduling.edition_meetings(
                        edition_id, status=None, after=after, limit=MEETINGS_PAGE
                    )
                    meetings.update((m.id, m) for m in page)
                    if len(page) < MEETINGS_PAGE:
                        break
                    after = page[-1].id
                found.append(meetings)
            return found

        async def timetables(keys: list[tuple[str, str]]) -> list[TimetableDetailOut]:
            """A timetable's placements, asked for once however many fields read them."""
            return [await scheduling.timetable(edition_id, which) for edition_id, which in keys]

        async def match_agreements(match_ids: list[str]) -> list[AgreementOut | None]:
            """The agreement each match led to, if the caller may see it."""
            try:
                found = await agreements.of_matches(match_ids)
            except ServiceError:
                return [None] * len(match_ids)
            by_match = {a.origin.match_id: a for a in found}
            return [by_match.get(i) for i in match_ids]

        self.organisations = DataLoader(load_fn=organisations, max_batch_size=200)
        self.match_agreements = DataLoader(load_fn=match_agreements, max_batch_size=MAX_MATCHES)
        self.talents = DataLoader(load_fn=talents, max_batch_size=200)
        self.organisation_contacts = DataLoader(load_fn=organisation_contacts, max_batch_size=200)
        self.talent_contacts = DataLoader(load_fn=talent_contacts, max_batch_size=200)
        self.edition_meetings = DataLoader(load_fn=edition_meetings)
        self.timetables = DataLoader(load_fn=timetables)

    async def party(self, party_id: str, kind: str | None = None) -> Organisation | Talent | None:
        """A talent or an organisation (``kind`` "talent"/"organisation" as scheduling
        names them; without it, the registry's id prefix decides, then the other type)."""
        talent_first = kind == "talent" if kind else party_id.startswith("tal_")
        first, second = (
            (self.talents, self.organisations)
            if talent_first
            else (self.organisations, self.talents)
        )
        found: Organisation | Talent | None = await first.load(party_id)
        if found is None and kind is None:
            found = await second.load(party_id)
        return found

    async def contacts(self, party_id: str, kind: str) -> list[ContactOut] | None:
        """A talent's or an organisation's contact details (``kind`` as matching names
        it), where the caller may see them."""
        if kind == "talent":
            contact = await self.talent_contacts.load(party_id)
            return None if contact is None else [contact]
        found: list[ContactOut] | None = await self.organisation_contacts.load(party_id)
        return found


#: meetings asked for per call when the gateway reads a whole edition's
MEETINGS_PAGE = 500


class Context(BaseContext):
    def __init__(
        self,
        services: Services,
        accounts: Accounts,
        actor: Actor,
        feeds: Feeds,
        reference: ReferenceCache | None = None,
    ) -> None:
        super().__init__()
        self.accounts = accounts
        self.feeds = feeds
        #: the reference data the gateway keeps (none given: kept for this request only)
        self.reference = ReferenceCache() if reference is None else reference
        self._services = services
        #: set by graphql-transport-ws from the client's connection_init payload
        self.connection_params: dict[str, object] | None = None
        self._acting: list[Downstream] = []
        self.authenticate(actor)

    def authenticate(self, actor: Actor, expires_at: float | None = None) -> None:
        """Act for ``actor`` (a websocket authenticates after the connection is made), whose
        access token expires at ``expires_at`` (epoch seconds; None: anonymous)."""
        self.actor = actor
        self.expires_at = expires_at
        self.registry = self._services.registry(actor)
        self.matching = self._services.matching(actor)
        self.scheduling = self._services.scheduling(actor)
        self.agreements: Agreements = self._services.agreements(actor)
        self.mentors: Mentors = self._services.mentors(actor)
        self.loaders = Loaders(self.registry, self.scheduling, self.agreements)

    def _session(self) -> Session | None:
        """The sign-in the caller's feeds last as long as (None: an anonymous caller's)."""
        session_id = self.actor.session_id
        if session_id is None or self.expires_at is None:
            return None

        async def live() -> bool:
            return not await self.accounts.session_revoked(session_id)

        return Session(self.expires_at, live)

    def listen(
        self, select: Callable[[Event], T | None]
    ) -> contextlib.AbstractAsyncContextManager[Listener[T]]:
        """The caller's live feed of ``select``'s items, ending with its sign-in (feeds.py)."""
        return self.feeds.listen(select, self._session())

    def listen_many(
        self, select: Callable[[Event], Iterable[T]]
    ) -> contextlib.AbstractAsyncContextManager[Listener[T]]:
        return self.feeds.listen_many(select, self._session())

    def registry_acting_for(self, party_id: str) -> Registry:
        """The registry as the caller acting for ``party_id``: the party their account is
        bound to, which a token issued before the binding does not name yet."""
        client = self._services.registry(replace(self.actor, party_id=party_id))
        self._acting.append(client)
        return client

    def dead_letters_of(self, service: ServiceName) -> DeadLetterDesk:
        """One service's dead letters, for the caller (an operator)."""
        desk = self._services.dead_letters(service, self.actor)
        self._acting.append(desk)
        return desk

    def scheduling_acting_for(self, party_id: str) -> Scheduling:
        """Scheduling as the caller acting for ``party_id`` (see :meth:`registry_acting_for`)."""
        client = self._services.scheduling(replace(self.actor, party_id=party_id))
        self._acting.append(client)
        return client

    async def scheduling_for_participant(self) -> Scheduling:
        """Scheduling as the caller; a talent or organisation whose token was issued before
        it registered acts for the party its account is now bound to."""
        actor = self.actor
        if not acts_for_no_party_yet(actor):
            return self.scheduling
        account = await self.accounts.get(actor.account_id)
        if account is None or account.party_id is None:
            return self.scheduling
        return self.scheduling_acting_for(account.party_id)

    @property
    def downstream_calls(self) -> int:
        acting = sum(c.calls for c in self._acting)
        services = (self.registry, self.matching, self.scheduling, self.agreements, self.mentors)
        return sum(c.calls for c in services) + acting
