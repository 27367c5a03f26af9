"""GraphQL of the reports: the funnel from published demands to landed agreements (the
agreements service's projection of every service's events), for operators, and for
district officers their district's. The spreadsheet is ``GET /files/exports/funnel``
(see ``files.py``)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from boyin_gateway.clients import ServiceError
from boyin_gateway.context import Context
from boyin_gateway.derived import derived, shown_as
from boyin_gateway.errors import forbidden, problem
from boyin_gateway.permissions import DistrictOfficers, guarded_field
from boyin_gateway.registry_enums import Channel
from boyin_gateway.types import Forbidden, InvalidInput
from boyin_shared.api.agreements import MoneyOut
from boyin_shared.api.reports import (
    FunnelDimension,
    FunnelOut,
    FunnelRowOut,
    FunnelStep,
    SignatureDelayOut,
    StepOut,
)
from boyin_shared.errors import Message

Info = strawberry.Info[Context, None]

strawberry.enum(FunnelDimension, description="What the funnel's rows are.")
strawberry.enum(FunnelStep, description="A step of the funnel, in order.")


@derived(MoneyOut, name="Money", description="An amount with its currency (ISO 4217).")
class Money:
    pass


@derived(StepOut, name="FunnelStepCount")
class FunnelStepCount:
    pass


@derived(SignatureDelayOut, name="SignatureDelay")
class SignatureDelay:
    pass


@derived(FunnelRowOut, name="FunnelRow", description="The funnel of one value (or of all).")
class FunnelRow:
    pass


@derived(FunnelOut, name="Funnel")
class Funnel:
    pass


FunnelResult = Annotated[Funnel | InvalidInput | Forbidden, strawberry.union("FunnelResult")]


@strawberry.input(description="Only what has this edition, district, cluster and channel.")
class FunnelFilter:
    edition: str | None = None
    district_code: str | None = None
    #: a taxonomy code
    cluster: str | None = None
    channel: Channel | None = None

    def params(self) -> dict[str, str]:
        values = {
            "edition": self.edition,
            "district_code": self.district_code,
            "cluster": self.cluster,
            "channel": self.channel.value if self.channel else None,
        }
        return {k: v for k, v in values.items() if v is not None}


def operators_and_officers() -> Forbidden:
    return forbidden(Message("仅限工作人员和区县工作人员", "operators and district officers only"))


@strawberry.type
class ReportQuery:
    @guarded_field(
        DistrictOfficers(operators_and_officers),
        "Demands → proposals → mutual matches → meetings held → intentions → signed → "
        "landed, in total and per edition, district, cluster or channel: each step's "
        "conversion, the contract values signed and the days from match to signature. "
        "District officers see their district's only.",
    )
    async def funnel(
        self,
        info: Info,
        by: FunnelDimension = FunnelDimension.EDITION,
        filter: FunnelFilter | None = None,
    ) -> FunnelResult:
        params = {"by": by.value, **(filter or FunnelFilter()).params()}
        try:
            return shown_as(Funnel, await info.context.agreements.funnel(params))
        except ServiceError as exc:
            refused = problem(exc)
            if isinstance(refused, InvalidInput | Forbidden):
                return refused
            raise  # the service answers nothing else: a fault, masked as one
