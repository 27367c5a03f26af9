"""Accounts through GraphQL: sign-up, sign-in, sessions and staff-created accounts.

Accounts are the gateway's own: these run on the gateway alone, its services the fakes
(``harness.py``). The domain rules (login normalisation, password strength, access
tokens) also get fast unit tests at the end, without a server.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
from typing import Any

import httpx
import jwt
import pytest

from boyin_gateway.accounts.domain import (
    CREATED_BY,
    SELF_SERVICE,
    check_login,
    check_password,
    normalise_login,
)
from boyin_gateway.accounts.tokens import (
    ACCESS_TTL_SECONDS,
    issue_access,
    read_access,
    refresh_key,
)
from boyin_shared.errors import BoyinError
from boyin_shared.identity import Actor, Role
from tests.gateway.harness import JWT_SECRET, Gateway
from tests.gateway.support import (
    ME,
    PASSWORD,
    SIGN_IN,
    SIGN_OUT,
    SIGN_UP,
    YUZHONG,
    admin_token,
    assert_bilingual,
    claims_of,
    create_account,
    refresh,
    sign_up,
    staff_token,
)
from tests.platform_harness import ADMIN_LOGIN, graphql, graphql_raw, http_client, sign_in


@pytest.fixture
def url(gateway: Gateway) -> str:
    """The gateway on the fakes (accounts need no service)."""
    return gateway.url


# -- sign-up --------------------------------------------------------------------------


async def test_self_service_roles_sign_up_and_get_a_working_session(url: str) -> None:
    for role in ("TALENT", "ORGANISATION", "INVESTOR"):
        signed_up = await sign_up(url, f"  New.{role}@Example.ORG ", role)
        account, session = signed_up["account"], signed_up["session"]
        assert account["login"] == f"new.{role.lower()}@example.org"
        assert account["role"] == role
        assert account["partyId"] is None and account["districtCode"] is None
        assert account["id"].startswith("acc_")
        assert session["expiresIn"] == ACCESS_TTL_SECONDS
        assert session["refreshToken"] and session["accessToken"] != session["refreshToken"]

        token_claims = claims_of(session["accessToken"])
        assert token_claims["sub"] == account["id"] and token_claims["role"] == role
        me = (await graphql(url, ME, session["accessToken"]))["me"]
        assert me == account

        refreshed = await refresh(url, session["refreshToken"])
        assert refreshed["__typename"] == "Session", refreshed


@pytest.mark.parametrize("role", ["OPERATOR", "ADMIN", "DISTRICT_OFFICER", "MENTOR"])
async def test_staff_roles_are_not_self_service(url: str, role: str) -> None:
    login = f"would-be-{role.lower()}@example.org"
    result = (await graphql(url, SIGN_UP, login=login, password=PASSWORD, role=role))["signUp"]
    assert result["__typename"] == "InvalidInput", result
    assert [(f["field"], f["code"]) for f in result["fields"]] == [("role", "NOT_SELF_SERVICE")]
    assert_bilingual(result)
    # The refusal claims nothing: the same login can still sign up for a self-service role.
    assert (await sign_up(url, login, "TALENT"))["account"]["role"] == "TALENT"


async def test_weak_passwords_and_bad_logins_are_invalid_input_with_field_messages(
    url: str,
) -> None:
    async def sign_up_result(login: str, password: str) -> dict[str, Any]:
        data = await graphql(url, SIGN_UP, login=login, password=password, role="TALENT")
        result: dict[str, Any] = data["signUp"]
        assert result["__typename"] == "InvalidInput", result
        assert result["code"] == "VALIDATION_FAILED"
        assert_bilingual(result)
        return result

    short_letters = await sign_up_result("weak@example.org", "abcdef")
    assert [(f["field"], f["code"]) for f in short_letters["fields"]] == [
        ("password", "WEAK_PASSWORD"),
        ("password", "WEAK_PASSWORD"),
    ]
    assert {f["message"]["en"] for f in short_letters["fields"]} == {
        "password: at least 10 characters",
        "password: mix letters with digits or symbols",
    }
    digits = await sign_up_result("weak@example.org", "12345678901234")
    assert [f["message"]["en"] for f in digits["fields"]] == [
        "password: mix letters with digits or symbols"
    ]

    for login in ("not-a-login", "someone@nowhere", "12345", "a b@example.org"):
        bad = await sign_up_result(login, PASSWORD)
        assert [(f["field"], f["code"]) for f in bad["fields"]] == [("login", "LOGIN")], login
        assert bad["fields"][0]["message"] == {
            "zh": "请填写有效的电子邮箱或手机号",
            "en": "give a valid e-mail address or phone number",
        }
    # None of those attempts created an account.
    assert (await sign_up(url, "weak@example.org", "TALENT"))["account"]["login"]


async def test_duplicate_logins_conflict_whatever_their_case_spaces_or_dashes(url: str) -> None:
    first = await sign_up(url, "Ada.Lovelace@Example.org", "TALENT")
    phone = await sign_up(url, "+86 138-0000-0000", "ORGANISATION")
    assert phone["account"]["login"] == "+8613800000000"

    for login, role in (
        ("  ada.lovelace@EXAMPLE.ORG ", "INVESTOR"),
        ("ada.lovelace@example.org", "TALENT"),
        ("+86 13800000000", "TALENT"),
        ("+8613800000000", "ORGANISATION"),
    ):
        data = await graphql(url, SIGN_UP, login=login, password="another-pass-42", role=role)
        result = data["signUp"]
        assert result["__typename"] == "Conflict", (login, result)
        assert result["code"] == "LOGIN_TAKEN"
        assert [(f["field"], f["code"]) for f in result["fields"]] == [("login", "LOGIN_TAKEN")]
        assert_bilingual(result)

    # The first owner keeps the login and the password.
    assert (
        claims_of(await sign_in(url, "ADA.LOVELACE@example.org", PASSWORD))["sub"]
        == (first["account"]["id"])
    )
    refused = (
        await graphql(url, SIGN_IN, login="ada.lovelace@example.org", password="another-pass-42")
    )["signIn"]
    assert refused["__typename"] == "Forbidden"


# -- sign-in, me and bearer tokens ----------------------------------------------------


async def post_me(url: str, authorization: str) -> httpx.Response:
    """``{ me }`` with this exact Authorization header."""
    async with http_client() as client:
        return await client.post(
            url + "/graphql", json={"query": ME}, headers={"authorization": authorization}
        )


async def test_wrong_password_and_unknown_login_are_the_same_forbidden(url: str) -> None:
    await sign_up(url, "known@example.org", "TALENT")
    attempts = [
        ("known@example.org", "wrong-password-1"),
        ("unknown@example.org", PASSWORD),
        ("not a login at all", PASSWORD),
    ]
    results = [
        (await graphql(url, SIGN_IN, login=login, password=password))["signIn"]
        for login, password in attempts
    ]
    assert results[0]["__typename"] == "Forbidden"
    assert results[0]["code"] == "INVALID_CREDENTIALS"
    assert results[0]["message"] == {"zh": "账号或密码不正确", "en": "Wrong login or password"}
    assert results[0]["fields"] == []
    assert results[1] == results[0] and results[2] == results[0]
    # The right password, with the login typed differently, works.
    ok = (await graphql(url, SIGN_IN, login=" KNOWN@example.org", password=PASSWORD))["signIn"]
    assert ok["__typename"] == "Session"


async def test_me_is_the_account_of_the_token_and_null_when_anonymous(url: str) -> None:
    assert (await graphql(url, ME))["me"] is None
    talent = await sign_up(url, "me-talent@example.org", "TALENT")
    investor = await sign_up(url, "me-investor@example.org", "INVESTOR")
    assert (await graphql(url, ME, talent["session"]["accessToken"]))["me"] == talent["account"]
    assert (await graphql(url, ME, investor["session"]["accessToken"]))["me"] == investor["account"]
    admin = (await graphql(url, ME, await admin_token(url)))["me"]
    assert admin["login"] == ADMIN_LOGIN and admin["role"] == "ADMIN"
    # A header of another scheme is not a bearer token: the caller is anonymous.
    response = await post_me(url, "Basic YWRtaW46YWRtaW4=")
    assert response.status_code == 200
    assert response.json() == {"data": {"me": None}}


async def test_invalid_expired_or_forged_bearer_tokens_get_http_401(url: str) -> None:
    signed_up = await sign_up(url, "bearer@example.org", "TALENT")
    good = signed_up["session"]["accessToken"]
    secret = JWT_SECRET
    actor = Actor(signed_up["account"]["id"], Role.TALENT)
    header, _, signature = good.split(".")
    elevated = (
        base64.urlsafe_b64encode(json.dumps({**claims_of(good), "role": "ADMIN"}).encode())
        .decode()
        .rstrip("=")
    )
    claims = claims_of(good)

    bad_tokens = {
        "garbage": "not-a-jwt",
        "three dots": "...",
        "expired": issue_access(actor, secret, ttl=-60),
        "another secret": issue_access(actor, "another-secret-that-is-at-least-32-bytes"),
        "tampered payload": f"{header}.{elevated}.{signature}",
        "unsigned": jwt.encode({**claims, "role": "ADMIN"}, key=None, algorithm="none"),
        "wrong audience": jwt.encode({**claims, "aud": "boyin-internal"}, secret, "HS256"),
        "unknown role": jwt.encode({**claims, "role": "ROOT"}, secret, "HS256"),
        "no subject": jwt.encode({k: v for k, v in claims.items() if k != "sub"}, secret),
    }
    for why, token in bad_tokens.items():
        response = await post_me(url, f"Bearer {token}")
        assert response.status_code == 401, (why, response.text)
        assert response.json()["error"]["code"] == "UNAUTHENTICATED", why
        assert response.json()["error"]["message"]["zh"] == "需要登录或有效的访问令牌", why

    response = await graphql_raw(url, ME, good)
    assert response.status_code == 200
    assert response.json()["data"]["me"]["id"] == signed_up["account"]["id"]


# -- sessions -------------------------------------------------------------------------


async def test_refresh_rotates_and_reusing_a_refresh_token_revokes_its_family(url: str) -> None:
    signed_up = await sign_up(url, "rotate@example.org", "TALENT")
    first = signed_up["session"]["refreshToken"]
    other_session = (await graphql(url, SIGN_IN, login="rotate@example.org", password=PASSWORD))[
        "signIn"
    ]

    second = await refresh(url, first)
    assert second["__typename"] == "Session", second
    assert second["refreshToken"] != first
    assert (await graphql(url, ME, second["accessToken"]))["me"]["login"] == "rotate@example.org"
    third = await refresh(url, second["refreshToken"])
    assert third["__typename"] == "Session", third

    reused = await refresh(url, first)  # stolen and replayed
    assert reused["__typename"] == "Forbidden", reused
    assert reused["code"] == "UNAUTHENTICATED"
    assert_bilingual(reused)
    # The reuse revoked the whole family: the newest refresh token is dead too.
    newest = await refresh(url, third["refreshToken"])
    assert newest["__typename"] == "Forbidden", newest
    # Another session (another family) of the same account is untouched.
    assert (await refresh(url, other_session["refreshToken"]))["__typename"] == "Session"
    # And a refresh token never issued is refused.
    assert (await refresh(url, "made-up-refresh-token"))["__typename"] == "Forbidden"


async def test_sign_out_revokes_the_session(url: str) -> None:
    signed_up = await sign_up(url, "leaving@example.org", "INVESTOR")
    kept = (await graphql(url, SIGN_IN, login="leaving@example.org", password=PASSWORD))["signIn"]
    session = signed_up["session"]
    rotated = await refresh(url, session["refreshToken"])
    assert rotated["__typename"] == "Session"

    access = rotated["accessToken"]
    assert (await post_me(url, f"Bearer {access}")).status_code == 200
    assert (await graphql(url, SIGN_OUT, refreshToken=rotated["refreshToken"]))["signOut"] is True
    assert (await refresh(url, rotated["refreshToken"]))["__typename"] == "Forbidden"
    # the session's access tokens die with it, before they expire (both of them)
    for token in (access, session["accessToken"]):
        response = await post_me(url, f"Bearer {token}")
        assert response.status_code == 401, response.text
        assert response.json()["error"]["code"] == "UNAUTHENTICATED"
    assert (await post_me(url, f"Bearer {kept['accessToken']}")).status_code == 200
    assert (await refresh(url, session["refreshToken"]))["__typename"] == "Forbidden"
    # Signing out of one session leaves the others; an unknown token is not an error.
    assert (await refresh(url, kept["refreshToken"]))["__typename"] == "Session"
    assert (await graphql(url, SIGN_OUT, refreshToken="never-issued"))["signOut"] is True


# -- staff-created accounts -----------------------------------------------------------


async def test_admin_creates_operators_district_officers_and_mentors(url: str) -> None:
    admin = await admin_token(url)
    wanted = [
        ("operator@boyin.example", "OPERATOR", None),
        ("officer@boyin.example", "DISTRICT_OFFICER", YUZHONG),
        ("mentor@boyin.example", "MENTOR", None),
        ("investor@boyin.example", "INVESTOR", None),
        ("second-admin@boyin.example", "ADMIN", None),
    ]
    for login, role, district in wanted:
        created = await create_account(url, admin, login, role, district)
        assert created["__typename"] == "Account", created
        assert (created["login"], created["role"], created["districtCode"]) == (
            login,
            role,
            district,
        )
        token = await sign_in(url, login, PASSWORD)
        me = (await graphql(url, ME, token))["me"]
        assert me == {k: v for k, v in created.items() if k != "__typename"}
        assert claims_of(token).get("district") == district

    again = await create_account(url, admin, "OFFICER@boyin.example", "MENTOR")
    assert again["__typename"] == "Conflict" and again["code"] == "LOGIN_TAKEN"
    weak_password = (
        await graphql(
            url,
            """mutation { createAccount(login: "w2@boyin.example", password: "short",
                role: MENTOR) { __typename ... on Problem { fields { field code } } } }""",
            admin,
        )
    )["createAccount"]
    assert weak_password["__typename"] == "InvalidInput"
    assert {f["field"] for f in weak_password["fields"]} == {"password"}


async def test_operator_creates_district_officers_but_not_operators_or_admins(url: str) -> None:
    operator = await staff_token(url, "ops@boyin.example", "OPERATOR")
    officer = await create_account(
        url, operator, "officer-2@boyin.example", "DISTRICT_OFFICER", YUZHONG
    )
    assert officer["__typename"] == "Account", officer
    assert officer["districtCode"] == YUZHONG
    mentor = await create_account(url, operator, "mentor-2@boyin.example", "MENTOR")
    assert mentor["__typename"] == "Account", mentor

    for role in ("OPERATOR", "ADMIN"):
        refused = await create_account(url, operator, f"new-{role.lower()}@boyin.example", role)
        assert refused["__typename"] == "Forbidden", refused
        assert refused["code"] == "FORBIDDEN"
        assert_bilingual(refused)
        # Nothing was created: the login is free, and signing in with it fails.
        signed_in = (
            await graphql(
                url, SIGN_IN, login=f"new-{role.lower()}@boyin.example", password=PASSWORD
            )
        )["signIn"]
        assert signed_in["__typename"] == "Forbidden"


async def test_talents_and_anonymous_callers_create_no_accounts(url: str) -> None:
    talent = (await sign_up(url, "talent@example.org", "TALENT"))["session"]["accessToken"]
    for token in (talent, None):
        for role in ("TALENT", "INVESTOR", "MENTOR", "DISTRICT_OFFICER", "OPERATOR", "ADMIN"):
            district = YUZHONG if role == "DISTRICT_OFFICER" else None
            result = await create_account(
                url, token, f"new-{role.lower()}@example.org", role, district
            )
            assert result["__typename"] == "Forbidden", (token is None, role, result)
            assert result["code"] == "FORBIDDEN"
            assert_bilingual(result)


async def test_district_officers_need_a_district_and_only_they_have_one(url: str) -> None:
    admin = await admin_token(url)
    for role, district in (
        ("DISTRICT_OFFICER", None),
        ("DISTRICT_OFFICER", ""),
        ("MENTOR", YUZHONG),
        ("OPERATOR", YUZHONG),
    ):
        result = await create_account(url, admin, "nodistrict@boyin.example", role, district)
        assert result["__typename"] == "InvalidInput", (role, district, result)
        assert [(f["field"], f["code"]) for f in result["fields"]] == [("districtCode", "DISTRICT")]
        assert_bilingual(result)


async def test_a_district_officers_district_must_be_one_the_registry_knows(
    gateway: Gateway,
) -> None:
    """The fakes' registry knows Yuzhong (500103) only."""
    admin = await admin_token(gateway.url)
    for unknown in ("999999", "500106", "yuzhong"):
        result = await create_account(
            gateway.url, admin, f"officer-{unknown}@boyin.example", "DISTRICT_OFFICER", unknown
        )
        assert result["__typename"] == "InvalidInput", (unknown, result)
        [field] = result["fields"]
        assert (field["field"], field["code"]) == ("districtCode", "UNKNOWN_DISTRICT")
        assert unknown in field["message"]["zh"] and unknown in field["message"]["en"]
        assert_bilingual(result)
    assert "districts" in gateway.platform.methods("registry")
    known = await create_account(
        gateway.url, admin, "officer-yz@boyin.example", "DISTRICT_OFFICER", YUZHONG
    )
    assert known["__typename"] == "Account" and known["districtCode"] == YUZHONG, known

    # Who may not create the account is told so, and the registry is not asked.
    gateway.platform.log.clear()
    mentor = await staff_token(gateway.url, "mentor-dc@boyin.example", "MENTOR")
    gateway.platform.log.clear()
    refused = await create_account(
        gateway.url, mentor, "officer-x@boyin.example", "DISTRICT_OFFICER", "999999"
    )
    assert refused["__typename"] == "Forbidden", refused
    assert gateway.platform.log == []


# -- unit tests of the account rules (no server) --------------------------------------


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("  Ada@Example.ORG ", "ada@example.org"),
        ("ada@example.org", "ada@example.org"),
        ("+86 138-0000-0000", "+8613800000000"),
        (" 023 6511 0000 ", "02365110000"),
        ("With Space@Example.org", "with space@example.org"),
    ],
)
def test_normalise_login(raw: str, normalised: str) -> None:
    assert normalise_login(raw) == normalised


@pytest.mark.parametrize(
    ("raw", "valid"),
    [
        ("Ada@Example.ORG", "ada@example.org"),
        ("+86 138 0000 0000", "+8613800000000"),
        ("12345678", "12345678"),
    ],
)
def test_check_login_accepts_emails_and_phone_numbers(raw: str, valid: str) -> None:
    assert check_login(raw) == valid


@pytest.mark.parametrize(
    "raw", ["", "ada", "ada@example", "@example.org", "12345", "+86 abc 0000", "a b@example.org"]
)
def test_check_login_refuses_anything_else(raw: str) -> None:
    with pytest.raises(BoyinError) as caught:
        check_login(raw)
    assert caught.value.status == 422
    assert [(f.field, f.code) for f in caught.value.fields] == [("login", "LOGIN")]


@pytest.mark.parametrize(
    "password",
    ["abcdefghi1", "correct horse", "!!!!!!!!!!", "a" * 199 + "1", "密码是很长很长的密码1"],
)
def test_check_password_accepts_long_mixed_passwords(password: str) -> None:
    check_password(password)


@pytest.mark.parametrize(
    ("password", "problems"),
    [
        ("abcdefgh1", ["password: at least 10 characters"]),
        ("abcdefghij", ["password: mix letters with digits or symbols"]),
        ("1234567890", ["password: mix letters with digits or symbols"]),
        ("密码密码密码密码密码密码", ["password: mix letters with digits or symbols"]),
        ("a" * 200 + "1", ["password: at most 200 characters"]),
        (
            "abc",
            ["password: at least 10 characters", "password: mix letters with digits or symbols"],
        ),
        (
            "",
            ["password: at least 10 characters"],
        ),
    ],
)
def test_check_password_lists_every_problem_in_both_languages(
    password: str, problems: list[str]
) -> None:
    with pytest.raises(BoyinError) as caught:
        check_password(password)
    fields = caught.value.fields
    assert [f.message.en for f in fields] == problems
    assert all(f.field == "password" and f.code == "WEAK_PASSWORD" for f in fields)
    assert all(f.message.zh.startswith("密码") for f in fields)


def test_only_staff_create_staff_roles() -> None:
    assert set(SELF_SERVICE) == {Role.TALENT, Role.ORGANISATION, Role.INVESTOR}
    assert Role.OPERATOR not in CREATED_BY[Role.OPERATOR]
    assert Role.ADMIN not in CREATED_BY[Role.OPERATOR]
    assert not any(role in CREATED_BY for role in SELF_SERVICE)


def test_access_tokens_round_trip_and_expire() -> None:
    secret = "a-secret-for-unit-tests-of-32-bytes-or-more"
    actor = Actor("acc_1", Role.DISTRICT_OFFICER, district_code=YUZHONG, session_id="fam_1")
    assert read_access(issue_access(actor, secret), secret) == actor
    bound = Actor("acc_2", Role.TALENT, party_id="tal_1", session_id="fam_2")
    assert read_access(issue_access(bound, secret), secret) == bound
    claims = jwt.decode(issue_access(actor, secret), secret, ["HS256"], audience="boyin-api")
    for token in (
        issue_access(actor, secret, ttl=-1),
        issue_access(actor, secret + "x"),
        issue_access(actor, secret)[:-2],
        # signed with the right secret, but one that would never expire or could not be
        # signed out (no session): refused all the same
        jwt.encode({k: v for k, v in claims.items() if k != "exp"}, secret, "HS256"),
        jwt.encode({k: v for k, v in claims.items() if k != "iat"}, secret, "HS256"),
        issue_access(dataclasses.replace(actor, session_id=None), secret),
    ):
        with pytest.raises(BoyinError) as caught:
            read_access(token, secret)
        assert caught.value.status == 401


def test_refresh_tokens_are_stored_as_their_hash() -> None:
    assert refresh_key("abc") == hashlib.sha256(b"abc").hexdigest()
    assert refresh_key("abc") != refresh_key("abd")
