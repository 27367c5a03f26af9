"""Registry, matching and mentors together: a project submitted to the registry is routed
to mentors ranked by matching's real encoder and scorer, asked through matching's HTTP
API (``POST /relevance``), the expert in the project's field ranked first; their reviews
are aggregated and the registry shows the aggregate beside the demand to its owner."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from boyin_matching.app import definition as matching
from boyin_mentors.app import mentors_definition
from boyin_mentors.mentors.taxonomy import RegistryTaxonomy
from boyin_mentors.screening.relevance import MatchingRelevance
from boyin_registry.app import definition as registry
from boyin_shared.identity import Actor, Role
from tests.apps import SECRET, as_actor, running
from tests.mentors.screening_support import review_body
from tests.mentors.support import OPERATOR, ok, profile_body
from tests.registry.support import demand_body, talent_body, talent_member

EXPERTS = {
    "acc_battery": "battery management systems and cell chemistry for electric vehicles",
    "acc_lidar": "lidar sensors and perception for automated driving",
    "acc_food": "fermentation and food seasoning processes",
}


async def test_mentors_are_ranked_by_matching_relevance(tmp_path: Path) -> None:
    clients: list[httpx.AsyncClient] = []
    mentors = mentors_definition(
        lambda _: MatchingRelevance(lambda: clients[0], SECRET),
        taxonomy_source=lambda _: RegistryTaxonomy(lambda: clients[1], SECRET),
    )
    async with running([registry, matching, mentors], tmp_path) as r:
        clients += [r.client("matching"), r.client("registry")]
        api = r.client("mentors")
        for account, text in EXPERTS.items():
            body = profile_body(expertise={"en": text}, max_open_reviews=5)
            who = Actor(account, Role.MENTOR)
            m = ok(await api.post("/mentors/apply", json=body, headers=as_actor(who)), 201)
            ok(await api.post(f"/mentors/{m['id']}/approve"))

        reg = r.client("registry")
        talent = ok(await reg.post("/talents", json=talent_body()), 201)
        project = demand_body("PROJECT_COOPERATION", talent["id"]) | {
            "title_zh": None,
            "title_en": "Battery management chip for electric cars",
            "description_zh": None,
            "description_en": "We design a battery management system that balances cells "
            "and predicts the health of electric vehicle batteries.",
            "taxonomy_codes": ["C33-L1"],
            "keywords": ["battery"],
            "submit": True,
        }
        me = talent_member(talent["id"])
        demand = ok(await reg.post("/demands", json=project, headers=as_actor(me)), 201)

        for _ in range(300):  # mentors route behind the registry's event
            board = await api.get(f"/screenings/scr_{demand['id']}", headers=as_actor(OPERATOR))
            if board.status_code == 200:
                break
            await asyncio.sleep(0.1)
        screening = ok(board)
        assert screening["ranked_by"] == "MATCHING"
        ranked = sorted(screening["assignments"], key=lambda a: -a["relevance"])
        assert ranked[0]["mentor_id"] == "men_acc_battery"
        assert len(ranked) == 2 and all(0 <= a["relevance"] <= 1 for a in ranked)

        for a in ranked:
            reviewer = Actor(a["mentor_id"].removeprefix("men_"), Role.MENTOR)
            path = f"/queue/{screening['id']}/review"
            ok(await api.post(path, json=review_body(4), headers=as_actor(reviewer)))
        for _ in range(300):  # the registry keeps it behind the mentors' event
            beside = await reg.get(f"/demands/{demand['id']}/screening", headers=as_actor(me))
            if beside.status_code == 200:
                break
            await asyncio.sleep(0.1)
        result = ok(beside)
        assert (result["reviews"], result["total_mean"], result["score"]) == (2, 20.0, 80)
