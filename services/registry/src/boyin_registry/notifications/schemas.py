"""Notifications' domain objects -> the shared API models."""

from __future__ import annotations

from datetime import datetime

from boyin_registry.notifications.domain import Message, Preferences
from boyin_shared.api.registry import MailOut, NotificationKind, PreferencesOut, UnsubscribeOut


def preferences_out(prefs: Preferences) -> PreferencesOut:
    return PreferencesOut(
        party_id=prefs.party_id,
        kinds=[k for k in NotificationKind if k in prefs.kinds],
        language=prefs.language,
    )


def unsubscribe_out(
    party_id: str, kind: NotificationKind | None, prefs: Preferences
) -> UnsubscribeOut:
    return UnsubscribeOut(party_id=party_id, kind=kind, preferences=preferences_out(prefs))


def mail_out(message: Message, kept_at: datetime) -> MailOut:
    return MailOut(
        message_id=message.message_id,
        to=list(message.to),
        subject=message.subject,
        text=message.text,
        attachments=[a.filename for a in message.attachments],
        kept_at=kept_at,
    )
