"""What the journey needs that no portal page of it does: staff accounts, the fair's edition
with a session, and a probe for the mutual match's meeting (the timetable is then solved
and published on the operators' page)."""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

from tests.platform_harness import ADMIN_LOGIN, ADMIN_PASSWORD
from tests.portal.browser import gql

PASSWORD = "portal-test-Boyin-2026"
OPERATOR = "operator@portal.example"
OFFICER = "officer.yuzhong@portal.example"
YUZHONG = "500103"
PROBLEM = "... on Problem { code message { zh en } fields { field code message { zh en } } }"

SIGN_IN = f"""mutation($login: String!, $password: String!) {{ signIn(login: $login, password: $password) {{
  __typename ... on Session {{ accessToken }} {PROBLEM} }} }}"""
CREATE_ACCOUNT = f"""mutation($login: String!, $password: String!, $role: AccountRole!, $districtCode: String) {{
  createAccount(login: $login, password: $password, role: $role, districtCode: $districtCode) {{
    __typename {PROBLEM} }} }}"""
CREATE_EDITION = f"""mutation($input: FairEditionInput!) {{ createEdition(input: $input) {{
  __typename ... on FairEdition {{ id }} {PROBLEM} }} }}"""
ADD_SESSION = f"""mutation($id: ID!, $input: AgendaSessionInput!) {{ addSession(editionId: $id, input: $input) {{
  __typename ... on AgendaSession {{ id }} {PROBLEM} }} }}"""
PUBLISH_AGENDA = f"mutation($id: ID!) {{ publishAgenda(id: $id) {{ __typename {PROBLEM} }} }}"
OPEN_EDITION = f"mutation($id: ID!) {{ openEdition(id: $id) {{ __typename {PROBLEM} }} }}"
EDITION_MEETINGS = """query($id: ID!) { editionMeetings(editionId: $id) {
  __typename ... on MeetingConnection { edges { node { id status } } } } }"""


def ok(result: dict[str, Any], typename: str) -> dict[str, Any]:
    assert result["__typename"] == typename, result
    return result


def sign_in(url: str, login: str, password: str) -> str:
    token: str = ok(gql(url, SIGN_IN, login=login, password=password)["signIn"], "Session")[
        "accessToken"
    ]
    return token


def eventually(what: str, probe: Any, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found:
            return found
        assert time.monotonic() < deadline, f"{what} within {timeout} s"
        time.sleep(0.3)


def staff(url: str) -> dict[str, str]:
    """An operator and Yuzhong's district officer; their tokens by role."""
    admin = sign_in(url, ADMIN_LOGIN, ADMIN_PASSWORD)
    for login, role, district in (
        (OPERATOR, "OPERATOR", None),
        (OFFICER, "DISTRICT_OFFICER", YUZHONG),
    ):
        made = gql(
            url,
            CREATE_ACCOUNT,
            admin,
            login=login,
            password=PASSWORD,
            role=role,
            districtCode=district,
        )
        ok(made["createAccount"], "Account")
    return {
        "operator": sign_in(url, OPERATOR, PASSWORD),
        "officer": sign_in(url, OFFICER, PASSWORD),
    }


def open_edition(url: str, operator: str) -> str:
    """The fair CQ2026 (ten days from today), one roadshow of one place and a waiting list,
    its agenda published and the edition open; its id."""
    first = date.today() + timedelta(days=10)
    day = first.isoformat()
    edition = {
        "name": {"zh": "2026年重庆离岸双创项目洽谈会", "en": "Chongqing Offshore Fair 2026"},
        "code": "CQ2026",
        "timezone": "Asia/Shanghai",
        "firstDay": day,
        "lastDay": day,
        "slotMinutes": 30,
        "days": [{"day": day, "start": "09:00", "end": "17:00"}],
        "rooms": [{"id": "main-hall", "name": {"zh": "主会场", "en": "Main hall"}}],
        "tables": [{"number": n, "room": "main-hall"} for n in range(1, 6)],
    }
    edition_id: str = ok(
        gql(url, CREATE_EDITION, operator, input=edition)["createEdition"], "FairEdition"
    )["id"]
    session = {
        "kind": "ROADSHOW",
        "title": {"zh": "先进材料项目路演", "en": "Roadshow: advanced materials"},
        "start": f"{day}T14:00:00+08:00",
        "end": f"{day}T15:00:00+08:00",
        "room": "main-hall",
        "capacity": 1,
        "waitlistLimit": 5,
    }
    ok(gql(url, ADD_SESSION, operator, id=edition_id, input=session)["addSession"], "AgendaSession")
    ok(gql(url, PUBLISH_AGENDA, operator, id=edition_id)["publishAgenda"], "FairEdition")
    ok(gql(url, OPEN_EDITION, operator, id=edition_id)["openEdition"], "FairEdition")
    return edition_id


def meeting_requested(url: str, operator: str, edition_id: str) -> None:
    """Wait until the mutual match's meeting is in the edition (what the timetable places)."""
    eventually(
        "the mutual match's meeting",
        lambda: gql(url, EDITION_MEETINGS, operator, id=edition_id)["editionMeetings"]["edges"],
    )
