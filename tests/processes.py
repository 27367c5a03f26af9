"""Test environments of service processes against the real Kafka broker and FerretDB."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from boyin_platform.processes import ManagedProcess, platform_env
from tests.apps import SECRET


@dataclass
class Environment:
    """One isolated platform on the shared servers: its own topics and databases."""

    kafka_bootstrap: str
    mongo_url: str
    namespace: str
    logs: Path

    def process(self, service: str) -> ManagedProcess:
        env = platform_env(
            kafka_bootstrap=self.kafka_bootstrap,
            mongo_url=self.mongo_url,
            namespace=self.namespace,
            secret=SECRET,
        )
        env |= {"BOYIN_KAFKA_PARTITIONS": "4", "BOYIN_OUTBOX_SWEEP_SECONDS": "0.5"}
        return ManagedProcess(service, f"boyin_{service}", env, self.logs)
