"""The funnel's answers: the shared API models (``boyin_shared.api.reports``), built from
the domain's fold."""

from __future__ import annotations

from boyin_agreements.reports.domain import STEPS, Funnel, Row
from boyin_shared.api.agreements import MoneyOut
from boyin_shared.api.reports import (
    FunnelDimension,
    FunnelOut,
    FunnelRowOut,
    SignatureDelayOut,
    StepOut,
)


def row_out(row: Row) -> FunnelRowOut:
    return FunnelRowOut(
        key=row.key,
        steps=[StepOut(step=s, count=row.counts[s], conversion=row.conversion(s)) for s in STEPS],
        contract_values=[
            MoneyOut(amount=amount, currency=currency)
            for currency, amount in sorted(row.contract_values.items())
        ],
        match_to_signature=SignatureDelayOut(
            agreements=len(row.signature_days),
            mean_days=row.mean_days(),
            median_days=row.median_days(),
        ),
    )


def funnel_out(by: FunnelDimension, funnel: Funnel) -> FunnelOut:
    return FunnelOut(by=by, total=row_out(funnel.total), rows=[row_out(r) for r in funnel.rows])
