"""The live feed of agreements (a GraphQL subscription on the gateway's :class:`Feeds`, as
the feeds of ``schema/feeds.py``): agreements created, moved to another stage, signed,
landed or terminated, for investors, district officers (their district's only) and staff,
filtered by district, cluster (taxonomy code) and cooperation type.

Every agreements event but the signing's carries the agreement as it now is; the signing
publishes a stage change to ``SIGNED`` as well, which the feed reports as ``SIGNED`` (the
``AgreementSigned`` event names no district to filter on). A stage change to ``LANDED`` or
``TERMINATED`` is reported once, by its own event."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry

from boyin_gateway.agreement_enums import AgreementStage, CooperationType
from boyin_gateway.context import Context
from boyin_gateway.derived import shown_as
from boyin_gateway.permissions import InvestorsAndDistrictOfficers, guard, sees_district
from boyin_gateway.schema.reports import Money
from boyin_gateway.types import LocalizedText
from boyin_shared.api.agreements import MoneyOut
from boyin_shared.contracts.agreements import (
    AgreementChange,
    AgreementCreated,
    AgreementLanded,
    AgreementSnapshot,
    AgreementStageChanged,
    AgreementTerminated,
)
from boyin_shared.events import Event

Info = strawberry.Info[Context, None]

#: the events the feed reports, and the change each is reported as
_CHANGES: dict[type[Event], str] = {
    AgreementCreated: "CREATED",
    AgreementStageChanged: "STAGE_CHANGED",
    AgreementLanded: "LANDED",
    AgreementTerminated: "TERMINATED",
}
#: stage changes another event of the same change reports
_REPORTED_ELSEWHERE = frozenset({"LANDED", "TERMINATED"})


@strawberry.type(description="An agreement created, moved to another stage, signed or landed.")
class AgreementNews:
    agreement_id: strawberry.ID
    #: CREATED, STAGE_CHANGED, SIGNED, LANDED or TERMINATED
    change: str
    stage: AgreementStage
    from_stage: AgreementStage | None
    title: LocalizedText
    cooperation_type: CooperationType | None
    district_code: str | None
    edition_id: str | None
    taxonomy_codes: list[str]
    headline: Money | None
    at: datetime


@strawberry.input(description="Only agreements of these districts, clusters and types.")
class AgreementNewsFilter:
    district_codes: list[str] | None = None
    #: taxonomy codes: an agreement grown from a demand of any of them
    clusters: list[str] | None = None
    cooperation_types: list[CooperationType] | None = None

    def accepts(self, a: AgreementSnapshot) -> bool:
        if self.district_codes and a.district_code not in self.district_codes:
            return False
        if self.clusters and not set(self.clusters) & set(a.taxonomy_codes):
            return False
        return not (
            self.cooperation_types
            and a.cooperation_type not in {t.value for t in self.cooperation_types}
        )


def _change(event: Event, data: AgreementChange) -> str | None:
    """What the feed reports ``event`` as (None: nothing, or reported by another event)."""
    change = _CHANGES.get(type(event))
    if change == "STAGE_CHANGED":
        if data.to_stage in _REPORTED_ELSEWHERE:
            return None
        if data.to_stage == "SIGNED":
            return "SIGNED"
    return change


def agreement_news(event: Event, data: AgreementChange, change: str) -> AgreementNews:
    a = data.agreement
    headline = a.headline
    return AgreementNews(
        agreement_id=strawberry.ID(a.agreement_id),
        change=change,
        stage=AgreementStage(a.stage),
        from_stage=AgreementStage(data.from_stage) if data.from_stage else None,
        title=LocalizedText(zh=a.title.zh, en=a.title.en),
        cooperation_type=CooperationType(a.cooperation_type) if a.cooperation_type else None,
        district_code=a.district_code,
        edition_id=a.edition_id,
        taxonomy_codes=list(a.taxonomy_codes),
        headline=(
            shown_as(Money, MoneyOut(amount=headline.amount, currency=headline.currency))
            if headline
            else None
        ),
        at=event.time,
    )


@strawberry.type
class AgreementFeedSubscription:
    @strawberry.subscription(extensions=guard(InvestorsAndDistrictOfficers()))  # type: ignore[untyped-decorator]
    async def agreement_news(
        self, info: Info, filter: AgreementNewsFilter | None = None
    ) -> AsyncGenerator[AgreementNews, None]:
        """Agreements as they are created, move, are signed and land, matching the
        filter; district officers receive their district's only."""
        actor = info.context.actor
        wanted = filter or AgreementNewsFilter()

        def select(event: Event) -> AgreementNews | None:
            data = getattr(event, "data", None)
            if not isinstance(data, AgreementChange):
                return None
            change = _change(event, data)
            a = data.agreement
            if change is None or not sees_district(actor, a.district_code):
                return None
            return agreement_news(event, data, change) if wanted.accepts(a) else None

        async with info.context.listen(select) as listener:
            async for item in listener:
                yield item
