"""Who may act (pure): the staff-only check and the party a caller acts for.

Every feature's service decides with these; the HTTP routers decide nothing."""

from __future__ import annotations

from boyin_scheduling.rules import not_yours
from boyin_shared.errors import BoyinError, Message
from boyin_shared.identity import Actor, Role

STAFF_ONLY = Message("仅限工作人员", "staff only")


def require_staff(actor: Actor) -> None:
    if not actor.is_staff:
        raise BoyinError(code="FORBIDDEN", message=STAFF_ONLY, status=403)


def own_party(actor: Actor) -> str:
    """The caller's own talent or organisation (refused to visitors and staff)."""
    if actor.party_id is None or actor.role is Role.PUBLIC:
        raise not_yours(
            "需以人才或机构身份登录", "sign in as a talent or an organisation to do this"
        )
    return actor.party_id


def acting_party_id(actor: Actor, party_id: str | None) -> str:
    """The caller's own party, or (staff only) the one named."""
    if party_id is not None and party_id != actor.party_id:
        require_staff(actor)
        return party_id
    return own_party(actor)
