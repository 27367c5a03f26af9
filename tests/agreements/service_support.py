"""Helpers of the agreements service's tests: the service started in-process on the
embedded bus with a recorder of what it publishes, callers, bodies and refusal checks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from boyin_agreements.agreements.service import today
from boyin_agreements.app import definition
from boyin_shared.bus import Subscription
from boyin_shared.bus.embedded import EmbeddedBus
from boyin_shared.contracts.agreements import (
    AgreementCreated,
    AgreementLanded,
    AgreementSigned,
    AgreementStageChanged,
    MilestoneOverdue,
    MilestoneReached,
)
from boyin_shared.events import Event
from boyin_shared.identity import Actor, Role
from tests.apps import Published, Service, running

DISTRICT = "500103"
EDITION = "2026"
TALENT = Actor("acc_t", Role.TALENT, party_id="tal_1")
ORG = Actor("acc_o", Role.ORGANISATION, party_id="org_1")
STRANGER = Actor("acc_x", Role.ORGANISATION, party_id="org_9")
OFFICER = Actor("acc_d", Role.DISTRICT_OFFICER, district_code=DISTRICT)
OTHER_OFFICER = Actor("acc_d2", Role.DISTRICT_OFFICER, district_code="500101")
PARTIES = [
    {"kind": "talent", "id": "tal_1", "role": "TALENT"},
    {"kind": "organisation", "id": "org_1", "role": "ORGANISATION"},
]
TERMS: dict[str, Any] = {
    "title": {"zh": "新材料中试基地落地重庆", "en": "A new-materials pilot plant lands"},
    "cooperation_type": "TECHNOLOGY_TRANSFER",
    "amounts": {"CONTRACT_VALUE": {"amount": "15000000", "currency": "CNY"}},
    "district_code": DISTRICT,
    "edition_id": EDITION,
}


@asynccontextmanager
async def agreements_service(tmp_path: Path) -> AsyncIterator[Service]:
    bus = EmbeddedBus(tmp_path / "bus.sqlite")
    published = Published()

    async def record(event: Event) -> None:
        published.events.append(event)

    kinds: list[type[Event]] = [
        AgreementCreated,
        AgreementStageChanged,
        AgreementSigned,
        AgreementLanded,
        MilestoneReached,
        MilestoneOverdue,
    ]
    bus.subscribe(Subscription("tests.recorder", dict.fromkeys(kinds, record)))
    async with running([definition], tmp_path, bus=bus) as r:
        yield Service(r, r.client("agreements"), published)


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def refusal(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The error of a refused call: its status and code, in Chinese and English."""
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == code, error
    assert error["message"]["en"], error
    assert any("\u4e00" <= c <= "\u9fff" for c in error["message"]["zh"]), error
    return error


def field_codes(error: dict[str, Any]) -> dict[str, str]:
    """The fields an error names, with their codes (each message in both languages)."""
    for f in error["fields"]:
        assert f["message"]["zh"] and f["message"]["en"], f
    return {f["field"]: f["code"] for f in error["fields"]}


async def signed(s: Service) -> dict[str, Any]:
    """An agreement started by hand and signed by both parties (via the HTTP API)."""
    a = ok(await s.api.post("/agreements", json={"parties": PARTIES, "terms": TERMS}), 201)
    for to in ("NEGOTIATING", "DRAFTED"):
        ok(await s.api.post(f"/agreements/{a['id']}/advance", json={"to": to}))
    ok(await s.call(TALENT, "POST", f"/agreements/{a['id']}/confirm", {"party_id": "tal_1"}))
    body = ok(await s.call(ORG, "POST", f"/agreements/{a['id']}/confirm", {"party_id": "org_1"}))
    assert body["stage"] == "SIGNED"
    return dict(body)


def day(offset: int = 0) -> str:
    """A day at the fair, ``offset`` days from today, as the API takes it."""
    return (today() + timedelta(days=offset)).isoformat()
