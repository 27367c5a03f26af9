"""The agreements started from matches, listed by the match ids (what the gateway's
``Match.agreement`` loads in one call per page of matches), with the caller's visibility."""

from __future__ import annotations

from pathlib import Path

from boyin_shared.contracts.agreements import AgreementCreated
from boyin_shared.contracts.matching import MatchMutuallyAccepted, MatchParty, MutualMatch
from tests.agreements.service_support import (
    PARTIES,
    STRANGER,
    TALENT,
    TERMS,
    agreements_service,
    ok,
)


def mutual(match_id: str, org: str) -> MatchMutuallyAccepted:
    return MatchMutuallyAccepted.create(
        subject=match_id,
        data=MutualMatch(
            match_id=match_id,
            first=MatchParty(party_kind="talent", party_id="tal_1", demand_id="dem_t"),
            second=MatchParty(party_kind="organisation", party_id=org, demand_id="dem_o"),
            score=0.8,
        ),
    )


async def test_agreements_are_listed_by_the_matches_they_started_from(tmp_path: Path) -> None:
    async with agreements_service(tmp_path) as s:
        await s.r.bus.publish([mutual("mat_1", "org_1"), mutual("mat_2", "org_2")])
        await s.until_published(AgreementCreated, 2)
        ok(await s.api.post("/agreements", json={"parties": PARTIES, "terms": TERMS}), 201)

        both = ok(await s.api.get("/agreements", params={"match_id": ["mat_1", "mat_2", "x"]}))
        assert [(a["id"], a["origin"]["match_id"]) for a in both["items"]] == [
            ("ag_match_mat_1", "mat_1"),
            ("ag_match_mat_2", "mat_2"),
        ]
        one = ok(await s.api.get("/agreements", params={"match_id": "mat_2"}))
        assert [a["id"] for a in one["items"]] == ["ag_match_mat_2"]
        # the caller sees only the agreements it may see
        mine = ok(await s.call(TALENT, "GET", "/agreements?match_id=mat_1&match_id=mat_2"))
        assert len(mine["items"]) == 2
        theirs = ok(await s.call(STRANGER, "GET", "/agreements?match_id=mat_1&match_id=mat_2"))
        assert theirs["items"] == []
        # without match ids, the list is as before (the hand-started one too)
        assert len(ok(await s.api.get("/agreements"))["items"]) == 3
