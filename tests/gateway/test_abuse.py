"""Requests meant to exhaust the gateway: documents whose validation costs more than their
size says, floods of password checks, and forged forwarded addresses (issue #20).

Nothing here is timed: each test shows that the costly work is refused before it starts,
or that it runs where it cannot hold the event loop."""

from __future__ import annotations

import asyncio
import re
import threading
from pathlib import Path
from typing import Any, Literal

import pytest
from argon2 import PasswordHasher
from graphql import parse

from boyin_gateway.accounts import passwords
from boyin_gateway.addresses import Proxies
from boyin_gateway.clients import ServiceError
from boyin_gateway.validation import CostLimits, Measure
from boyin_shared.api.errors import ErrorOut, FieldErrorOut, MessageOut
from boyin_shared.identity import Actor, Role
from tests.gateway.fake_registry import FakeRegistry
from tests.gateway.harness import gateway_server
from tests.gateway.support import (
    ME,
    REGISTER_TALENT,
    SIGN_IN,
    SIGN_UP,
    admin_token,
    has_cjk,
    talent_input,
)
from tests.gateway.test_limits import limit_errors, post
from tests.platform_harness import http_client

DOCS = Path(__file__).resolve().parents[2] / "docs"
LIMITS = CostLimits(max_fields=400, max_merges=1000)


def measure(document: str) -> Measure:
    return Measure.of(parse(document), LIMITS.max_fields)


# -- documents ----------------------------------------------------------------------------


def test_a_document_is_measured_with_its_fragments_expanded_once_per_spread() -> None:
    plain = measure("{ me { id login } demands { edges { cursor } } }")
    assert (plain.fields, plain.merges) == (6, 3)  # each path once; leaves weigh 1/32

    repeated = measure("{ " + "me { id } " * 300 + "}")
    assert repeated.fields == 400 + 1  # the walk stops past the limit
    assert LIMITS.refusal(parse("{ " + "me { id } " * 300 + "}"))[0] is not None

    merged = measure("{ " + "me { id } " * 20 + "}")
    assert merged.fields == 40 and merged.merges == 20 * 20 + 20 * 20 // 32

    spread = measure(
        "fragment A on Account { id login } fragment B on Query { me { ...A ...A } }"
        " { ...B ...B ...B }"
    )
    assert spread.fields == 3 * (1 + 2 * 2)
    assert spread.paths[("", "me")] == 3 and spread.paths[("", "me", "id")] == 6

    # a cycle is walked once (validation reports it); an unused fragment is measured too
    cyclic = measure("fragment A on Query { me { id } ...A } { ...A }")
    assert cyclic.fields == 2
    unused = measure("fragment U on Query { " + "me { id } " * 30 + "} { me { id } }")
    assert unused.fields == 2 + 60
    assert (
        LIMITS.refusal(parse("fragment U on Query { " + "me { id } " * 40 + "} { __typename }"))[0]
        is not None
    )


def test_every_documented_query_is_well_within_the_bounds() -> None:
    blocks = re.findall(r"```graphql\n(.*?)```", (DOCS / "api.md").read_text(), re.S)
    assert len(blocks) > 20
    for block in blocks:
        found = measure(block)
        assert found.fields <= LIMITS.max_fields // 4, block
        assert found.merges <= LIMITS.max_merges // 10, block


async def test_a_document_too_costly_to_validate_is_refused_before_validation(
    tmp_path: Path,
) -> None:
    async with gateway_server(tmp_path) as gw:
        url, log = gw.url, gw.platform.log
        repeated = "{ " + "me { id } " * 300 + "}"  # ~1,500 tokens, under the token limit
        (error,) = limit_errors(await post(url, repeated), "QUERY_TOO_COMPLEX")
        assert error["message"] == "Document selects more than 400 fields"
        assert (
            error["extensions"]["message"]["zh"]
            == "查询选择的字段过多（最多 400 个，片段每展开一次计一次）"
        )

        merging = "{ " + "editions { id name { zh } } " * 40 + "}"
        (error,) = limit_errors(await post(url, merging), "QUERY_TOO_COMPLEX")
        assert error["message"].startswith("Document repeats fields too often: merge cost")
        assert has_cjk(error["extensions"]["message"]["zh"])
        assert log == []  # no service was asked anything

        # a large legitimate document is validated (in a worker thread) and answered
        large = "{ " + " ".join(f"a{i}: me {{ id login role }}" for i in range(15)) + " }"
        token = await admin_token(url)
        answered = (await post(url, large, token)).json()
        assert "errors" not in answered and len(answered["data"]) == 15


# -- password checks ------------------------------------------------------------------------


async def test_a_password_is_checked_off_the_event_loop_and_an_unknown_login_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    threads: list[str] = []

    class Recording(PasswordHasher):
        def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
            threads.append(threading.current_thread().name)
            return super().verify(hash, password)

    monkeypatch.setattr(passwords, "_HASHER", Recording(time_cost=1, memory_cost=1024))
    known = await passwords.hashed("a password of one's own 1")
    assert await passwords.matches(known, "a password of one's own 1")
    assert not await passwords.matches(known, "another password 2")
    assert not await passwords.matches(None, "not a real password 0")  # never matches
    assert len(threads) == 3  # the unknown login was checked all the same
    assert all(name.startswith("password-hashing") for name in threads), threads
    assert threading.current_thread().name not in threads


async def test_password_checks_are_limited_per_address_with_or_without_a_token(
    tmp_path: Path,
) -> None:
    async with gateway_server(
        tmp_path, password_checks_per_address=4, trusted_proxies=["127.0.0.1"]
    ) as gw:
        url = gw.url
        token = await admin_token(url)  # a valid token changes nothing
        outcomes = []
        for i in range(5):  # a new unknown login each time escapes the per-login bucket
            answer = await post(
                url, SIGN_IN, token, ip="203.0.113.7", login=f"nobody{i}@x.example", password="p"
            )
            outcomes.append((answer.status_code, answer.json()["data"]["signIn"]["code"]))
        assert outcomes[:4] == [(200, "INVALID_CREDENTIALS")] * 4
        assert outcomes[4] == (429, "TOO_MANY_SIGN_IN_ATTEMPTS")
        signing_up = await post(
            url, SIGN_UP, ip="203.0.113.7", login="new@x.example", password="p" * 12, role="TALENT"
        )
        assert signing_up.status_code == 429
        assert signing_up.json()["data"]["signUp"]["code"] == "TOO_MANY_SIGN_UP_ATTEMPTS"
        # another address is not affected
        elsewhere = await post(
            url, SIGN_IN, ip="203.0.113.8", login="nobody@x.example", password="p"
        )
        assert elsewhere.json()["data"]["signIn"]["code"] == "INVALID_CREDENTIALS"


async def test_password_checks_are_limited_in_all(tmp_path: Path) -> None:
    async with gateway_server(
        tmp_path, password_checks_per_second=1, trusted_proxies=["127.0.0.1"]
    ) as gw:
        answers = await asyncio.gather(  # from six addresses at once
            *(
                post(gw.url, SIGN_IN, ip=f"203.0.113.{i}", login=f"n{i}@x.example", password="p")
                for i in range(6)
            )
        )
        codes = sorted(a.json()["data"]["signIn"]["code"] for a in answers)
        assert "INVALID_CREDENTIALS" in codes and "TOO_MANY_SIGN_IN_ATTEMPTS" in codes, codes


# -- forwarded addresses ---------------------------------------------------------------------


def test_the_client_is_the_first_untrusted_hop_from_the_right() -> None:
    def scope(peer: str, *forwarded: str) -> dict[str, object]:
        headers = [(b"x-forwarded-for", f.encode()) for f in forwarded]
        return {"client": (peer, 5000), "headers": headers}

    none = Proxies.of([])
    assert none.client(scope("127.0.0.1", "198.51.100.9")) == "127.0.0.1"

    proxies = Proxies.of(["10.8.0.0/29", "127.0.0.1"])  # type: ignore[list-item]
    assert proxies.client(scope("192.0.2.1", "198.51.100.9")) == "192.0.2.1"  # not a proxy
    # what the client wrote stays left of the address the proxy saw
    assert proxies.client(scope("10.8.0.3", "1.1.1.1, 198.51.100.9")) == "198.51.100.9"
    assert proxies.client(scope("127.0.0.1", "6.6.6.6", "198.51.100.9, 10.8.0.2")) == (
        "198.51.100.9"
    )
    assert proxies.client(scope("10.8.0.3")) == "10.8.0.3"  # nothing forwarded
    assert proxies.client(scope("10.8.0.3", "10.8.0.1")) == "10.8.0.1"  # all proxies


async def test_rotating_forwarded_addresses_gives_no_fresh_buckets(tmp_path: Path) -> None:
    async with gateway_server(tmp_path, rate_limit_anonymous_per_minute=3) as gw:
        codes = [(await post(gw.url, ME, ip=f"198.51.100.{i}")).status_code for i in range(4)]
        assert codes == [200, 200, 200, 429]


# -- request bodies --------------------------------------------------------------------------


async def test_a_body_that_is_no_operation_is_a_400_not_a_fault(tmp_path: Path) -> None:
    async with gateway_server(tmp_path) as gw, http_client() as client:
        deep = b"[" * 50_000 + b"]" * 50_000
        for body, why in [
            (b"null", "须为 JSON 对象"),
            (b'"x"', "须为 JSON 对象"),
            (b"1", "须为 JSON 对象"),
            (b"true", "须为 JSON 对象"),
            (deep, "嵌套过深"),
        ]:
            answer = await client.post(
                gw.url + "/graphql", content=body, headers={"content-type": "application/json"}
            )
            assert answer.status_code == 400, (body[:10], answer.text)
            error = answer.json()["error"]
            assert error["code"] == "INVALID_BODY" and why in error["message"]["zh"]


# -- registrations ---------------------------------------------------------------------------


async def test_a_person_may_not_ask_the_registry_who_is_registered_for_ever(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each refused registration of one's own profile says whose e-mail is taken: an account
    may try ``registrations_per_hour`` times, then is refused before the registry is asked."""

    async def taken(self: FakeRegistry, body: dict[str, Any]) -> Any:
        self._called("register_talent", body=body)
        said = MessageOut(zh="电子邮箱已注册", en="e-mail is already registered")
        raise ServiceError(
            409,
            ErrorOut(
                code="VALIDATION_FAILED",
                message=said,
                fields=[
                    FieldErrorOut(field="contact.email", code="ALREADY_REGISTERED", message=said)
                ],
            ),
        )

    monkeypatch.setattr(FakeRegistry, "register_talent", taken)
    async with gateway_server(tmp_path, registrations_per_hour=3) as gw:
        token = gw.token(Actor("acc_prober", Role.TALENT))
        codes = []
        for i in range(5):
            answer = await post(
                gw.url, REGISTER_TALENT, token, input=talent_input(f"someone{i}@x.example")
            )
            result = answer.json()["data"]["registerTalent"]
            codes.append((answer.status_code, result["code"]))
        assert codes[:3] == [(200, "VALIDATION_FAILED")] * 3
        assert codes[3:] == [(429, "TOO_MANY_REGISTRATION_ATTEMPTS")] * 2
        asked = [c for c in gw.platform.log if c.method == "register_talent"]
        assert len(asked) == 3  # the refused attempts never reached the registry
        # staff register others without being counted
        staff = gw.token(Actor("acc_staff", Role.OPERATOR))
        for i in range(4):
            answer = await post(gw.url, REGISTER_TALENT, staff, input=talent_input(f"s{i}@x.ex"))
            assert answer.json()["data"]["registerTalent"]["code"] == "VALIDATION_FAILED"
