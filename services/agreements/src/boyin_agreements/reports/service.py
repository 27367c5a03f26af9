"""The funnel's use cases: record what an event tells it, and answer it (as the API's
model or as a spreadsheet) to operators, and to district officers for their district."""

from __future__ import annotations

from dataclasses import dataclass

from boyin_agreements.reports import domain, export, facts
from boyin_agreements.reports.repository import FunnelFacts
from boyin_agreements.reports.schemas import funnel_out
from boyin_shared.api.reports import FunnelDimension, FunnelOut
from boyin_shared.errors import BoyinError, FieldError, Message, forbidden
from boyin_shared.events import Event
from boyin_shared.identity import Actor, Role


def _scoped(actor: Actor, filters: domain.Filters) -> domain.Filters:
    """The filters as ``actor`` may have them: staff any, a district officer their own
    district's (the district filter is theirs when they give none)."""
    if actor.is_staff:
        return filters
    if actor.role is Role.DISTRICT_OFFICER and actor.district_code:
        if filters.district not in (None, actor.district_code):
            raise BoyinError(
                code="FORBIDDEN",
                message=Message(
                    "区县工作人员只能查看本区县的报表",
                    "district officers see their own district's report only",
                ),
                fields=[
                    FieldError(
                        "district_code",
                        "NOT_YOUR_DISTRICT",
                        Message(
                            f"您所在的区县是 {actor.district_code}",
                            f"your district is {actor.district_code}",
                        ),
                    )
                ],
                status=403,
            )
        return domain.Filters(
            filters.edition, actor.district_code, filters.cluster, filters.channel
        )
    raise forbidden(Message("仅限工作人员和区县工作人员", "operators and district officers only"))


@dataclass
class FunnelReports:
    facts: FunnelFacts

    async def record(self, event: Event) -> None:
        """Merge what ``event`` tells the funnel; a redelivered event changes nothing."""
        for fact in facts.facts_of(event):
            await self.facts.record(fact)

    async def funnel(self, actor: Actor, by: FunnelDimension, filters: domain.Filters) -> FunnelOut:
        scoped = _scoped(actor, filters)
        return funnel_out(by, domain.funnel(await self.facts.every(), by, scoped))

    async def spreadsheet(
        self, actor: Actor, by: FunnelDimension, filters: domain.Filters, lang: str
    ) -> bytes:
        return export.write_xlsx(await self.funnel(actor, by, filters), lang)
