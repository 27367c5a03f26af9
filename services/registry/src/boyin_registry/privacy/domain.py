"""Who may see a party's contact details (plain Python).

Contact details are shown to their owner, to operators and administrators (and the
platform's own services), to the district officer of an organisation's district, and to a
counterpart only after both sides said yes to a match (matching's ``MatchMutuallyAccepted``
event). They are shown only to a caller that asks for them, and every time they are shown
to a person other than their owner, the disclosure is logged.
"""

from __future__ import annotations

from boyin_shared.identity import Actor, Role


def may_see_contacts(
    actor: Actor, *, party_id: str, district_code: str | None, disclosed: bool
) -> bool:
    if actor.is_staff or actor.party_id == party_id:
        return True
    if (
        actor.role is Role.DISTRICT_OFFICER
        and district_code
        and actor.district_code == district_code
    ):
        return True
    return disclosed


def audited(actor: Actor, party_id: str) -> bool:
    """Whether showing ``party_id``'s contact details to ``actor`` is logged: to anyone but
    the party itself and the platform's own services (a service acts for no person)."""
    return actor.party_id != party_id and actor.role is not Role.SERVICE


def may_read_audit(actor: Actor, party_id: str) -> bool:
    """Operators and administrators read any party's audit log, a party its own."""
    return actor.role in (Role.ADMIN, Role.OPERATOR) or actor.party_id == party_id
