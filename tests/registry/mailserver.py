"""A real SMTP server for the notification tests: aiosmtpd on loopback, an ephemeral port,
keeping every message it accepts (and refusing the first few when asked to)."""

from __future__ import annotations

import asyncio
import email
import email.policy
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from boyin_platform.processes import free_port


@dataclass
class Inbox:
    """What the server accepted, in order; ``refuse`` answers 451 to that many DATA
    commands first; ``delay`` slows each acceptance (to stop a sender half-way)."""

    refuse: int = 0
    delay: float = 0.0
    messages: list[EmailMessage] = field(default_factory=list)
    refused: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(  # noqa: N802 (the hook's name in aiosmtpd)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        with self._lock:
            if self.refused < self.refuse:
                self.refused += 1
                return "451 4.3.0 try again later"
            raw = envelope.original_content or b""
            parsed = email.message_from_bytes(raw, policy=email.policy.default)
            assert isinstance(parsed, EmailMessage)
            self.messages.append(parsed)
        return "250 2.0.0 accepted"

    def count(self) -> int:
        with self._lock:
            return len(self.messages)

    async def until(self, count: int, timeout: float = 15.0) -> None:
        for _ in range(int(timeout / 0.02)):
            if self.count() >= count:
                return
            await asyncio.sleep(0.02)
        raise AssertionError(f"{self.count()} messages arrived, not {count}")


@contextmanager
def smtp_server(inbox: Inbox) -> Iterator[int]:
    """Serve ``inbox`` on loopback; yields the port."""
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


def text_of(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    content: str = body.get_content()
    return content


def attachments_of(message: EmailMessage) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for part in message.iter_attachments():
        assert isinstance(part, EmailMessage)
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        found[part.get_filename() or ""] = payload
    return found
