"""Build the configured adapters: which bus, which store."""

from __future__ import annotations

from boyin_shared.bus import EventBus
from boyin_shared.bus.embedded import EmbeddedBus
from boyin_shared.bus.kafka import KafkaBus
from boyin_shared.settings import PlatformSettings
from boyin_shared.store import DocumentStore
from boyin_shared.store.mongo import MongoStore
from boyin_shared.store.sqlite import SqliteStore


def make_bus(settings: PlatformSettings, client_id: str) -> EventBus:
    if settings.bus == "kafka":
        return KafkaBus(
            settings.kafka_bootstrap,
            client_id=client_id,
            partitions=settings.kafka_partitions,
            replication_factor=settings.kafka_replication_factor,
            topic_prefix=settings.kafka_topic_prefix,
        )
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return EmbeddedBus(settings.data_dir / "bus.sqlite")


def make_store(settings: PlatformSettings, service: str) -> DocumentStore:
    if settings.store == "mongo":
        return MongoStore(settings.mongo_url, settings.database_name(service))
    return SqliteStore(settings.data_dir / f"{service}.sqlite")
