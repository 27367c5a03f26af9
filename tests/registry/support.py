"""Helpers for the registry tests: valid inputs, and reading what the registry published."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from boyin_registry.credit_code import check_character
from boyin_shared.bus.embedded import EmbeddedBus
from boyin_shared.contracts.registry import TOPIC
from tests.apps import Running

YUZHONG = "500103"  # 渝中区
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
    }
    body.update(overrides)
    return body


async def published(r: Running) -> list[dict[str, Any]]:
    """Every registry event on the bus so far, oldest first, as JSON objects."""
    assert isinstance(r.bus, EmbeddedBus)
    return [json.loads(raw) for raw in await r.bus.read_topic(TOPIC)]


async def raw_published(r: Running) -> list[bytes]:
    assert isinstance(r.bus, EmbeddedBus)
    return await r.bus.read_topic(TOPIC)


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
