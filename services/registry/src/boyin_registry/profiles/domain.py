"""Who registers: organisations in Chongqing and talents (PhDs, postdocs and their teams).

Plain Python: the aggregates and their values; validating what a party says about itself
is :mod:`boyin_registry.profiles.validation`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import datetime

from boyin_shared.api.registry import Degree, OrganisationKind, PlatformLevel


@dataclass(frozen=True)
class Bilingual:
    """Text in Chinese, English or both."""

    zh: str | None = None
    en: str | None = None


@dataclass(frozen=True)
class Contact:
    """Private: shown to the owner, operators, and a counterpart after a mutual match."""

    name: str
    email: str | None = None
    phone: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class Platform:
    level: PlatformLevel
    name: str


@dataclass(frozen=True)
class OrganisationDetails:
    name: Bilingual
    kind: OrganisationKind
    district_code: str
    credit_code: str
    platforms: tuple[Platform, ...] = ()
    taxonomy_codes: tuple[str, ...] = ()
    description: Bilingual = field(default_factory=Bilingual)
    contacts: tuple[Contact, ...] = ()


@dataclass(frozen=True)
class Organisation:
    id: str
    details: OrganisationDetails
    revision: int
    registered_at: datetime
    updated_at: datetime

    def updated(self, details: OrganisationDetails, now: datetime) -> Organisation:
        return replace(self, details=details, revision=self.revision + 1, updated_at=now)


@dataclass(frozen=True)
class TeamMember:
    name: str
    role: str


@dataclass(frozen=True)
class TalentDetails:
    name: Bilingual
    degree: Degree
    field_of_study: Bilingual
    institution: Bilingual
    country: str
    location: str
    timezone: str
    languages: tuple[str, ...]
    contact: Contact
    team: tuple[TeamMember, ...] = ()
    taxonomy_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Consent:
    """What a person agreed to when their data was collected."""

    notice_version: str
    purposes: tuple[str, ...]
    at: datetime


#: Why the registry collects a talent's personal data; each must be agreed to.
PURPOSES = ("REGISTRATION", "MATCHING", "CONTACT_AFTER_MUTUAL_MATCH")


@dataclass(frozen=True)
class Talent:
    id: str
    details: TalentDetails
    revision: int
    registered_at: datetime
    updated_at: datetime
    consents: tuple[Consent, ...] = ()
    erased_at: datetime | None = None

    def updated(self, details: TalentDetails, now: datetime) -> Talent:
        return replace(self, details=details, revision=self.revision + 1, updated_at=now)

    def erased(self, now: datetime) -> Talent:
        """The profile with the person's data removed (the record stays for references)."""
        blank = Bilingual(zh="已删除用户", en="Deleted user")
        details = replace(
            self.details,
            name=blank,
            field_of_study=Bilingual(),
            institution=Bilingual(),
            location="",
            contact=Contact(name="", email=f"erased+{self.id}@invalid"),
            team=(),
        )
        return replace(
            self, details=details, revision=self.revision + 1, updated_at=now, erased_at=now
        )


def own_profile_id(prefix: str, account_id: str) -> str:
    """The id of the one profile an account registers for itself: derived from the account,
    so that concurrent registrations by one account all name the same profile and the
    store's unique id lets only one of them be created (no transaction needed)."""
    return prefix + hashlib.sha256(account_id.encode()).hexdigest()[:28]
