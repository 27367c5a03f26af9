"""Notifications, pure: a party's preferences, the stored notification and its delivery
rules (retry with backoff, then give up), the message a channel sends, the channel port,
and the signed unsubscribe token.

A notification is stored once per (event, recipient, channel): its id is that key, so a
redelivered event stores nothing new and a message is never planned twice.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from boyin_shared.api.registry import MailLanguage, NotificationKind
from boyin_shared.identity import Actor, Role

#: a failed delivery is tried again after BACKOFF_BASE * 2**(attempts-1), at most BACKOFF_CAP
BACKOFF_BASE = timedelta(seconds=5)
BACKOFF_CAP = timedelta(hours=1)
#: after this many failed attempts a notification is given up (FAILED, kept for operators)
MAX_ATTEMPTS = 12


@dataclass(frozen=True)
class Preferences:
    """What a party wants to hear of, and in which language. Until it says otherwise:
    every kind, both languages in one message."""

    party_id: str
    kinds: frozenset[NotificationKind]
    language: MailLanguage

    @classmethod
    def default(cls, party_id: str) -> Preferences:
        return cls(party_id, frozenset(NotificationKind), MailLanguage.BOTH)

    def wants(self, kind: NotificationKind) -> bool:
        return kind in self.kinds

    def without(self, kind: NotificationKind | None) -> Preferences:
        """The preferences after unsubscribing from ``kind`` (None: from every kind)."""
        kinds = frozenset() if kind is None else self.kinds - {kind}
        return replace(self, kinds=kinds)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Message:
    """One message as a channel sends it. ``message_id`` depends only on the notification,
    so a message sent again after a crash carries the same id."""

    message_id: str
    to: tuple[str, ...]
    subject: str
    text: str
    attachments: tuple[Attachment, ...] = ()
    #: the one-click unsubscribe link (List-Unsubscribe), when the channel has one
    unsubscribe_url: str | None = None


class Channel(Protocol):
    """A way to reach a person: e-mail today (SMTP, or the embedded mailbox); an SMS or
    WeChat adapter implements the same method. ``send`` returns once the far side has
    accepted the message, and raises when it has not (the sender retries)."""

    name: str

    async def send(self, message: Message) -> None: ...


class Status(StrEnum):
    PENDING = "PENDING"
    SENT = "SENT"
    #: given up after MAX_ATTEMPTS (kept, with the last error, for operators)
    FAILED = "FAILED"


@dataclass(frozen=True)
class Notification:
    """A message planned for one recipient on one channel, and how its delivery goes."""

    id: str
    kind: NotificationKind
    party_id: str
    channel: str
    message: Message
    status: Status
    attempts: int
    next_at: datetime
    created_at: datetime
    sent_at: datetime | None = None
    last_error: str | None = None

    def sent(self, now: datetime) -> Notification:
        return replace(self, status=Status.SENT, attempts=self.attempts + 1, sent_at=now)

    def failed(self, error: str, now: datetime, base: timedelta = BACKOFF_BASE) -> Notification:
        """After a failed attempt: due again later (backoff), or given up."""
        attempts = self.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            return replace(self, status=Status.FAILED, attempts=attempts, last_error=error)
        return replace(
            self, attempts=attempts, next_at=now + backoff(attempts, base), last_error=error
        )


def notification_id(event_id: str, party_id: str, channel: str) -> str:
    """The idempotency key: one notification per event, recipient and channel."""
    return f"{event_id}:{party_id}:{channel}"


def message_id(notification: str, domain: str) -> str:
    """An RFC 5322 Message-ID that depends only on the notification."""
    digest = hashlib.sha256(notification.encode()).hexdigest()[:32]
    return f"<{digest}@{domain}>"


def backoff(attempts: int, base: timedelta = BACKOFF_BASE) -> timedelta:
    """The wait after the ``attempts``-th failure: doubling from ``base``, capped."""
    wait: timedelta = base * 2 ** (attempts - 1)
    return min(wait, BACKOFF_CAP)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def unsubscribe_token(party_id: str, kind: NotificationKind | None, secret: bytes) -> str:
    """A link's token: who unsubscribes from what, signed (HMAC-SHA256). It does not
    expire: a link in an old message must keep working."""
    body = _b64(json.dumps({"p": party_id, "k": kind.value if kind else None}).encode())
    sig = _b64(hmac.new(secret, body.encode(), hashlib.sha256).digest())
    return f"{body}.{sig}"


def read_unsubscribe_token(token: str, secret: bytes) -> tuple[str, NotificationKind | None] | None:
    """Who and what a token names, or None when it is not one of ours."""
    body, _, sig = token.partition(".")
    expected = _b64(hmac.new(secret, body.encode(), hashlib.sha256).digest())
    if not sig or not hmac.compare_digest(sig, expected):
        return None
    try:
        claims = json.loads(_unb64(body))
        kind = claims["k"]
        return str(claims["p"]), None if kind is None else NotificationKind(kind)
    except (ValueError, KeyError, TypeError):
        return None


def may_manage(actor: Actor, party_id: str) -> bool:
    """A party's preferences: the party itself, operators and administrators."""
    return actor.party_id == party_id or actor.role in (Role.OPERATOR, Role.ADMIN)


def may_read_mailbox(actor: Actor) -> bool:
    """The embedded mailbox holds everyone's messages: operators and administrators."""
    return actor.role in (Role.OPERATOR, Role.ADMIN)
