"""The client of matching's relevance: it sends the query and the candidates as the
service itself and parses the scores; when matching fails or is not there it answers
None (routing then goes on by codes and load, and says so)."""

from __future__ import annotations

import json

import httpx

from boyin_mentors.peers import PeerClient
from boyin_mentors.screening.relevance import MatchingRelevance
from boyin_shared import identity
from boyin_shared.identity import Role
from tests.apps import SECRET


async def test_scores_are_asked_as_the_service_and_parsed() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"scores": [0.9, 0.1]})

    client = httpx.AsyncClient(base_url="http://matching", transport=httpx.MockTransport(answer))
    relevance = MatchingRelevance(lambda: client, SECRET)
    assert await relevance.scores("battery", ["battery systems", "hotpot"]) == [0.9, 0.1]
    assert await relevance.scores("battery", []) == []  # nothing to ask
    (request,) = seen
    assert request.url.path == "/relevance"
    assert json.loads(request.content) == {
        "query": "battery",
        "candidates": ["battery systems", "hotpot"],
    }
    caller = identity.verify(request.headers[identity.HEADER], SECRET)
    assert caller.role is Role.SERVICE
    await client.aclose()


async def test_a_failing_or_missing_matching_answers_none() -> None:
    failing = httpx.AsyncClient(
        base_url="http://matching", transport=httpx.MockTransport(lambda _: httpx.Response(503))
    )
    assert await MatchingRelevance(lambda: failing, SECRET).scores("q", ["a"]) is None
    await failing.aclose()
    nowhere = PeerClient(None)
    assert await MatchingRelevance(nowhere, SECRET).scores("q", ["a"]) is None
    await nowhere.aclose()


async def test_many_candidates_are_asked_in_batches() -> None:
    sizes: list[int] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked = json.loads(request.content)
        sizes.append(len(asked["candidates"]))
        assert len(asked["query"]) == 20_000
        assert max(len(text) for text in asked["candidates"]) == 4_000
        return httpx.Response(200, json={"scores": [0.5] * len(asked["candidates"])})

    client = httpx.AsyncClient(base_url="http://matching", transport=httpx.MockTransport(answer))
    scores = await MatchingRelevance(lambda: client, SECRET).scores(
        "q" * 30_000, ["m" * 9_000] * 201
    )
    assert sizes == [100, 100, 1] and len(scores or []) == 201
    await client.aclose()
