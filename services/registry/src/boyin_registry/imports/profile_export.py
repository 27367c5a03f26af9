"""Talents and organisations as rows of their import formats, for exports. Pure.

The key an export writes is the profile's id, which a re-import recognises, so an exported
file edited and imported again changes the same profiles. A talent's row carries the last
consent they gave, so it reads back as given.
"""

from __future__ import annotations

from boyin_registry.imports.export import listed
from boyin_registry.imports.profile_columns import SLOTS
from boyin_registry.profiles.domain import Organisation, Talent
from boyin_shared.spreadsheets import Cell


def profile_cells(profile: Talent | Organisation, *, contacts: bool) -> dict[str, Cell]:
    """One profile as a row of its import format; its contacts only when ``contacts``."""
    if isinstance(profile, Talent):
        return _talent_cells(profile, contacts=contacts)
    return _organisation_cells(profile, contacts=contacts)


def _organisation_cells(org: Organisation, *, contacts: bool) -> dict[str, Cell]:
    d = org.details
    cells: dict[str, Cell] = {
        "external_ref": org.id,
        "name_zh": d.name.zh,
        "name_en": d.name.en,
        "kind": d.kind.value,
        "district_code": d.district_code,
        "credit_code": d.credit_code,
        "taxonomy_codes": listed(d.taxonomy_codes),
        "description_zh": d.description.zh,
        "description_en": d.description.en,
        "organisation_id": org.id,
    }
    for slot, platform in enumerate(d.platforms[:SLOTS], start=1):
        cells[f"platform_{slot}_level"] = platform.level.value
        cells[f"platform_{slot}_name"] = platform.name
    for slot, contact in enumerate(d.contacts[:SLOTS] if contacts else (), start=1):
        cells[f"contact_{slot}_name"] = contact.name
        cells[f"contact_{slot}_email"] = contact.email
        cells[f"contact_{slot}_phone"] = contact.phone
        cells[f"contact_{slot}_role"] = contact.role
    return cells


def _talent_cells(talent: Talent, *, contacts: bool) -> dict[str, Cell]:
    d = talent.details
    consent = talent.consents[-1] if talent.consents else None
    cells: dict[str, Cell] = {
        "external_ref": talent.id,
        "name_zh": d.name.zh,
        "name_en": d.name.en,
        "degree": d.degree.value,
        "field_zh": d.field_of_study.zh,
        "field_en": d.field_of_study.en,
        "institution_zh": d.institution.zh,
        "institution_en": d.institution.en,
        "country": d.country,
        "location": d.location or None,
        "timezone": d.timezone,
        "languages": listed(d.languages),
        "taxonomy_codes": listed(d.taxonomy_codes),
        "consent_notice_version": consent.notice_version if consent else None,
        "consent_purposes": listed(consent.purposes) if consent else None,
        "talent_id": talent.id,
    }
    if contacts:
        cells |= {
            "contact_name": d.contact.name,
            "contact_email": d.contact.email,
            "contact_phone": d.contact.phone,
            "contact_role": d.contact.role,
        }
    for slot, member in enumerate(d.team[:SLOTS], start=1):
        cells[f"team_{slot}_name"] = member.name
        cells[f"team_{slot}_role"] = member.role
    return cells
