"""The gateway's own permission checks (``permissions.py``), run on the schema itself
(``schema.execute``) against the fakes: a refused caller gets the field's refusal (a
``Forbidden`` problem, ``null``, an error on a subscription) and no service is called.
The role matrix (test_role_matrix.py) checks every operation for every role; this
checks what it leaves out and what a refusal looks like."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from boyin_gateway.accounts.service import Accounts
from boyin_gateway.context import ANONYMOUS, Context
from boyin_gateway.feeds import Feeds
from boyin_gateway.schema import schema
from boyin_shared.identity import Actor, Role
from boyin_shared.store.sqlite import SqliteStore
from tests.gateway.fake_records import edition, session, talent
from tests.gateway.fakes import FakePlatform
from tests.gateway.harness import JWT_SECRET
from tests.gateway.support import PROBLEM, assert_bilingual

MY_DATA = (
    f"{{ myPersonalData {{ __typename ... on PersonalDataExport {{ talentId }} {PROBLEM} }} }}"
)
ERASE_MINE = f"mutation {{ eraseMyData {{ __typename ... on Talent {{ id }} {PROBLEM} }} }}"
EDITION_MEETINGS = f"""
{{ editionMeetings(editionId: "edi_1") {{ __typename ... on MeetingConnection {{ edges {{ cursor }} }}
   {PROBLEM} }} }}"""
SIGN_UPS = '{ session(id: "ses_1") { id signUps { partyId } } }'
ME = "{ me { id } }"

TALENT = Actor("acc_t", Role.TALENT, party_id="tal_1")
OTHERS = [
    ANONYMOUS,
    Actor("acc_o", Role.ORGANISATION, party_id="org_1"),
    Actor("acc_d", Role.DISTRICT_OFFICER, district_code="500103"),
    Actor("acc_i", Role.INVESTOR),
    Actor("acc_m", Role.MENTOR),
    Actor("acc_op", Role.OPERATOR),
    Actor("acc_a", Role.ADMIN),
]


class Run:
    def __init__(self, platform: FakePlatform, accounts: Accounts) -> None:
        self.platform = platform
        self.accounts = accounts

    async def __call__(self, actor: Actor, document: str) -> Any:
        context = Context(self.platform, self.accounts, actor, Feeds())
        result = await schema.execute(document, context_value=context)
        assert result.errors is None, result.errors
        assert result.data is not None
        (value,) = result.data.values()
        return value


@pytest.fixture
async def run(tmp_path: Path) -> AsyncIterator[Run]:
    platform = FakePlatform()
    platform.registry_data.add(talent("tal_1"))
    platform.scheduling_data.add(edition("edi_1"), session("ses_1", "edi_1"))
    store = SqliteStore(tmp_path / "gateway.sqlite")
    yield Run(platform, Accounts(store, JWT_SECRET))
    await store.close()


@pytest.mark.parametrize("document", [MY_DATA, ERASE_MINE], ids=["export", "erase"])
async def test_only_a_talent_takes_away_or_erases_its_own_data(run: Run, document: str) -> None:
    for actor in OTHERS:
        refused = await run(actor, document)
        assert refused["__typename"] == "Forbidden", (actor, refused)
        assert refused["message"]["en"] == (
            "only a talent may export or erase their own personal data"
        )
        assert_bilingual(refused)
    assert run.platform.log == []  # refused in the gateway
    mine = await run(TALENT, document)
    assert mine["__typename"] in ("PersonalDataExport", "Talent"), mine
    assert run.platform.methods() in (["personal_data"], ["erase_talent"])


async def test_staff_only_fields_refuse_others_without_calling_the_service(run: Run) -> None:
    for actor in [TALENT, *OTHERS[:5]]:
        refused = await run(actor, EDITION_MEETINGS)
        assert refused["__typename"] == "Forbidden" and refused["code"] == "FORBIDDEN"
        assert refused["message"] == {"zh": "仅限工作人员", "en": "staff only"}
        assert (await run(actor, SIGN_UPS))["signUps"] is None  # a nullable read: null
    assert "edition_meetings" not in run.platform.methods()
    assert "sign_ups" not in run.platform.methods()
    for actor in OTHERS[5:]:
        assert (await run(actor, EDITION_MEETINGS))["__typename"] == "MeetingConnection"
        assert (await run(actor, SIGN_UPS))["signUps"] == []


async def test_me_is_null_for_a_visitor(run: Run) -> None:
    assert await run(ANONYMOUS, ME) is None
