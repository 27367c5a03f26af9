"""Helpers for the registry tests: valid inputs, and reading what the registry published."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx

from boyin_registry.profiles.credit_code import check_character
from boyin_shared.bus.embedded import EmbeddedBus
from boyin_shared.contracts.registry import TOPIC
from boyin_shared.identity import Actor, Role
from tests.apps import Running, as_actor

YUZHONG = "500103"  # 渝中区
#: agreement to the shipped privacy notice and every purpose
CONSENT = {
    "notice_version": "2026-11",
    "purposes": ["REGISTRATION", "MATCHING", "CONTACT_AFTER_MUTUAL_MATCH"],
}
LIANGJIANG = "LJXQ"  # 两江新区 (a functional zone)


def credit_code(serial: int, division: str = "500000") -> str:
    """A valid code of an enterprise (91) registered in ``division``: 17 characters + check."""
    body = f"91{division}MA{serial:07d}"
    assert len(body) == 17
    return body + check_character(body)


def organisation_body(serial: int = 1, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name_zh": f"重庆测试科技有限公司{serial}",
        "name_en": f"Chongqing Test Technology Co., Ltd. {serial}",
        "kind": "ENTERPRISE",
        "district_code": YUZHONG,
        "credit_code": credit_code(serial),
        "platforms": [{"level": "MUNICIPAL", "name": "重庆市工程技术研究中心"}],
        "taxonomy_codes": ["C33-N05", "C33-L2"],
        "description_zh": "传感器研发。\n第二行。",
        "description_en": "Sensor research.",
        "contacts": [
            {
                "name": f"联系人甲{serial}",
                "email": f"HR{serial}@Example-Org.cn",
                "phone": f"+86 23 6123 {serial:04d}",
                "role": "人事经理",
            }
        ],
    }
    body.update(overrides)
    return body


def talent_body(email: str = "Li.Wei@Uni-Example.de", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name_zh": "李伟",
        "name_en": "Li Wei",
        "degree": "POSTDOC",
        "field_zh": "材料科学",
        "field_en": "Materials science",
        "institution_zh": "亚琛工业大学",
        "institution_en": "RWTH Aachen University",
        "country": "de",
        "location": "Aachen",
        "timezone": "Europe/Berlin",
        "languages": ["ZH", "en", " de ", "en"],
        "contact": {"name": "Li Wei (private)", "email": email, "phone": "+49 241 8012345"},
        "team": [{"name": "Anna Schmidt", "role": "PhD candidate"}],
        "taxonomy_codes": ["C33-L3", "T416-NM"],
        "consent": CONSENT,
    }
    body.update(overrides)
    return body


TAXONOMY_CHANGED = b'"type":"boyin.registry.taxonomy.changed"'


async def published(r: Running) -> list[dict[str, Any]]:
    """Every registry event on the bus so far, oldest first, as JSON objects (without the
    taxonomy announcements the registry makes when it first seeds its reference data)."""
    return [json.loads(raw) for raw in await raw_published(r)]


async def raw_published(r: Running) -> list[bytes]:
    assert isinstance(r.bus, EmbeddedBus)
    return [raw for raw in await r.bus.read_topic(TOPIC) if TAXONOMY_CHANGED not in raw]


async def wait_for_event(
    r: Running, subject: str, type_: str, timeout: float = 5.0
) -> dict[str, Any]:
    """The event of ``type_`` about ``subject``, once the outbox relay has published it."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        for event in await published(r):
            if event["subject"] == subject and event["type"] == type_:
                return event
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"no {type_} event about {subject} within {timeout}s")
        await asyncio.sleep(0.05)


def has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


# -- demands, identities and errors (used by the demand and privacy tests) --------------

CHANNELS = ("PROJECT_COOPERATION", "JOB_SEEKING", "PROJECT_LANDING", "TALENT_RECRUITMENT")
TALENT_CHANNELS = ("PROJECT_COOPERATION", "JOB_SEEKING")
ORGANISATION_CHANNELS = ("PROJECT_LANDING", "TALENT_RECRUITMENT")

#: valid details of each channel, as the API takes them
DETAILS: dict[str, dict[str, Any]] = {
    "PROJECT_COOPERATION": {
        "channel": "PROJECT_COOPERATION",
        "stage": "PROTOTYPE",
        "trl": 5,
        "ip_status": "GRANTED",
        "sought": ["JOINT_RD", "INVESTMENT"],
        "funding_sought_wan": 300,
        "team_size": 4,
    },
    "JOB_SEEKING": {
        "channel": "JOB_SEEKING",
        "desired_role": "研发总监",
        "work_mode": "FLEXIBLE",
        "earliest_start": "2027-03-01",
        "salary_min_wan": 40,
        "salary_max_wan": 80,
    },
    "PROJECT_LANDING": {
        "channel": "PROJECT_LANDING",
        "cooperation_modes": ["TECH_TRANSFER", "INCUBATION"],
        "budget_wan": 500,
        "facilities": "2000 平方米中试车间",
        "policies": "落地奖励",
        "wanted_stage": "PILOT",
    },
    "TALENT_RECRUITMENT": {
        "channel": "TALENT_RECRUITMENT",
        "positions": 3,
        "degree_required": "PHD",
        "work_mode": "FULL_TIME",
        "package": "年薪 60 万起",
        "location_district": YUZHONG,
    },
}

#: two valid claims of each side
SUPPLIER_CLAIMS = [
    {"criterion": "BOTTLENECK_TECHNOLOGY", "evidence": "掌握高纯靶材制备工艺，已申请专利"},
    {"criterion": "CHONGQING_INTENTION", "evidence": "计划 2027 年回渝创业"},
]
DEMANDER_CLAIMS = [
    {"criterion": "KEY_PLATFORMS", "evidence": "重庆市工程技术研究中心"},
    {"criterion": "COOPERATION_INTENTION", "evidence": "愿与海外团队联合研发"},
]


def claims_for(channel: str) -> list[dict[str, Any]]:
    return [dict(c) for c in (SUPPLIER_CLAIMS if channel in TALENT_CHANNELS else DEMANDER_CLAIMS)]


def demand_content_body(channel: str, **overrides: Any) -> dict[str, Any]:
    """A valid body for ``PUT /demands/{id}`` in ``channel``."""
    body: dict[str, Any] = {
        "title_zh": "新型传感器材料联合研发",
        "title_en": "Joint R&D of new sensor materials",
        "description_zh": "面向智能网联汽车的传感器材料。",
        "description_en": "Sensor materials for connected vehicles.",
        "taxonomy_codes": ["C33-L3"],
        "keywords": ["传感器", "materials"],
        "editions": ["CQ2026"],
        "claims": claims_for(channel),
        "details": dict(DETAILS[channel]),
    }
    body.update(overrides)
    return body


def demand_body(channel: str, owner_id: str, **overrides: Any) -> dict[str, Any]:
    """A valid body for ``POST /demands``: a draft of ``owner_id`` in ``channel``."""
    body = demand_content_body(channel, owner_id=owner_id)
    body.update(overrides)
    return body


PUBLIC = Actor(account_id="anonymous", role=Role.PUBLIC)
INVESTOR = Actor(account_id="acc_investor", role=Role.INVESTOR)
ADMIN = Actor(account_id="acc_admin", role=Role.ADMIN)


def talent_member(party_id: str, account_id: str = "acc_talent") -> Actor:
    return Actor(account_id=account_id, role=Role.TALENT, party_id=party_id)


def organisation_member(party_id: str, account_id: str = "acc_org") -> Actor:
    return Actor(account_id=account_id, role=Role.ORGANISATION, party_id=party_id)


def officer(district_code: str, account_id: str | None = None) -> Actor:
    return Actor(
        account_id=account_id or f"acc_officer_{district_code}",
        role=Role.DISTRICT_OFFICER,
        district_code=district_code,
    )


def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    """The error body, checked for the shape every error shares (bilingual messages)."""
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert has_cjk(error["message"]["zh"]) and error["message"]["en"], error
    for f in error["fields"]:
        assert has_cjk(f["message"]["zh"]), f
        assert f["message"]["en"], f
    return error


def fields_of(error: dict[str, Any]) -> list[tuple[str, str]]:
    return [(f["field"], f["code"]) for f in error["fields"]]


def created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def register_organisation(r: Running, serial: int, district_code: str = YUZHONG) -> str:
    """Register an organisation as an operator; its id."""
    body = organisation_body(serial, district_code=district_code)
    return str((created(await r.client("registry").post("/organisations", json=body)))["id"])


async def register_talent(r: Running, email: str) -> str:
    body = talent_body(email)
    return str((created(await r.client("registry").post("/talents", json=body)))["id"])


def ok(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def publish_demand(
    r: Running, demand_id: str, reviewer: Actor | None = None
) -> dict[str, Any]:
    """Take a submitted demand through review to PUBLISHED, confirming every claim."""
    api = r.client("registry")
    headers = as_actor(reviewer) if reviewer else None
    demand = ok(await api.post(f"/demands/{demand_id}/start-review", headers=headers))
    for claim in demand["claims"]:
        ok(
            await api.post(
                f"/demands/{demand_id}/claims/{claim['criterion']}/review",
                json={"outcome": "CONFIRMED"},
                headers=headers,
            )
        )
    return ok(await api.post(f"/demands/{demand_id}/publish", headers=headers))


async def events_about(r: Running, subject: str) -> list[dict[str, Any]]:
    return [e for e in await published(r) if e["subject"] == subject]
