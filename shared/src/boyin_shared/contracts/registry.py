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


class _RegistryEvent(Event):
    topic: ClassVar[str] = TOPIC
    source: Literal["/boyin/registry"] = "/boyin/registry"


class OrganisationRegistered(_RegistryEvent):
    type: Literal["boyin.registry.organisation.registered"] = (
        "boyin.registry.organisation.registered"
    )
    schemaversion: Literal[1] = 1
    data: OrganisationProfile


class OrganisationUpdated(_RegistryEvent):
    type: Literal["boyin.registry.organisation.updated"] = "boyin.registry.organisation.updated"
    schemaversion: Literal[1] = 1
    data: OrganisationProfile


class TalentRegistered(_RegistryEvent):
    type: Literal["boyin.registry.talent.registered"] = "boyin.registry.talent.registered"
    schemaversion: Literal[1] = 1
    data: TalentProfile


class TalentUpdated(_RegistryEvent):
    type: Literal["boyin.registry.talent.updated"] = "boyin.registry.talent.updated"
    schemaversion: Literal[1] = 1
    data: TalentProfile
