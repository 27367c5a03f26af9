"""Explicit mapping between the registry's aggregates and their stored documents."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from boyin_registry.domain.common import Bilingual, Contact
from boyin_registry.domain.profiles import (
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
    )
