"""Where notifications are kept: every query and write of the ``notifications`` (the
feature's own outbox of messages to send), ``notification_preferences``, ``mailbox`` (the
embedded channel) and ``notification_keys`` collections."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from boyin_registry.notifications.domain import (
    Attachment,
    Message,
    Notification,
    Preferences,
    Status,
)
from boyin_shared.api.registry import MailLanguage, NotificationKind
from boyin_shared.clock import new_id, utcnow
from boyin_shared.store import AlreadyExists, DocumentStore, Edit, Index, Update


def _message_state(m: Message) -> dict[str, Any]:
    return {
        "message_id": m.message_id,
        "to": list(m.to),
        "subject": m.subject,
        "text": m.text,
        "attachments": [
            {
                "filename": a.filename,
                "content_type": a.content_type,
                "data": base64.b64encode(a.data).decode(),
            }
            for a in m.attachments
        ],
        "unsubscribe_url": m.unsubscribe_url,
    }


def _message_from(doc: dict[str, Any]) -> Message:
    return Message(
        message_id=doc["message_id"],
        to=tuple(doc["to"]),
        subject=doc["subject"],
        text=doc["text"],
        attachments=tuple(
            Attachment(a["filename"], a["content_type"], base64.b64decode(a["data"]))
            for a in doc["attachments"]
        ),
        unsubscribe_url=doc["unsubscribe_url"],
    )


def _when(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def notification_from(doc: dict[str, Any]) -> Notification:
    sent_at = doc["sent_at"]
    return Notification(
        id=doc["_id"],
        kind=NotificationKind(doc["kind"]),
        party_id=doc["party_id"],
        channel=doc["channel"],
        message=_message_from(doc["message"]),
        status=Status(doc["status"]),
        attempts=doc["attempts"],
        next_at=datetime.fromisoformat(doc["next_at"]),
        created_at=datetime.fromisoformat(doc["created_at"]),
        sent_at=None if sent_at is None else datetime.fromisoformat(sent_at),
        last_error=doc["last_error"],
    )


@dataclass
class Notifications:
    """The planned messages, one document per (event, recipient, channel); the sender
    claims one with a lease so two registry replicas never send it at the same time."""

    store: DocumentStore

    def __post_init__(self) -> None:
        self.collection = self.store.collection("notifications")

    async def prepare(self) -> None:
        await self.collection.ensure_indexes(
            [
                Index((("status", 1), ("next_at", 1))),
                Index((("party_id", 1), ("created_at", 1))),
                Index((("lease", 1),)),
            ]
        )

    async def add(self, n: Notification) -> bool:
        """Store a new notification; False when one with its key exists (a repeat)."""
        try:
            await self.collection.insert(
                {
                    "_id": n.id,
                    "kind": n.kind.value,
                    "party_id": n.party_id,
                    "channel": n.channel,
                    "message": _message_state(n.message),
                    "status": n.status.value,
                    "attempts": n.attempts,
                    "next_at": n.next_at.isoformat(),
                    "created_at": n.created_at.isoformat(),
                    "sent_at": _when(n.sent_at),
                    "last_error": n.last_error,
                    "lease_until": "",
                    "lease": "",
                }
            )
        except AlreadyExists:
            return False
        return True

    async def claim_due(self, now: datetime, lease: timedelta, limit: int) -> list[Notification]:
        """Pending notifications due by ``now``, each leased to this caller for ``lease``
        (one another replica holds is skipped until its lease runs out)."""
        docs = await self.collection.find(
            {"status": Status.PENDING.value, "next_at": {"$lte": now.isoformat()}},
            sort=[("next_at", 1)],
            limit=limit,
        )
        until = (now + lease).isoformat()
        claim = new_id("clm_")
        free = [d for d in docs if d["lease_until"] <= now.isoformat()]
        # one round trip: each lease is guarded by the revision read, so of two senders
        # that read the same notification only the first takes it
        await self.collection.update_many(
            [
                Edit(
                    d["_id"],
                    Update(set={"lease_until": until, "lease": claim}),
                    {"_rev": d["_rev"]},
                )
                for d in free
            ]
        )
        taken = await self.collection.find({"lease": claim}, sort=[("next_at", 1)])
        return [notification_from(d) for d in taken]

    async def release(self, ids: list[str]) -> None:
        """Give back the leases of notifications this sender claimed but did not try."""
        await self.collection.update_many(
            [
                Edit(
                    i,
                    Update(set={"lease_until": "", "lease": ""}),
                    {"status": Status.PENDING.value},
                )
                for i in ids
            ]
        )

    async def settle(self, n: Notification) -> None:
        """Write a delivery's outcome (sent, or due again later, or given up)."""
        await self.collection.update(
            n.id,
            Update(
                set={
                    "status": n.status.value,
                    "attempts": n.attempts,
                    "next_at": n.next_at.isoformat(),
                    "sent_at": _when(n.sent_at),
                    "last_error": n.last_error,
                    "lease_until": "",
                    "lease": "",
                }
            ),
        )

    async def get(self, notification_id: str) -> Notification | None:
        doc = await self.collection.get(notification_id)
        return None if doc is None else notification_from(doc)

    async def of_party(self, party_id: str) -> list[Notification]:
        docs = await self.collection.find({"party_id": party_id}, sort=[("created_at", 1)])
        return [notification_from(d) for d in docs]

    async def count(self, status: Status) -> int:
        return await self.collection.count({"status": status.value})


@dataclass
class PreferenceBook:
    store: DocumentStore

    def __post_init__(self) -> None:
        self.collection = self.store.collection("notification_preferences")

    async def of(self, party_id: str) -> Preferences:
        doc = await self.collection.get(party_id)
        if doc is None:
            return Preferences.default(party_id)
        return Preferences(
            party_id,
            frozenset(NotificationKind(k) for k in doc["kinds"]),
            MailLanguage(doc["language"]),
        )

    async def put(self, prefs: Preferences) -> None:
        state = {
            "kinds": sorted(k.value for k in prefs.kinds),
            "language": prefs.language.value,
            "updated_at": utcnow().isoformat(),
        }
        if not await self.collection.update(prefs.party_id, Update(set=state)):
            try:
                await self.collection.insert({"_id": prefs.party_id, **state})
            except AlreadyExists:  # set at the same moment elsewhere: the last write wins
                await self.collection.update(prefs.party_id, Update(set=state))


@dataclass
class Mailbox:
    """The embedded e-mail channel: keeps each message instead of sending it (when no SMTP
    server is configured), keyed by its Message-ID, so a message sent again is kept once."""

    store: DocumentStore
    name: str = "email"

    def __post_init__(self) -> None:
        self.collection = self.store.collection("mailbox")

    async def prepare(self) -> None:
        await self.collection.ensure_indexes([Index((("kept_at", -1),))])

    async def send(self, message: Message) -> None:
        try:
            await self.collection.insert(
                {
                    "_id": message.message_id,
                    **_message_state(message),
                    "kept_at": utcnow().isoformat(),
                }
            )
        except AlreadyExists:
            pass  # the same message again (a resend after a crash): kept once

    async def latest(self, limit: int) -> list[tuple[Message, datetime]]:
        docs = await self.collection.find(sort=[("kept_at", -1)], limit=limit)
        return [(_message_from(d), datetime.fromisoformat(d["kept_at"])) for d in docs]


@dataclass
class Keys:
    """The unsubscribe links' signing key when none is configured: made once, kept."""

    store: DocumentStore

    async def unsubscribe_key(self) -> bytes:
        keys = self.store.collection("notification_keys")
        try:
            await keys.insert({"_id": "unsubscribe", "key": secrets.token_hex(32)})
        except AlreadyExists:
            pass
        doc = await keys.get("unsubscribe")
        assert doc is not None
        return bytes.fromhex(doc["key"])
