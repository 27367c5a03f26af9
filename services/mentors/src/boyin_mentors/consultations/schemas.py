"""Consultations as :mod:`boyin_shared.api.mentors` answers them."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from boyin_mentors.consultations.domain import Consultation
from boyin_shared.api import mentors as api


def consultation_out(c: Consultation) -> api.ConsultationOut:
    return api.ConsultationOut(
        id=c.id,
        mentor_id=c.mentor_id,
        party_id=c.party_id,
        edition_id=c.edition_id,
        slot_id=c.slot.id,
        start=c.slot.start,
        end=c.slot.end,
        mode=c.mode,
        mentor_timezone=c.mentor_timezone,
        mentor_start=c.slot.start.astimezone(ZoneInfo(c.mentor_timezone)),
        talent_timezone=c.talent_timezone,
        talent_start=c.slot.start.astimezone(ZoneInfo(c.talent_timezone)),
        online_link=c.online_link,
        topic=c.topic,
        status=c.status,
        notes=[api.NoteOut(by=n.by, at=n.at, text=n.text) for n in c.notes],
        cancelled_by=c.cancelled_by,
        cancel_reason=c.cancel_reason,
    )
