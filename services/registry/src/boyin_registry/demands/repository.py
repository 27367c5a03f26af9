"""Explicit mapping between the registry's aggregates and their stored documents."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime
from enum import Enum
from typing import Any

from boyin_registry.domain.common import Bilingual, Contact
from boyin_registry.domain.demands import (
    Attachment,
    Channel,
    CooperationMode,
    Demand,
    DemandContent,
    Details,
    IpStatus,
    JobSeeking,
    ProjectCooperation,
    ProjectLanding,
    Stage,
    Status,
    TalentRecruitment,
    Transition,
    WorkMode,
)
from boyin_registry.domain.eligibility import Claim, ClaimReview, Criterion
from boyin_registry.domain.profiles import (
    Consent,
    Degree,
    Organisation,
    OrganisationDetails,
    OrganisationKind,
    Platform,
    PlatformLevel,
    Talent,
    TalentDetails,
    TeamMember,
)


def _bi(value: Bilingual) -> dict[str, str | None]:
    return {"zh": value.zh, "en": value.en}


def _bi_from(doc: dict[str, Any]) -> Bilingual:
    return Bilingual(zh=doc.get("zh"), en=doc.get("en"))


def _contact(c: Contact) -> dict[str, Any]:
    return {"name": c.name, "email": c.email, "phone": c.phone, "role": c.role}


def _contact_from(doc: dict[str, Any]) -> Contact:
    return Contact(
        name=doc["name"], email=doc.get("email"), phone=doc.get("phone"), role=doc.get("role")
    )


def organisation_state(org: Organisation) -> dict[str, Any]:
    d = org.details
    return {
        "name": _bi(d.name),
        "kind": d.kind.value,
        "district_code": d.district_code,
        "credit_code": d.credit_code,
        "platforms": [{"level": p.level.value, "name": p.name} for p in d.platforms],
        "taxonomy_codes": list(d.taxonomy_codes),
        "description": _bi(d.description),
        "contacts": [_contact(c) for c in d.contacts],
        "revision": org.revision,
        "registered_at": org.registered_at.isoformat(),
        "updated_at": org.updated_at.isoformat(),
    }


def organisation_from(doc: dict[str, Any]) -> Organisation:
    return Organisation(
        id=doc["_id"],
        details=OrganisationDetails(
            name=_bi_from(doc["name"]),
            kind=OrganisationKind(doc["kind"]),
            district_code=doc["district_code"],
            credit_code=doc["credit_code"],
            platforms=tuple(
                Platform(PlatformLevel(p["level"]), p["name"]) for p in doc["platforms"]
            ),
            taxonomy_codes=tuple(doc["taxonomy_codes"]),
            description=_bi_from(doc["description"]),
            contacts=tuple(_contact_from(c) for c in doc["contacts"]),
        ),
        revision=doc["revision"],
        registered_at=datetime.fromisoformat(doc["registered_at"]),
        updated_at=datetime.fromisoformat(doc["updated_at"]),
    )


def talent_state(talent: Talent) -> dict[str, Any]:
    d = talent.details
    return {
        "name": _bi(d.name),
        "degree": d.degree.value,
        "field": _bi(d.field_of_study),
        "institution": _bi(d.institution),
        "country": d.country,
        "location": d.location,
        "timezone": d.timezone,
        "languages": list(d.languages),
        "contact": _contact(d.contact),
        "team": [{"name": m.name, "role": m.role} for m in d.team],
        "taxonomy_codes": list(d.taxonomy_codes),
        "revision": talent.revision,
        "registered_at": talent.registered_at.isoformat(),
        "updated_at": talent.updated_at.isoformat(),
        "consents": [
            {
                "notice_version": c.notice_version,
                "purposes": list(c.purposes),
                "at": c.at.isoformat(),
            }
            for c in talent.consents
        ],
        "erased_at": talent.erased_at.isoformat() if talent.erased_at else None,
    }


def talent_from(doc: dict[str, Any]) -> Talent:
    return Talent(
        id=doc["_id"],
        details=TalentDetails(
            name=_bi_from(doc["name"]),
            degree=Degree(doc["degree"]),
            field_of_study=_bi_from(doc["field"]),
            institution=_bi_from(doc["institution"]),
            country=doc["country"],
            location=doc["location"],
            timezone=doc["timezone"],
            languages=tuple(doc["languages"]),
            contact=_contact_from(doc["contact"]),
            team=tuple(TeamMember(m["name"], m["role"]) for m in doc["team"]),
            taxonomy_codes=tuple(doc["taxonomy_codes"]),
        ),
        revision=doc["revision"],
        registered_at=datetime.fromisoformat(doc["registered_at"]),
        updated_at=datetime.fromisoformat(doc["updated_at"]),
        consents=tuple(
            Consent(c["notice_version"], tuple(c["purposes"]), datetime.fromisoformat(c["at"]))
            for c in doc.get("consents", [])
        ),
        erased_at=datetime.fromisoformat(doc["erased_at"]) if doc.get("erased_at") else None,
    )


# -- demands --------------------------------------------------------------------------


def details_state(details: Details) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(details):
        value = getattr(details, f.name)
        if isinstance(value, tuple):
            value = [v.value if isinstance(v, Enum) else v for v in value]
        elif isinstance(value, Enum):
            value = value.value
        elif isinstance(value, date):
            value = value.isoformat()
        out[f.name] = value
    return out


def details_from(channel: Channel, doc: dict[str, Any]) -> Details:
    if channel is Channel.PROJECT_COOPERATION:
        return ProjectCooperation(
            stage=Stage(doc["stage"]),
            trl=doc["trl"],
            ip_status=IpStatus(doc["ip_status"]),
            sought=tuple(CooperationMode(m) for m in doc["sought"]),
            funding_sought_wan=doc.get("funding_sought_wan"),
            team_size=doc.get("team_size", 1),
        )
    if channel is Channel.JOB_SEEKING:
        start = doc.get("earliest_start")
        return JobSeeking(
            desired_role=doc["desired_role"],
            work_mode=WorkMode(doc["work_mode"]),
            earliest_start=date.fromisoformat(start) if start else None,
            salary_min_wan=doc.get("salary_min_wan"),
            salary_max_wan=doc.get("salary_max_wan"),
        )
    if channel is Channel.PROJECT_LANDING:
        stage = doc.get("wanted_stage")
        return ProjectLanding(
            cooperation_modes=tuple(CooperationMode(m) for m in doc["cooperation_modes"]),
            budget_wan=doc.get("budget_wan"),
            facilities=doc.get("facilities"),
            policies=doc.get("policies"),
            wanted_stage=Stage(stage) if stage else None,
        )
    return TalentRecruitment(
        positions=doc["positions"],
        degree_required=Degree(doc["degree_required"]),
        work_mode=WorkMode(doc["work_mode"]),
        package=doc.get("package"),
        location_district=doc.get("location_district"),
    )


def _claim_state(c: Claim) -> dict[str, Any]:
    return {
        "criterion": c.criterion.value,
        "evidence": c.evidence,
        "evidence_file": c.evidence_file,
        "review": c.review.value,
        "reviewed_by": c.reviewed_by,
        "reviewed_at": c.reviewed_at.isoformat() if c.reviewed_at else None,
        "review_note": c.review_note,
    }


def _claim_from(doc: dict[str, Any]) -> Claim:
    at = doc.get("reviewed_at")
    return Claim(
        criterion=Criterion(doc["criterion"]),
        evidence=doc.get("evidence"),
        evidence_file=doc.get("evidence_file"),
        review=ClaimReview(doc["review"]),
        reviewed_by=doc.get("reviewed_by"),
        reviewed_at=datetime.fromisoformat(at) if at else None,
        review_note=doc.get("review_note"),
    )


def demand_state(d: Demand) -> dict[str, Any]:
    c = d.content
    return {
        "channel": d.channel.value,
        "owner_id": d.owner_id,
        "district_code": d.district_code,
        "status": d.status.value,
        "title": _bi(c.title),
        "description": _bi(c.description),
        "language": c.language,
        "taxonomy_codes": list(c.taxonomy_codes),
        "keywords": list(c.keywords),
        "editions": list(c.editions),
        "claims": [_claim_state(x) for x in c.claims],
        "details": details_state(c.details),
        "attachment_ids": [a.id for a in c.attachments],
        "attachments": [
            {
                "id": a.id,
                "name": a.name,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
            }
            for a in c.attachments
        ],
        "expires_on": c.expires_on.isoformat() if c.expires_on else None,
        "history": [
            {
                "to": t.to.value,
                "by": t.by,
                "role": t.role,
                "at": t.at.isoformat(),
                "reason": t.reason,
            }
            for t in d.history
        ],
        "revision": d.revision,
        "published_revision": d.published_revision,
        "external_ref": d.external_ref,
        "created_at": d.created_at.isoformat(),
        "updated_at": d.updated_at.isoformat(),
    }


def demand_from(doc: dict[str, Any]) -> Demand:
    channel = Channel(doc["channel"])
    expires = doc.get("expires_on")
    return Demand(
        id=doc["_id"],
        channel=channel,
        owner_id=doc["owner_id"],
        district_code=doc.get("district_code"),
        content=DemandContent(
            title=_bi_from(doc["title"]),
            description=_bi_from(doc["description"]),
            taxonomy_codes=tuple(doc["taxonomy_codes"]),
            keywords=tuple(doc["keywords"]),
            editions=tuple(doc["editions"]),
            claims=tuple(_claim_from(x) for x in doc["claims"]),
            details=details_from(channel, doc["details"]),
            attachments=tuple(Attachment(**a) for a in doc.get("attachments", [])),
            expires_on=date.fromisoformat(expires) if expires else None,
        ),
        status=Status(doc["status"]),
        history=tuple(
            Transition(
                Status(t["to"]),
                t["by"],
                t["role"],
                datetime.fromisoformat(t["at"]),
                t.get("reason"),
            )
            for t in doc["history"]
        ),
        revision=doc["revision"],
        created_at=datetime.fromisoformat(doc["created_at"]),
        updated_at=datetime.fromisoformat(doc["updated_at"]),
        external_ref=doc.get("external_ref"),
        published_revision=doc.get("published_revision"),
    )
