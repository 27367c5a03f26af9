"""GraphQL of notifications: a party's preferences (which kinds, which language), the
one-click unsubscribe a message's link makes, and the embedded mailbox for operators (also ``GET /unsubscribe`` on the gateway,
see :mod:`boyin_gateway.unsubscribe`)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from boyin_gateway.context import Context
from boyin_gateway.derived import derived, derived_input, shown_as
from boyin_gateway.errors import answered
from boyin_gateway.paging import page_size
from boyin_gateway.permissions import Staff, guarded_field, nothing
from boyin_gateway.registry_enums import MailLanguage, NotificationKind
from boyin_gateway.types import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    described_field,
    described_mutation,
)
from boyin_shared.api.registry import MailOut, PreferencesIn, PreferencesOut, UnsubscribeOut

Info = strawberry.Info[Context, None]

__all__ = ["MailLanguage", "NotificationKind"]


@derived(
    PreferencesOut,
    name="NotificationPreferences",
    description="Which notifications a party receives, and in which language (every kind, "
    "both languages in one message, until it says otherwise).",
)
class NotificationPreferences:
    party_id: strawberry.ID


@derived_input(PreferencesIn, name="NotificationPreferencesInput")
class NotificationPreferencesInput:
    pass


@derived(
    UnsubscribeOut,
    name="Unsubscribed",
    description="What a one-click unsubscribe stopped: one kind, or every kind when `kind` "
    "is null.",
)
class Unsubscribed:
    party_id: strawberry.ID


@derived(
    MailOut,
    name="KeptMail",
    description="A message the embedded mailbox kept instead of sending it (no SMTP server "
    "is configured).",
)
class KeptMail:
    pass


NotificationPreferencesResult = Annotated[
    NotificationPreferences | InvalidInput | Conflict | Forbidden | NotFound,
    strawberry.union("NotificationPreferencesResult"),
]
UnsubscribeResult = Annotated[
    Unsubscribed | InvalidInput | Conflict | Forbidden | NotFound,
    strawberry.union("UnsubscribeResult"),
]


def _preferences(out: PreferencesOut) -> NotificationPreferences:
    return shown_as(NotificationPreferences, out)


@strawberry.type
class NotificationQuery:
    @described_field(
        "A party's notification preferences (the party itself, operators and administrators).",
    )
    async def notification_preferences(
        self, info: Info, party_id: strawberry.ID
    ) -> NotificationPreferencesResult:
        registry = info.context.registry
        return await answered(registry.notification_preferences(str(party_id)), _preferences)

    @guarded_field(
        Staff(nothing),
        "The messages the embedded mailbox kept, newest first (empty when an SMTP server "
        "sends them; operators and administrators, null for others).",
    )
    async def notification_mailbox(self, info: Info, limit: int = 50) -> list[KeptMail] | None:
        kept = await info.context.registry.notification_mailbox(
            page_size(limit, MAILBOX_MAX, argument="limit")
        )
        return [shown_as(KeptMail, m) for m in kept]


#: messages read from the mailbox at most (as the registry allows)
MAILBOX_MAX = 200


@strawberry.type
class NotificationMutation:
    @described_mutation(
        "Choose which notifications a party receives and in which language (the party "
        "itself, operators and administrators).",
    )
    async def set_notification_preferences(
        self, info: Info, party_id: strawberry.ID, input: NotificationPreferencesInput
    ) -> NotificationPreferencesResult:
        body = strawberry.asdict(input)
        call = info.context.registry.set_notification_preferences(str(party_id), body)
        return await answered(call, _preferences)

    @described_mutation(
        "Stop what an unsubscribe link names (no sign-in: the link's signed token is the proof)."
    )
    async def unsubscribe(self, info: Info, token: str) -> UnsubscribeResult:
        return await answered(
            info.context.registry.unsubscribe(token), lambda out: shown_as(Unsubscribed, out)
        )
