"""Property-based fuzzing of the running platform (issue #20), bounded to fit CI.

The platform runs as README command one would run it (its own process, the embedded
defaults), and is sent:

- GraphQL documents generated from its schema (hypothesis-graphql), queries and mutations,
  valid and with every kind of wrong value, as every role and as a visitor;
- HTTP requests generated from each service's OpenAPI document (schemathesis), signed with
  the internal identity, to ``/services/<name>``.

Every answer must be a 2xx/4xx (or a 503 saying it is briefly unavailable), never a 5xx
fault; a GraphQL error is never the masked ``INTERNAL_ERROR``; no answer takes more than
``SLOW`` seconds. The counts of cases are printed (``-s``) and recorded in docs/security.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import mutations, nodes, queries

from boyin_gateway.schema import SDL_PATH
from boyin_platform.processes import free_port
from boyin_shared import identity
from boyin_shared.identity import Actor, Role
from tests.platform_harness import ADMIN_LOGIN, ADMIN_PASSWORD

pytestmark = [pytest.mark.slow]

#: seconds an answer may take
SLOW = 5.0
#: generated cases per (role, kind) for GraphQL, per operation for the services
GRAPHQL_CASES = int(os.environ.get("BOYIN_FUZZ_GRAPHQL_CASES", "40"))
OPENAPI_CASES = int(os.environ.get("BOYIN_FUZZ_OPENAPI_CASES", "6"))
SECRET = "fuzz-internal-secret-of-at-least-32-bytes!"
ROLES = ("TALENT", "ORGANISATION", "INVESTOR", "DISTRICT_OFFICER", "MENTOR", "OPERATOR")

SCALARS = {
    "Date": st.dates().map(lambda d: nodes.String(d.isoformat())),
    "DateTime": st.datetimes(timezones=st.just(UTC)).map(lambda d: nodes.String(d.isoformat())),
    "Time": st.times().map(lambda t: nodes.String(t.isoformat())),
    "Decimal": st.decimals(allow_nan=False, allow_infinity=False, places=2).map(
        lambda d: nodes.String(str(d))
    ),
    "JSON": st.just(nodes.Null),
    "Upload": st.just(nodes.Null),
}


class Platform:
    def __init__(self, url: str) -> None:
        self.url = url
        self.client = httpx.Client(base_url=url, timeout=SLOW + 5)
        self.tokens: dict[str, str | None] = {"VISITOR": None}
        self.cases = 0
        self.slowest = 0.0

    def post(self, query: str, token: str | None) -> httpx.Response:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        started = time.perf_counter()
        answer = self.client.post("/graphql", json={"query": query}, headers=headers)
        self.slowest = max(self.slowest, time.perf_counter() - started)
        self.cases += 1
        return answer


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    data = tmp_path_factory.mktemp("fuzz")
    port = free_port()
    env = os.environ | {
        "BOYIN_ADMIN_LOGIN": ADMIN_LOGIN,
        "BOYIN_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "BOYIN_INTERNAL_TOKEN_SECRET": SECRET,
        "BOYIN_LOG_LEVEL": "WARNING",
        # a fuzzer is one client sending as fast as it can: limits would only slow it down
        "BOYIN_RATE_LIMIT_PER_MINUTE": "0",
        "BOYIN_RATE_LIMIT_ANONYMOUS_PER_MINUTE": "0",
        "BOYIN_PASSWORD_CHECKS_PER_ADDRESS": "0",
        "BOYIN_REGISTRATIONS_PER_HOUR": "0",
    }
    log = (data / "platform.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "boyin_platform", "--data", str(data), "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, process)
        found = Platform(url)
        _sign_in_every_role(found)
        yield found
        found.client.close()
        print(f"\nfuzz: {found.cases} GraphQL cases, slowest answer {found.slowest:.2f} s")
    finally:
        process.terminate()
        process.wait(30)
        log.close()


def _wait_ready(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, "the platform exited"
        try:
            if httpx.get(url + "/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError("the platform did not become ready")


def _graphql(client: httpx.Client, query: str, token: str | None = None, **variables: Any) -> Any:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    answer = client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    body = answer.json()
    assert "errors" not in body, body
    return body["data"]


def _sign_in_every_role(platform: Platform) -> None:
    sign_in = """mutation($l: String!, $p: String!) {
      signIn(login: $l, password: $p) { ... on Session { accessToken } } }"""
    create = """mutation($l: String!, $p: String!, $r: AccountRole!, $d: String) {
      createAccount(login: $l, password: $p, role: $r, districtCode: $d) { __typename } }"""
    client = platform.client
    admin = _graphql(client, sign_in, l=ADMIN_LOGIN, p=ADMIN_PASSWORD)["signIn"]["accessToken"]
    platform.tokens["ADMIN"] = admin
    sign_up = """mutation($l: String!, $p: String!, $r: AccountRole!) {
      signUp(login: $l, password: $p, role: $r) { __typename } }"""
    for role in ROLES:
        login = f"fuzz.{role.lower()}@x.example"
        if role in ("TALENT", "ORGANISATION"):
            made = _graphql(client, sign_up, l=login, p="fuzz-password-123", r=role)
            assert made["signUp"]["__typename"] == "SignedUp", made
        else:
            district = "500103" if role == "DISTRICT_OFFICER" else None
            made = _graphql(
                client, create, admin, l=login, p="fuzz-password-123", r=role, d=district
            )
            assert made["createAccount"]["__typename"] == "Account", made
        session = _graphql(client, sign_in, l=login, p="fuzz-password-123")["signIn"]
        platform.tokens[role] = session["accessToken"]


def _no_fault(answer: httpx.Response, sent: str) -> None:
    assert answer.status_code < 500 or answer.status_code == 503, (answer.status_code, sent)
    body = answer.json() if answer.headers.get("content-type", "") == "application/json" else None
    if isinstance(body, dict):
        for error in body.get("errors") or []:
            code = (error.get("extensions") or {}).get("code")
            assert code != "INTERNAL_ERROR", (error, sent)


def _fuzz_graphql(platform: Platform, role: str, strategy: st.SearchStrategy[object]) -> None:
    token = platform.tokens[role]

    @settings(
        max_examples=GRAPHQL_CASES,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(document: object) -> None:
        query = str(document)
        answer = platform.post(query, token)
        _no_fault(answer, query)

    run()


@pytest.mark.parametrize("role", ["VISITOR", "ADMIN", *ROLES])
def test_generated_queries_never_fault(platform: Platform, role: str) -> None:
    sdl = SDL_PATH.read_text("utf-8")
    _fuzz_graphql(platform, role, queries(sdl, custom_scalars=SCALARS))


@pytest.mark.parametrize("role", ["VISITOR", "ADMIN", *ROLES])
def test_generated_mutations_never_fault(platform: Platform, role: str) -> None:
    sdl = SDL_PATH.read_text("utf-8")
    _fuzz_graphql(platform, role, mutations(sdl, custom_scalars=SCALARS))


@pytest.mark.parametrize("service", ["registry", "matching", "scheduling", "agreements", "mentors"])
def test_generated_service_requests_never_fault(platform: Platform, service: str) -> None:
    operator = identity.issue(Actor("acc_fuzz", Role.OPERATOR), SECRET, ttl_seconds=3600)
    headers = {identity.HEADER: operator}
    base = f"{platform.url}/services/{service}"
    document = httpx.get(base + "/openapi.json", headers=headers, timeout=10).json()
    schema = schemathesis.openapi.from_dict(document)
    operations = [o.ok() for o in schema.get_all_operations()]  # type: ignore[union-attr]
    sent = 0
    with httpx.Client(base_url=base, headers=headers, timeout=SLOW + 5) as client:
        for operation in operations:
            sent += _fuzz_operation(client, base, headers, operation)
    print(f"\nfuzz: {sent} requests to {service} ({len(operations)} operations)")
    assert sent >= len(operations)


def _fuzz_operation(
    client: httpx.Client, base: str, headers: dict[str, str], operation: Any
) -> int:
    sent = 0

    @settings(
        max_examples=OPENAPI_CASES,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(operation.as_strategy())
    def run(case: Any) -> None:
        nonlocal sent
        kwargs = case.as_transport_kwargs(base_url=base)
        started = time.perf_counter()
        answer = client.request(
            kwargs["method"],
            kwargs["url"],
            params=kwargs.get("params"),
            content=_body(kwargs),
            headers={**headers, **(kwargs.get("headers") or {})},
        )
        assert time.perf_counter() - started < SLOW, kwargs["url"]
        sent += 1
        _no_fault(answer, f"{kwargs['method']} {kwargs['url']}")

    run()
    return sent


def _body(kwargs: dict[str, Any]) -> bytes | None:
    if "json" in kwargs:
        return json.dumps(kwargs["json"], default=str).encode()
    data = kwargs.get("data") or kwargs.get("content")
    if isinstance(data, str):
        return data.encode()
    return data if isinstance(data, bytes) else None
