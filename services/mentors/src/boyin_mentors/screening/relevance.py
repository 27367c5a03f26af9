"""Matching's relevance, asked through its HTTP API (``POST /relevance``): the mentors
service ranks mentors with matching's encoder and scorer without a copy of them.

The port is :class:`Relevance`; :class:`MatchingRelevance` calls matching's URL from
``BOYIN_SERVICE_URLS`` (in the single-process platform, the platform's own
``/services/matching``), as the service itself, with the shared internal identity. When
matching cannot answer, routing goes on by expertise codes and load alone and the
screening says so (``ranked_by`` = ``CODES``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import httpx

from boyin_shared import identity
from boyin_shared.api.matching import RelevanceIn, RelevanceOut
from boyin_shared.identity import Actor, Role

log = logging.getLogger("boyin.mentors.relevance")
SELF = Actor("svc_mentors", Role.SERVICE)
TIMEOUT_SECONDS = 20.0


class Relevance(Protocol):
    async def scores(self, query: str, candidates: Sequence[str]) -> list[float] | None:
        """Each candidate's relevance to ``query`` (0–1), or None when unavailable."""
        ...


@dataclass
class MatchingRelevance:
    """``client`` gives the HTTP client to matching (made on first use: in tests, an
    in-process transport to matching's app)."""

    client: Callable[[], httpx.AsyncClient]
    secret: str

    async def scores(self, query: str, candidates: Sequence[str]) -> list[float] | None:
        if not candidates:
            return []
        body = RelevanceIn(query=query, candidates=list(candidates)).model_dump()
        headers = {identity.HEADER: identity.issue(SELF, self.secret)}
        try:
            response = await self.client().post("/relevance", json=body, headers=headers)
            response.raise_for_status()
        except httpx.HTTPError as failed:
            log.warning("matching's relevance is unavailable: %s", failed)
            return None
        return RelevanceOut.model_validate(response.json()).scores


@dataclass
class MatchingClient:
    """One client to ``base_url`` for the process, made on first use (without a URL each
    call fails, which routing treats as matching being unavailable)."""

    base_url: str | None
    _made: list[httpx.AsyncClient] = field(default_factory=list)

    def __call__(self) -> httpx.AsyncClient:
        if not self._made:
            url = self.base_url or "http://matching.invalid"
            self._made.append(httpx.AsyncClient(base_url=url, timeout=TIMEOUT_SECONDS))
        return self._made[0]

    async def aclose(self) -> None:
        for client in self._made:
            await client.aclose()
        self._made.clear()
