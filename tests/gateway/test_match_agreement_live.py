"""``Match.agreement`` on the real agreements service: the intention a mutual match offered
is the match's agreement, for the match's parties and staff; a match without one, or one a
caller may not see, shows null."""

from __future__ import annotations

import asyncio
from pathlib import Path

from boyin_shared.api.matching import MatchOut
from boyin_shared.contracts.matching import MatchMutuallyAccepted, MatchParty, MutualMatch
from boyin_shared.identity import Actor, Role
from tests.gateway.live_services import live_gateway
from tests.platform_harness import graphql

STAFF = Actor("acc_staff", Role.OPERATOR)
MATCHES = """query($d: ID!) {
  matches(demandId: $d) { id agreement { id stage origin { kind matchId } } }
}"""


def shown(match_id: str) -> MatchOut:
    return MatchOut(
        match_id=match_id,
        demand_id="dem_o",
        counterpart_demand_id="dem_t",
        counterpart_kind="talent",
        counterpart_party_id="tal_1",
        score=0.9,
        good_match=True,
        status="MUTUAL",
        my_response="YES",
        source="auto",
        explanation=None,
    )


async def test_a_match_shows_the_agreement_it_started(tmp_path: Path) -> None:
    async with live_gateway(tmp_path) as live:
        live.services_fakes.matching_data.matches["dem_o"] = [shown("mat_1"), shown("mat_2")]
        mutual = MutualMatch(
            match_id="mat_1",
            first=MatchParty(party_kind="talent", party_id="tal_1", demand_id="dem_t"),
            second=MatchParty(party_kind="organisation", party_id="org_1", demand_id="dem_o"),
            score=0.9,
        )
        await live.services.bus.publish(
            [MatchMutuallyAccepted.create(subject="mat_1", data=mutual)]
        )
        staff = live.gateway.token(STAFF)
        for _ in range(100):
            data = await graphql(live.gateway.url, MATCHES, staff, d="dem_o")
            if data["matches"][0]["agreement"]:
                break
            await asyncio.sleep(0.05)
        assert data["matches"] == [
            {
                "id": "mat_1",
                "agreement": {
                    "id": "ag_match_mat_1",
                    "stage": "INTENTION",
                    "origin": {"kind": "MATCH", "matchId": "mat_1"},
                },
            },
            {"id": "mat_2", "agreement": None},
        ]
