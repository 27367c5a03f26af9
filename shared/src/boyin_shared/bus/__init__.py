"""Event bus port and its two adapters (Kafka, embedded)."""

from boyin_shared.bus.port import EventBus, Handler, Subscription

__all__ = ["EventBus", "Handler", "Subscription"]
