"""The services that make up the platform, in start-up order."""

from __future__ import annotations

from boyin_matching.app import definition as matching
from boyin_registry.app import definition as registry
from boyin_scheduling.app import definition as scheduling
from boyin_shared.service import ServiceDefinition

SERVICES: tuple[ServiceDefinition, ...] = (registry, matching, scheduling)
