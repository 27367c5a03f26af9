"""A small, realistic bilingual demo data set, loaded through the services' HTTP APIs.

Loading is idempotent: what is already registered (same credit code or e-mail) is skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import httpx

from boyin_registry.profiles.credit_code import check_character
from boyin_shared import identity
from boyin_shared.identity import Actor, Role

log = logging.getLogger("boyin.demo")


def credit_code(division: str, serial: int) -> str:
    body = f"91{division}MA{serial:07d}"
    return body + check_character(body)


ORGANISATIONS: list[dict[str, Any]] = [
    {
        "name_zh": "重庆两江智能网联汽车创新中心",
        "name_en": "Liangjiang Intelligent Connected Vehicle Innovation Centre",
        "kind": "NEW_RD_INSTITUTION",
        "district_code": "LJXQ",
        "credit_code": credit_code("500112", 1001),
        "taxonomy_codes": ["C33-L1", "C33-N05"],
        "description_zh": "需要车规级激光雷达与多传感器融合算法，寻求联合研发与成果转化。",
        "description_en": "Seeks automotive-grade lidar and multi-sensor fusion for joint R&D.",
        "platforms": [{"level": "NATIONAL", "name": "国家智能网联汽车质量检验检测中心"}],
        "contacts": [{"name": "李工", "email": "li@ljicv.example.cn", "role": "项目经理"}],
    },
    {
        "name_zh": "重庆西部科学城先进材料研究院",
        "name_en": "Western Science City Institute of Advanced Materials",
        "kind": "RESEARCH_INSTITUTE",
        "district_code": "XBKXC",
        "credit_code": credit_code("500106", 1002),
        "taxonomy_codes": ["C33-L3", "C33-F3"],
        "description_zh": "轻合金高强韧化与镁合金腐蚀防护，提供中试线与检测平台。",
        "description_en": "High-strength light alloys and magnesium corrosion protection; pilot line.",
        "contacts": [{"name": "Zhang Wei", "email": "zhang@wsc-materials.example.cn"}],
    },
    {
        "name_zh": "重庆大学生物医学工程学院",
        "name_en": "Chongqing University, School of Bioengineering",
        "kind": "UNIVERSITY",
        "district_code": "500106",
        "credit_code": credit_code("500106", 1003),
        "taxonomy_codes": ["C33-F5", "C33-N12", "T416-LH"],
        "description_zh": "招聘医疗器械与生物材料方向博士后，提供重点实验室平台。",
        "description_en": "Recruiting postdocs in medical devices and biomaterials.",
        "platforms": [{"level": "NATIONAL", "name": "生物流变科学与技术教育部重点实验室"}],
        "contacts": [{"name": "陈老师", "phone": "+86 23 6511 0000"}],
    },
    {
        "name_zh": "重庆留创园（渝中）孵化基地",
        "name_en": "Chongqing Overseas Students Pioneer Park (Yuzhong)",
        "kind": "INCUBATOR_PARK",
        "district_code": "500103",
        "credit_code": credit_code("500103", 1004),
        "taxonomy_codes": ["C33-P3", "T416-DI"],
        "description_zh": "为海外博士创业项目提供办公场地、落地政策与投融资对接。",
        "description_en": "Space, landing policies and investor links for returning PhD founders.",
        "contacts": [{"name": "Wang Fang", "email": "pioneer@yzpark.example.cn"}],
    },
    {
        "name_zh": "重庆科技成果转化投资基金",
        "name_en": "Chongqing Technology Transfer Investment Fund",
        "kind": "INVESTOR",
        "district_code": "500112",
        "credit_code": credit_code("500112", 1005),
        "taxonomy_codes": ["C33-N01", "C33-N02", "C33-F6"],
        "description_zh": "关注功率半导体、AI 及机器人、新型储能早期项目，单笔 500–3000 万元。",
        "description_en": "Early-stage power semiconductors, AI/robotics and storage; RMB 5-30 M.",
        "contacts": [{"name": "赵总", "email": "deals@cqttf.example.cn"}],
    },
]

TALENTS: list[dict[str, Any]] = [
    {
        "name_en": "Dr. Lena Hoffmann",
        "degree": "POSTDOC",
        "field_en": "Solid-state lidar and sensor fusion",
        "field_zh": "固态激光雷达与传感器融合",
        "institution_en": "Technical University of Munich",
        "country": "DE",
        "location": "Munich",
        "timezone": "Europe/Berlin",
        "languages": ["en", "de"],
        "contact": {"name": "Lena Hoffmann", "email": "lena.hoffmann@example.de"},
        "taxonomy_codes": ["C33-L1", "C33-N05"],
    },
    {
        "name_zh": "刘洋",
        "name_en": "Liu Yang",
        "degree": "PHD",
        "field_zh": "镁合金腐蚀与表面防护",
        "institution_en": "University of Manchester",
        "country": "GB",
        "location": "Manchester",
        "timezone": "Europe/London",
        "languages": ["zh", "en"],
        "contact": {"name": "刘洋", "email": "liu.yang@example.ac.uk"},
        "team": [{"name": "Tom Reid", "role": "co-founder"}],
        "taxonomy_codes": ["C33-F3", "C33-L3"],
    },
    {
        "name_zh": "王敏",
        "degree": "POSTDOC_IN_STATION",
        "field_zh": "可降解心血管支架",
        "field_en": "Biodegradable cardiovascular stents",
        "institution_zh": "新加坡国立大学",
        "country": "SG",
        "location": "Singapore",
        "timezone": "Asia/Singapore",
        "languages": ["zh", "en"],
        "contact": {"name": "王敏", "email": "wang.min@example.sg"},
        "taxonomy_codes": ["C33-N12", "C33-F5"],
    },
    {
        "name_en": "Dr. Arjun Mehta",
        "degree": "PHD",
        "field_en": "GaN power devices for fast chargers",
        "institution_en": "University of Toronto",
        "country": "CA",
        "location": "Toronto",
        "timezone": "America/Toronto",
        "languages": ["en"],
        "contact": {"name": "Arjun Mehta", "email": "arjun.mehta@example.ca"},
        "taxonomy_codes": ["C33-N01"],
    },
]


LOADER = Actor(account_id="system:demo", role=Role.OPERATOR)


#: The demo people agreed to the shipped privacy notice.
CONSENT = {
    "notice_version": "2026-11",
    "purposes": ["REGISTRATION", "MATCHING", "CONTACT_AFTER_MUTUAL_MATCH"],
}


def _at(day: str, hm: str) -> str:
    return f"{day}T{hm}:00+08:00"


EDITION: dict[str, Any] = {
    "name": {
        "zh": "2026 重庆离岸创新创业项目洽谈会",
        "en": "Chongqing Offshore Innovation Fair 2026",
    },
    "code": "CQ2026",  # the registry edition the demo's demands name
    "timezone": "Asia/Shanghai",
    "first_day": "2026-12-12",
    "last_day": "2026-12-13",
    "slot_minutes": 30,
    "days": [
        {
            "day": "2026-12-12",
            "start": "09:00",
            "end": "18:00",
            "breaks": [{"start": "12:00", "end": "13:30"}],
        },
        {"day": "2026-12-13", "start": "09:00", "end": "17:00"},
    ],
    "rooms": [
        {"id": "main-hall", "name": {"zh": "主会场", "en": "Main hall"}},
        {"id": "hall-b", "name": {"zh": "洽谈区 B", "en": "Meeting area B"}},
    ],
    "tables": [{"number": n, "room": "hall-b"} for n in range(1, 41)],
}

SESSIONS: list[dict[str, Any]] = [
    {
        "kind": "OPENING",
        "title": {"zh": "开幕式暨项目签约仪式", "en": "Opening and signing ceremony"},
        "start": _at("2026-12-12", "09:00"),
        "end": _at("2026-12-12", "10:00"),
        "room": "main-hall",
    },
    {
        "kind": "ROADSHOW",
        "title": {
            "zh": "先进材料与智能网联汽车项目路演",
            "en": "Roadshow: materials and connected cars",
        },
        "start": _at("2026-12-12", "14:00"),
        "end": _at("2026-12-12", "15:30"),
        "room": "main-hall",
        "capacity": 120,
        "waitlist_limit": 30,
    },
    {
        "kind": "FIELD_VISIT",
        "title": {"zh": "参观西部科学城", "en": "Field visit: Western Science City"},
        "start": _at("2026-12-13", "13:30"),
        "end": _at("2026-12-13", "17:00"),
        "departure": _at("2026-12-13", "13:30"),
        "meeting_point": {"zh": "会展中心北门", "en": "Expo centre, north gate"},
        "capacity": 45,
        "waitlist_limit": 15,
    },
]


def service_url(base_url: str, name: str, services: Mapping[str, str] | None) -> str:
    """Where a service answers: its own URL when given (each service its own process),
    else mounted at ``/services/<name>`` on the single-process platform's port."""
    return (services or {}).get(name) or f"{base_url}/services/{name}"


async def load_edition(
    client: httpx.AsyncClient, base_url: str, services: Mapping[str, str] | None = None
) -> bool:
    """The demo fair with its agenda, opened; False when an edition already exists."""
    scheduling = service_url(base_url, "scheduling", services)
    existing = await client.get(scheduling + "/editions")
    existing.raise_for_status()
    if existing.json():
        return False
    created = await client.post(scheduling + "/editions", json=EDITION)
    if created.status_code != 201:
        raise RuntimeError(f"demo edition rejected: {created.text}")
    edition_id = created.json()["id"]
    for session in SESSIONS:
        added = await client.post(f"{scheduling}/editions/{edition_id}/sessions", json=session)
        if added.status_code != 201:
            raise RuntimeError(f"demo session rejected: {added.text}")
    for step in ("open", "agenda/publish"):
        (await client.post(f"{scheduling}/editions/{edition_id}/{step}")).raise_for_status()
    return True


async def load(
    base_url: str, secret: str, services: Mapping[str, str] | None = None
) -> dict[str, int]:
    """Register the demo data through the services' APIs (at ``services``' URLs when they
    run as their own processes); returns counts by outcome."""
    counts = {"created": 0, "existing": 0}
    registry = service_url(base_url, "registry", services)
    headers = {identity.HEADER: identity.issue(LOADER, secret, ttl_seconds=600)}
    async with httpx.AsyncClient(timeout=30, headers=headers) as client:
        talents = [t | {"consent": CONSENT} for t in TALENTS]
        for path, items in (("/organisations", ORGANISATIONS), ("/talents", talents)):
            for item in items:
                response = await client.post(registry + path, json=item)
                if response.status_code == 201:
                    counts["created"] += 1
                elif response.status_code == 409:
                    counts["existing"] += 1
                else:
                    raise RuntimeError(f"demo data rejected: {response.text}")
        counts["created" if await load_edition(client, base_url, services) else "existing"] += 1
    return counts
