"""Who may do what with an agreement: its parties (each only for itself), staff
everything, district officers of the landing district follow milestones up; everyone
else is refused."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from boyin_agreements.agreements.domain import SYSTEM
from boyin_agreements.agreements.offers import start
from boyin_agreements.agreements.parties import Party
from boyin_shared.api.agreements import PartyRole, TermsIn
from boyin_shared.identity import Actor
from tests.agreements.support import (
    ADMIN,
    INVESTOR,
    MENTOR,
    NOW,
    OFFICER,
    OPERATOR,
    ORG,
    OTHER_OFFICER,
    SIDES,
    STRANGER,
    TALENT,
    TERMS,
    VISITOR,
    S,
    implementing,
    later,
    negotiating,
    refused,
)

EVERYONE = {
    "talent (a party)": TALENT,
    "organisation (a party)": ORG,
    "investor (not a party)": INVESTOR,
    "organisation (not a party)": STRANGER,
    "officer of the district": OFFICER,
    "officer of another district": OTHER_OFFICER,
    "mentor": MENTOR,
    "visitor": VISITOR,
    "operator": OPERATOR,
    "admin": ADMIN,
    "a service": SYSTEM,
}
PARTIES_AND_STAFF = {"talent (a party)", "organisation (a party)", "operator", "admin", "a service"}
STAFF = {"operator", "admin", "a service"}
FOLLOW_UP = {"officer of the district", *STAFF}


def each(allowed: set[str]) -> list[Any]:
    """Every kind of actor, with whether it is ``allowed`` (named in the test's id)."""
    return [pytest.param(a, name in allowed, id=name) for name, a in EVERYONE.items()]


@pytest.mark.parametrize(("actor", "sees"), each({*PARTIES_AND_STAFF, "officer of the district"}))
def test_who_sees_an_agreement(actor: Actor, sees: bool) -> None:
    assert implementing().visible_to(actor) is sees


@pytest.mark.parametrize(("actor", "may"), each(PARTIES_AND_STAFF))
def test_who_moves_it_along(actor: Actor, may: bool) -> None:
    if may:
        a, _ = negotiating().advance(actor, S.DRAFTED, later(3))
        assert a.stage is S.DRAFTED
    else:
        with refused("FORBIDDEN", 403):
            negotiating().advance(actor, S.DRAFTED, later(3))


@pytest.mark.parametrize(("actor", "may"), each(PARTIES_AND_STAFF))
def test_who_terminates_it(actor: Actor, may: bool) -> None:
    if may:
        a, _ = negotiating().terminate(actor, later(3), "no deal")
        assert a.stage is S.TERMINATED
    else:
        with refused("FORBIDDEN", 403):
            negotiating().terminate(actor, later(3), "no deal")


@pytest.mark.parametrize(("actor", "may"), each(PARTIES_AND_STAFF))
def test_who_changes_the_terms(actor: Actor, may: bool) -> None:
    if may:
        a, _ = negotiating().amend(actor, TermsIn(title=TERMS.title), later(3))
        assert a.terms.cooperation_type is None
    else:
        with refused("FORBIDDEN", 403):
            negotiating().amend(actor, TERMS, later(3))


@pytest.mark.parametrize(("actor", "may"), each(PARTIES_AND_STAFF))
def test_who_reports_a_milestone_reached(actor: Actor, may: bool) -> None:
    a = implementing(date(2027, 1, 10))
    if may:
        new, [event] = a.reach_milestone(actor, "ms_1", date(2027, 1, 9), later(60 * 24 * 30))
        assert new.milestones[0].reached_by == actor.account_id
        assert event.type == "boyin.agreements.milestone.reached"
    else:
        with refused("FORBIDDEN", 403):
            a.reach_milestone(actor, "ms_1", date(2027, 1, 9), later(60 * 24 * 30))


@pytest.mark.parametrize(("actor", "may"), each(FOLLOW_UP))
def test_who_follows_a_milestone_up(actor: Actor, may: bool) -> None:
    a = implementing(date(2027, 1, 10))
    if may:
        new, events = a.follow_up(actor, "ms_1", "visited the site; the lease is signed", NOW)
        assert events == []
        [note] = new.milestones[0].follow_ups
        assert (note.by, note.at, note.note) == (
            actor.account_id,
            NOW,
            "visited the site; the lease is signed",
        )
    else:
        with refused("FORBIDDEN", 403):
            a.follow_up(actor, "ms_1", "a note", NOW)


@pytest.mark.parametrize(("actor", "may"), each(STAFF))
def test_only_staff_change_the_parties(actor: Actor, may: bool) -> None:
    vc = Party("organisation", "org_vc", PartyRole.INVESTOR)
    if may:
        a, _ = negotiating().change_parties(actor, (*SIDES, vc), later(3))
        assert a.party_ids == ("tal_1", "org_1", "org_vc")
    else:
        with refused("FORBIDDEN", 403):
            negotiating().change_parties(actor, (*SIDES, vc), later(3))


@pytest.mark.parametrize(("actor", "may"), each(PARTIES_AND_STAFF))
def test_who_starts_an_agreement_by_hand(actor: Actor, may: bool) -> None:
    if may:
        a, [created] = start(actor, "ag_1", SIDES, TERMS, NOW)
        assert a.origin.started_by == actor.account_id
        assert created.type == "boyin.agreements.agreement.created"
    else:
        with refused("FORBIDDEN", 403):
            start(actor, "ag_1", SIDES, TERMS, NOW)


def test_an_investor_starts_one_it_is_part_of() -> None:
    vc = Party("organisation", "org_vc", PartyRole.INVESTOR)
    a, _ = start(INVESTOR, "ag_1", (*SIDES, vc), TERMS, NOW)
    assert a.party_ids == ("tal_1", "org_1", "org_vc")
    assert implementing().visible_to(INVESTOR) is False
