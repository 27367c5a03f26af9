"""The staff's listing of accounts: the repository's query on both document stores (the
embedded SQLite one and the MongoDB-wire server), and the ``accounts`` field on the schema
itself: who may list, paging, filters, and nothing secret in the answer."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import GraphQLObjectType, build_schema

from boyin_gateway.accounts.domain import AccountFilter, search_prefix
from boyin_gateway.accounts.service import Accounts
from boyin_gateway.context import ANONYMOUS, Context
from boyin_gateway.feeds import Feeds
from boyin_gateway.schema import schema, sdl
from boyin_shared.errors import BoyinError
from boyin_shared.identity import Actor, Role
from boyin_shared.store import DocumentStore, Update
from tests.gateway.fakes import FakePlatform
from tests.gateway.harness import JWT_SECRET
from tests.gateway.support import PASSWORD, PROBLEM, SHAPINGBA, YUZHONG, assert_bilingual

ADMIN = Actor("acc_a", Role.ADMIN)
OPERATOR = Actor("acc_op", Role.OPERATOR)
LISTED = "id login role districtCode createdAt status lastSignInAt"
ACCOUNTS = f"""
query($first: Int! = 20, $after: String, $filter: AccountFilter) {{
  accounts(first: $first, after: $after, filter: $filter) {{
    __typename
    ... on AccountConnection {{ nodes {{ {LISTED} }} pageInfo {{ hasNextPage endCursor }} }}
    {PROBLEM}
  }}
}}"""


@pytest.fixture
async def accounts(store: DocumentStore) -> Accounts:
    """Accounts on both stores: three officers (two districts), two mentors, two talents
    (one disabled, one signed in), an investor."""
    made = Accounts(store, JWT_SECRET)
    await made.prepare()
    await made.prepare()  # idempotent
    for i, district in enumerate([YUZHONG, YUZHONG, SHAPINGBA]):
        await made.create_account(
            ADMIN, f"officer{i}@cq.example", PASSWORD, Role.DISTRICT_OFFICER, district
        )
    for i in range(2):
        await made.create_account(ADMIN, f"Mentor.{i}@CQ.example", PASSWORD, Role.MENTOR, None)
    await made.create_account(ADMIN, "138 0000-0001", PASSWORD, Role.INVESTOR, None)
    await made.sign_up("wang.talent@cq.example", PASSWORD, Role.TALENT)
    await made.sign_in("wang.talent@cq.example", PASSWORD)
    other, _ = await made.sign_up("wang.other@cq.example", PASSWORD, Role.TALENT)
    await made.accounts.update(other.id, Update(set={"disabled": True}))
    return made


async def listed(accounts: Accounts, flt: AccountFilter, size: int) -> list[list[str]]:
    """Every page of the listing, as logins."""
    pages: list[list[str]] = []
    after = None
    while True:
        page = await accounts.listing(flt, after, size)
        pages.append([a.login for a in page.items])
        if page.next_after is None:
            return pages
        assert page.next_after == page.items[-1].id
        after = page.next_after


async def test_pages_hold_every_account_once_newest_first(accounts: Accounts) -> None:
    docs = await accounts.accounts.find({}, sort=[("_id", -1)])
    newest_first = [d["login"] for d in docs]
    assert len(newest_first) == 8
    pages = await listed(accounts, AccountFilter(), 3)
    assert [len(p) for p in pages] == [3, 3, 2]
    assert [login for page in pages for login in page] == newest_first
    assert await listed(accounts, AccountFilter(), 8) == [newest_first]  # no empty last page


async def test_filters_by_role_district_status_and_login_prefix(accounts: Accounts) -> None:
    async def logins(flt: AccountFilter) -> set[str]:
        return {login for page in await listed(accounts, flt, 2) for login in page}

    officers = {f"officer{i}@cq.example" for i in range(3)}
    assert await logins(AccountFilter(role=Role.DISTRICT_OFFICER)) == officers
    assert await logins(AccountFilter(district_code=YUZHONG)) == officers - {"officer2@cq.example"}
    assert await logins(AccountFilter(disabled=True)) == {"wang.other@cq.example"}
    assert "wang.other@cq.example" not in await logins(AccountFilter(disabled=False))
    assert await logins(AccountFilter(login_prefix="wang.")) == {
        "wang.talent@cq.example",
        "wang.other@cq.example",
    }
    assert await logins(AccountFilter(login_prefix=search_prefix("MENTOR.1"))) == {
        "mentor.1@cq.example"
    }
    assert await logins(AccountFilter(login_prefix=search_prefix("138 0000"))) == {"13800000001"}
    both = AccountFilter(role=Role.TALENT, disabled=False, login_prefix="wang")
    assert await logins(both) == {"wang.talent@cq.example"}
    assert await logins(AccountFilter(login_prefix="zzz")) == set()


async def test_sign_in_is_recorded(accounts: Accounts) -> None:
    (page,) = [(await accounts.listing(AccountFilter(role=Role.TALENT), None, 10)).items]
    signed = {a.login: a.last_sign_in_at for a in page}
    assert signed["wang.talent@cq.example"] is not None
    assert signed["wang.other@cq.example"] is None


def test_search_prefix_is_stored_logins_form_and_has_a_limit() -> None:
    assert search_prefix(" Wang.T ") == "wang.t"
    assert search_prefix("+86 138-0000") == "+861380000"
    assert search_prefix("   ") is None and search_prefix(None) is None
    with pytest.raises(BoyinError) as refused:
        search_prefix("a" * 255)
    assert refused.value.fields[0].field == "search"


# -- the field on the schema ------------------------------------------------------------


async def run(accounts: Accounts, actor: Actor, **variables: Any) -> Any:
    context = Context(FakePlatform(), accounts, actor, Feeds())
    result = await schema.execute(ACCOUNTS, variable_values=variables, context_value=context)
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data["accounts"]


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
async def test_only_operators_and_administrators_list_accounts(accounts: Accounts) -> None:
    others = [
        ANONYMOUS,
        Actor("acc_t", Role.TALENT, party_id="tal_1"),
        Actor("acc_o", Role.ORGANISATION, party_id="org_1"),
        Actor("acc_d", Role.DISTRICT_OFFICER, district_code=YUZHONG),
        Actor("acc_i", Role.INVESTOR),
        Actor("acc_m", Role.MENTOR),
    ]
    for actor in others:
        refused = await run(accounts, actor)
        assert refused["__typename"] == "Forbidden", (actor, refused)
        assert refused["message"] == {"zh": "仅限工作人员", "en": "staff only"}
    for actor in (OPERATOR, ADMIN):
        page = await run(accounts, actor)
        assert page["__typename"] == "AccountConnection" and len(page["nodes"]) == 8


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
async def test_the_field_pages_filters_and_refuses_bad_arguments(accounts: Accounts) -> None:
    first = await run(accounts, OPERATOR, first=5)
    assert len(first["nodes"]) == 5 and first["pageInfo"]["hasNextPage"]
    rest = await run(accounts, OPERATOR, first=5, after=first["pageInfo"]["endCursor"])
    assert len(rest["nodes"]) == 3 and rest["pageInfo"] == {"hasNextPage": False, "endCursor": None}
    assert not {n["id"] for n in first["nodes"]} & {n["id"] for n in rest["nodes"]}

    filtered = await run(
        accounts,
        OPERATOR,
        filter={"role": "TALENT", "search": "WANG", "status": "DISABLED"},
    )
    (other,) = filtered["nodes"]
    assert other["login"] == "wang.other@cq.example" and other["status"] == "DISABLED"
    assert other["lastSignInAt"] is None and other["createdAt"]
    officers = await run(accounts, ADMIN, filter={"districtCode": SHAPINGBA})
    assert [(n["role"], n["districtCode"]) for n in officers["nodes"]] == [
        ("DISTRICT_OFFICER", SHAPINGBA)
    ]

    bad: list[tuple[dict[str, Any], str]] = [
        ({"first": 0}, "first"),
        ({"after": "org_1"}, "after"),
        ({"filter": {"search": "x" * 300}}, "search"),
    ]
    for variables, argument in bad:
        refused = await run(accounts, ADMIN, **variables)
        assert refused["__typename"] == "InvalidInput", refused
        assert refused["fields"][0]["field"] == argument
        assert_bilingual(refused)
    clamped = await run(accounts, ADMIN, first=10_000)
    assert clamped["__typename"] == "AccountConnection"


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
async def test_a_listed_account_has_nothing_secret(accounts: Accounts) -> None:
    listed_type = build_schema(sdl()).type_map["ListedAccount"]
    assert isinstance(listed_type, GraphQLObjectType)
    assert set(listed_type.fields) == set(LISTED.split())
    secret = ("password", "hash", "token", "session", "family", "party")
    assert not [f for f in listed_type.fields if any(s in f.lower() for s in secret)]
    answer = str(await run(accounts, ADMIN))
    stored = await accounts.accounts.find({})
    refresh = await accounts.refresh.find({})
    assert stored and refresh
    assert not [d for d in stored if d["password_hash"] in answer]
    assert not [d for d in refresh if d["_id"] in answer or d["family"] in answer]
