"""Notifications over HTTP: a party's preferences, the one-click unsubscribe (no sign-in:
the signed token is the proof), and the embedded mailbox (operators)."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, Query, Request

from boyin_registry.notifications.schemas import mail_out, preferences_out, unsubscribe_out
from boyin_registry.notifications.service import NotificationSettings
from boyin_shared.api.registry import (
    MailOut,
    PreferencesIn,
    PreferencesOut,
    UnsubscribeIn,
    UnsubscribeOut,
)
from boyin_shared.callers import CurrentActor, CurrentMember

router = APIRouter(tags=["notifications"])


async def notification_settings(request: Request) -> NotificationSettings:
    return cast(NotificationSettings, request.app.state.service.notifications)


Settings = Annotated[NotificationSettings, Depends(notification_settings)]


@router.get("/parties/{party_id}/notification-preferences")
async def preferences_of(party_id: str, actor: CurrentMember, svc: Settings) -> PreferencesOut:
    """Which notifications the party receives, and in which language (the party itself,
    operators and administrators)."""
    return preferences_out(await svc.of(actor, party_id))


@router.put("/parties/{party_id}/notification-preferences")
async def set_preferences(
    party_id: str, body: PreferencesIn, actor: CurrentMember, svc: Settings
) -> PreferencesOut:
    return preferences_out(await svc.set(actor, party_id, body.kinds, body.language))


@router.post("/notifications/unsubscribe")
async def unsubscribe(body: UnsubscribeIn, actor: CurrentActor, svc: Settings) -> UnsubscribeOut:
    """Stop the kind of notification a link names (or every kind): anyone holding the
    link's token may, signed in or not."""
    return unsubscribe_out(*await svc.unsubscribe(body.token))


@router.get("/notifications/mailbox")
async def mailbox(
    actor: CurrentMember, svc: Settings, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> list[MailOut]:
    """The messages the embedded mailbox kept, newest first (when no SMTP server is
    configured; operators and administrators)."""
    return [mail_out(m, at) for m, at in await svc.kept_mail(actor, limit)]
