"""Notifications over HTTP: a person's preferences (which kinds, which language), the
one-click unsubscribe, and the messages the embedded mailbox kept (operators)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from boyin_shared.api.registry.base import StrictIn


class NotificationKind(StrEnum):
    #: new matches proposed to one of the party's demands, or the party proposed to one
    PROPOSAL = "PROPOSAL"
    #: both sides said yes: the counterpart's contact details are in the message
    MUTUAL_MATCH = "MUTUAL_MATCH"
    #: a meeting scheduled, moved or cancelled (with its .ics)
    MEETING = "MEETING"
    #: one of the party's demands was published or returned for changes
    DEMAND = "DEMAND"
    #: an agreement the party is in changed stage
    AGREEMENT = "AGREEMENT"


class MailLanguage(StrEnum):
    """The language of a person's messages: Chinese, English, or both in one message."""

    ZH = "ZH"
    EN = "EN"
    BOTH = "BOTH"


class PreferencesIn(StrictIn):
    #: the kinds the party wants to hear of (an empty list: none)
    kinds: list[NotificationKind] = Field(max_length=len(NotificationKind))
    language: MailLanguage


class PreferencesOut(BaseModel):
    """A party's notification preferences (every kind, in both languages, until it says
    otherwise)."""

    party_id: str
    kinds: list[NotificationKind]
    language: MailLanguage


class UnsubscribeIn(StrictIn):
    #: the signed token of an unsubscribe link
    token: str = Field(min_length=1, max_length=512)


class UnsubscribeOut(BaseModel):
    """What a one-click unsubscribe stopped: one kind, or every kind when ``kind`` is None."""

    party_id: str
    kind: NotificationKind | None
    preferences: PreferencesOut


class MailOut(BaseModel):
    """One message the embedded mailbox kept instead of sending it (no SMTP server is
    configured)."""

    message_id: str
    to: list[str]
    subject: str
    text: str
    #: the attachments' file names
    attachments: list[str]
    kept_at: datetime
