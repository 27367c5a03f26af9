"""From the registry's aggregates to its integration events (no contact details)."""

from __future__ import annotations

from dataclasses import replace

from boyin_registry.documents import details_state
from boyin_registry.domain.common import Bilingual
from boyin_registry.domain.demands import Demand, Status
from boyin_registry.domain.profiles import Organisation, Talent
from boyin_shared.contracts.common import LocalizedText
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
    OrganisationProfile,
    OrganisationRegistered,
    OrganisationUpdated,
    TalentProfile,
    TalentRegistered,
    TalentUpdated,
)
from boyin_shared.events import Event


def _text(value: Bilingual) -> LocalizedText:
    return LocalizedText(zh=value.zh, en=value.en)


def organisation_profile(org: Organisation) -> OrganisationProfile:
    d = org.details
    return OrganisationProfile(
        organisation_id=org.id,
        name=_text(d.name),
        kind=d.kind.value,
        district_code=d.district_code,
        credit_code=d.credit_code,
        platforms=tuple(f"{p.level.value}:{p.name}" for p in d.platforms),
        taxonomy_codes=d.taxonomy_codes,
        revision=org.revision,
    )


def organisation_event(org: Organisation) -> OrganisationRegistered | OrganisationUpdated:
    cls = OrganisationRegistered if org.revision == 1 else OrganisationUpdated
    return cls.create(subject=org.id, data=organisation_profile(org), sequence=org.revision)


def talent_profile(talent: Talent) -> TalentProfile:
    d = talent.details
    return TalentProfile(
        talent_id=talent.id,
        name=_text(d.name),
        degree=d.degree.value,
        field=_text(d.field_of_study),
        institution=_text(d.institution),
        country=d.country,
        timezone=d.timezone,
        languages=d.languages,
        taxonomy_codes=d.taxonomy_codes,
        revision=talent.revision,
    )


def talent_event(talent: Talent) -> TalentRegistered | TalentUpdated:
    cls = TalentRegistered if talent.revision == 1 else TalentUpdated
    return cls.create(subject=talent.id, data=talent_profile(talent), sequence=talent.revision)


def demand_snapshot(d: Demand) -> DemandSnapshot:
    c = d.content
    return DemandSnapshot(
        demand_id=d.id,
        channel=d.channel.value,
        owner_kind="talent" if d.channel.owner_kind == "talent" else "organisation",
        owner_id=d.owner_id,
        district_code=d.district_code,
        status=d.status.value,
        title=_text(c.title),
        description=_text(c.description),
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
