"""The event envelope.

Field names follow CloudEvents 1.0 (``specversion id type source subject time
datacontenttype``) with the extensions ``schemaversion`` (the data schema's version),
``sequence`` (the aggregate revision that produced the event, for ordering and
idempotent projections), ``traceparent`` (W3C trace context) and ``correlationid``.

Every concrete event is a frozen subclass that fixes ``type``, ``source`` and
``schemaversion`` with literals and types ``data``; defining it registers it in
:data:`CATALOG` under ``(type, schemaversion)``. An incompatible change to ``data``
is a new class with the next ``schemaversion``, never an edit: the contract test in
``tests/contracts`` snapshots every schema.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar, Literal, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, ValidationError

from boyin_shared import tracing
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
        """A new event stamped with a fresh id, the current time and trace context."""
        trace = tracing.current_or_new().child()
        return cls.model_validate(
            {
                "id": new_id("ev_"),
                "subject": subject,
                "time": utcnow(),
                "data": data,
                "sequence": sequence,
                "traceparent": trace.traceparent,
                "correlationid": correlationid,
            }
        )

    def trace_context(self) -> tracing.TraceContext | None:
        return tracing.TraceContext.parse(self.traceparent)


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
