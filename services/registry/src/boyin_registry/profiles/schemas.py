"""Between profiles' domain objects and the registry's API models: answers built from
aggregates, requests read into validated details."""

from __future__ import annotations

from collections.abc import Sequence

from boyin_registry.profiles.domain import (
    Bilingual,
    Contact,
    Organisation,
    OrganisationDetails,
    Talent,
    TalentDetails,
)
from boyin_registry.profiles.validation import (
    ContactInput,
    organisation_details,
    talent_details,
)
from boyin_registry.reference.domain import Reference
from boyin_shared.api.registry import (
    ContactIn,
    ContactOut,
    OrganisationIn,
    OrganisationOut,
    PlatformOut,
    TalentIn,
    TalentOut,
    TeamMemberOut,
    TextOut,
)


def text_out(value: Bilingual) -> TextOut:
    return TextOut(zh=value.zh, en=value.en)


def contact_out(c: Contact) -> ContactOut:
    return ContactOut(name=c.name, email=c.email, phone=c.phone, role=c.role)


def organisation_out(org: Organisation, *, contacts_visible: bool) -> OrganisationOut:
    d = org.details
    return OrganisationOut(
        id=org.id,
        name=text_out(d.name),
        kind=d.kind,
        district_code=d.district_code,
        credit_code=d.credit_code,
        platforms=[PlatformOut(level=p.level, name=p.name) for p in d.platforms],
        taxonomy_codes=list(d.taxonomy_codes),
        description=text_out(d.description),
        contacts=[contact_out(c) for c in d.contacts] if contacts_visible else None,
        revision=org.revision,
        registered_at=org.registered_at,
        updated_at=org.updated_at,
    )


def talent_out(t: Talent, *, contacts_visible: bool) -> TalentOut:
    d = t.details
    return TalentOut(
        id=t.id,
        name=text_out(d.name),
        degree=d.degree,
        field=text_out(d.field_of_study),
        institution=text_out(d.institution),
        country=d.country,
        location=d.location,
        timezone=d.timezone,
        languages=list(d.languages),
        contact=contact_out(d.contact) if contacts_visible else None,
        team=[TeamMemberOut(name=m.name, role=m.role) for m in d.team],
        taxonomy_codes=list(d.taxonomy_codes),
        revision=t.revision,
        registered_at=t.registered_at,
        updated_at=t.updated_at,
    )


def contact_input(body: ContactIn) -> ContactInput:
    return ContactInput(body.name, body.email, body.phone, body.role)


def organisation_details_of(body: OrganisationIn, ref: Reference) -> OrganisationDetails:
    """The organisation's details as the request gives them, validated."""
    return organisation_details(
        name_zh=body.name_zh,
        name_en=body.name_en,
        kind=body.kind,
        district_code=body.district_code,
        credit_code_value=body.credit_code,
        platforms=[(p.level, p.name) for p in body.platforms],
        taxonomy_codes=body.taxonomy_codes,
        description_zh=body.description_zh,
        description_en=body.description_en,
        contacts=[contact_input(c) for c in body.contacts],
        ref=ref,
    )


def talent_details_of(body: TalentIn, ref: Reference) -> TalentDetails:
    """The talent's details as the request gives them, validated with the consent given."""
    return talent_details(
        name_zh=body.name_zh,
        name_en=body.name_en,
        degree=body.degree,
        field_zh=body.field_zh,
        field_en=body.field_en,
        institution_zh=body.institution_zh,
        institution_en=body.institution_en,
        country=body.country,
        location=body.location,
        timezone=body.timezone,
        languages=body.languages,
        contact=contact_input(body.contact),
        team=[(m.name, m.role) for m in body.team],
        taxonomy_codes=body.taxonomy_codes,
        consent=consent_of(body),
        ref=ref,
    )


def consent_of(body: TalentIn) -> tuple[str, Sequence[str]]:
    """The notice version and purposes the person agreed to."""
    return body.consent.notice_version, body.consent.purposes
