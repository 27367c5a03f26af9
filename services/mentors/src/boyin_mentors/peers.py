"""How the mentors service reaches the other services' HTTP APIs (matching's relevance,
scheduling's slots): at their URLs in ``BOYIN_SERVICE_URLS`` (in the single-process
platform, the platform's own ``/services/<name>``), as the service itself or for the
caller."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

from boyin_shared import identity
from boyin_shared.identity import Actor, Role

SELF = Actor("svc_mentors", Role.SERVICE)
TIMEOUT_SECONDS = 20.0


def as_self(secret: str) -> dict[str, str]:
    """The headers of a call made by the service itself."""
    return acting_for(SELF, secret)


def acting_for(actor: Actor, secret: str) -> dict[str, str]:
    """The headers of a call made for ``actor`` (the other service decides what they
    may see, as it would for the gateway)."""
    return {identity.HEADER: identity.issue(actor, secret)}


@dataclass
class PeerClient:
    """One client to ``base_url`` for the process, made on first use (without a URL each
    call fails, which the callers treat as the service being unavailable)."""

    base_url: str | None
    _made: list[httpx.AsyncClient] = field(default_factory=list)

    def __call__(self) -> httpx.AsyncClient:
        if not self._made:
            url = self.base_url or "http://unconfigured.invalid"
            self._made.append(httpx.AsyncClient(base_url=url, timeout=TIMEOUT_SECONDS))
        return self._made[0]

    async def aclose(self) -> None:
        for client in self._made:
            await client.aclose()
        self._made.clear()
