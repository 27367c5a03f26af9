"""GraphQL documents and helpers shared by the gateway tests (all calls go through /graphql)."""

from __future__ import annotations

from typing import Any

import jwt

from boyin_platform.demo import CONSENT
from boyin_registry.profiles.credit_code import check_character
from tests.platform_harness import ADMIN_LOGIN, ADMIN_PASSWORD, graphql, sign_in

PASSWORD = "correct-horse-battery-9"
YUZHONG = "500103"  # 渝中区
SHAPINGBA = "500106"  # 沙坪坝区

PROBLEM = "... on Problem { code message { zh en } fields { field code message { zh en } } }"
SESSION = "... on Session { accessToken refreshToken expiresIn }"
ACCOUNT = "id login role districtCode partyId"

SIGN_UP = f"""
mutation($login: String!, $password: String!, $role: AccountRole!) {{
  signUp(login: $login, password: $password, role: $role) {{
    __typename
    ... on SignedUp {{ account {{ {ACCOUNT} }} session {{ accessToken refreshToken expiresIn }} }}
    {PROBLEM}
  }}
}}"""

SIGN_IN = f"""
mutation($login: String!, $password: String!) {{
  signIn(login: $login, password: $password) {{ __typename {SESSION} {PROBLEM} }}
}}"""

REFRESH = f"""
mutation($refreshToken: String!) {{
  refreshSession(refreshToken: $refreshToken) {{ __typename {SESSION} {PROBLEM} }}
}}"""

SIGN_OUT = "mutation($refreshToken: String!) { signOut(refreshToken: $refreshToken) }"

ME = f"{{ me {{ {ACCOUNT} }} }}"

CREATE_ACCOUNT = f"""
mutation($login: String!, $password: String!, $role: AccountRole!, $districtCode: String) {{
  createAccount(login: $login, password: $password, role: $role, districtCode: $districtCode) {{
    __typename
    ... on Account {{ {ACCOUNT} }}
    {PROBLEM}
  }}
}}"""

REGISTER_TALENT = f"""
mutation($input: TalentInput!) {{
  registerTalent(input: $input) {{
    __typename
    ... on Talent {{ id name {{ zh en }} degree country }}
    {PROBLEM}
  }}
}}"""

REGISTER_ORGANISATION = f"""
mutation($input: OrganisationInput!) {{
  registerOrganisation(input: $input) {{
    __typename
    ... on Organisation {{ id name {{ zh en }} districtCode }}
    {PROBLEM}
  }}
}}"""

DEMAND_FIELDS = """
id channel ownerId districtCode status revision
title { zh en }
claims { criterion evidence review reviewNote }
history { to role reason }
owner { __typename ... on Organisation { id districtCode } ... on Talent { id degree } }
"""

DEMAND_RESULT = f"__typename ... on Demand {{ {DEMAND_FIELDS} }} {PROBLEM}"

CREATE_DEMAND = f"""
mutation($ownerId: String!, $content: DemandContentInput!, $submit: Boolean!) {{
  createDemand(ownerId: $ownerId, content: $content, submit: $submit) {{ {DEMAND_RESULT} }}
}}"""

EDIT_DEMAND = f"""
mutation($id: ID!, $content: DemandContentInput!) {{
  editDemand(id: $id, content: $content) {{ {DEMAND_RESULT} }}
}}"""

START_REVIEW = f"mutation($id: ID!) {{ startDemandReview(id: $id) {{ {DEMAND_RESULT} }} }}"
PUBLISH = f"mutation($id: ID!) {{ publishDemand(id: $id) {{ {DEMAND_RESULT} }} }}"
REVIEW_CLAIM = f"""
mutation($id: ID!, $criterion: Criterion!, $confirmed: Boolean!, $note: String) {{
  reviewClaim(id: $id, criterion: $criterion, confirmed: $confirmed, note: $note) {{
    {DEMAND_RESULT}
  }}
}}"""

DEMAND = f"query($id: ID!) {{ demand(id: $id) {{ {DEMAND_FIELDS} }} }}"

DEMANDS = f"""
query($filter: DemandFilter, $first: Int!) {{
  demands(first: $first, filter: $filter) {{
    edges {{ cursor node {{ {DEMAND_FIELDS} }} }}
    pageInfo {{ hasNextPage endCursor }}
  }}
}}"""


def has_cjk(text: str | None) -> bool:
    return text is not None and any("\u4e00" <= ch <= "\u9fff" for ch in text)


def assert_bilingual(problem: dict[str, Any]) -> None:
    """A Problem result: its message and every field message are in Chinese and English."""
    assert has_cjk(problem["message"]["zh"]), problem
    assert problem["message"]["en"] and not has_cjk(problem["message"]["en"]), problem
    for f in problem["fields"]:
        assert has_cjk(f["message"]["zh"]), f
        assert f["message"]["en"] and not has_cjk(f["message"]["en"]), f


def credit_code(serial: int, division: str = YUZHONG) -> str:
    body = f"91{division}MA{serial:07d}"
    return body + check_character(body)


def organisation_input(serial: int, district_code: str = YUZHONG) -> dict[str, Any]:
    return {
        "nameZh": f"重庆网关测试科技有限公司{serial}",
        "nameEn": f"Chongqing Gateway Test Technology Co., Ltd. {serial}",
        "kind": "ENTERPRISE",
        "districtCode": district_code,
        "creditCode": credit_code(serial, district_code),
        "taxonomyCodes": ["C33-L3"],
        "descriptionZh": "传感器材料研发。",
        "descriptionEn": "Sensor materials research.",
        "contacts": [{"name": "联系人甲", "email": f"hr{serial}@gateway-org.example.cn"}],
    }


def talent_input(email: str, name_en: str = "Li Wei") -> dict[str, Any]:
    return {
        "nameZh": "李伟",
        "nameEn": name_en,
        "degree": "POSTDOC",
        "fieldEn": "Materials science",
        "institutionEn": "RWTH Aachen University",
        "country": "DE",
        "location": "Aachen",
        "timezone": "Europe/Berlin",
        "languages": ["zh", "en"],
        "contact": {"name": name_en, "email": email, "phone": "+49 241 8012345"},
        "taxonomyCodes": ["C33-L3"],
        # agreement to the privacy notice the registry ships (the demo data agrees to it too)
        "consent": {"noticeVersion": CONSENT["notice_version"], "purposes": CONSENT["purposes"]},
    }


def landing_content(**overrides: Any) -> dict[str, Any]:
    """Valid content of a PROJECT_LANDING demand (an organisation's)."""
    content: dict[str, Any] = {
        "titleZh": "传感器材料项目落地",
        "titleEn": "Landing of a sensor materials project",
        "descriptionZh": "提供中试车间与落地政策。",
        "descriptionEn": "Pilot workshop and landing policies available.",
        "taxonomyCodes": ["C33-L3"],
        "keywords": ["传感器"],
        "editions": ["CQ2026"],
        "claims": [{"criterion": "KEY_PLATFORMS", "evidence": "重庆市工程技术研究中心"}],
        "details": {
            "projectLanding": {
                "cooperationModes": ["TECH_TRANSFER", "INCUBATION"],
                "budgetWan": 500,
                "wantedStage": "PILOT",
            }
        },
    }
    content.update(overrides)
    return content


def cooperation_content(**overrides: Any) -> dict[str, Any]:
    """Valid content of a PROJECT_COOPERATION demand (a talent's)."""
    content: dict[str, Any] = {
        "titleZh": "高纯靶材联合研发",
        "titleEn": "Joint R&D of high-purity sputtering targets",
        "descriptionZh": "寻求中试与投资合作。",
        "descriptionEn": "Seeking pilot production and investment.",
        "taxonomyCodes": ["C33-L3"],
        "editions": ["CQ2026"],
        "claims": [{"criterion": "BOTTLENECK_TECHNOLOGY", "evidence": "已获授权专利两项"}],
        "details": {
            "projectCooperation": {
                "stage": "PROTOTYPE",
                "trl": 5,
                "ipStatus": "GRANTED",
                "sought": ["JOINT_RD", "INVESTMENT"],
            }
        },
    }
    content.update(overrides)
    return content


async def admin_token(url: str) -> str:
    return await sign_in(url, ADMIN_LOGIN, ADMIN_PASSWORD)


async def sign_up(url: str, login: str, role: str) -> dict[str, Any]:
    """Sign up and return the ``SignedUp`` result (account and session)."""
    result: dict[str, Any] = (
        await graphql(url, SIGN_UP, login=login, password=PASSWORD, role=role)
    )["signUp"]
    assert result["__typename"] == "SignedUp", result
    return result


async def create_account(
    url: str, token: str | None, login: str, role: str, district_code: str | None = None
) -> dict[str, Any]:
    result: dict[str, Any] = (
        await graphql(
            url,
            CREATE_ACCOUNT,
            token,
            login=login,
            password=PASSWORD,
            role=role,
            districtCode=district_code,
        )
    )["createAccount"]
    return result


async def staff_token(url: str, login: str, role: str, district_code: str | None = None) -> str:
    """An account of a staff-created role, made by the admin; its access token."""
    created = await create_account(url, await admin_token(url), login, role, district_code)
    assert created["__typename"] == "Account", created
    return await sign_in(url, login, PASSWORD)


async def refresh(url: str, refresh_token: str) -> dict[str, Any]:
    result: dict[str, Any] = (await graphql(url, REFRESH, refreshToken=refresh_token))[
        "refreshSession"
    ]
    return result


def claims_of(token: str) -> dict[str, Any]:
    """The claims of an access token, read without checking its signature."""
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


async def demand_action(
    url: str, token: str, document: str, field: str, **variables: Any
) -> dict[str, Any]:
    result: dict[str, Any] = (await graphql(url, document, token, **variables))[field]
    return result
