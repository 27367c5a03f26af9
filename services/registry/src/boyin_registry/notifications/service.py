"""Use cases of notifications: planning a message per recipient from an event (its own
outbox, keyed so nothing is planned twice), delivering what is due with retry and backoff,
and a party's preferences and one-click unsubscribe.

Delivery is at least once. The sender marks a notification sent after the channel accepted
it; a stop between the two is waited out (the message is marked before the task ends), but
a crash there (the process killed) sends it again on the next start. The resend carries the
same Message-ID, which mail clients and many servers use to drop the duplicate, and the
embedded mailbox keeps it once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import quote

from boyin_registry.demands.repository import Demands
from boyin_registry.notifications.domain import (
    BACKOFF_BASE,
    Attachment,
    Channel,
    Message,
    Notification,
    Preferences,
    Status,
    may_manage,
    may_read_mailbox,
    message_id,
    notification_id,
    read_unsubscribe_token,
    unsubscribe_token,
)
from boyin_registry.notifications.repository import Mailbox, Notifications, PreferenceBook
from boyin_registry.notifications.templates import Letter, Party, Text, render
from boyin_registry.profiles.domain import Bilingual, Contact
from boyin_registry.profiles.repository import Organisations, Talents
from boyin_shared.api.registry import MailLanguage, NotificationKind
from boyin_shared.clock import utcnow
from boyin_shared.errors import BoyinError, forbidden
from boyin_shared.errors import Message as ErrorMessage
from boyin_shared.identity import Actor

log = logging.getLogger("boyin.registry.notifications")


def _text(b: Bilingual) -> Text:
    return Text(b.zh or b.en or "", b.en or b.zh or "")


def _contact_lines(contacts: Sequence[Contact]) -> tuple[str, ...]:
    return tuple(" · ".join(x for x in (c.name, c.role, c.email, c.phone) if x) for c in contacts)


@dataclass(frozen=True)
class Recipient:
    """A party as notifications see it: whom to write to, and how others name it."""

    party: Party
    addresses: tuple[str, ...]


@dataclass
class Directory:
    """Names, addresses and demand titles, read from the registry's own profiles and
    demands (addresses never leave the registry)."""

    talents: Talents
    organisations: Organisations
    demands: Demands

    async def recipient(self, party_id: str) -> Recipient | None:
        talent = await self.talents.get(party_id)
        if talent is not None:
            t = talent.aggregate
            if t.erased_at is not None:
                return None
            contact = t.details.contact
            return Recipient(
                Party(_text(t.details.name), _contact_lines([contact])),
                (contact.email,) if contact.email else (),
            )
        org = await self.organisations.get(party_id)
        if org is None:
            return None
        o = org.aggregate.details
        return Recipient(
            Party(_text(o.name), _contact_lines(o.contacts)),
            tuple(dict.fromkeys(c.email for c in o.contacts if c.email)),
        )

    async def name(self, party_id: str) -> Party:
        """How a counterpart is named in a message (without its contact details)."""
        found = await self.recipient(party_id)
        return Party(found.party.name) if found else Party(Text("对方", "the other party"))

    async def demand_title(self, demand_id: str | None) -> Text:
        loaded = await self.demands.get(demand_id) if demand_id else None
        if loaded is None:
            return Text("您的需求", "your demand")
        return _text(loaded.aggregate.content.title)


@dataclass(frozen=True)
class Links:
    """The unsubscribe links, on the gateway's public address."""

    public_url: str
    key: bytes

    def unsubscribe(self, party_id: str, kind: NotificationKind | None) -> str:
        token = unsubscribe_token(party_id, kind, self.key)
        return f"{self.public_url.rstrip('/')}/unsubscribe?token={quote(token)}"


@dataclass
class Notifier:
    """Plans notifications: one per event, recipient and channel, as the recipient's
    preferences allow."""

    notifications: Notifications
    preferences: PreferenceBook
    directory: Directory
    links: Links
    channel: str = "email"
    mail_domain: str = "boyin.example"

    async def plan(
        self,
        event_id: str,
        kind: NotificationKind,
        party_id: str,
        letter: Letter,
        attachments: tuple[Attachment, ...] = (),
    ) -> bool:
        """Store the message for ``party_id`` (False: not wanted, no address, or planned
        already)."""
        prefs = await self.preferences.of(party_id)
        if not prefs.wants(kind):
            return False
        recipient = await self.directory.recipient(party_id)
        if recipient is None or not recipient.addresses:
            log.info("no address for %s: %s not sent", party_id, kind.value)
            return False
        nid = notification_id(event_id, party_id, self.channel)
        url = self.links.unsubscribe(party_id, kind)
        subject, text = render(letter, prefs.language, url)
        now = utcnow()
        message = Message(
            message_id(nid, self.mail_domain), recipient.addresses, subject, text, attachments, url
        )
        return await self.notifications.add(
            Notification(nid, kind, party_id, self.channel, message, Status.PENDING, 0, now, now)
        )


@dataclass
class Sender:
    """Delivers the notifications that are due, each through its channel; a failure is
    retried with backoff (``Notification.failed``)."""

    notifications: Notifications
    channels: Mapping[str, Channel]
    backoff_base: timedelta = BACKOFF_BASE
    lease: timedelta = timedelta(minutes=2)
    batch: int = 50
    _stopping: bool = field(default=False, init=False)

    async def deliver_due(self) -> int:
        """Deliver what is due now; returns how many were sent. Stopped or cancelled, it
        finishes the message in hand and gives back the leases of the others."""
        sent = 0
        claimed = await self.notifications.claim_due(utcnow(), self.lease, self.batch)
        try:
            while claimed and not self._stopping:
                # the message in hand is finished even when the task is cancelled (the
                # service stopping), so what the channel accepted is marked sent
                attempt = asyncio.ensure_future(self._deliver(claimed[0]))
                try:
                    ok = await asyncio.shield(attempt)
                except asyncio.CancelledError:
                    await attempt
                    claimed.pop(0)
                    raise
                claimed.pop(0)
                sent += ok
        finally:
            if claimed:
                await self.notifications.release([n.id for n in claimed])
        return sent

    async def _deliver(self, n: Notification) -> bool:
        channel = self.channels[n.channel]
        try:
            await channel.send(n.message)
        except Exception as exc:
            settled = n.failed(f"{type(exc).__name__}: {exc}"[:500], utcnow(), self.backoff_base)
            log.warning(
                "notification %s not delivered (attempt %d): %s", n.id, settled.attempts, exc
            )
            await self.notifications.settle(settled)
            return False
        await self.notifications.settle(n.sent(utcnow()))
        return True

    async def run(self, interval: float) -> None:
        """Deliver what is due every ``interval`` seconds until stopped or cancelled."""
        self._stopping = False
        while not self._stopping:
            try:
                await self.deliver_due()
            except Exception:
                log.exception("delivering notifications failed; will try again")
            await asyncio.sleep(interval)

    def stop(self) -> None:
        self._stopping = True


def _not_yours() -> BoyinError:
    return forbidden(
        ErrorMessage("无权管理该用户的通知设置", "you may not manage this party's notifications")
    )


@dataclass
class NotificationSettings:
    """A party's preferences, the unsubscribe links, and the embedded mailbox."""

    preferences: PreferenceBook
    key: bytes
    mailbox: Mailbox | None

    async def of(self, actor: Actor, party_id: str) -> Preferences:
        if not may_manage(actor, party_id):
            raise _not_yours()
        return await self.preferences.of(party_id)

    async def set(
        self,
        actor: Actor,
        party_id: str,
        kinds: Sequence[NotificationKind],
        language: MailLanguage,
    ) -> Preferences:
        if not may_manage(actor, party_id):
            raise _not_yours()
        prefs = Preferences(party_id, frozenset(kinds), language)
        await self.preferences.put(prefs)
        return prefs

    async def unsubscribe(self, token: str) -> tuple[str, NotificationKind | None, Preferences]:
        """What a link's holder asks: no sign-in, the signed token is the proof."""
        claims = read_unsubscribe_token(token, self.key)
        if claims is None:
            raise BoyinError(
                code="INVALID_UNSUBSCRIBE_LINK",
                message=ErrorMessage("退订链接无效", "this unsubscribe link is not valid"),
                status=400,
            )
        party_id, kind = claims
        prefs = (await self.preferences.of(party_id)).without(kind)
        await self.preferences.put(prefs)
        return party_id, kind, prefs

    async def kept_mail(self, actor: Actor, limit: int) -> list[tuple[Message, datetime]]:
        if not may_read_mailbox(actor):
            raise forbidden(
                ErrorMessage("只有运营人员可以查看邮箱", "only operators may read the mailbox")
            )
        return [] if self.mailbox is None else await self.mailbox.latest(limit)
