"""How agreements start (pure): the intention a mutual match or a meeting held offers
its sides (never a signed agreement), and an agreement started by hand by an operator or
one of its parties."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from boyin_agreements.agreements.domain import SYSTEM, Agreement
from boyin_agreements.agreements.history import Transition
from boyin_agreements.agreements.parties import Origin, Party, check_parties, require_to_start
from boyin_agreements.agreements.snapshots import change_event
from boyin_agreements.agreements.terms import NO_TERMS, Terms, checked_terms
from boyin_shared.api.agreements import AgreementStage, OriginKind, TermsIn
from boyin_shared.contracts.agreements import AgreementCreated
from boyin_shared.errors import FieldError, invalid
from boyin_shared.events import Event
from boyin_shared.identity import Actor


def agreement_of_match(match_id: str) -> str:
    """The id of the agreement a match leads to (a redelivery, or the meeting the match
    became, finds it there)."""
    return f"ag_match_{match_id}"


def agreement_of_meeting(meeting_id: str) -> str:
    """The id of the agreement a meeting not from a match leads to."""
    return f"ag_meeting_{meeting_id}"


def offer_from_match(
    match_id: str,
    sides: Sequence[Party],
    now: datetime,
    *,
    terms: TermsIn | None = None,
    taxonomy_codes: tuple[str, ...] = (),
) -> tuple[Agreement, list[Event]] | None:
    """The intention a mutual match offers its two sides (None: the sides cannot make an
    agreement, e.g. two talents, or one party on both sides)."""
    origin = Origin(OriginKind.MATCH, match_id=match_id)
    return _offer(agreement_of_match(match_id), sides, origin, now, terms, taxonomy_codes)


def offer_from_meeting(
    meeting_id: str,
    sides: Sequence[Party],
    now: datetime,
    *,
    match_id: str | None = None,
    terms: TermsIn | None = None,
    taxonomy_codes: tuple[str, ...] = (),
) -> tuple[Agreement, list[Event]] | None:
    """The intention a meeting held offers its two sides. A meeting from a match offers
    the match's agreement (the same id: the service keeps the first one)."""
    origin = Origin(OriginKind.MEETING, match_id=match_id, meeting_id=meeting_id)
    key = agreement_of_match(match_id) if match_id else agreement_of_meeting(meeting_id)
    return _offer(key, sides, origin, now, terms, taxonomy_codes)


def start(
    actor: Actor,
    agreement_id: str,
    parties: Sequence[Party],
    terms: TermsIn,
    now: datetime,
    *,
    taxonomy_codes: tuple[str, ...] = (),
) -> tuple[Agreement, list[Event]]:
    """An operator, or one of the parties, starts an agreement by hand (an intention)."""
    require_to_start(actor, parties)
    out: list[FieldError] = []
    check_parties(parties, out)
    checked = checked_terms(terms, out)
    if out:
        raise invalid(out)
    origin = Origin(OriginKind.MANUAL, started_by=actor.account_id)
    return _created(actor, agreement_id, parties, origin, checked, now, taxonomy_codes)


def _offer(
    agreement_id: str,
    sides: Sequence[Party],
    origin: Origin,
    now: datetime,
    terms: TermsIn | None,
    taxonomy_codes: tuple[str, ...],
) -> tuple[Agreement, list[Event]] | None:
    out: list[FieldError] = []
    check_parties(sides, out)
    if out:
        return None
    checked = checked_terms(terms, out) if terms else NO_TERMS
    if out:
        raise invalid(out)
    return _created(SYSTEM, agreement_id, sides, origin, checked, now, taxonomy_codes)


def _created(
    actor: Actor,
    agreement_id: str,
    parties: Sequence[Party],
    origin: Origin,
    terms: Terms,
    now: datetime,
    taxonomy_codes: tuple[str, ...],
) -> tuple[Agreement, list[Event]]:
    step = Transition(None, AgreementStage.INTENTION, actor.account_id, actor.role, now)
    agreement = Agreement(
        id=agreement_id,
        parties=tuple(parties),
        origin=origin,
        terms=terms,
        stage=AgreementStage.INTENTION,
        history=(step,),
        taxonomy_codes=taxonomy_codes,
    )
    return agreement, [change_event(AgreementCreated, agreement, step)]
