"""The registry through HTTP, with its events on the embedded bus and its data in SQLite."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from boyin_registry.app import definition
from boyin_shared.contracts.registry import (
    OrganisationRegistered,
    OrganisationUpdated,
    TalentRegistered,
)
from boyin_shared.events import decode
from boyin_shared.identity import Actor, Role
from tests.apps import Running, as_actor, running
from tests.registry.support import (
    LIANGJIANG,
    YUZHONG,
    credit_code,
    has_cjk,
    organisation_body,
    published,
    raw_published,
    talent_body,
    wait_for_event,
)

ORG_REGISTERED = "boyin.registry.organisation.registered"
ORG_UPDATED = "boyin.registry.organisation.updated"
TALENT_REGISTERED = "boyin.registry.talent.registered"

#: a read that asks for the contact details too (an operator's: it is shown them)
CONTACTS = {"include_contacts": True}


@pytest.fixture
async def registry(tmp_path: Path) -> AsyncIterator[Running]:
    async with running([definition], tmp_path) as r:
        yield r


def api(r: Running) -> httpx.AsyncClient:
    return r.client("registry")


async def register(r: Running, body: dict[str, Any]) -> dict[str, Any]:
    response = await api(r).post("/organisations", json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    """The error body, checked for the shape every error shares (bilingual messages)."""
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert has_cjk(error["message"]["zh"]) and error["message"]["en"]
    for f in error["fields"]:
        assert has_cjk(f["message"]["zh"]), f
        assert f["message"]["en"], f
    return error


def fields_of(error: dict[str, Any]) -> list[tuple[str, str]]:
    return [(f["field"], f["code"]) for f in error["fields"]]


async def barrier(r: Running, serial: int) -> dict[str, Any]:
    """Register one more organisation and wait for its event: everything written before is out."""
    org = await register(r, organisation_body(serial))
    await wait_for_event(r, org["id"], ORG_REGISTERED)
    return org


# -- organisations -------------------------------------------------------------------


async def test_register_an_organisation_and_read_it_back(registry: Running) -> None:
    body = organisation_body(1, credit_code=f"  {credit_code(1).lower()} ")
    created = await register(registry, body)
    assert created["id"].startswith("org_")
    assert created["revision"] == 1
    assert created["credit_code"] == credit_code(1)
    assert created["name"] == {"zh": body["name_zh"], "en": body["name_en"]}
    assert created["district_code"] == YUZHONG
    assert created["taxonomy_codes"] == ["C33-N05", "C33-L2"]
    assert created["platforms"] == [{"level": "MUNICIPAL", "name": "重庆市工程技术研究中心"}]
    assert created["description"] == {"zh": "传感器研发。\n第二行。", "en": "Sensor research."}
    assert created["contacts"] == [
        {
            "name": "联系人甲1",
            "email": "hr1@example-org.cn",
            "phone": "+86 23 6123 0001",
            "role": "人事经理",
        }
    ]
    assert created["registered_at"] == created["updated_at"]

    read = await api(registry).get(f"/organisations/{created['id']}", params=CONTACTS)
    assert read.status_code == 200
    assert read.json() == created
    # contacts are answered only when asked for
    plain = await api(registry).get(f"/organisations/{created['id']}")
    assert plain.json() == created | {"contacts": None}


async def test_the_registered_event_carries_the_profile_but_no_contact_details(
    registry: Running,
) -> None:
    body = organisation_body(2)
    created = await register(registry, body)
    event = await wait_for_event(registry, created["id"], ORG_REGISTERED)

    assert event["source"] == "/boyin/registry"
    assert event["sequence"] == 1
    assert event["data"] == {
        "organisation_id": created["id"],
        "name": {"zh": body["name_zh"], "en": body["name_en"]},
        "kind": "ENTERPRISE",
        "district_code": YUZHONG,
        "credit_code": credit_code(2),
        "platforms": ["MUNICIPAL:重庆市工程技术研究中心"],
        "taxonomy_codes": ["C33-N05", "C33-L2"],
        "revision": 1,
    }
    [raw] = await raw_published(registry)
    decoded = decode(raw)
    assert isinstance(decoded, OrganisationRegistered)
    text = raw.decode()
    contact = created["contacts"][0]
    for secret in (contact["email"], "HR2@Example-Org.cn", contact["phone"], contact["name"]):
        assert secret not in text
    for key in ('"contacts"', '"contact"', '"email"', '"phone"', "@"):
        assert key not in text


async def test_the_same_credit_code_again_is_a_conflict_and_changes_nothing(
    registry: Running,
) -> None:
    first = await register(registry, organisation_body(3))
    await wait_for_event(registry, first["id"], ORG_REGISTERED)

    again = organisation_body(4, credit_code=f" {credit_code(3).lower()}", district_code=LIANGJIANG)
    response = await api(registry).post("/organisations", json=again)
    error = error_of(response, 409)
    assert fields_of(error) == [("credit_code", "ALREADY_REGISTERED")]
    [field] = error["fields"]
    assert field["message"]["zh"] == f"统一社会信用代码 {credit_code(3)} 已登记"
    assert field["message"]["en"] == f"credit code {credit_code(3)} is already registered"

    marker = await barrier(registry, 5)
    listing = (await api(registry).get("/organisations")).json()
    assert sorted(o["id"] for o in listing["items"]) == sorted([first["id"], marker["id"]])
    assert [(e["subject"], e["type"]) for e in await published(registry)] == [
        (first["id"], ORG_REGISTERED),
        (marker["id"], ORG_REGISTERED),
    ]
    stored = (await api(registry).get(f"/organisations/{first['id']}", params=CONTACTS)).json()
    assert stored == first


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"kind": None}, [("kind", "MISSING")]),
        ({"kind": "SPACESHIP"}, [("kind", "NOT_ALLOWED_VALUE")]),
        ({"nickname": "渝"}, [("nickname", "UNKNOWN_FIELD")]),
        (
            {"platforms": [{"level": "GALACTIC", "name": "x"}]},
            [("platforms.0.level", "NOT_ALLOWED_VALUE")],
        ),
        (
            {"contacts": [{"name": "甲", "email": "a@example.cn", "fax": "1"}]},
            [("contacts.0.fax", "UNKNOWN_FIELD")],
        ),
        (
            {"kind": None, "district": "500103", "taxonomy_codes": "C33-L1"},
            [("kind", "MISSING"), ("taxonomy_codes", "NOT_A_LIST"), ("district", "UNKNOWN_FIELD")],
        ),
        ({"name_zh": "重庆\x07科技", "name_en": None}, [("name.zh", "CONTROL_CHARACTER")]),
        (
            {
                "name_en": "Test\u202eCo",
                "contacts": [{"name": "甲\x00", "phone": "+86 23 61234567"}],
            },
            [("name.en", "CONTROL_CHARACTER"), ("contacts.0.name", "CONTROL_CHARACTER")],
        ),
        (
            {"district_code": "500199", "credit_code": "91500000MA0000001X"},
            [("district_code", "UNKNOWN_DISTRICT"), ("credit_code", "CREDIT_CODE")],
        ),
    ],
    ids=[
        "missing-kind",
        "unknown-kind",
        "extra-field",
        "unknown-platform-level",
        "extra-contact-field",
        "several-schema-errors",
        "control-character",
        "control-characters-in-two-fields",
        "domain-errors",
    ],
)
async def test_bad_input_is_refused_field_by_field_and_nothing_is_stored(
    registry: Running, change: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    body = organisation_body(6)
    for key, value in change.items():
        if value is None and key == "kind":
            del body[key]
        else:
            body[key] = value
    response = await api(registry).post("/organisations", json=body)
    error = error_of(response, 422)
    assert error["code"] == "VALIDATION_FAILED"
    assert error["message"] == {
        "zh": "输入有误，请检查标出的字段",
        "en": "Invalid input; see the fields listed",
    }
    assert sorted(fields_of(error)) == sorted(expected)

    marker = await barrier(registry, 7)
    listing = (await api(registry).get("/organisations")).json()
    assert [o["id"] for o in listing["items"]] == [marker["id"]]
    assert [e["subject"] for e in await published(registry)] == [marker["id"]]


async def test_pydantic_errors_have_chinese_messages_too(registry: Running) -> None:
    body = organisation_body(8, kind="SPACESHIP", extra="x")
    del body["district_code"]
    error = error_of(await api(registry).post("/organisations", json=body), 422)
    zh = {f["field"]: f["message"]["zh"] for f in error["fields"]}
    kinds = "'UNIVERSITY'、'RESEARCH_INSTITUTE'、'NEW_RD_INSTITUTION'、'ENTERPRISE'、"
    kinds += "'PUBLIC_INSTITUTION'、'INCUBATOR_PARK' 或 'INVESTOR'"
    assert zh == {
        "kind": "不是允许的取值之一，应为：" + kinds,
        "district_code": "缺少必填字段",
        "extra": "不允许的字段：该输入没有这一项",
    }


async def test_update_bumps_the_revision_and_publishes_organisation_updated(
    registry: Running,
) -> None:
    created = await register(registry, organisation_body(9))
    await wait_for_event(registry, created["id"], ORG_REGISTERED)

    changed = organisation_body(
        9,
        name_zh="重庆新名称科技有限公司",
        name_en=None,
        district_code=LIANGJIANG,
        taxonomy_codes=["C33-F5"],
    )
    response = await api(registry).put(f"/organisations/{created['id']}", json=changed)
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["id"] == created["id"]
    assert updated["revision"] == 2
    assert updated["name"] == {"zh": "重庆新名称科技有限公司", "en": None}
    assert updated["district_code"] == LIANGJIANG
    assert updated["registered_at"] == created["registered_at"]
    assert datetime.fromisoformat(updated["updated_at"]) > datetime.fromisoformat(
        created["updated_at"]
    )
    read = await api(registry).get(f"/organisations/{created['id']}", params=CONTACTS)
    assert read.json() == updated

    event = await wait_for_event(registry, created["id"], ORG_UPDATED)
    decoded = decode(event)
    assert isinstance(decoded, OrganisationUpdated)
    assert event["sequence"] == 2
    assert event["data"]["revision"] == 2
    assert event["data"]["name"] == {"zh": "重庆新名称科技有限公司", "en": None}
    assert event["data"]["district_code"] == LIANGJIANG
    assert event["data"]["taxonomy_codes"] == ["C33-F5"]
    assert "@" not in str(event)

    third = await api(registry).put(f"/organisations/{created['id']}", json=changed)
    assert third.json()["revision"] == 3
    await wait_for_event(registry, created["id"], ORG_UPDATED)
    types = [(e["type"], e["sequence"]) for e in await published(registry)]
    assert types[:2] == [(ORG_REGISTERED, 1), (ORG_UPDATED, 2)]


async def test_an_invalid_update_changes_nothing(registry: Running) -> None:
    created = await register(registry, organisation_body(10))
    await wait_for_event(registry, created["id"], ORG_REGISTERED)
    other = await register(registry, organisation_body(11))
    await wait_for_event(registry, other["id"], ORG_REGISTERED)

    taken = organisation_body(10, credit_code=credit_code(11))
    response = await api(registry).put(f"/organisations/{created['id']}", json=taken)
    error = error_of(response, 409)
    assert fields_of(error) == [("credit_code", "ALREADY_REGISTERED")]
    assert "belongs to another organisation" in error["fields"][0]["message"]["en"]

    bad = organisation_body(10, district_code="000000")
    response = await api(registry).put(f"/organisations/{created['id']}", json=bad)
    assert fields_of(error_of(response, 422)) == [("district_code", "UNKNOWN_DISTRICT")]

    marker = await barrier(registry, 12)
    read = await api(registry).get(f"/organisations/{created['id']}", params=CONTACTS)
    assert read.json() == created
    assert [e["subject"] for e in await published(registry)] == [
        created["id"],
        other["id"],
        marker["id"],
    ]


async def test_unknown_ids_are_404_in_both_languages(registry: Running) -> None:
    missing = "org_000000000000ffffffffffffffff"
    error = error_of(await api(registry).get(f"/organisations/{missing}"), 404)
    assert error["code"] == "NOT_FOUND"
    assert error["message"] == {
        "zh": f"未找到单位：{missing}",
        "en": f"organisation not found: {missing}",
    }
    response = await api(registry).put(f"/organisations/{missing}", json=organisation_body(13))
    assert error_of(response, 404)["message"]["en"] == f"organisation not found: {missing}"

    error = error_of(await api(registry).get("/talents/tal_nobody"), 404)
    assert error["message"] == {
        "zh": "未找到人才：tal_nobody",
        "en": "talent not found: tal_nobody",
    }

    marker = await barrier(registry, 14)
    assert [e["subject"] for e in await published(registry)] == [marker["id"]]


async def test_list_pages_with_after_limit_and_next_after(registry: Running) -> None:
    ids = sorted([(await register(registry, organisation_body(20 + i)))["id"] for i in range(5)])

    seen: list[str] = []
    after: str | None = None
    pages = 0
    while True:
        params: dict[str, str | int] = {"limit": 2}
        if after:
            params["after"] = after
        page = (await api(registry).get("/organisations", params=params)).json()
        pages += 1
        seen += [o["id"] for o in page["items"]]
        assert len(page["items"]) <= 2
        after = page["next_after"]
        if after is None:
            break
        assert after == seen[-1]
    assert seen == ids
    assert pages == 3

    whole = (await api(registry).get("/organisations", params={"limit": 5})).json()
    assert [o["id"] for o in whole["items"]] == ids
    assert whole["next_after"] == ids[-1]
    rest = (await api(registry).get("/organisations", params={"after": ids[-1]})).json()
    assert rest == {"items": [], "next_after": None}

    default = (await api(registry).get("/organisations")).json()
    assert [o["id"] for o in default["items"]] == ids
    assert default["next_after"] is None

    tail = (await api(registry).get("/organisations", params={"after": ids[1]})).json()
    assert [o["id"] for o in tail["items"]] == ids[2:]


@pytest.mark.parametrize("limit", ["0", "201", "many"])
async def test_a_bad_limit_is_refused(registry: Running, limit: str) -> None:
    response = await api(registry).get("/organisations", params={"limit": limit})
    [field] = error_of(response, 422)["fields"]
    assert field["field"] == "limit"


async def test_list_filters_by_district(registry: Running) -> None:
    in_yuzhong: list[str] = []
    in_liangjiang: list[str] = []
    for i in range(6):
        district = YUZHONG if i % 2 else LIANGJIANG
        org = await register(registry, organisation_body(30 + i, district_code=district))
        (in_yuzhong if district == YUZHONG else in_liangjiang).append(org["id"])

    page = (await api(registry).get("/organisations", params={"district_code": YUZHONG})).json()
    assert [o["id"] for o in page["items"]] == sorted(in_yuzhong)
    assert {o["district_code"] for o in page["items"]} == {YUZHONG}

    first = (
        await api(registry).get("/organisations", params={"district_code": LIANGJIANG, "limit": 2})
    ).json()
    assert [o["id"] for o in first["items"]] == sorted(in_liangjiang)[:2]
    second = (
        await api(registry).get(
            "/organisations",
            params={"district_code": LIANGJIANG, "limit": 2, "after": first["next_after"]},
        )
    ).json()
    assert [o["id"] for o in second["items"]] == sorted(in_liangjiang)[2:]
    assert second["next_after"] is None

    none = (await api(registry).get("/organisations", params={"district_code": "500243"})).json()
    assert none == {"items": [], "next_after": None}


# -- talents -------------------------------------------------------------------------


async def test_register_a_talent_and_read_it_back(registry: Running) -> None:
    response = await api(registry).post("/talents", json=talent_body())
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["id"].startswith("tal_")
    assert created["revision"] == 1
    assert created["country"] == "DE"
    assert created["languages"] == ["zh", "en", "de"]
    assert created["field"] == {"zh": "材料科学", "en": "Materials science"}
    assert created["contact"] == {
        "name": "Li Wei (private)",
        "email": "li.wei@uni-example.de",
        "phone": "+49 241 8012345",
        "role": None,
    }
    assert created["team"] == [{"name": "Anna Schmidt", "role": "PhD candidate"}]
    read = await api(registry).get(f"/talents/{created['id']}", params=CONTACTS)
    assert read.status_code == 200
    assert read.json() == created


async def test_a_talent_event_carries_no_contact_details(registry: Running) -> None:
    created = (await api(registry).post("/talents", json=talent_body())).json()
    event = await wait_for_event(registry, created["id"], TALENT_REGISTERED)
    assert isinstance(decode(event), TalentRegistered)
    assert event["sequence"] == 1
    assert event["data"] == {
        "talent_id": created["id"],
        "name": {"zh": "李伟", "en": "Li Wei"},
        "degree": "POSTDOC",
        "field": {"zh": "材料科学", "en": "Materials science"},
        "institution": {"zh": "亚琛工业大学", "en": "RWTH Aachen University"},
        "country": "DE",
        "timezone": "Europe/Berlin",
        "languages": ["zh", "en", "de"],
        "taxonomy_codes": ["C33-L3", "T416-NM"],
        "revision": 1,
    }
    [raw] = await raw_published(registry)
    text = raw.decode()
    for secret in (
        "li.wei@uni-example.de",
        "Li.Wei@Uni-Example.de",
        "+49 241 8012345",
        "(private)",
    ):
        assert secret not in text
    for key in ('"contact"', '"email"', '"phone"', "@"):
        assert key not in text


async def test_the_same_email_in_another_case_is_a_conflict(registry: Running) -> None:
    first = await api(registry).post("/talents", json=talent_body("li.wei@uni-example.de"))
    assert first.status_code == 201
    await wait_for_event(registry, first.json()["id"], TALENT_REGISTERED)
    again = await api(registry).post(
        "/talents", json=talent_body("  LI.WEI@UNI-EXAMPLE.DE ", name_zh="李伟二")
    )
    error = error_of(again, 409)
    assert fields_of(error) == [("contact.email", "ALREADY_REGISTERED")]
    assert error["fields"][0]["message"] == {
        "zh": "电子邮箱 li.wei@uni-example.de 已注册",
        "en": "e-mail li.wei@uni-example.de is already registered",
    }
    other = await api(registry).post("/talents", json=talent_body("wang.fang@uni-example.de"))
    assert other.status_code == 201
    await wait_for_event(registry, other.json()["id"], TALENT_REGISTERED)
    assert [e["subject"] for e in await published(registry)] == [
        first.json()["id"],
        other.json()["id"],
    ]


async def test_a_bad_talent_is_refused_field_by_field(registry: Running) -> None:
    body = talent_body(
        "li.wei@@uni-example.de",
        country="中国",
        timezone="Asia/Chongqing_City",
        name_zh=None,
        name_en=None,
    )
    body["contact"]["name"] = "  "
    error = error_of(await api(registry).post("/talents", json=body), 422)
    assert fields_of(error) == [
        ("name", "REQUIRED"),
        ("country", "COUNTRY"),
        ("timezone", "TIMEZONE"),
        ("contact.name", "REQUIRED"),
        ("contact.email", "EMAIL"),
    ]
    missing = talent_body()
    del missing["contact"]
    error = error_of(await api(registry).post("/talents", json=missing), 422)
    assert fields_of(error) == [("contact", "MISSING")]


async def test_every_field_error_of_a_registration_comes_in_one_answer(registry: Running) -> None:
    """A bad enum (pydantic), bad country and time zone and an unknown taxonomy code (the
    profile's checks) and missing consent used to come back in three rounds."""
    body = talent_body(degree="PROFESSOR", country="Germany", timezone="Berlin")
    body["taxonomy_codes"] = ["NOPE"]
    body["consent"] = {**body["consent"], "purposes": ["REGISTRATION"]}
    body["contact"]["email"] = "li.wei@@uni-example.de"
    error = error_of(await api(registry).post("/talents", json=body), 422)
    assert sorted(fields_of(error)) == [
        ("consent.purposes", "CONSENT_REQUIRED"),
        ("contact.email", "EMAIL"),
        ("country", "COUNTRY"),
        ("degree", "NOT_ALLOWED_VALUE"),
        ("taxonomy_codes.0", "UNKNOWN_TAXONOMY"),
        ("timezone", "TIMEZONE"),
    ]
    org = organisation_body(30, kind="SPACESHIP", district_code="500199", taxonomy_codes=["NOPE"])
    org["platforms"] = [{"level": "GALACTIC", "name": "x"}]
    org["credit_code"] = "91500000MA0000001X"
    expected = [
        ("credit_code", "CREDIT_CODE"),
        ("district_code", "UNKNOWN_DISTRICT"),
        ("kind", "NOT_ALLOWED_VALUE"),
        ("platforms.0.level", "NOT_ALLOWED_VALUE"),
        ("taxonomy_codes.0", "UNKNOWN_TAXONOMY"),
    ]
    error = error_of(await api(registry).post("/organisations", json=org), 422)
    assert sorted(fields_of(error)) == expected
    made = await register(registry, organisation_body(31))
    error = error_of(await api(registry).put(f"/organisations/{made['id']}", json=org), 422)
    assert sorted(fields_of(error)) == expected
    # What pydantic refuses is not reported a second time by the profile's checks.
    del body["country"]
    body["contact"] = {"name": ""}
    error = error_of(await api(registry).post("/talents", json=body), 422)
    assert sorted(fields_of(error)) == [
        ("consent.purposes", "CONSENT_REQUIRED"),
        ("contact.email", "REQUIRED"),
        ("contact.name", "STRING_TOO_SHORT"),
        ("country", "MISSING"),
        ("degree", "NOT_ALLOWED_VALUE"),
        ("taxonomy_codes.0", "UNKNOWN_TAXONOMY"),
        ("timezone", "TIMEZONE"),
    ]


# -- durability ----------------------------------------------------------------------


async def test_data_survives_a_restart(tmp_path: Path) -> None:
    async with running([definition], tmp_path) as first:
        org = await register(first, organisation_body(40))
        await wait_for_event(first, org["id"], ORG_REGISTERED)
        talent = (await api(first).post("/talents", json=talent_body())).json()
        await wait_for_event(first, talent["id"], TALENT_REGISTERED)

    async with running([definition], tmp_path) as second:
        read_org = await api(second).get(f"/organisations/{org['id']}", params=CONTACTS)
        assert read_org.json() == org
        read_talent = await api(second).get(f"/talents/{talent['id']}", params=CONTACTS)
        assert read_talent.json() == talent
        listing = (await api(second).get("/organisations")).json()
        assert [o["id"] for o in listing["items"]] == [org["id"]]

        again = await api(second).post("/organisations", json=organisation_body(40))
        assert fields_of(error_of(again, 409)) == [("credit_code", "ALREADY_REGISTERED")]

        updated = await api(second).put(
            f"/organisations/{org['id']}", json=organisation_body(40, name_en="Renamed Ltd.")
        )
        assert updated.json()["revision"] == 2
        await wait_for_event(second, org["id"], ORG_UPDATED)
        assert [(e["subject"], e["type"]) for e in await published(second)] == [
            (org["id"], ORG_REGISTERED),
            (talent["id"], TALENT_REGISTERED),
            (org["id"], ORG_UPDATED),
        ]


# -- one account, one profile -----------------------------------------------------------


async def test_concurrent_self_registrations_of_one_account_make_one_profile(
    registry: Running,
) -> None:
    """Six registrations at once from one organisation account without a party yet: one
    profile is made, the others are told the account has one, and their credit codes stay
    free for their real owners (issue #20)."""
    newcomer = as_actor(Actor("acc_racing", Role.ORGANISATION))
    answers = await asyncio.gather(
        *(
            api(registry).post("/organisations", json=organisation_body(60 + i), headers=newcomer)
            for i in range(6)
        )
    )
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201] + [409] * 5, [a.text for a in answers]
    refused = [a for a in answers if a.status_code == 409]
    assert {error_of(a, 409)["code"] for a in refused} == {"ALREADY_BOUND"}
    made = next(a.json() for a in answers if a.status_code == 201)
    listed = (await api(registry).get("/organisations", params={"limit": 50})).json()["items"]
    assert [o["id"] for o in listed if o["id"] == made["id"]] == [made["id"]]
    assert len(listed) == 1
    # a refused registration's credit code is free: its owner registers it
    taken = made["credit_code"]
    free = next(
        organisation_body(60 + i)
        for i in range(6)
        if organisation_body(60 + i)["credit_code"] != taken
    )
    assert (await api(registry).post("/organisations", json=free)).status_code == 201

    talent = as_actor(Actor("acc_racing_talent", Role.TALENT))
    answers = await asyncio.gather(
        *(
            api(registry).post("/talents", json=talent_body(f"racer{i}@x.example"), headers=talent)
            for i in range(4)
        )
    )
    assert sorted(a.status_code for a in answers) == [201, 409, 409, 409]
