"""Where agreements are kept, against the embedded store and the real MongoDB-wire server:
an agreement at every stage comes back as it was stored, a redelivered offer inserts
nothing twice, lists are scoped by who asks, and the overdue query finds what is due."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

import pytest

from boyin_agreements.agreements.domain import Agreement
from boyin_agreements.agreements.milestones import FollowUp
from boyin_agreements.agreements.offers import offer_from_match
from boyin_agreements.agreements.repository import AgreementQuery, Agreements
from boyin_agreements.agreements.service import AgreementCommands
from boyin_agreements.names.repository import PartyNames
from boyin_agreements.names.service import Names
from boyin_shared.api.agreements import AgreementStage
from boyin_shared.bus.embedded import EmbeddedBus
from boyin_shared.identity import Actor, Role
from boyin_shared.outbox import Outbox
from boyin_shared.store import DocumentStore
from tests.agreements.support import (
    NOW,
    OFFICER,
    OPERATOR,
    ORG,
    OTHER_OFFICER,
    SIDES,
    SIGNING_DAY,
    STRANGER,
    TALENT,
    at_stage,
    implementing,
    intention,
)


async def repository(store: DocumentStore, tmp_path: Path) -> Agreements:
    repo = Agreements(store, Outbox(store, EmbeddedBus(tmp_path / "bus.sqlite")))
    await repo.prepare()
    return repo


def _with_follow_up(a: Agreement) -> Agreement:
    m = dataclasses.replace(
        a.milestones[0], follow_ups=(FollowUp(NOW, OFFICER.account_id, "进展顺利"),)
    )
    return dataclasses.replace(a, milestones=(m, *a.milestones[1:]))


@pytest.mark.parametrize(
    "stage",
    [s for s in AgreementStage if s not in (AgreementStage.LANDED, AgreementStage.TERMINATED)],
)
async def test_an_agreement_comes_back_as_stored(
    store: DocumentStore, tmp_path: Path, stage: AgreementStage
) -> None:
    repo = await repository(store, tmp_path)
    agreement = at_stage(stage)
    if stage is AgreementStage.IMPLEMENTING:
        agreement = _with_follow_up(implementing(SIGNING_DAY + timedelta(days=5)))
    await repo.add(agreement)
    loaded = await repo.get(agreement.id)
    assert loaded is not None
    assert loaded.aggregate == agreement


async def test_a_redelivered_offer_inserts_nothing_twice(
    store: DocumentStore, tmp_path: Path
) -> None:
    repo = await repository(store, tmp_path)
    commands = AgreementCommands(repo, Names(PartyNames(store, repo.outbox)))
    first = await commands.offer(offer_from_match("m1", SIDES, NOW))
    again = await commands.offer(offer_from_match("m1", SIDES, NOW + timedelta(hours=1)))
    assert first is not None and again is None
    assert await commands.offer(None) is None
    assert [a.id for a in await commands.page(OPERATOR, AgreementQuery())] == [first.id]


async def test_lists_are_scoped_by_who_asks(store: DocumentStore, tmp_path: Path) -> None:
    repo = await repository(store, tmp_path)
    mine = implementing(SIGNING_DAY + timedelta(days=5))  # lands in the officer's district
    other = intention()
    other = dataclasses.replace(other, id="ag_other")
    for a in (mine, other):
        await repo.add(a)

    async def ids(actor: Actor, **query: object) -> list[str]:
        return [a.id for a in await repo.page(AgreementQuery(**query), actor)]  # type: ignore[arg-type]

    assert sorted(await ids(OPERATOR)) == sorted([mine.id, "ag_other"])
    assert sorted(await ids(TALENT)) == sorted([mine.id, "ag_other"])
    assert await ids(OFFICER) == [mine.id]
    assert await ids(OTHER_OFFICER) == []
    assert await ids(STRANGER) == []
    assert await ids(Actor("acc_m", Role.MENTOR)) == []
    assert await ids(ORG, stage=AgreementStage.INTENTION) == ["ag_other"]
    assert await ids(OPERATOR, edition_id="CQ2026") == [mine.id]


async def test_the_overdue_query_finds_what_is_due_and_not_announced(
    store: DocumentStore, tmp_path: Path
) -> None:
    repo = await repository(store, tmp_path)
    due = SIGNING_DAY + timedelta(days=5)
    agreement = implementing(due)
    await repo.add(agreement)
    assert await repo.due(due, None) == []
    assert [a.id for a in await repo.due(due + timedelta(days=1), None)] == [agreement.id]
    announced, events = agreement.overdue(due + timedelta(days=1))
    assert len(events) == 1
    loaded = await repo.get(agreement.id)
    assert loaded is not None and await repo.save(loaded, announced, events)
    assert await repo.due(due + timedelta(days=30), None) == []
