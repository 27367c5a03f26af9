"""The one list of the platform's services, in start-up order, and how each is deployed.

Everything here is what differs between services; what is the same for all of them
(image, probes, security context, settings) lives in the templates in
``deploy/templates``. ``uv run python -m boyin_platform.manifests --write`` writes
``deploy/compose/compose.yaml`` and ``deploy/k8s`` (each service's manifest, the
kustomization, the ConfigMap's service URLs) from this list, and ``tests/deploy`` fails
when the committed files differ. The single-process platform, ``deploy/local.sh`` and the
OpenAPI snapshots take their services from here too.

A service ``<name>`` is the package ``boyin_<name>`` (``services/<name>``): its
``boyin_<name>.app.definition`` is what the platform hosts, and ``python -m boyin_<name>``
is what a container runs. This module does not import the services (the manifests
generator has no need of them); :func:`definitions` does.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from boyin_shared.service import ServiceDefinition


@dataclass(frozen=True)
class Resources:
    """Kubernetes requests and limits of one pod."""

    cpu: str
    memory: str
    cpu_limit: str
    memory_limit: str
    #: why this much, written above the numbers in the manifest
    note: str = ""


@dataclass(frozen=True)
class Replicas:
    """A fixed number of pods, rolled one at a time (one extra, none unavailable)."""

    count: int


@dataclass(frozen=True)
class Singleton:
    """One pod, replaced (not rolled), for ``why``."""

    why: str


@dataclass(frozen=True)
class Autoscaled:
    """Between ``least`` and ``most`` pods on CPU, with a disruption budget of one pod.

    All pods of a service form one consumer group and Kafka gives each partition to one
    member, so ``most`` must not exceed ``BOYIN_KAFKA_PARTITIONS``. Compose runs
    ``least`` replicas, to show the group splitting the partitions."""

    least: int
    most: int
    cpu_percent: int = 70


Scale = Replicas | Singleton | Autoscaled


@dataclass(frozen=True)
class Service:
    """One service as the platform and the deploy files know it."""

    name: str
    scale: Scale
    resources: Resources

    @property
    def module(self) -> str:
        """The package, and what ``python -m`` runs."""
        return f"boyin_{self.name}"

    def definition(self) -> ServiceDefinition:
        """The service's definition (imports the service)."""
        found = importlib.import_module(f"{self.module}.app").definition
        if not isinstance(found, ServiceDefinition) or found.name != self.name:
            raise TypeError(f"{self.module}.app.definition is not the {self.name} service")
        return found


SERVICES: tuple[Service, ...] = (
    Service("registry", Replicas(2), Resources("100m", "256Mi", "1", "512Mi")),
    Service("matching", Autoscaled(least=2, most=6), Resources("250m", "768Mi", "1", "1536Mi")),
    Service(
        "scheduling",
        Singleton(
            why="a solve runs in the process that started it, and a process that starts "
            'marks any solve still "running" as interrupted'
        ),
        Resources(
            "500m",
            "512Mi",
            "2",
            "1536Mi",
            note="CP-SAT solves on two workers; 5,000 requests take about 600 MiB",
        ),
    ),
    Service("agreements", Replicas(2), Resources("100m", "256Mi", "1", "512Mi")),
    Service("mentors", Replicas(2), Resources("100m", "256Mi", "1", "512Mi")),
)


def definitions() -> tuple[ServiceDefinition, ...]:
    """Every service's definition, in start-up order."""
    return tuple(service.definition() for service in SERVICES)
