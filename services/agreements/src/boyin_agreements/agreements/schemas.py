"""Agreements between the HTTP models of :mod:`boyin_shared.api.agreements` and the
domain: requests into the domain's input types, the aggregate into ``AgreementOut``."""

from __future__ import annotations

from boyin_agreements.agreements.domain import Agreement
from boyin_agreements.agreements.milestones import MilestonePlan
from boyin_agreements.agreements.parties import Party
from boyin_agreements.agreements.roster import RosterRow
from boyin_agreements.agreements.terms import Document, Text
from boyin_shared.api import agreements as api


def document_in(body: api.DocumentIn) -> Document:
    return Document(body.attachment_id, body.name, body.kind)


def parties_in(body: list[api.PartyIn]) -> list[Party]:
    return [Party(p.kind, p.id, p.role, p.demand_id) for p in body]


def plan_in(body: api.MilestoneIn) -> MilestonePlan:
    return MilestonePlan(body.kind, body.due, body.label, body.required, body.milestone_id)


def _text(t: Text) -> api.TextOut:
    return api.TextOut(zh=t.zh, en=t.en)


def agreement_out(a: Agreement) -> api.AgreementOut:
    t = a.terms
    return api.AgreementOut(
        id=a.id,
        parties=[
            api.PartyOut(kind=p.kind, id=p.id, role=p.role, demand_id=p.demand_id)
            for p in a.parties
        ],
        origin=api.OriginOut(
            kind=a.origin.kind,
            match_id=a.origin.match_id,
            meeting_id=a.origin.meeting_id,
            started_by=a.origin.started_by,
        ),
        terms=api.TermsOut(
            title=_text(t.title),
            cooperation_type=t.cooperation_type,
            amounts={
                k: api.MoneyOut(amount=m.amount, currency=m.currency) for k, m in t.amounts.items()
            },
            district_code=t.district_code,
            edition_id=t.edition_id,
            documents=[
                api.DocumentOut(attachment_id=d.attachment_id, name=d.name, kind=d.kind)
                for d in t.documents
            ],
        ),
        stage=a.stage,
        history=[
            api.TransitionOut(
                from_stage=h.from_stage,
                to_stage=h.to_stage,
                by=h.by,
                role=h.role.value,
                at=h.at,
                reason=h.reason,
            )
            for h in a.history
        ],
        confirmations=[
            api.ConfirmationOut(party_id=c.party_id, by=c.by, at=c.at) for c in a.confirmations
        ],
        unconfirmed=list(a.unconfirmed),
        milestones=[
            api.MilestoneOut(
                id=m.id,
                kind=m.kind,
                due=m.due,
                label=m.label,
                required=m.required,
                reached_on=m.reached_on,
                reached_by=m.reached_by,
                follow_ups=[api.FollowUpOut(at=f.at, by=f.by, note=f.note) for f in m.follow_ups],
                overdue_announced=m.overdue_announced,
            )
            for m in a.milestones
        ],
        taxonomy_codes=list(a.taxonomy_codes),
        signed_at=a.signed_at,
        revision=a.revision,
    )


def roster_out(row: RosterRow) -> api.RosterRowOut:
    return api.RosterRowOut(
        order=row.order,
        agreement_id=row.agreement_id,
        parties=[_text(p) for p in row.parties],
        title=_text(row.title),
        cooperation_type=row.cooperation_type,
        headline=row.headline,
    )
