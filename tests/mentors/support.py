"""Helpers of the mentors tests: actors, a typical profile (as the domain takes it and as
the API takes it), the service started in-process with a recorder of what it publishes,
and checks that a refusal is bilingual and names its fields."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from boyin_mentors.mentors.profile import Conflicts, KnownCodes, ProfileDraft, Text, WindowDraft
from boyin_registry.reference.schemas import taxonomy_out
from boyin_registry.reference.shipped import shipped
from boyin_shared.api.registry import TaxonomyOut
from boyin_shared.bus import Subscription
from boyin_shared.bus.embedded import EmbeddedBus
from boyin_shared.contracts import mentors as contracts
from boyin_shared.errors import BoyinError
from boyin_shared.events import Event
from boyin_shared.identity import Actor, Role
from boyin_shared.service import ServiceDefinition
from tests.apps import Published, Service, running

NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)
OPERATOR = Actor("acc_op", Role.OPERATOR)
MENTOR = Actor("acc_m1", Role.MENTOR)
OTHER_MENTOR = Actor("acc_m2", Role.MENTOR)
TALENT = Actor("acc_t", Role.TALENT, party_id="tal_1")

DRAFT = ProfileDraft(
    name="Dr. Anna Weber",
    expertise_codes=("C33-L1",),
    expertise=Text("新能源汽车电池管理", "battery management for electric vehicles"),
    languages=("en", "de", "zh"),
    country="DE",
    timezone="Europe/Berlin",
    organisation_id="org_tum",
    organisation_name="TU München",
    availability=(WindowDraft(1, "09:00", "12:00"),),
    max_open_reviews=3,
    conflicts=Conflicts(
        organisations=("org_rival",), people=("tal_9",), interests=("solid-state",)
    ),
    online_link="https://meet.example.org/weber",
)
#: the registry's shipped taxonomy, as its ``GET /reference/taxonomy`` answers it
SHIPPED = taxonomy_out(shipped())
KNOWN = KnownCodes(active=frozenset(n.code for n in SHIPPED.nodes))


class ShippedTaxonomy:
    """The registry's taxonomy as shipped (``answer``: None, the registry unavailable)."""

    def __init__(self) -> None:
        self.answer: TaxonomyOut | None = SHIPPED
        self.asked = 0

    async def fetch(self) -> TaxonomyOut | None:
        self.asked += 1
        return self.answer


def profile_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Dr. Anna Weber",
        "expertise_codes": ["C33-L1"],
        "expertise": {"zh": "新能源汽车电池管理", "en": "battery management for electric vehicles"},
        "languages": ["en", "de", "zh"],
        "country": "DE",
        "timezone": "Europe/Berlin",
        "organisation_id": "org_tum",
        "organisation_name": "TU München",
        "availability": [{"weekday": 1, "start": "09:00", "end": "12:00"}],
        "max_open_reviews": 3,
        "conflicts": {"organisations": ["org_rival"], "people": [], "interests": []},
        "online_link": "https://meet.example.org/weber",
    }
    body.update(changes)
    return body


def bilingual(error: BoyinError) -> None:
    assert error.code.isupper(), error.code
    assert error.message.en
    assert any("\u4e00" <= c <= "\u9fff" for c in error.message.zh), error.message.zh
    for f in error.fields:
        assert f.code.isupper() and f.message.en and f.message.zh, f


MENTORS_EVENTS: Sequence[type[Event]] = [
    cls
    for cls in vars(contracts).values()
    if isinstance(cls, type)
    and issubclass(cls, Event)
    and cls.topic == contracts.TOPIC
    and cls.__name__ != "_MentorsEvent"
]


@asynccontextmanager
async def mentors_service(
    tmp_path: Path, definitions: Sequence[ServiceDefinition] | None = None
) -> AsyncIterator[Service]:
    from boyin_mentors.app import mentors_definition

    bus = EmbeddedBus(tmp_path / "bus.sqlite")
    published = Published()

    async def record(event: Event) -> None:
        published.events.append(event)

    bus.subscribe(Subscription("tests.recorder", dict.fromkeys(MENTORS_EVENTS, record)))
    standard = mentors_definition(taxonomy_source=lambda _: ShippedTaxonomy())
    async with running(definitions or [standard], tmp_path, bus=bus) as r:
        yield Service(r, r.client("mentors"), published)


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def refusal(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == code, error
    assert error["message"]["en"], error
    assert any("\u4e00" <= c <= "\u9fff" for c in error["message"]["zh"]), error
    return error


def field_codes(error: dict[str, Any]) -> dict[str, str]:
    for f in error["fields"]:
        assert f["message"]["zh"] and f["message"]["en"], f
    return {f["field"]: f["code"] for f in error["fields"]}


#: office hours on Mondays 09:00–10:00
OFFICE_HOURS = [{"weekday": 1, "start": "09:00", "end": "10:00"}]


async def consultations_of_approved_mentor(s: Service) -> str:
    """A mentor applied with :data:`OFFICE_HOURS` and approved; its consultations' path."""
    m = ok(
        await s.call(MENTOR, "POST", "/mentors/apply", profile_body(availability=OFFICE_HOURS)),
        201,
    )
    ok(await s.call(OPERATOR, "POST", f"/mentors/{m['id']}/approve"))
    return f"/mentors/{m['id']}/consultations"
