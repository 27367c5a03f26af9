"""A service's dead letters over HTTP: the events its consumers gave up on, for an operator
to read and, once the cause is fixed, to replay."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel


class DeadLetterStatus(StrEnum):
    #: waiting for an operator (a fix, then a replay)
    OPEN = "OPEN"
    #: replayed: its handler has run once, successfully
    REPLAYED = "REPLAYED"


class DeadLetterOut(BaseModel):
    id: str
    service: str
    #: the consumer group that gave up on it
    group: str
    topic: str
    partition: int
    offset: int
    #: why: ``handler_failed`` (the handler kept raising) or ``undecodable``
    reason: str
    #: the last error, its class and message
    error: str
    event_id: str | None
    event_type: str | None
    subject: str | None
    status: DeadLetterStatus
    failed_at: datetime
    #: replays that failed again
    failed_replays: int
    replayed_at: datetime | None
    replayed_by: str | None


class DeadLetterPage(BaseModel):
    items: list[DeadLetterOut]
    #: pass as ``after`` for the next page; None on the last
    next_after: str | None
