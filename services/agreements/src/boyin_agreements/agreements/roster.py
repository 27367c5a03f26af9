"""The roster of an edition's signing ceremony (pure): the signed agreements an operator
puts on stage, in the operator's order, each with its parties' names, its title in both
languages and its headline figure. The exports (XLSX, a printable page) are made from
these rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from boyin_agreements.agreements.domain import Agreement
from boyin_agreements.agreements.refusals import error
from boyin_agreements.agreements.terms import Text
from boyin_shared.api.agreements import AgreementStage, CooperationType
from boyin_shared.errors import FieldError, invalid

#: the stages of an agreement that has been signed
SIGNED_STAGES = (AgreementStage.SIGNED, AgreementStage.IMPLEMENTING, AgreementStage.LANDED)


@dataclass(frozen=True)
class RosterRow:
    #: 1, 2, ...: the order on stage
    order: int
    agreement_id: str
    #: the parties' names, in the agreement's order of parties
    parties: tuple[Text, ...]
    title: Text
    cooperation_type: CooperationType | None
    #: the headline figure with its currency (``CNY 1,500,000.00``); None: no amount
    headline: str | None


def roster(
    edition_id: str,
    agreements: Sequence[Agreement],
    order: Sequence[str],
    names: Mapping[str, Text],
) -> list[RosterRow]:
    """The rows of the ceremony: one per agreement id in ``order`` (the agreements not
    listed are not on stage). Each must be a signed agreement of ``edition_id`` among
    ``agreements``, listed once; every problem is refused at once, naming its place in
    ``order``. ``names``: the parties' names by party id (a party without one shows its
    id)."""
    signed = {
        a.id: a for a in agreements if a.terms.edition_id == edition_id and a.stage in SIGNED_STAGES
    }
    out: list[FieldError] = []
    seen: set[str] = set()
    for i, agreement_id in enumerate(order):
        if agreement_id in seen:
            out.append(
                error(
                    f"order.{i}",
                    "DUPLICATE",
                    f"协议重复列出：{agreement_id}",
                    f"the agreement is listed twice: {agreement_id}",
                )
            )
        elif agreement_id not in signed:
            out.append(
                error(
                    f"order.{i}",
                    "NOT_SIGNED",
                    f"不是本届已签约的协议：{agreement_id}",
                    f"not a signed agreement of this edition: {agreement_id}",
                )
            )
        seen.add(agreement_id)
    if out:
        raise invalid(out)
    return [_row(n, signed[agreement_id], names) for n, agreement_id in enumerate(order, 1)]


def _row(n: int, a: Agreement, names: Mapping[str, Text]) -> RosterRow:
    headline = a.terms.amounts.headline
    return RosterRow(
        order=n,
        agreement_id=a.id,
        parties=tuple(names.get(p.id) or Text(p.id, p.id) for p in a.parties),
        title=a.terms.title,
        cooperation_type=a.terms.cooperation_type,
        headline=headline.formatted() if headline else None,
    )
