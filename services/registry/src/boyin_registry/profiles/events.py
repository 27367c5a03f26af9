"""From organisations and talents to their integration events (no contact details)."""

from __future__ import annotations

from boyin_registry.profiles.domain import Bilingual, Organisation, Talent
from boyin_shared.contracts.common import LocalizedText
from boyin_shared.contracts.registry import (
    OrganisationProfile,
    OrganisationRegistered,
    OrganisationUpdated,
    TalentProfile,
    TalentRegistered,
    TalentUpdated,
)


def localized(value: Bilingual) -> LocalizedText:
    return LocalizedText(zh=value.zh, en=value.en)


def organisation_profile(org: Organisation) -> OrganisationProfile:
    d = org.details
    return OrganisationProfile(
        organisation_id=org.id,
        name=localized(d.name),
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
        name=localized(d.name),
        degree=d.degree.value,
        field=localized(d.field_of_study),
        institution=localized(d.institution),
        country=d.country,
        timezone=d.timezone,
        languages=d.languages,
        taxonomy_codes=d.taxonomy_codes,
        revision=talent.revision,
    )


def talent_event(talent: Talent) -> TalentRegistered | TalentUpdated:
    cls = TalentRegistered if talent.revision == 1 else TalentUpdated
    return cls.create(subject=talent.id, data=talent_profile(talent), sequence=talent.revision)
