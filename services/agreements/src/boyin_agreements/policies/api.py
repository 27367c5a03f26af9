"""Support policies over HTTP: the policies and the facts they read, saving a policy
(staff), evaluating an agreement and its past evaluations."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, Request, status

from boyin_agreements.policies.facts import FACTS
from boyin_agreements.policies.schemas import fact_out, policy_out
from boyin_agreements.policies.service import PolicyBook
from boyin_shared.api.agreements import EvaluateIn, EvaluationOut, FactOut, PolicyIn, PolicyOut
from boyin_shared.callers import CurrentActor, CurrentMember

router = APIRouter(tags=["policies"])


async def book(request: Request) -> PolicyBook:
    return cast(PolicyBook, request.app.state.service.policies)


Book = Annotated[PolicyBook, Depends(book)]


@router.get("/policies")
async def list_policies(
    actor: CurrentActor, policies: Book, versions: bool = False
) -> list[PolicyOut]:
    """The newest version of each policy (every version with ``versions=true``)."""
    return [policy_out(p) for p in await policies.current(versions)]


@router.post("/policies", status_code=status.HTTP_201_CREATED)
async def save_policy(body: PolicyIn, actor: CurrentMember, policies: Book) -> PolicyOut:
    """A new policy (version 1) or its next version; its expressions are compiled and
    checked against the declared facts (422 naming the field when they are not)."""
    saved = await policies.save(actor, body.model_dump(mode="json", exclude_none=True))
    return policy_out(saved)


@router.get("/policy-facts")
async def list_facts(actor: CurrentActor) -> list[FactOut]:
    """The facts conditions and formulas may read."""
    return [fact_out(f) for f in FACTS.values()]


@router.post("/agreements/{agreement_id}/evaluations", status_code=status.HTTP_201_CREATED)
async def evaluate(
    agreement_id: str, body: EvaluateIn, actor: CurrentMember, policies: Book
) -> EvaluationOut:
    """Which policies apply to the agreement, which do not and why, the amounts with the
    caps applied and the evidence missing; stored with the policy versions used."""
    return await policies.evaluate(actor, agreement_id, body.parties, body.on)


@router.get("/agreements/{agreement_id}/evaluations")
async def evaluations(
    agreement_id: str, actor: CurrentActor, policies: Book
) -> list[EvaluationOut]:
    return await policies.of_agreement(actor, agreement_id)
