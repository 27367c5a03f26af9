"""From demands to their integration events (no contact details)."""

from __future__ import annotations

from dataclasses import replace

from boyin_registry.demands.domain import Demand, details_state, owner_kind
from boyin_registry.profiles.events import localized
from boyin_shared.api.registry import Status
from boyin_shared.contracts.registry import (
    ClaimSnapshot,
    DemandExpired,
    DemandPublished,
    DemandRejected,
    DemandReturned,
    DemandSnapshot,
    DemandSubmitted,
    DemandTransition,
    DemandUpdated,
    DemandWithdrawn,
)
from boyin_shared.events import Event


def demand_snapshot(d: Demand) -> DemandSnapshot:
    c = d.content
    return DemandSnapshot(
        demand_id=d.id,
        channel=d.channel.value,
        owner_kind="talent" if owner_kind(d.channel) == "talent" else "organisation",
        owner_id=d.owner_id,
        district_code=d.district_code,
        status=d.status.value,
        title=localized(c.title),
        description=localized(c.description),
        language=c.language,
        taxonomy_codes=c.taxonomy_codes,
        keywords=c.keywords,
        editions=c.editions,
        claims=tuple(
            ClaimSnapshot(criterion=x.criterion.value, review=x.review.value) for x in c.claims
        ),
        details=details_state(c.details),
        expires_on=c.expires_on.isoformat() if c.expires_on else None,
        revision=d.revision,
    )


_BY_STATUS: dict[Status, type[Event]] = {
    Status.SUBMITTED: DemandSubmitted,
    Status.PUBLISHED: DemandPublished,
    Status.RETURNED: DemandReturned,
    Status.REJECTED: DemandRejected,
    Status.WITHDRAWN: DemandWithdrawn,
    Status.EXPIRED: DemandExpired,
}


def _what_owner_wrote(d: Demand) -> object:
    """The content without reviewers' decisions (a claim review is not an update)."""
    claims = tuple((c.criterion, c.evidence, c.evidence_file) for c in d.content.claims)
    return replace(d.content, claims=()), claims


def demand_events(before: Demand | None, after: Demand) -> list[Event]:
    """The events a change from ``before`` to ``after`` means to others."""
    out: list[Event] = []
    last = after.history[-1] if after.history else None
    data = DemandTransition(
        demand=demand_snapshot(after),
        by_role=last.role if last else "",
        reason=last.reason if last else None,
    )
    if before is not None and _what_owner_wrote(before) != _what_owner_wrote(after):
        out.append(DemandUpdated.create(subject=after.id, data=data, sequence=after.revision))
    if (before is None or before.status is not after.status) and after.status in _BY_STATUS:
        cls = _BY_STATUS[after.status]
        out.append(cls.create(subject=after.id, data=data, sequence=after.revision))
    return out
