"""Event bus port and its two adapters (Kafka, embedded)."""

from boyin_shared.bus.port import DuplicateHandler, EventBus, Handler, Subscription, handlers

__all__ = ["DuplicateHandler", "EventBus", "Handler", "Subscription", "handlers"]
