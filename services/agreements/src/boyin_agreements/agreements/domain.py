"""An agreement and its pipeline: INTENTION → NEGOTIATING → DRAFTED → SIGNED →
IMPLEMENTING → LANDED, or TERMINATED from any stage before LANDED.

An intention is offered to both sides after a mutual match or a meeting held (never a
signed agreement); operators and the parties start one by hand. Each step records who,
when and why (a termination says why). A draft states its title, cooperation type,
landing district and edition; it is signed when the last of its parties confirms its
signature, and a change to the terms (or the parties) clears the confirmations given so
far. After signing, milestones are planned, reached and followed up; the agreement lands
when every required milestone is reached.

Plain Python: the transitions take the actor and the time and return the changed
agreement with the events the change publishes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from boyin_agreements.agreements import milestones as ms
from boyin_agreements.agreements.history import Transition, reason_given
from boyin_agreements.agreements.milestones import FollowUp, Milestone, MilestonePlan
from boyin_agreements.agreements.parties import (
    Origin,
    Party,
    check_joining,
    check_leaving,
    check_parties,
    may_view,
    require_staff,
    require_to_act,
    require_to_follow_up,
)
from boyin_agreements.agreements.refusals import (
    STAGE_ZH,
    closed,
    error,
    not_yours,
    refuse,
    signatures_missing,
    wrong_stage,
)
from boyin_agreements.agreements.snapshots import (
    change_event,
    hold_event,
    milestone_event,
    signed_event,
)
from boyin_agreements.agreements.terms import (
    Document,
    Terms,
    checked_terms,
    missing_for_draft,
    with_document,
    without_document,
)
from boyin_shared.api.agreements import AgreementStage, TermsIn
from boyin_shared.contracts.agreements import (
    AgreementLanded,
    AgreementStageChanged,
    AgreementTerminated,
    MilestoneOverdue,
    MilestoneReached,
)
from boyin_shared.contracts.attachments import AttachmentHeld, AttachmentReleased
from boyin_shared.errors import FieldError, invalid
from boyin_shared.events import Event
from boyin_shared.identity import Actor, Role

S = AgreementStage
#: the way to landing, in order
PATH = (S.INTENTION, S.NEGOTIATING, S.DRAFTED, S.SIGNED, S.IMPLEMENTING, S.LANDED)
#: the stages an agreement may be terminated from
OPEN = PATH[:-1]
#: the stages nothing changes any more
CLOSED = (S.LANDED, S.TERMINATED)
#: the stages whose terms and parties may still change
BEFORE_SIGNING = (S.INTENTION, S.NEGOTIATING, S.DRAFTED)
#: the stages whose milestones are planned and reached
IMPLEMENTATION = (S.SIGNED, S.IMPLEMENTING)
#: the fair's time zone (Chongqing): the day a signature or a milestone falls on
FAIR_TIMEZONE = ZoneInfo("Asia/Shanghai")
#: who offers intentions after matches and meetings, and announces overdue milestones
SYSTEM = Actor("svc_agreements", Role.SERVICE)


@dataclass(frozen=True)
class Confirmation:
    """A party confirmed its signature of the draft (``by``: the account, the party's
    own or an operator's recording it)."""

    party_id: str
    by: str
    at: datetime


@dataclass(frozen=True)
class ConfirmationsReset:
    """The terms or the parties changed after some had confirmed: they confirm again."""

    at: datetime
    by: str
    #: the parties whose confirmations were cleared
    parties: tuple[str, ...]


@dataclass(frozen=True)
class Agreement:
    id: str
    parties: tuple[Party, ...]
    origin: Origin
    terms: Terms
    stage: AgreementStage
    history: tuple[Transition, ...]
    confirmations: tuple[Confirmation, ...] = ()
    #: the last time changed terms cleared confirmations (None: never)
    confirmations_reset: ConfirmationsReset | None = None
    milestones: tuple[Milestone, ...] = ()
    #: the taxonomy codes of the demands it grew from (feeds filter by cluster)
    taxonomy_codes: tuple[str, ...] = ()
    signed_at: datetime | None = None
    revision: int = 1

    @property
    def party_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.parties)

    @property
    def confirmed(self) -> tuple[str, ...]:
        """The parties that confirmed their signature."""
        return tuple(c.party_id for c in self.confirmations)

    @property
    def unconfirmed(self) -> tuple[str, ...]:
        """The parties whose confirmation is still missing."""
        return tuple(p for p in self.party_ids if p not in self.confirmed)

    @property
    def signed_on(self) -> date | None:
        """The day (at the fair) it was signed."""
        return self.signed_at.astimezone(FAIR_TIMEZONE).date() if self.signed_at else None

    def visible_to(self, actor: Actor) -> bool:
        """Staff, its parties and district officers of its landing district see it."""
        return may_view(actor, self.party_ids, self.terms.district_code)

    # -- stages --------------------------------------------------------------------

    def advance(
        self, actor: Actor, to: AgreementStage, now: datetime, reason: str | None = None
    ) -> tuple[Agreement, list[Event]]:
        """Move to the next stage (``to`` the stage it is at: nothing changes). Signing
        comes from the parties' confirmations (:meth:`confirm_signature`), termination
        from :meth:`terminate`."""
        if to is S.TERMINATED:
            return self.terminate(actor, now, reason)
        require_to_act(actor, self.party_ids)
        if to is self.stage:
            return self, []
        if self.stage in CLOSED:
            raise closed(self.stage)
        here, there = PATH.index(self.stage), PATH.index(to)
        if there < here:
            raise refuse(
                "STAGE_BACKWARDS",
                f"协议已处于“{STAGE_ZH[self.stage]}”，不能退回“{STAGE_ZH[to]}”",
                f"the agreement is {self.stage.value}: it cannot go back to {to.value}",
                error("stage", "BACKWARDS", f"不能退回“{STAGE_ZH[to]}”", f"not back to {to}"),
            )
        if there > here + 1:
            skipped = PATH[here + 1 : there]
            zh = "、".join(f"“{STAGE_ZH[s]}”" for s in skipped)
            en = ", ".join(s.value for s in skipped)
            raise refuse(
                "STAGE_SKIPPED",
                f"从“{STAGE_ZH[self.stage]}”不能直接进入“{STAGE_ZH[to]}”：须先经过{zh}",
                f"the agreement cannot go from {self.stage.value} to {to.value}: "
                f"{en} must come first",
                error("stage", "SKIPPED", f"跳过了{zh}", f"skips {en}"),
            )
        if to is S.SIGNED:
            raise signatures_missing(self.unconfirmed)
        if to is S.DRAFTED and (missing := missing_for_draft(self.terms)):
            raise refuse(
                "TERMS_INCOMPLETE",
                "草拟协议前须填写标题、合作方式、落地区县和届次",
                "a draft states its title, cooperation type, landing district and edition",
                *missing,
            )
        if to is S.LANDED and (missing := ms.missing_for_landing(self.milestones)):
            raise refuse(
                "MILESTONES_NOT_REACHED",
                "所有必需的里程碑达成后协议才能落地",
                "the agreement lands once every required milestone is reached",
                *missing,
            )
        return self._moved(actor, to, now, reason_given(reason, required=False))

    def terminate(
        self, actor: Actor, now: datetime, reason: str | None
    ) -> tuple[Agreement, list[Event]]:
        """End it before it lands, saying why."""
        require_to_act(actor, self.party_ids)
        if self.stage in CLOSED:
            raise closed(self.stage)
        return self._moved(actor, S.TERMINATED, now, reason_given(reason, required=True))

    def _moved(
        self, actor: Actor, to: AgreementStage, now: datetime, reason: str | None, **changes: Any
    ) -> tuple[Agreement, list[Event]]:
        step = Transition(self.stage, to, actor.account_id, actor.role, now, reason)
        new = self._next(stage=to, history=(*self.history, step), **changes)
        events: list[Event] = [change_event(AgreementStageChanged, new, step)]
        if to is S.SIGNED:
            events.append(signed_event(new))
        elif to is S.LANDED:
            events.append(change_event(AgreementLanded, new, step))
        elif to is S.TERMINATED:
            events.append(change_event(AgreementTerminated, new, step))
        return new, events

    # -- signing -------------------------------------------------------------------

    def confirm_signature(
        self, actor: Actor, party_id: str, now: datetime
    ) -> tuple[Agreement, list[Event]]:
        """``party_id`` confirms its signature of the draft (staff may record it for the
        party). The last confirmation signs the agreement; a second one changes nothing."""
        require_to_act(actor, self.party_ids)
        if not actor.is_staff and actor.party_id != party_id:
            raise not_yours("各方只能确认本方的签字", "a party confirms only its own signature")
        if party_id not in self.party_ids:
            raise invalid(
                [error("party_id", "NOT_A_PARTY", "不是本协议的参与方", "not a party to it")]
            )
        if party_id in self.confirmed:
            return self, []
        if self.stage in CLOSED:
            raise closed(self.stage)
        if self.stage is not S.DRAFTED:
            raise wrong_stage(self.stage, (S.DRAFTED,), "确认签字", "signatures are confirmed")
        confirmations = (*self.confirmations, Confirmation(party_id, actor.account_id, now))
        if len(confirmations) < len(self.parties):
            return self._next(confirmations=confirmations), []
        return self._moved(actor, S.SIGNED, now, None, confirmations=confirmations, signed_at=now)

    # -- terms and parties ---------------------------------------------------------

    def amend(self, actor: Actor, raw: TermsIn, now: datetime) -> tuple[Agreement, list[Event]]:
        """New terms (all of them but the documents) before signing; confirmations given so
        far are cleared (``confirmations_reset`` says so)."""
        require_to_act(actor, self.party_ids)
        self._before_signing()
        out: list[FieldError] = []
        terms = dataclasses.replace(checked_terms(raw, out), documents=self.terms.documents)
        if self.stage is S.DRAFTED and not out:
            out.extend(missing_for_draft(terms))
        if out:
            raise invalid(out)
        if terms == self.terms:
            return self, []
        return self._next(terms=terms, **self._reset(actor, now)), []

    def attach_document(
        self, actor: Actor, document: Document, now: datetime
    ) -> tuple[Agreement, list[Event]]:
        """A party or staff add a document (its file in the attachment store): to the draft
        before signing, clearing the confirmations; afterwards as a record (the signed
        contract, an annex)."""
        require_to_act(actor, self.party_ids)
        if self.stage is S.TERMINATED:
            raise closed(self.stage)
        reset = self._reset(actor, now) if self.stage in BEFORE_SIGNING else {}
        new = self._next(terms=with_document(self.terms, document), **reset)
        return new, [hold_event(AttachmentHeld, new, document.attachment_id)]

    def detach_document(
        self, actor: Actor, attachment_id: str, now: datetime
    ) -> tuple[Agreement, list[Event]]:
        """A party or staff remove a document before signing, clearing the confirmations."""
        require_to_act(actor, self.party_ids)
        self._before_signing()
        terms = without_document(self.terms, attachment_id)
        new = self._next(terms=terms, **self._reset(actor, now))
        return new, [hold_event(AttachmentReleased, new, attachment_id)]

    def change_parties(
        self, actor: Actor, parties: Sequence[Party], now: datetime
    ) -> tuple[Agreement, list[Event]]:
        """Staff name the parties anew before signing (e.g. an investor joins);
        confirmations given so far are cleared."""
        self._parties_may_change(actor)
        out: list[FieldError] = []
        check_parties(parties, out)
        if out:
            raise invalid(out)
        if tuple(parties) == self.parties:
            return self, []
        return self._next(parties=tuple(parties), **self._reset(actor, now)), []

    def add_party(self, actor: Actor, party: Party, now: datetime) -> tuple[Agreement, list[Event]]:
        """Staff add an organisation or an investor before signing."""
        self._parties_may_change(actor)
        check_joining(party, self.parties)
        return self.change_parties(actor, (*self.parties, party), now)

    def remove_party(
        self, actor: Actor, party_id: str, now: datetime
    ) -> tuple[Agreement, list[Event]]:
        """Staff remove an organisation or an investor before signing."""
        self._parties_may_change(actor)
        check_leaving(party_id, self.parties)
        return self.change_parties(actor, tuple(p for p in self.parties if p.id != party_id), now)

    def _parties_may_change(self, actor: Actor) -> None:
        require_staff(actor, "只有工作人员可以调整协议方", "only staff change the parties")
        self._before_signing()

    def _before_signing(self) -> None:
        if self.stage in CLOSED:
            raise closed(self.stage)
        if self.stage not in BEFORE_SIGNING:
            raise refuse(
                "TERMS_SIGNED",
                "协议已签署，条款和协议方不能再修改",
                "the agreement is signed: its terms and parties cannot change",
                error("stage", "SIGNED", "已签约", "signed"),
            )

    def _reset(self, actor: Actor, now: datetime) -> dict[str, Any]:
        if not self.confirmations:
            return {}
        reset = ConfirmationsReset(now, actor.account_id, self.confirmed)
        return {"confirmations": (), "confirmations_reset": reset}

    # -- milestones ----------------------------------------------------------------

    def plan_milestone(
        self, actor: Actor, plan: MilestonePlan, now: datetime
    ) -> tuple[Agreement, list[Event]]:
        """Add a milestone, or plan one not reached anew (due on or after the signature)."""
        require_to_act(actor, self.party_ids)
        self._implementing("规划里程碑", "milestones are planned")
        assert self.signed_on is not None
        milestones = ms.planned(self.milestones, plan, self.signed_on)
        if milestones == self.milestones:
            return self, []
        return self._next(milestones=milestones), []

    def reach_milestone(
        self, actor: Actor, milestone_id: str, reached_on: date, now: datetime
    ) -> tuple[Agreement, list[Event]]:
        """A milestone was reached on ``reached_on`` (not a day in the future); a second
        report changes nothing."""
        require_to_act(actor, self.party_ids)
        self._implementing("登记里程碑达成", "milestones are reached")
        m = ms.find(self.milestones, milestone_id)
        if m.reached_on is not None:
            return self, []
        today = now.astimezone(FAIR_TIMEZONE).date()
        reached = ms.reached(m, reached_on, today, actor.account_id)
        new = self._next(milestones=ms.replace_one(self.milestones, reached))
        return new, [milestone_event(MilestoneReached, new, reached, actor)]

    def follow_up(
        self, actor: Actor, milestone_id: str, note: str, now: datetime
    ) -> tuple[Agreement, list[Event]]:
        """A district officer of the landing district (or staff) notes how a milestone
        is going."""
        require_to_follow_up(actor, self.terms.district_code)
        if self.stage is S.TERMINATED:
            raise closed(self.stage)
        if self.stage not in (*IMPLEMENTATION, S.LANDED):
            raise wrong_stage(
                self.stage, (*IMPLEMENTATION, S.LANDED), "登记跟进", "follow-ups are recorded"
            )
        m = ms.find(self.milestones, milestone_id)
        noted = ms.noted(m, FollowUp(now, actor.account_id, note))
        return self._next(milestones=ms.replace_one(self.milestones, noted)), []

    def overdue(self, today: date) -> tuple[Agreement, list[Event]]:
        """Announce the milestones overdue on ``today`` not announced before (each once,
        until its due date moves)."""
        if self.stage not in IMPLEMENTATION:
            return self, []
        late = ms.newly_overdue(self.milestones, today)
        if not late:
            return self, []
        announced = [dataclasses.replace(m, overdue_announced=True) for m in late]
        milestones = self.milestones
        for m in announced:
            milestones = ms.replace_one(milestones, m)
        new = self._next(milestones=milestones)
        return new, [milestone_event(MilestoneOverdue, new, m, SYSTEM) for m in announced]

    def _implementing(self, zh: str, en: str) -> None:
        if self.stage in CLOSED:
            raise closed(self.stage)
        if self.stage not in IMPLEMENTATION:
            raise wrong_stage(self.stage, IMPLEMENTATION, zh, en)

    def _next(self, **changes: Any) -> Agreement:
        return dataclasses.replace(self, revision=self.revision + 1, **changes)
