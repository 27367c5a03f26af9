"""Events on topic ``boyin.attachments.holds``, published by every service that keeps a
reference to a file of the registry's attachment store (agreements' documents): the
registry owns the files and removes those nobody holds after a grace period, and learns
who holds what from these events, never by reading another service's data.

The subject is the attachment's id (its events keep their order); a holder is named by
its service, the kind of thing that holds the file and its id. Both events are
idempotent facts: holding twice is one hold, releasing what is not held is nothing.
"""

from __future__ import annotations

from typing import ClassVar

from boyin_shared.events import Event, EventData

TOPIC = "boyin.attachments.holds"


class AttachmentHold(EventData):
    attachment_id: str
    #: the service that holds it ("agreements")
    service: str
    #: what holds it there ("agreement")
    holder_kind: str
    holder_id: str


class _HoldEvent(Event, source="/boyin/attachment-holders"):
    topic: ClassVar[str] = TOPIC


class AttachmentHeld(_HoldEvent, type="boyin.attachments.attachment.held", schemaversion=1):
    """A service now refers to the file: it must not be removed."""

    data: AttachmentHold


class AttachmentReleased(_HoldEvent, type="boyin.attachments.attachment.released", schemaversion=1):
    """The holder no longer refers to it."""

    data: AttachmentHold
