"""Expertise codes are the registry's: the mentors service learns the taxonomy from the
registry's HTTP API (``GET /reference/taxonomy``) and keeps it current from its
``TaxonomyChanged`` events, never reading the registry's collections. A code it does not
hold is refused (``UNKNOWN_CODE``), a retired one too (``RETIRED_CODE``), both naming the
field in Chinese and English; with nothing learned and the registry silent, a profile is
refused as unavailable rather than let through unchecked."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from boyin_mentors.app import mentors_definition
from boyin_mentors.mentors.repository import Taxonomy
from boyin_mentors.mentors.taxonomy import REFRESH_SECONDS, LearnedTaxonomy, RegistryTaxonomy
from boyin_registry.app import definition as registry
from boyin_shared.errors import BoyinError
from boyin_shared.store import DocumentStore
from tests.apps import SECRET, as_actor, running
from tests.mentors.screening_support import FixedRelevance
from tests.mentors.support import (
    MENTOR,
    OTHER_MENTOR,
    ShippedTaxonomy,
    bilingual,
    field_codes,
    profile_body,
    refusal,
)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_the_taxonomy_is_learned_and_asked_again_for_a_new_code(
    store: DocumentStore,
) -> None:
    source, clock = ShippedTaxonomy(), Clock()
    learned = LearnedTaxonomy(Taxonomy(store), source, clock)
    source.answer = None  # the registry does not answer yet: refused, not guessed
    with pytest.raises(BoyinError) as caught:
        await learned.codes_for(["C33-L1"])
    assert (caught.value.code, caught.value.status) == ("TAXONOMY_UNAVAILABLE", 503)
    assert [f.field for f in caught.value.fields] == ["expertise_codes"]
    bilingual(caught.value)

    source.answer = ShippedTaxonomy().answer
    known = await learned.codes_for(["C33-L1"])
    assert "C33-L1" in known.active and "T416" in known.active and source.asked == 2
    await learned.codes_for(["C33-L1"])  # known: the registry is not asked
    await learned.codes_for(["C33-ZZ9"])  # unknown, but asked a moment ago
    assert source.asked == 2
    clock.now += REFRESH_SECONDS
    assert "C33-ZZ9" not in (await learned.codes_for(["C33-ZZ9"])).active
    assert source.asked == 3

    # an event retires a code after the answer's version: learning again keeps it retired
    await Taxonomy(store).put("C33-L1", "C33-L", retired=True, version=2)
    await learned.learn()
    known = await learned.codes_for([])
    assert "C33-L1" in known.retired and "C33-L1" not in known.active


async def test_profiles_take_the_registrys_codes(tmp_path: Path) -> None:
    clients: list[httpx.AsyncClient] = []
    mentors = mentors_definition(
        lambda _: FixedRelevance(),
        taxonomy_source=lambda _: RegistryTaxonomy(lambda: clients[0], SECRET),
    )
    async with running([registry, mentors], tmp_path) as r:
        reg, api = r.client("registry"), r.client("mentors")
        clients.append(reg)
        wanted = profile_body(expertise_codes=["C33-L1", "C33-ZZ9", "no code!"])
        error = refusal(
            await api.post("/mentors/apply", json=wanted, headers=as_actor(MENTOR)),
            422,
            "VALIDATION_FAILED",
        )
        assert field_codes(error) == {
            "expertise_codes.1": "UNKNOWN_CODE",
            "expertise_codes.2": "FORMAT",
        }
        assert "C33-ZZ9" in error["fields"][0]["message"]["zh"]
        refusal(await api.get("/mentors/me", headers=as_actor(MENTOR)), 404, "NOT_FOUND")

        # an operator adds the code at the registry: it can be chosen
        node = {"code": "C33-ZZ9", "parent": "C33-L", "name_zh": "新方向", "name_en": "New"}
        assert (await reg.post("/reference/taxonomy", json=node)).status_code == 201
        body = profile_body(expertise_codes=["C33-ZZ9"])
        for _ in range(100):  # learned from the event, or asked again
            made = await api.post("/mentors/apply", json=body, headers=as_actor(MENTOR))
            if made.status_code == 201:
                break
            await asyncio.sleep(0.2)
        assert made.status_code == 201, made.text

        # and retires one: it cannot be chosen any more
        assert (await reg.post("/reference/taxonomy/C33-L1/retire")).status_code == 204
        retired = profile_body(expertise_codes=["C33-L1"])
        for _ in range(100):  # the registry's TaxonomyChanged
            answer = await api.post("/mentors/apply", json=retired, headers=as_actor(OTHER_MENTOR))
            if answer.status_code == 422:
                break
            await asyncio.sleep(0.1)
        assert field_codes(refusal(answer, 422, "VALIDATION_FAILED")) == {
            "expertise_codes.0": "RETIRED_CODE"
        }
