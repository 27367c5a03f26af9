"""The e-mail channel on a real SMTP server (aiosmtplib): a message as MIME, with its
stable Message-ID and the one-click unsubscribe headers (RFC 2369 and RFC 8058)."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from typing import Literal

import aiosmtplib

from boyin_registry.notifications.domain import Message


def mime(message: Message, sender: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = ", ".join(message.to)
    mail["Subject"] = message.subject
    mail["Message-ID"] = message.message_id
    mail["Date"] = formatdate(localtime=False, usegmt=True)
    mail["Auto-Submitted"] = "auto-generated"
    if message.unsubscribe_url:
        mail["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mail.set_content(message.text, charset="utf-8")
    for a in message.attachments:
        kind, *params = (p.strip() for p in a.content_type.split(";"))
        maintype, _, subtype = kind.partition("/")
        mail.add_attachment(
            a.data,
            maintype=maintype,
            subtype=subtype,
            filename=a.filename,
            params=dict(p.partition("=")[::2] for p in params),
        )
    return mail


@dataclass
class SmtpChannel:
    """Sends through the configured server; returns once the server accepted the message
    (any refusal raises, and the sender tries again later)."""

    host: str
    port: int
    sender: str
    security: Literal["starttls", "tls", "none"] = "starttls"
    username: str | None = None
    password: str | None = None
    timeout: float = 30.0
    name: str = "email"

    async def send(self, message: Message) -> None:
        await aiosmtplib.send(
            mime(message, self.sender),
            hostname=self.host,
            port=self.port,
            username=self.username,
            password=self.password,
            use_tls=self.security == "tls",
            start_tls=self.security == "starttls",
            timeout=self.timeout,
        )
