"""Events published by the registry service on topic ``boyin.registry.events``.

Contact details never travel in events: they stay in the registry and are disclosed
through its API after a mutual match.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from boyin_shared.contracts.common import LocalizedText
from boyin_shared.events import Event, EventData

TOPIC = "boyin.registry.events"
SOURCE = "/boyin/registry"


class OrganisationProfile(EventData):
    organisation_id: str
    name: LocalizedText
    kind: str
    district_code: str
    credit_code: str
    platforms: tuple[str, ...] = ()
    taxonomy_codes: tuple[str, ...] = ()
    revision: int


class TalentProfile(EventData):
    talent_id: str
    name: LocalizedText
    degree: str
    field: LocalizedText
    institution: LocalizedText
    country: str
    timezone: str
    languages: tuple[str, ...] = ()
    taxonomy_codes: tuple[str, ...] = ()
    revision: int


class ClaimSnapshot(EventData):
    criterion: str
    review: str


class DemandSnapshot(EventData):
    """A demand as others may know it: its public content, status and reviewed claims.

    ``details`` holds the channel's fields (``stage``, ``trl``, ``sought``, ``budget_wan``,
    ``positions``, ...) as in the registry's API; consumers read what they understand.
    """

    demand_id: str
    channel: Literal["PROJECT_COOPERATION", "JOB_SEEKING", "PROJECT_LANDING", "TALENT_RECRUITMENT"]
    owner_kind: Literal["talent", "organisation"]
    owner_id: str
    district_code: str | None
    status: str
    title: LocalizedText
    description: LocalizedText
    language: str
    taxonomy_codes: tuple[str, ...]
    keywords: tuple[str, ...]
    editions: tuple[str, ...]
    claims: tuple[ClaimSnapshot, ...]
    details: dict[str, str | int | bool | list[str] | None]
    expires_on: str | None
    revision: int


class DemandTransition(EventData):
    demand: DemandSnapshot
    by_role: str
    reason: str | None = None


class TaxonomyChange(EventData):
    code: str
    parent: str | None
    name: LocalizedText
    change: Literal["added", "renamed", "retired"]
    version: int


class _RegistryEvent(Event, source="/boyin/registry"):
    topic: ClassVar[str] = TOPIC


class OrganisationRegistered(
    _RegistryEvent, type="boyin.registry.organisation.registered", schemaversion=1
):
    data: OrganisationProfile


class OrganisationUpdated(
    _RegistryEvent, type="boyin.registry.organisation.updated", schemaversion=1
):
    data: OrganisationProfile


class TalentRegistered(_RegistryEvent, type="boyin.registry.talent.registered", schemaversion=1):
    data: TalentProfile


class TalentUpdated(_RegistryEvent, type="boyin.registry.talent.updated", schemaversion=1):
    data: TalentProfile


class DemandSubmitted(_RegistryEvent, type="boyin.registry.demand.submitted", schemaversion=1):
    data: DemandTransition


class DemandPublished(_RegistryEvent, type="boyin.registry.demand.published", schemaversion=1):
    data: DemandTransition


class DemandUpdated(_RegistryEvent, type="boyin.registry.demand.updated", schemaversion=1):
    """The content changed (a published demand that changes goes back to review)."""

    data: DemandTransition


class DemandReturned(_RegistryEvent, type="boyin.registry.demand.returned", schemaversion=1):
    data: DemandTransition


class DemandRejected(_RegistryEvent, type="boyin.registry.demand.rejected", schemaversion=1):
    data: DemandTransition


class DemandWithdrawn(_RegistryEvent, type="boyin.registry.demand.withdrawn", schemaversion=1):
    data: DemandTransition


class DemandExpired(_RegistryEvent, type="boyin.registry.demand.expired", schemaversion=1):
    data: DemandTransition


class TaxonomyChanged(_RegistryEvent, type="boyin.registry.taxonomy.changed", schemaversion=1):
    data: TaxonomyChange
