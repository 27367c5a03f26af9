"""Between demands' domain objects and the registry's API models: answers built from
demands, request bodies read into validated content."""

from __future__ import annotations

from boyin_registry.attachments.domain import Attachment
from boyin_registry.demands.content import ClaimInput, demand_content
from boyin_registry.demands.domain import (
    Demand,
    DemandContent,
    Details,
    JobSeeking,
    ProjectCooperation,
    ProjectLanding,
    TalentRecruitment,
    details_state,
)
from boyin_registry.demands.screening import ScreeningResult
from boyin_registry.profiles.schemas import text_out
from boyin_registry.reference.domain import Reference
from boyin_shared.api.registry import (
    Channel,
    ClaimOut,
    DemandAttachmentOut,
    DemandContentIn,
    DemandOut,
    DemandScreeningOut,
    DetailsIn,
    JobSeekingIn,
    ProjectCooperationIn,
    ProjectLandingIn,
    ScreeningCriterionOut,
    TransitionOut,
)
from boyin_shared.clock import utcnow
from boyin_shared.identity import Actor


def details_of(body: DetailsIn) -> Details:
    """A channel's details as the request gives them."""
    if isinstance(body, ProjectCooperationIn):
        return ProjectCooperation(
            body.stage,
            body.trl,
            body.ip_status,
            tuple(body.sought),
            body.funding_sought_wan,
            body.team_size,
        )
    if isinstance(body, JobSeekingIn):
        return JobSeeking(
            body.desired_role,
            body.work_mode,
            body.earliest_start,
            body.salary_min_wan,
            body.salary_max_wan,
        )
    if isinstance(body, ProjectLandingIn):
        return ProjectLanding(
            tuple(body.cooperation_modes),
            body.budget_wan,
            body.facilities,
            body.policies,
            body.wanted_stage,
        )
    return TalentRecruitment(
        body.positions,
        body.degree_required,
        body.work_mode,
        body.package,
        body.location_district,
    )


def content_of(
    body: DemandContentIn,
    ref: Reference,
    prefix: str = "",
    attachments: tuple[Attachment, ...] = (),
) -> DemandContent:
    """The demand's content as the request gives it, validated."""
    return demand_content(
        channel=Channel(body.details.channel),
        title_zh=body.title_zh,
        title_en=body.title_en,
        description_zh=body.description_zh,
        description_en=body.description_en,
        taxonomy_codes=body.taxonomy_codes,
        keywords=body.keywords,
        editions=body.editions,
        claims=[ClaimInput(c.criterion, c.evidence, c.evidence_file) for c in body.claims],
        details=details_of(body.details),
        expires_on=body.expires_on,
        attachments=attachments,
        ref=ref,
        known_editions=list(ref.editions),
        today=utcnow().date(),
        prefix=prefix,
    )


def demand_out(demand: Demand, actor: Actor) -> DemandOut:
    """The demand as ``actor`` may read it (``Demand.shown_to``: the review's notes only for
    the owner and the reviewers)."""
    d = demand.shown_to(actor)
    c = d.content
    return DemandOut(
        id=d.id,
        channel=d.channel,
        owner_id=d.owner_id,
        district_code=d.district_code,
        status=d.status,
        title=text_out(c.title),
        description=text_out(c.description),
        language=c.language,
        taxonomy_codes=list(c.taxonomy_codes),
        keywords=list(c.keywords),
        editions=list(c.editions),
        claims=[
            ClaimOut(
                criterion=x.criterion,
                evidence=x.evidence,
                evidence_file=x.evidence_file,
                review=x.review,
                review_note=x.review_note,
            )
            for x in c.claims
        ],
        details={"channel": d.channel.value, **details_state(c.details)},
        attachments=[
            DemandAttachmentOut(id=a.id, name=a.name, content_type=a.content_type, size=a.size)
            for a in c.attachments
        ],
        expires_on=c.expires_on,
        history=[
            TransitionOut(to=t.to, by=t.by, role=t.role, at=t.at, reason=t.reason)
            for t in d.history
        ],
        revision=d.revision,
        external_ref=d.external_ref,
        created_at=d.created_at,
        updated_at=d.updated_at,
    )


def screening_out(r: ScreeningResult) -> DemandScreeningOut:
    return DemandScreeningOut(
        demand_id=r.demand_id,
        reviews=r.reviews,
        criteria=[
            ScreeningCriterionOut(criterion=c.criterion, mean=c.mean, spread=c.spread)
            for c in r.criteria
        ],
        total_mean=r.total_mean,
        total_spread=r.total_spread,
        score=r.score,
        aggregated_at=r.aggregated_at,
    )
