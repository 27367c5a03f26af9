"""In-memory fakes of the registry, matching, scheduling, agreements and mentors clients, for running the
gateway's schema (or its whole ASGI app) without the services.

Each fake implements the client protocol the resolvers depend on (``boyin_gateway.clients``;
mypy checks it, see the end of the module) and behaves as the service does for what the
gateway tests use: the same answers, and the same refusals raised as the HTTP clients
raise them (:class:`ServiceError` with the service's status and code: 404 ``NOT_FOUND``
for what the caller may not see, 403 ``FORBIDDEN`` for what they may see but not do, 409
for a wrong step, 422 ``VALIDATION_FAILED``). The rules are the services' own, written
down here in short; the gateway's own rules (staff-only fields, the feeds, personal data)
are deliberately *not* repeated, so a test fails when the gateway forgets one.

Every call is logged on :attr:`FakePlatform.log` (service, method, arguments) and counted
per client (``calls``), as the HTTP clients count theirs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from boyin_gateway.clients import (
    Agreements,
    DeadLetterDesk,
    Matching,
    Mentors,
    Registry,
    Scheduling,
    ServiceName,
    Services,
)
from boyin_shared.api.dead_letters import DeadLetterOut, DeadLetterPage, DeadLetterStatus
from boyin_shared.identity import Actor
from tests.gateway.fake_agreements import AgreementsData, FakeAgreements
from tests.gateway.fake_mentors import FakeMentors, MentorsData
from tests.gateway.fake_records import (
    Call,
    MatchingData,
    RegistryData,
    SchedulingData,
    forbidden,
    not_found,
)
from tests.gateway.fake_registry import FakeMatching, FakeRegistry, Log
from tests.gateway.fake_scheduling import FakeScheduling


@dataclass
class FakeDeadLetters:
    """A service's dead letters: the fakes keep none (the real store is tested with the
    services, ``tests/e2e/test_dead_letters.py``); staff only, as every service answers."""

    actor: Actor
    _log: Log
    calls: int = 0

    def _staff(self, method: str) -> None:
        self.calls += 1
        self._log(method, {})
        if not self.actor.is_staff:
            raise forbidden()

    async def stream(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        raise not_found(path)

    async def dead_letters(
        self, *, status: DeadLetterStatus | None, after: str | None, limit: int
    ) -> DeadLetterPage:
        self._staff("dead_letters")
        return DeadLetterPage(items=[], next_after=None)

    async def replay_dead_letter(self, letter_id: str) -> DeadLetterOut:
        self._staff("replay_dead_letter")
        raise not_found(letter_id)


@dataclass
class FakePlatform:
    """The five services in memory (``boyin_gateway.clients.Services``)."""

    registry_data: RegistryData = field(default_factory=RegistryData)
    matching_data: MatchingData = field(default_factory=MatchingData)
    scheduling_data: SchedulingData = field(default_factory=SchedulingData)
    agreements_data: AgreementsData = field(default_factory=AgreementsData)
    mentors_data: MentorsData = field(default_factory=MentorsData)
    log: list[Call] = field(default_factory=list)

    def _logger(self, service: str) -> Log:
        def log(method: str, args: dict[str, Any]) -> None:
            self.log.append(Call(service, method, args))

        return log

    def registry(self, actor: Actor) -> FakeRegistry:
        return FakeRegistry(self.registry_data, self.matching_data, actor, self._logger("registry"))

    def matching(self, actor: Actor) -> FakeMatching:
        return FakeMatching(self.registry_data, self.matching_data, actor, self._logger("matching"))

    def scheduling(self, actor: Actor) -> FakeScheduling:
        return FakeScheduling(
            self.scheduling_data, self.registry_data, actor, self._logger("scheduling")
        )

    def agreements(self, actor: Actor) -> FakeAgreements:
        return FakeAgreements(self.agreements_data, actor, self._logger("agreements"))

    def mentors(self, actor: Actor) -> FakeMentors:
        return FakeMentors(self.mentors_data, actor, self._logger("mentors"))

    def dead_letters(self, service: ServiceName, actor: Actor) -> FakeDeadLetters:
        return FakeDeadLetters(actor, self._logger(service.value))

    async def close(self) -> None:
        return None

    def methods(self, service: str | None = None) -> list[str]:
        """The methods called, in order (of one service)."""
        return [c.method for c in self.log if service in (None, c.service)]

    def ids_asked(self, method: str) -> list[list[str]]:
        return [list(c.args["ids"]) for c in self.log if c.method == method]


def _conforms(
    platform: FakePlatform, actor: Actor
) -> tuple[Services, Registry, Matching, Scheduling, Agreements, Mentors, DeadLetterDesk]:
    """Nothing at run time: mypy checks here that the fakes implement the protocols."""
    return (
        platform,
        platform.registry(actor),
        platform.matching(actor),
        platform.scheduling(actor),
        platform.agreements(actor),
        platform.mentors(actor),
        platform.dead_letters(ServiceName.MATCHING, actor),
    )
