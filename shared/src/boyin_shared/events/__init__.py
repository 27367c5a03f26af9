"""Integration events: the CloudEvents-shaped envelope, the catalog and the codec."""

from boyin_shared.events.envelope import (
    CATALOG,
    Event,
    EventData,
    UndecodableEvent,
    decode,
    encode,
)

__all__ = ["CATALOG", "Event", "EventData", "UndecodableEvent", "decode", "encode"]
