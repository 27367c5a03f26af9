"""No secret and no personal contact detail reaches a log line (issue #20): a run of the
whole platform with its real logging set up (JSON lines, INFO, uvicorn's access log and
httpx's request log included), exercised with every kind of secret a person has, and its
log searched for each of them."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from boyin_shared import logs
from tests.gateway.support import REGISTER_TALENT, SIGN_IN, SIGN_UP, talent_input
from tests.platform_harness import graphql, graphql_raw, http_client, platform_server

PASSWORD = "a-password-nobody-may-read-7"
INLINE = "an-inline-password-in-a-query-9"
EMAIL = "secret.person@private.example"
PHONE = "+49 241 8012345"


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    kept = (root.handlers[:], root.level)
    stream = io.StringIO()
    logs.configure("platform", "INFO", as_json=True, stream=stream)
    try:
        yield stream
    finally:
        root.handlers[:], root.level = kept


async def test_a_full_run_logs_no_secret_and_no_contact_detail(
    tmp_path: Path, captured: io.StringIO
) -> None:
    async with platform_server(tmp_path) as url, http_client() as client:
        signed_up = await graphql(
            url, SIGN_UP, login="logged.talent@x.example", password=PASSWORD, role="TALENT"
        )
        session = signed_up["signUp"]["session"]
        access, refresh = session["accessToken"], session["refreshToken"]
        registered = await graphql(url, REGISTER_TALENT, access, input=talent_input(EMAIL))
        assert registered["registerTalent"]["__typename"] == "Talent", registered
        again = await graphql(url, SIGN_IN, login="logged.talent@x.example", password=PASSWORD)
        assert again["signIn"]["__typename"] == "Session"

        # a query with an error quotes its source in the log: here with a password inline
        wrong = f'mutation {{ signIn(login: "x@y.example", password: "{INLINE}") {{ nope }} }}'
        assert "errors" in (await graphql_raw(url, wrong)).json()
        # a calendar link is its own credential (an unknown one is logged all the same)
        calendar = "calendar-secret-token-0123456789"
        assert (await client.get(f"{url}/calendar/{calendar}.ics")).status_code == 404
        assert (
            await client.get(f"{url}/graphql", params={"token": calendar}, follow_redirects=True)
        ).status_code in (200, 400, 404)
        refreshed = await client.post(
            f"{url}/graphql",
            json={
                "query": "mutation($t: String!) { refreshSession(refreshToken: $t) { __typename } }",
                "variables": {"t": refresh},
            },
            headers={"authorization": f"Bearer {access}"},
        )
        assert refreshed.status_code == 200

    written = captured.getvalue()
    assert "uvicorn.access" in written or "GET /calendar" in written  # the log did run
    for secret in (PASSWORD, INLINE, access, refresh, calendar, EMAIL, PHONE):
        assert secret not in written, (secret, _line_with(written, secret))
    assert "/calendar/***" in written


def _line_with(text: str, needle: str) -> str:
    return next((line for line in text.splitlines() if needle in line), "")


async def test_redaction_keeps_what_is_not_a_secret() -> None:
    line = 'GET /services/registry/talents/tal_1?include_contacts=true "HTTP/1.1 200 OK"'
    assert logs.redact(line) == line
    assert logs.redact('signIn(login: "a@b", password: "p")') == (
        'signIn(login: "a@b", password: "***")'
    )
