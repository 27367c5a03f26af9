"""Notifications' outbox and sender on both stores (SQLite and FerretDB), delivering to a
real SMTP server: once each, retried after a refusal, the same Message-ID on a resend."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from boyin_registry.notifications.domain import (
    Message,
    Notification,
    Preferences,
    Status,
    message_id,
    notification_id,
)
from boyin_registry.notifications.repository import Keys, Mailbox, Notifications, PreferenceBook
from boyin_registry.notifications.service import Sender
from boyin_registry.notifications.smtp import SmtpChannel
from boyin_shared.api.registry import MailLanguage, NotificationKind
from boyin_shared.clock import utcnow
from boyin_shared.store import DocumentStore
from tests.registry.mailserver import Inbox, smtp_server

FAST = timedelta(milliseconds=10)


def planned(event: str, party: str = "tal_1") -> Notification:
    nid = notification_id(event, party, "email")
    message = Message(
        message_id(nid, "boyin.example"),
        (f"{party}@example.cn",),
        f"主题 {event} | Subject {event}",
        f"正文 {event}\n\nBody {event}",
        unsubscribe_url=f"https://boyin.example/unsubscribe?token={party}",
    )
    now = utcnow()
    return Notification(
        nid, NotificationKind.DEMAND, party, "email", message, Status.PENDING, 0, now, now
    )


def smtp(port: int) -> SmtpChannel:
    return SmtpChannel("127.0.0.1", port, "Boyin <no-reply@boyin.example>", security="none")


async def test_a_notification_is_planned_once_per_event_recipient_and_channel(
    store: DocumentStore,
) -> None:
    repo = Notifications(store)
    await repo.prepare()
    assert await repo.add(planned("ev_1"))
    assert not await repo.add(planned("ev_1"))  # the event again: nothing new
    assert await repo.add(planned("ev_1", "tal_2"))
    assert await repo.count(Status.PENDING) == 2


async def test_a_claimed_notification_is_leased_to_one_sender(store: DocumentStore) -> None:
    repo = Notifications(store)
    await repo.prepare()
    await repo.add(planned("ev_1"))
    now = utcnow()
    [claimed] = await repo.claim_due(now, timedelta(minutes=1), 10)
    assert claimed.id == "ev_1:tal_1:email"
    assert await repo.claim_due(now, timedelta(minutes=1), 10) == []  # another replica
    assert len(await repo.claim_due(now + timedelta(minutes=2), timedelta(minutes=1), 10)) == 1


async def test_each_notification_reaches_the_smtp_server_once(store: DocumentStore) -> None:
    repo, inbox = Notifications(store), Inbox()
    await repo.prepare()
    for i in range(5):
        await repo.add(planned(f"ev_{i}"))
    with smtp_server(inbox) as port:
        sender = Sender(repo, {"email": smtp(port)})
        assert await sender.deliver_due() == 5
        assert await sender.deliver_due() == 0
    assert inbox.count() == 5
    ids = [m["Message-ID"] for m in inbox.messages]
    assert sorted(ids) == sorted(
        message_id(f"ev_{i}:tal_1:email", "boyin.example") for i in range(5)
    )
    first = inbox.messages[0]
    assert first["List-Unsubscribe"] == "<https://boyin.example/unsubscribe?token=tal_1>"
    assert first["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert first["Subject"].startswith("主题 ev_")
    assert await repo.count(Status.SENT) == 5


async def test_two_senders_at_once_send_each_message_once(store: DocumentStore) -> None:
    """Two registry replicas: each claims what it can, neither sends the other's."""
    inbox = Inbox()
    first, second = Notifications(store), Notifications(store)
    await first.prepare()
    for i in range(12):
        await first.add(planned(f"ev_{i}"))
    with smtp_server(inbox) as port:
        a, b = Sender(first, {"email": smtp(port)}), Sender(second, {"email": smtp(port)})
        sent = await asyncio.gather(a.deliver_due(), b.deliver_due())
    assert sum(sent) == 12 and inbox.count() == 12
    assert len({m["Message-ID"] for m in inbox.messages}) == 12


async def test_a_refused_message_is_retried_with_backoff_and_arrives_once(
    store: DocumentStore,
) -> None:
    repo, inbox = Notifications(store), Inbox(refuse=2)
    await repo.prepare()
    await repo.add(planned("ev_1"))
    with smtp_server(inbox) as port:
        sender = Sender(repo, {"email": smtp(port)}, backoff_base=FAST)
        assert await sender.deliver_due() == 0
        after_one = await repo.get("ev_1:tal_1:email")
        assert after_one is not None and after_one.attempts == 1
        assert after_one.status is Status.PENDING and "451" in (after_one.last_error or "")
        assert await sender.deliver_due() == 0  # not due yet: backing off
        for _ in range(100):
            await asyncio.sleep(0.03)
            if await sender.deliver_due():
                break
    assert inbox.refused == 2 and inbox.count() == 1
    done = await repo.get("ev_1:tal_1:email")
    assert done is not None and done.status is Status.SENT and done.attempts == 3


async def test_an_unreachable_server_leaves_the_notification_pending(store: DocumentStore) -> None:
    repo = Notifications(store)
    await repo.prepare()
    await repo.add(planned("ev_1"))
    with smtp_server(Inbox()) as port:
        pass  # the server stopped: nothing listens on the port any more
    assert await Sender(repo, {"email": smtp(port)}, backoff_base=FAST).deliver_due() == 0
    kept = await repo.get("ev_1:tal_1:email")
    assert kept is not None and kept.status is Status.PENDING and kept.attempts == 1


class CrashAfterAccept:
    """The process dying after the server accepted a message but before it was marked."""

    name = "email"

    def __init__(self, inner: SmtpChannel) -> None:
        self.inner = inner

    async def send(self, message: Message) -> None:
        await self.inner.send(message)
        raise ConnectionResetError("killed before marking it sent")


async def test_a_crash_between_accept_and_mark_resends_with_the_same_message_id(
    store: DocumentStore,
) -> None:
    repo, inbox = Notifications(store), Inbox()
    await repo.prepare()
    await repo.add(planned("ev_1"))
    with smtp_server(inbox) as port:
        await Sender(repo, {"email": CrashAfterAccept(smtp(port))}, backoff_base=FAST).deliver_due()
        await asyncio.sleep(0.05)
        assert await Sender(repo, {"email": smtp(port)}, backoff_base=FAST).deliver_due() == 1
    assert inbox.count() == 2  # at least once: the documented window
    assert inbox.messages[0]["Message-ID"] == inbox.messages[1]["Message-ID"]


async def test_the_mailbox_keeps_a_message_once_and_preferences_and_keys_persist(
    store: DocumentStore,
) -> None:
    mailbox = Mailbox(store)
    await mailbox.prepare()
    message = planned("ev_1").message
    await mailbox.send(message)
    await mailbox.send(message)  # a resend
    [(kept, _)] = await mailbox.latest(10)
    assert kept == message

    book = PreferenceBook(store)
    assert await book.of("tal_1") == Preferences.default("tal_1")
    chosen = Preferences("tal_1", frozenset({NotificationKind.MEETING}), MailLanguage.EN)
    await book.put(chosen)
    await book.put(chosen)
    assert await book.of("tal_1") == chosen

    key = await Keys(store).unsubscribe_key()
    assert len(key) == 32 and await Keys(store).unsubscribe_key() == key
