"""The demo fair's people: an account for every role, made through the public GraphQL API.

Staff accounts (operator, district officer, mentor, investor) are created by the
administrator; talents and organisations sign up and register their bilingual profiles.
Every account has a demo-only password (:data:`DEMO_PASSWORD`), printed by ``run.sh
--demo``. Loading again signs in to what exists and creates nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from boyin_platform.demo import CONSENT, credit_code

#: the demo administrator ``run.sh --demo`` creates when no BOYIN_ADMIN_LOGIN is set
DEMO_ADMIN_LOGIN = "admin@demo.boyin.example"
#: DEMO ONLY: every demo account's password; never use it for real accounts
DEMO_PASSWORD = "demo-only-Boyin-2026"
DEMO_DISTRICT = "500103"  # 渝中区

PROBLEM = "... on Problem { code message { zh en } fields { field message { en } } }"
SESSION = "... on Session { accessToken refreshToken }"


@dataclass(frozen=True)
class Person:
    """A demo account: its login, role and (for talents and organisations) its profile."""

    login: str
    role: str
    label_zh: str
    label_en: str
    district_code: str | None = None
    talent: dict[str, Any] | None = None
    organisation: dict[str, Any] | None = None


@dataclass
class SignedIn:
    """A demo account signed in: its access token and the party it acts for."""

    person: Person
    token: str
    party_id: str | None


def _talent(name_zh: str, name_en: str, email: str, field: tuple[str, str], **more: Any) -> Any:
    return {
        "nameZh": name_zh,
        "nameEn": name_en,
        "fieldZh": field[0],
        "fieldEn": field[1],
        "contact": {"name": name_en, "email": email},
        "consent": {"noticeVersion": CONSENT["notice_version"], "purposes": CONSENT["purposes"]},
        **more,
    }


PEOPLE: list[Person] = [
    Person("operator@demo.boyin.example", "OPERATOR", "运营人员", "Operator"),
    Person(
        "officer.yuzhong@demo.boyin.example",
        "DISTRICT_OFFICER",
        "渝中区工作人员",
        "District officer (Yuzhong)",
        district_code=DEMO_DISTRICT,
    ),
    Person("mentor@demo.boyin.example", "MENTOR", "创业导师", "Mentor"),
    Person("investor@demo.boyin.example", "INVESTOR", "投资人", "Investor"),
    Person(
        "sophie.martin@demo.boyin.example",
        "TALENT",
        "人才：苏菲·马丁",
        "Talent: Dr. Sophie Martin",
        talent=_talent(
            "苏菲·马丁",
            "Dr. Sophie Martin",
            "sophie.martin@demo.boyin.example",
            ("柔性传感器薄膜材料", "Thin-film materials for flexible sensors"),
            degree="POSTDOC",
            institutionZh="巴黎萨克雷大学",
            institutionEn="Université Paris-Saclay",
            country="FR",
            location="Paris",
            timezone="Europe/Paris",
            languages=["en", "fr", "zh"],
            taxonomyCodes=["C33-L3"],
        ),
    ),
    Person(
        "zhou.kai@demo.boyin.example",
        "TALENT",
        "人才：周凯",
        "Talent: Dr. Zhou Kai",
        talent=_talent(
            "周凯",
            "Dr. Zhou Kai",
            "zhou.kai@demo.boyin.example",
            ("机器人运动控制", "Motion control for robots"),
            degree="PHD",
            institutionZh="东京大学",
            institutionEn="The University of Tokyo",
            country="JP",
            location="Tokyo",
            timezone="Asia/Tokyo",
            languages=["zh", "en", "ja"],
            taxonomyCodes=["C33-N02"],
        ),
    ),
    Person(
        "bd@demo-sensors.example.cn",
        "ORGANISATION",
        "单位：渝中智感材料有限公司",
        "Organisation: Yuzhong Smart Sensing Materials",
        organisation={
            "nameZh": "重庆渝中智感材料有限公司",
            "nameEn": "Chongqing Yuzhong Smart Sensing Materials Co., Ltd.",
            "kind": "ENTERPRISE",
            "districtCode": DEMO_DISTRICT,
            "creditCode": credit_code(DEMO_DISTRICT, 2001),
            "taxonomyCodes": ["C33-L3"],
            "descriptionZh": "柔性传感器材料的中试与量产。",
            "descriptionEn": "Pilot and volume production of flexible sensor materials.",
            "contacts": [{"name": "何经理", "email": "bd@demo-sensors.example.cn"}],
        },
    ),
    Person(
        "hr@demo-robotics.example.cn",
        "ORGANISATION",
        "单位：解放碑机器人研究院",
        "Organisation: Jiefangbei Robotics Institute",
        organisation={
            "nameZh": "重庆解放碑机器人研究院",
            "nameEn": "Jiefangbei Robotics Institute, Chongqing",
            "kind": "NEW_RD_INSTITUTION",
            "districtCode": DEMO_DISTRICT,
            "creditCode": credit_code(DEMO_DISTRICT, 2002),
            "taxonomyCodes": ["C33-N02"],
            "descriptionZh": "服务机器人与工业机器人控制算法研发。",
            "descriptionEn": "Control algorithms for service and industrial robots.",
            "contacts": [{"name": "Ms. Tang", "email": "hr@demo-robotics.example.cn"}],
        },
    ),
]


class GraphQL:
    """A small client of the platform's ``/graphql``; fails loudly on any GraphQL error."""

    def __init__(self, client: httpx.AsyncClient, base_url: str) -> None:
        self.client = client
        self.url = base_url + "/graphql"

    async def __call__(self, query: str, token: str | None = None, **variables: Any) -> Any:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        response = await self.client.post(
            self.url, json={"query": query, "variables": variables}, headers=headers
        )
        body = response.json()
        if body.get("errors"):
            raise RuntimeError(f"demo: GraphQL errors: {body['errors']}")
        return body["data"]


SIGN_IN = f"""mutation($login: String!, $password: String!) {{
  signIn(login: $login, password: $password) {{ __typename {SESSION} {PROBLEM} }} }}"""
SIGN_UP = f"""mutation($login: String!, $password: String!, $role: AccountRole!) {{
  signUp(login: $login, password: $password, role: $role) {{
    __typename ... on SignedUp {{ session {{ accessToken refreshToken }} }} {PROBLEM} }} }}"""
CREATE_ACCOUNT = f"""
mutation($login: String!, $password: String!, $role: AccountRole!, $districtCode: String) {{
  createAccount(login: $login, password: $password, role: $role, districtCode: $districtCode) {{
    __typename {PROBLEM} }} }}"""
REFRESH = f"""mutation($refreshToken: String!) {{
  refreshSession(refreshToken: $refreshToken) {{ __typename {SESSION} {PROBLEM} }} }}"""
ME = "{ me { partyId } }"
REGISTER_TALENT = f"""mutation($input: TalentInput!) {{
  registerTalent(input: $input) {{ __typename ... on Talent {{ id }} {PROBLEM} }} }}"""
REGISTER_ORGANISATION = f"""mutation($input: OrganisationInput!) {{
  registerOrganisation(input: $input) {{ __typename ... on Organisation {{ id }} {PROBLEM} }} }}"""


def _ok(result: dict[str, Any], typename: str, what: str) -> dict[str, Any]:
    if result["__typename"] != typename:
        raise RuntimeError(f"demo: {what} refused: {result}")
    return result


async def sign_in(gql: GraphQL, login: str, password: str) -> dict[str, Any] | None:
    """The session of a login, or None when it does not exist (or the password differs)."""
    result = (await gql(SIGN_IN, login=login, password=password))["signIn"]
    return result if result["__typename"] == "Session" else None


async def register(gql: GraphQL, person: Person, session: dict[str, Any]) -> str:
    """Register the person's talent or organisation profile; a token acting for it."""
    token = session["accessToken"]
    if person.talent is not None:
        data = await gql(REGISTER_TALENT, token, input=person.talent)
        _ok(data["registerTalent"], "Talent", f"talent {person.login}")
    else:
        data = await gql(REGISTER_ORGANISATION, token, input=person.organisation)
        _ok(data["registerOrganisation"], "Organisation", f"organisation {person.login}")
    refreshed = (await gql(REFRESH, refreshToken=session["refreshToken"]))["refreshSession"]
    fresh: str = _ok(refreshed, "Session", "refresh")["accessToken"]
    return fresh


async def ensure(
    gql: GraphQL, admin_token: str, person: Person, counts: dict[str, int]
) -> SignedIn:
    """The person's account (and profile), created when missing; signed in."""
    session = await sign_in(gql, person.login, DEMO_PASSWORD)
    if session is None:
        if person.talent is not None or person.organisation is not None:
            signed_up = (
                await gql(SIGN_UP, login=person.login, password=DEMO_PASSWORD, role=person.role)
            )["signUp"]
            session = _ok(signed_up, "SignedUp", f"sign-up of {person.login}")["session"]
        else:
            created = await gql(
                CREATE_ACCOUNT,
                admin_token,
                login=person.login,
                password=DEMO_PASSWORD,
                role=person.role,
                districtCode=person.district_code,
            )
            _ok(created["createAccount"], "Account", f"account {person.login}")
            session = await sign_in(gql, person.login, DEMO_PASSWORD)
            assert session is not None
        counts["created"] += 1
    else:
        counts["existing"] += 1
    token: str = session["accessToken"]
    party_id = (await gql(ME, token))["me"]["partyId"]
    if party_id is None and person.role in ("TALENT", "ORGANISATION"):
        token = await register(gql, person, session)
        party_id = (await gql(ME, token))["me"]["partyId"]
    return SignedIn(person, token, party_id)


def accounts_table(admin_login: str, admin_password: str | None) -> str:
    """The demo accounts as a table to print (their passwords are demo-only)."""
    rows = [("ADMIN", admin_login, admin_password or "(BOYIN_ADMIN_PASSWORD)", "管理员 / Admin")]
    rows += [(p.role, p.login, DEMO_PASSWORD, f"{p.label_zh} / {p.label_en}") for p in PEOPLE]
    width = max(len(r[1]) for r in rows)
    lines = [
        "Demo accounts (DEMO-ONLY passwords, for this demo data folder only) / 演示账号（仅供演示）:",
        f"  {'role':17} {'login':{width}}  {'password':22} who",
    ]
    lines += [f"  {r[0]:17} {r[1]:{width}}  {r[2]:22} {r[3]}" for r in rows]
    return "\n".join(lines)
