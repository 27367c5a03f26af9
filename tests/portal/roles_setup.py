"""What the role pages' browser tests set up through the public GraphQL API (the people and
demands a page then shows), and signing a browser in as one of them."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from playwright.sync_api import BrowserContext, Page

from tests.gateway.support import (
    CREATE_ACCOUNT,
    CREATE_DEMAND,
    PASSWORD,
    PROBLEM,
    PUBLISH,
    REFRESH,
    REGISTER_ORGANISATION,
    REGISTER_TALENT,
    REVIEW_CLAIM,
    SIGN_UP,
    START_REVIEW,
    YUZHONG,
    organisation_input,
    talent_input,
)
from tests.platform_harness import ADMIN_LOGIN, ADMIN_PASSWORD
from tests.portal.browser import gql

SIGN_IN = """
mutation($login: String!, $password: String!) {
  signIn(login: $login, password: $password) {
    __typename ... on Session { accessToken refreshToken expiresIn }
  }
}"""

APPLY_AS_MENTOR = f"""
mutation($input: MentorProfileInput!) {{
  applyAsMentor(input: $input) {{ __typename ... on MentorRecord {{ id status }} {PROBLEM} }}
}}"""

APPROVE_MENTOR = f"""
mutation($id: ID!) {{ approveMentor(id: $id) {{ __typename ... on Mentor {{ id status }} {PROBLEM} }} }}
"""

SCREENING = "query($id: ID!) { screening(id: $id) { id status assignments { mentorId } } }"

REASSIGN = f"""
mutation($screeningId: ID!, $toMentorId: ID!) {{
  reassignScreening(screeningId: $screeningId, toMentorId: $toMentorId) {{
    __typename ... on Screening {{ id }} {PROBLEM}
  }}
}}"""

FUNNEL = """
query { funnel(by: EDITION) { __typename ... on Funnel { total { steps { step count } } } } }
"""


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def session_of(url: str, login: str, password: str = PASSWORD) -> dict[str, Any]:
    """A signed-in session (access and refresh token) of an account."""
    result: dict[str, Any] = gql(url, SIGN_IN, login=login, password=password)["signIn"]
    assert result["__typename"] == "Session", result
    return result


def admin_token(url: str) -> str:
    token: str = session_of(url, ADMIN_LOGIN, ADMIN_PASSWORD)["accessToken"]
    return token


def staff_account(url: str, role: str, district_code: str | None = None) -> str:
    """An account of a role the office opens, made by the admin; its login."""
    login = unique(role.lower()) + "@office.example.cn"
    made = gql(
        url,
        CREATE_ACCOUNT,
        admin_token(url),
        login=login,
        password=PASSWORD,
        role=role,
        districtCode=district_code,
    )["createAccount"]
    assert made["__typename"] == "Account", made
    return login


def participant(url: str, role: str, serial: int = 0) -> tuple[str, str]:
    """A talent or an organisation (in Yuzhong) signed up with its profile registered: its
    party id and an access token naming the party."""
    login = unique(role.lower()) + "@participant.example.cn"
    signed = gql(url, SIGN_UP, login=login, password=PASSWORD, role=role)["signUp"]
    assert signed["__typename"] == "SignedUp", signed
    token = signed["session"]["accessToken"]
    if role == "TALENT":
        made = gql(url, REGISTER_TALENT, token, input=talent_input(login))["registerTalent"]
    else:
        data = organisation_input(serial or int(uuid.uuid4().int % 9_000_000) + 1, YUZHONG)
        made = gql(url, REGISTER_ORGANISATION, token, input=data)["registerOrganisation"]
    assert made["__typename"] in ("Talent", "Organisation"), made
    refreshed = gql(url, REFRESH, refreshToken=signed["session"]["refreshToken"])
    return made["id"], refreshed["refreshSession"]["accessToken"]


def submitted_demand(url: str, token: str, owner_id: str, content: dict[str, Any]) -> str:
    made = gql(url, CREATE_DEMAND, token, ownerId=owner_id, content=content, submit=True)
    demand = made["createDemand"]
    assert demand["__typename"] == "Demand" and demand["status"] == "SUBMITTED", demand
    return str(demand["id"])


def review_and_publish(url: str, token: str, demand_id: str) -> None:
    """Confirm every claim and publish, as a reviewer (what a page does in another test)."""
    started = gql(url, START_REVIEW, token, id=demand_id)["startDemandReview"]
    assert started["__typename"] == "Demand", started
    for claim in started["claims"]:
        gql(url, REVIEW_CLAIM, token, id=demand_id, criterion=claim["criterion"], confirmed=True)
    published = gql(url, PUBLISH, token, id=demand_id)["publishDemand"]
    assert published["__typename"] == "Demand" and published["status"] == "PUBLISHED", published


def approved_mentor(url: str, name: str) -> tuple[str, str]:
    """A mentor of materials (C33-L3), speaking Chinese and English, approved; its login
    and mentor id."""
    login = staff_account(url, "MENTOR")
    token = session_of(url, login)["accessToken"]
    profile = {
        "name": name,
        "expertiseCodes": ["C33-L3"],
        "expertise": {"zh": "新材料与传感器", "en": "New materials and sensors"},
        "languages": ["zh", "en"],
        "country": "CN",
        "timezone": "Asia/Shanghai",
    }
    record = gql(url, APPLY_AS_MENTOR, token, input=profile)["applyAsMentor"]
    assert record["__typename"] == "MentorRecord", record
    approved = gql(url, APPROVE_MENTOR, admin_token(url), id=record["id"])["approveMentor"]
    assert approved["__typename"] == "Mentor", approved
    return login, str(record["id"])


def assigned_screening(url: str, demand_id: str, mentor_id: str, timeout: float = 40) -> str:
    """The screening of ``demand_id`` once the mentors service opened it, assigned to
    ``mentor_id`` (by the operators, as the portal's staff would, when routing did not)."""
    staff = admin_token(url)
    screening_id = f"scr_{demand_id}"
    deadline = time.monotonic() + timeout
    while not (found := gql(url, SCREENING, staff, id=screening_id)["screening"]):
        assert time.monotonic() < deadline, f"no screening of {demand_id}"
        time.sleep(0.3)
    if mentor_id not in [a["mentorId"] for a in found["assignments"]]:
        moved = gql(url, REASSIGN, staff, screeningId=screening_id, toMentorId=mentor_id)
        assert moved["reassignScreening"]["__typename"] == "Screening", moved
    return screening_id


def funnel_counts(url: str) -> dict[str, int]:
    funnel = gql(url, FUNNEL, admin_token(url))["funnel"]
    assert funnel["__typename"] == "Funnel", funnel
    return {s["step"]: s["count"] for s in funnel["total"]["steps"]}


def signed_in(context: BrowserContext, url: str, login: str, password: str = PASSWORD) -> Page:
    """A page of ``context`` signed in as ``login`` (the session the portal keeps; the
    sign-in form itself is the shell's test)."""
    s = session_of(url, login, password)
    tokens = {
        "accessToken": s["accessToken"],
        "refreshToken": s["refreshToken"],
        "expiresAt": int(time.time() * 1000) + s["expiresIn"] * 1000,
    }
    page = context.new_page()
    page.goto("/sign-in")
    page.evaluate(f"localStorage.setItem('boyin.session', {json.dumps(json.dumps(tokens))})")
    return page
