"""Domain validation of organisation and talent profiles, and the shipped reference data."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

import pytest

from boyin_registry.profiles.domain import (
    Bilingual,
    Contact,
    OrganisationDetails,
    Platform,
    TalentDetails,
)
from boyin_registry.profiles.validation import ContactInput, organisation_details, talent_details
from boyin_registry.reference.domain import Named
from boyin_registry.reference.shipped import shipped
from boyin_shared.api.registry import Degree, OrganisationKind, PlatformLevel
from boyin_shared.errors import BoyinError, FieldError
from tests.registry.support import LIANGJIANG, YUZHONG, credit_code, has_cjk

GOOD_CODE = credit_code(7)


def organisation(**overrides: Any) -> OrganisationDetails:
    kwargs: dict[str, Any] = {
        "name_zh": "重庆测试科技有限公司",
        "name_en": "Chongqing Test Technology Co., Ltd.",
        "kind": OrganisationKind.ENTERPRISE,
        "district_code": YUZHONG,
        "credit_code_value": GOOD_CODE,
        "ref": shipped(),
    }
    kwargs.update(overrides)
    return organisation_details(**kwargs)


def talent(**overrides: Any) -> TalentDetails:
    kwargs: dict[str, Any] = {
        "name_zh": "李伟",
        "name_en": "Li Wei",
        "degree": Degree.PHD,
        "field_zh": "材料科学",
        "field_en": "Materials science",
        "institution_zh": None,
        "institution_en": "RWTH Aachen University",
        "country": "DE",
        "location": "Aachen",
        "timezone": "Europe/Berlin",
        "languages": ["en"],
        "contact": ContactInput("Li Wei", email="li.wei@example.de"),
        "ref": shipped(),
    }
    kwargs.update(overrides)
    return talent_details(**kwargs)


def problems(call: Any, **overrides: Any) -> list[FieldError]:
    """The field errors ``call(**overrides)`` raises (it must raise the validation error)."""
    with pytest.raises(BoyinError) as caught:
        call(**overrides)
    error = caught.value
    assert error.status == 422
    assert error.code == "VALIDATION_FAILED"
    assert has_cjk(error.message.zh) and error.message.en
    for f in error.fields:
        assert has_cjk(f.message.zh), f
        assert f.message.en.isascii() and f.message.en, f
    return error.fields


def where(fields: list[FieldError]) -> list[tuple[str, str]]:
    return [(f.field, f.code) for f in fields]


# -- organisations -------------------------------------------------------------------


def test_a_valid_organisation_is_cleaned_and_normalised() -> None:
    details = organisation(
        name_zh="  重庆测试科技有限公司 ",
        name_en="",
        credit_code_value=f" {GOOD_CODE.lower()} ",
        district_code=LIANGJIANG,
        platforms=[(PlatformLevel.NATIONAL, " 国家重点实验室 ")],
        taxonomy_codes=["C33-N05", "C33-L2", "C33-N05"],
        description_zh="第一行\n第二行",
        contacts=[ContactInput(" 张三 ", email=" HR@Example.CN ", phone=" +86 23 6123 4567 ")],
    )
    assert details.name == Bilingual(zh="重庆测试科技有限公司", en=None)
    assert details.credit_code == GOOD_CODE
    assert details.district_code == LIANGJIANG
    assert details.platforms == (Platform(PlatformLevel.NATIONAL, "国家重点实验室"),)
    assert details.taxonomy_codes == ("C33-N05", "C33-L2")
    assert details.description == Bilingual(zh="第一行\n第二行", en=None)
    assert details.contacts == (
        Contact(name="张三", email="hr@example.cn", phone="+86 23 6123 4567", role=None),
    )


def test_every_problem_is_reported_at_once() -> None:
    bad_code = GOOD_CODE[:17] + ("0" if GOOD_CODE[17] != "0" else "1")
    fields = problems(
        organisation,
        name_zh="重庆\x07科技",
        district_code="999999",
        credit_code_value=bad_code,
        taxonomy_codes=["C33-L1", "X99"],
    )
    assert where(fields) == [
        ("name.zh", "CONTROL_CHARACTER"),
        ("district_code", "UNKNOWN_DISTRICT"),
        ("credit_code", "CREDIT_CODE"),
        ("taxonomy_codes.1", "UNKNOWN_TAXONOMY"),
    ]
    by_field = {f.field: f.message for f in fields}
    assert "U+0007" in by_field["name.zh"].zh and "U+0007" in by_field["name.zh"].en
    assert "999999" in by_field["district_code"].zh and "999999" in by_field["district_code"].en
    assert by_field["credit_code"].zh == "统一社会信用代码无效（校验位不符）"
    assert by_field["credit_code"].en == (
        f"invalid unified social credit code: check character should be {GOOD_CODE[17]}, "
        f"got {bad_code[17]}"
    )
    assert "X99" in by_field["taxonomy_codes.1"].zh and "X99" in by_field["taxonomy_codes.1"].en


@pytest.mark.parametrize(
    ("value", "zh"),
    [
        (GOOD_CODE[:17], "统一社会信用代码无效（应为 18 位）"),
        (GOOD_CODE[:16] + "OO", "统一社会信用代码无效（含有不允许的字符（不使用 I、O、S、V、Z））"),
        ("91A00000MA0000001" + "0", "统一社会信用代码无效（第 3 至 8 位应为行政区划代码）"),
    ],
)
def test_credit_code_problems_are_explained_in_both_languages(value: str, zh: str) -> None:
    [f] = problems(organisation, credit_code_value=value)
    assert (f.field, f.code) == ("credit_code", "CREDIT_CODE")
    assert f.message.zh == zh
    assert f.message.en.startswith("invalid unified social credit code: ")


@pytest.mark.parametrize(
    ("name_zh", "name_en"),
    [(None, None), ("", ""), ("  ", "\t"), (None, " ")],
)
def test_the_name_is_required_in_at_least_one_language(
    name_zh: str | None, name_en: str | None
) -> None:
    [f] = problems(organisation, name_zh=name_zh, name_en=name_en)
    assert (f.field, f.code) == ("name", "REQUIRED")
    assert f.message.zh == "请至少填写中文或英文"
    assert f.message.en == "give it in Chinese, English or both"


@pytest.mark.parametrize(
    ("name_zh", "name_en"), [("重庆大学", None), (None, "Chongqing University")]
)
def test_one_language_is_enough(name_zh: str | None, name_en: str | None) -> None:
    details = organisation(name_zh=name_zh, name_en=name_en, kind=OrganisationKind.UNIVERSITY)
    assert details.name == Bilingual(zh=name_zh, en=name_en)


def test_an_unusable_name_is_reported_once_not_also_as_missing() -> None:
    fields = problems(organisation, name_zh="\u200b", name_en=None)
    assert where(fields) == [("name.zh", "CONTROL_CHARACTER")]


def test_names_are_single_lines_but_descriptions_may_span_lines() -> None:
    fields = problems(organisation, name_en="Chongqing\nTest", description_en="a\nb")
    assert where(fields) == [("name.en", "LINE_BREAK")]


def test_text_length_is_bounded() -> None:
    fields = problems(organisation, name_zh="渝" * 201, description_en="x" * 5001)
    assert where(fields) == [("name.zh", "TOO_LONG"), ("description.en", "TOO_LONG")]
    assert organisation(name_zh="渝" * 200, description_en="x" * 5000).name.zh == "渝" * 200


def test_retired_taxonomy_codes_are_refused() -> None:
    ref = shipped()
    retired = replace(
        ref,
        taxonomy={**ref.taxonomy, "OLD": Named("OLD", "旧分类", "Old", kind="retired")},
        taxonomy_version=ref.taxonomy_version + 1,
    )
    [f] = problems(organisation, taxonomy_codes=["C33-L1", "OLD"], ref=retired)
    assert (f.field, f.code) == ("taxonomy_codes.1", "RETIRED_TAXONOMY")


def test_a_contact_needs_an_email_or_a_phone() -> None:
    fields = problems(
        organisation,
        contacts=[
            ContactInput("甲", email="a@example.cn"),
            ContactInput("乙"),
            ContactInput("丙", phone="023-6123-4567"),
        ],
    )
    assert where(fields) == [("contacts.1", "CONTACT_CHANNEL")]
    assert fields[0].message.zh == "请至少提供电子邮箱或电话之一"
    assert fields[0].message.en == "give an e-mail address or a phone number"


@pytest.mark.parametrize(
    "email", ["plain", "a@b", "a b@example.cn", "a@@example.cn", "a@example.c", "@example.cn"]
)
def test_a_bad_email_is_refused(email: str) -> None:
    [f] = problems(organisation, contacts=[ContactInput("甲", email=email)])
    assert (f.field, f.code) == ("contacts.0.email", "EMAIL")
    assert f.message.zh == "电子邮箱格式不正确"
    assert f.message.en == "not a valid e-mail address"


@pytest.mark.parametrize("phone", ["12345", "phone", "+86 23 abc 4567", "+" + "1" * 30])
def test_a_bad_phone_is_refused(phone: str) -> None:
    [f] = problems(organisation, contacts=[ContactInput("甲", phone=phone)])
    assert (f.field, f.code) == ("contacts.0.phone", "PHONE")


def test_a_contact_without_a_name_is_refused_not_dropped() -> None:
    fields = problems(organisation, contacts=[ContactInput("   ", email="a@example.cn")])
    assert where(fields) == [("contacts.0.name", "REQUIRED")]


# -- talents -------------------------------------------------------------------------


def test_a_valid_talent_is_cleaned_and_normalised() -> None:
    details = talent(
        country=" de ",
        languages=["ZH", " en", "", "zh"],
        contact=ContactInput("Li Wei", email="Li.Wei@Example.DE", role="PI"),
        team=[(" Anna ", " PhD candidate ")],
        taxonomy_codes=["T416-NM"],
    )
    assert details.country == "DE"
    assert details.languages == ("zh", "en")
    assert details.contact == Contact(name="Li Wei", email="li.wei@example.de", role="PI")
    assert [(m.name, m.role) for m in details.team] == [("Anna", "PhD candidate")]
    assert details.institution == Bilingual(zh=None, en="RWTH Aachen University")
    assert details.taxonomy_codes == ("T416-NM",)


def test_every_talent_problem_is_reported_at_once() -> None:
    fields = problems(
        talent,
        name_zh=None,
        name_en=None,
        field_zh=None,
        field_en="  ",
        institution_en=None,
        country="Germany",
        location="Aachen\x00",
        timezone="Mars/Olympus_Mons",
        contact=ContactInput("Li Wei", email="not-an-email"),
        taxonomy_codes=["C33"],
    )
    assert where(fields) == [
        ("name", "REQUIRED"),
        ("field", "REQUIRED"),
        ("institution", "REQUIRED"),
        ("country", "COUNTRY"),
        ("location", "CONTROL_CHARACTER"),
        ("timezone", "TIMEZONE"),
        ("contact.email", "EMAIL"),
    ]


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "Europe/Berlin", "America/New_York", "UTC"])
def test_known_time_zones_are_accepted(zone: str) -> None:
    assert talent(timezone=zone).timezone == zone


@pytest.mark.parametrize("zone", ["Asia/Chongqing_City", "CST", "Beijing", "", "europe/berlin"])
def test_an_unknown_time_zone_is_refused(zone: str) -> None:
    [f] = problems(talent, timezone=zone)
    assert (f.field, f.code) == ("timezone", "TIMEZONE")
    assert "Asia/Shanghai" in f.message.zh
    assert f.message.en.startswith(f"unknown time zone: {zone} ")


@pytest.mark.parametrize(("country", "expected"), [("cn", "CN"), (" De ", "DE"), ("US", "US")])
def test_a_two_letter_country_code_is_accepted(country: str, expected: str) -> None:
    assert talent(country=country).country == expected


@pytest.mark.parametrize("country", ["", "D", "DEU", "D1", "12", "中国", "ÄB", "C N"])
def test_anything_else_is_not_a_country_code(country: str) -> None:
    [f] = problems(talent, country=country)
    assert (f.field, f.code) == ("country", "COUNTRY")
    assert f.message.zh == "国家应为两位字母代码（如 CN、DE）"
    assert f.message.en == "use a two-letter country code"


def test_a_talent_contact_needs_an_email() -> None:
    """Talents sign in and are unique by e-mail (a phone alone is not enough)."""
    for contact in (ContactInput("Li Wei"), ContactInput("Li Wei", phone="+49 241 8012345")):
        [f] = problems(talent, contact=contact)
        assert (f.field, f.code) == ("contact.email", "REQUIRED")
        assert f.message.zh and f.message.en


def test_a_talent_contact_without_a_name_is_refused_not_dropped() -> None:
    fields = problems(talent, contact=ContactInput(" ", email="li.wei@example.de"))
    assert where(fields) == [("contact.name", "REQUIRED")]


# -- reference data ------------------------------------------------------------------


def test_districts_are_the_38_districts_and_counties_and_three_zones() -> None:
    districts = shipped().districts
    assert len(districts) == 41
    kinds = Counter(d.kind for d in districts.values())
    assert kinds == {"district": 26, "county": 12, "zone": 3}
    for code, d in districts.items():
        assert d.code == code
        assert has_cjk(d.zh) and d.en.isascii() and d.en
        if d.kind == "district":
            assert code.startswith("5001") and code.isdigit() and len(code) == 6
        elif d.kind == "county":
            assert code.startswith("5002") and code.isdigit() and len(code) == 6
    assert {c for c, d in districts.items() if d.kind == "zone"} == {"LJXQ", "XBKXC", "WSJKQ"}
    assert districts["500103"].zh == "渝中区"
    assert districts["LJXQ"].zh == "两江新区"
    assert len({d.zh for d in districts.values()}) == 41


def test_the_33618_taxonomy_has_its_clusters_under_their_groups() -> None:
    taxonomy = shipped().taxonomy
    children: dict[str | None, list[str]] = {}
    for node in taxonomy.values():
        children.setdefault(node.parent, []).append(node.code)
    assert sorted(children["C33"]) == ["C33-F", "C33-L", "C33-N", "C33-P"]
    counts = {group: len(children[group]) for group in ("C33-L", "C33-P", "C33-F", "C33-N")}
    assert counts == {"C33-L": 3, "C33-P": 3, "C33-F": 6, "C33-N": 18}
    assert all(children[group][0].startswith(group) for group in counts)
    assert sum(counts.values()) == 30
    assert sorted(children[None]) == ["C33", "T416"]
    assert all(node.parent is None or node.parent in taxonomy for node in taxonomy.values())
    assert all(has_cjk(node.zh) and node.en for node in taxonomy.values())
    assert taxonomy["C33-N02"].zh == "AI及机器人"
    assert shipped().taxonomy_version == 1


def test_ancestors_go_from_the_code_up_to_the_root() -> None:
    ref = shipped()
    assert ref.ancestors("C33-N05") == ["C33-N05", "C33-N", "C33"]
    assert ref.ancestors("C33-L") == ["C33-L", "C33"]
    assert ref.ancestors("T416-NM") == ["T416-NM", "T416"]
    assert ref.ancestors("C33") == ["C33"]
    assert ref.ancestors("NOPE") == []
    leaves = [code for code in ref.taxonomy if code.startswith("C33-") and code[-1].isdigit()]
    assert len(leaves) == 30
    assert all(len(ref.ancestors(code)) == 3 for code in leaves)
