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
from dataclasses import dataclass
from typing import Protocol

import httpx

from boyin_mentors.peers import as_self
from boyin_shared.api.matching import (
    RELEVANCE_CANDIDATE_MAX,
    RELEVANCE_CANDIDATES_MAX,
    RELEVANCE_QUERY_MAX,
    RelevanceIn,
    RelevanceOut,
)

log = logging.getLogger("boyin.mentors.relevance")


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
        """Asked in batches of what one call takes (``RelevanceIn``'s bounds), the query
        and each candidate's text cut to what it takes (the encoder reads far less)."""
        found: list[float] = []
        for start in range(0, len(candidates), RELEVANCE_CANDIDATES_MAX):
            batch = [
                text[:RELEVANCE_CANDIDATE_MAX]
                for text in candidates[start : start + RELEVANCE_CANDIDATES_MAX]
            ]
            ask = RelevanceIn(query=query[:RELEVANCE_QUERY_MAX] or "-", candidates=batch)
            try:
                response = await self.client().post(
                    "/relevance", json=ask.model_dump(), headers=as_self(self.secret)
                )
                response.raise_for_status()
            except httpx.HTTPError as failed:
                log.warning("matching's relevance is unavailable: %s", failed)
                return None
            found.extend(RelevanceOut.model_validate(response.json()).scores)
        return found
