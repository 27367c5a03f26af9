"""The event envelope.

Field names follow CloudEvents 1.0 (``specversion id type source subject time
datacontenttype``) with the extensions ``schemaversion`` (the data schema's version),
``sequence`` (the aggregate revision that produced the event, for ordering and
idempotent projections), ``traceparent`` (W3C trace context) and ``correlationid``.

``traceparent`` names the span that wrote the event (the request or handler that made it),
then, once relayed, the outbox relay's span that published it (:mod:`boyin_shared.outbox`):
a consumer's handler continues that trace (on Kafka from the record's own ``traceparent``
header, which names the send span under the relay's; see :mod:`boyin_shared.bus.dispatch`).

Every concrete event is a frozen subclass that names its ``type`` and ``schemaversion``
(and, usually on a service's base class, its ``source``) once, as class keywords, and
types ``data``::

    class _MatchingEvent(Event, source="/boyin/matching"):
        topic: ClassVar[str] = TOPIC

    class MatchProposed(_MatchingEvent, type="boyin.matching.match.proposed", schemaversion=1):
        data: Proposal

Each keyword becomes the field's ``Literal`` type and its default, exactly as if written
``type: Literal["boyin.matching.match.proposed"] = "boyin.matching.match.proposed"``
(which is refused, so that each type is spelt once). Defining a concrete event registers
it in :data:`CATALOG` under ``(type, schemaversion)``. An incompatible change to ``data``
is a new class with the next ``schemaversion``, never an edit: the contract test in
``tests/contracts`` snapshots every schema.
"""

from __future__ import annotations

import inspect
import json
from typing import Any, ClassVar, Literal, Self

from opentelemetry.context import Context
from pydantic import AwareDatetime, BaseModel, ConfigDict, ValidationError

from boyin_shared import propagation
from boyin_shared.clock import new_id, utcnow


class EventData(BaseModel):
    """Base of every event payload: immutable, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Event(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    #: The Kafka topic of the publishing service; the message key is ``subject``.
    topic: ClassVar[str] = ""

    specversion: Literal["1.0"] = "1.0"
    id: str
    type: str
    source: str
    subject: str
    time: AwareDatetime
    datacontenttype: Literal["application/json"] = "application/json"
    schemaversion: int
    sequence: int | None = None
    traceparent: str | None = None
    correlationid: str | None = None
    data: EventData

    def __init_subclass__(
        cls,
        *,
        type: str | None = None,
        schemaversion: int | None = None,
        source: str | None = None,
        **kwargs: Any,
    ) -> None:
        """Turn the class keywords into ``Literal`` fields with that default; this runs
        before pydantic collects the fields from the class's annotations."""
        own = inspect.get_annotations(cls)  # this class's own, not its bases'
        for name, value in (("type", type), ("schemaversion", schemaversion), ("source", source)):
            if name in own:
                raise TypeError(
                    f"{cls.__name__}: give {name} once, as a class keyword "
                    f"(class {cls.__name__}(..., {name}=...)), not as a field"
                )
            if value is not None:
                cls.__annotations__[name] = Literal[value]
                setattr(cls, name, value)
        super().__init_subclass__(**kwargs)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        type_default = cls.model_fields["type"].default
        version_default = cls.model_fields["schemaversion"].default
        if isinstance(type_default, str) and isinstance(version_default, int):
            if not cls.topic:
                raise TypeError(f"{cls.__name__} must name its topic")
            key = (type_default, version_default)
            if key in CATALOG and CATALOG[key] is not cls:
                raise TypeError(f"event {key} is defined twice")
            CATALOG[key] = cls

    @classmethod
    def create(
        cls,
        *,
        subject: str,
        data: EventData,
        sequence: int | None = None,
        correlationid: str | None = None,
    ) -> Self:
        """A new event stamped with a fresh id, the current time and trace context (none
        outside a trace, or while tracing is off)."""
        return cls.model_validate(
            {
                "id": new_id("ev_"),
                "subject": subject,
                "time": utcnow(),
                "data": data,
                "sequence": sequence,
                "traceparent": propagation.traceparent(),
                "correlationid": correlationid,
            }
        )

    def trace_context(self) -> Context:
        """The trace context the event continues (an empty one when it has none)."""
        return propagation.of_traceparent(self.traceparent)


CATALOG: dict[tuple[str, int], type[Event]] = {}


class UndecodableEvent(ValueError):
    """A message that is not a known, valid event; the reason goes to the dead-letter topic."""


def encode(event: Event) -> bytes:
    return event.model_dump_json().encode()


def decode(raw: bytes | str | dict[str, Any]) -> Event:
    try:
        obj = raw if isinstance(raw, dict) else json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UndecodableEvent(f"not JSON: {exc}") from exc
    if not isinstance(obj, dict):
        raise UndecodableEvent("not a JSON object")
    kind, version = obj.get("type"), obj.get("schemaversion")
    cls = (
        CATALOG.get((kind, version)) if isinstance(kind, str) and isinstance(version, int) else None
    )
    if cls is None:
        known = sorted(v for (t, v) in CATALOG if t == kind)
        if known:
            raise UndecodableEvent(
                f"unsupported schemaversion {version!r} of {kind} (supported: {known})"
            )
        raise UndecodableEvent(f"unknown event type {kind!r}")
    try:
        return cls.model_validate(obj)
    except ValidationError as exc:
        raise UndecodableEvent(f"invalid {kind} v{version}: {exc}") from exc
