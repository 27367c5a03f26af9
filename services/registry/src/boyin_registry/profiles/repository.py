"""Where organisations and talents are kept: every query and write of their collections,
and the explicit mapping between the aggregates and their stored documents."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from boyin_registry.profiles.domain import (
    Bilingual,
    Consent,
    Contact,
    Organisation,
    OrganisationDetails,
    Platform,
    Talent,
    TalentDetails,
    TeamMember,
)
from boyin_shared.api.registry import Degree, OrganisationKind, PlatformLevel
from boyin_shared.outbox import Outbox
from boyin_shared.repository import AggregateRepository
from boyin_shared.store import DocumentStore, Index


def bilingual_state(value: Bilingual) -> dict[str, str | None]:
    return {"zh": value.zh, "en": value.en}


def bilingual_from(doc: dict[str, Any]) -> Bilingual:
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
        "name": bilingual_state(d.name),
        "kind": d.kind.value,
        "district_code": d.district_code,
        "credit_code": d.credit_code,
        "platforms": [{"level": p.level.value, "name": p.name} for p in d.platforms],
        "taxonomy_codes": list(d.taxonomy_codes),
        "description": bilingual_state(d.description),
        "contacts": [_contact(c) for c in d.contacts],
        "revision": org.revision,
        "registered_at": org.registered_at.isoformat(),
        "updated_at": org.updated_at.isoformat(),
    }


def organisation_from(doc: dict[str, Any]) -> Organisation:
    return Organisation(
        id=doc["_id"],
        details=OrganisationDetails(
            name=bilingual_from(doc["name"]),
            kind=OrganisationKind(doc["kind"]),
            district_code=doc["district_code"],
            credit_code=doc["credit_code"],
            platforms=tuple(
                Platform(PlatformLevel(p["level"]), p["name"]) for p in doc["platforms"]
            ),
            taxonomy_codes=tuple(doc["taxonomy_codes"]),
            description=bilingual_from(doc["description"]),
            contacts=tuple(_contact_from(c) for c in doc["contacts"]),
        ),
        revision=doc["revision"],
        registered_at=datetime.fromisoformat(doc["registered_at"]),
        updated_at=datetime.fromisoformat(doc["updated_at"]),
    )


def talent_state(talent: Talent) -> dict[str, Any]:
    d = talent.details
    return {
        "name": bilingual_state(d.name),
        "degree": d.degree.value,
        "field": bilingual_state(d.field_of_study),
        "institution": bilingual_state(d.institution),
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
            name=bilingual_from(doc["name"]),
            degree=Degree(doc["degree"]),
            field_of_study=bilingual_from(doc["field"]),
            institution=bilingual_from(doc["institution"]),
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


class Organisations(AggregateRepository[Organisation]):
    collection_name = "organisations"
    indexes = (
        Index((("credit_code", 1),), unique=True),
        Index((("district_code", 1), ("_id", 1))),
    )

    def __init__(self, store: DocumentStore, outbox: Outbox) -> None:
        super().__init__(store, outbox, to_state=organisation_state, from_doc=organisation_from)

    async def page(
        self, *, district_code: str | None = None, after: str | None = None, limit: int = 50
    ) -> list[Organisation]:
        flt: dict[str, object] = {}
        if district_code:
            flt["district_code"] = district_code
        if after:
            flt["_id"] = {"$gt": after}
        docs = await self.collection.find(flt, sort=[("_id", 1)], limit=limit)
        return [self.from_doc(d) for d in docs]


class Talents(AggregateRepository[Talent]):
    collection_name = "talents"
    indexes = (Index((("contact.email", 1),), unique=True),)

    def __init__(self, store: DocumentStore, outbox: Outbox) -> None:
        super().__init__(store, outbox, to_state=talent_state, from_doc=talent_from)

    async def page(self, *, after: str | None = None, limit: int = 50) -> list[Talent]:
        flt: dict[str, object] = {"_id": {"$gt": after}} if after else {}
        docs = await self.collection.find(flt, sort=[("_id", 1)], limit=limit)
        return [self.from_doc(d) for d in docs]
