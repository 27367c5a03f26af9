"""Removing uploads nobody holds: a file uploaded and never attached (or no longer) to a
demand here, nor held by another service (as its ``AttachmentHeld`` events say), is
removed once it has been idle for the grace period.

Idempotent and safe to run in several processes: a record is removed only as it was read
(an attachment used meanwhile, being attached to a demand, is kept), its file only when no
record names it any more and it was not uploaded again within the grace period."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from prometheus_client import Counter

from boyin_registry.attachments.repository import AttachmentHolds, AttachmentRecords, LocalFileStore
from boyin_registry.demands.repository import Demands
from boyin_shared.clock import utcnow

log = logging.getLogger("boyin.registry.attachments")

REMOVED = Counter("boyin_orphan_uploads_removed_total", "Uploads removed as held by nothing")
#: attachments looked at per sweep (the next sweep goes on)
PER_SWEEP = 500


@dataclass
class OrphanSweep:
    records: AttachmentRecords
    files: LocalFileStore
    demands: Demands
    holds: AttachmentHolds
    grace: timedelta

    async def run(self, now: datetime | None = None) -> int:
        """Remove the attachments idle for longer than the grace period and held by
        nothing; returns how many were removed."""
        cutoff = (now or utcnow()) - self.grace
        removed = 0
        for doc in await self.records.idle_since(cutoff, PER_SWEEP):
            attachment_id = doc["_id"]
            if await self.demands.carrying(attachment_id, limit=1):
                continue
            if await self.holds.held(attachment_id):
                continue
            if not await self.records.remove(doc):
                continue  # used or changed since it was read: kept
            removed += 1
            REMOVED.inc()
            if not await self.records.share_file(doc["sha256"]):
                await self.files.remove_if_older(doc["sha256"], cutoff)
            log.info(
                "orphan upload removed",
                extra={"attachment_id": attachment_id, "uploaded_at": doc["uploaded_at"]},
            )
        return removed
