"""Which attachments other services hold, from their events (idempotent: a hold is one
document, keyed by the attachment and its holder)."""

from __future__ import annotations

from boyin_registry.attachments.repository import AttachmentHolds
from boyin_shared.bus import Subscription
from boyin_shared.contracts.attachments import AttachmentHeld, AttachmentReleased


def subscription(holds: AttachmentHolds) -> Subscription:
    async def on_held(event: AttachmentHeld) -> None:
        await holds.hold(event.data)

    async def on_released(event: AttachmentReleased) -> None:
        await holds.release(event.data)

    return Subscription(
        "registry.attachments", {AttachmentHeld: on_held, AttachmentReleased: on_released}
    )
