"""Mentors between the HTTP models of :mod:`boyin_shared.api.mentors` and the domain."""

from __future__ import annotations

from boyin_mentors.mentors.domain import Mentor
from boyin_mentors.mentors.profile import Conflicts, Profile, ProfileDraft, Text, WindowDraft
from boyin_shared.api import mentors as api


def profile_in(body: api.ProfileIn) -> ProfileDraft:
    c = body.conflicts
    return ProfileDraft(
        name=body.name,
        expertise_codes=tuple(body.expertise_codes),
        expertise=Text(body.expertise.zh, body.expertise.en),
        languages=tuple(body.languages),
        country=body.country,
        timezone=body.timezone,
        organisation_id=body.organisation_id,
        organisation_name=body.organisation_name,
        availability=tuple(WindowDraft(w.weekday, w.start, w.end) for w in body.availability),
        max_open_reviews=body.max_open_reviews,
        conflicts=Conflicts(tuple(c.organisations), tuple(c.people), tuple(c.interests)),
        max_consultations_per_day=body.max_consultations_per_day,
        online_link=body.online_link,
    )


def profile_out(p: Profile) -> api.ProfileOut:
    return api.ProfileOut(
        name=p.name,
        expertise_codes=list(p.expertise_codes),
        expertise=api.TextOut(zh=p.expertise.zh, en=p.expertise.en),
        languages=list(p.languages),
        country=p.country,
        timezone=p.timezone,
        organisation_id=p.organisation_id,
        organisation_name=p.organisation_name,
        availability=[
            api.WindowOut(
                weekday=w.weekday,
                start=w.start.isoformat("minutes"),
                end=w.end.isoformat("minutes"),
            )
            for w in p.availability
        ],
        max_open_reviews=p.max_open_reviews,
        conflicts=api.ConflictsOut(
            organisations=list(p.conflicts.organisations),
            people=list(p.conflicts.people),
            interests=list(p.conflicts.interests),
        ),
        max_consultations_per_day=p.max_consultations_per_day,
        online_link=p.online_link,
    )


def _fields(m: Mentor) -> dict[str, object]:
    return {
        "id": m.id,
        "account_id": m.account_id,
        "status": m.status,
        "profile": profile_out(m.profile),
        "version": m.version,
        "history": [
            api.TransitionOut(
                from_status=t.from_status, to_status=t.to_status, by=t.by, at=t.at, reason=t.reason
            )
            for t in m.history
        ],
    }


def mentor_out(m: Mentor) -> api.MentorOut:
    return api.MentorOut.model_validate(_fields(m))


def mentor_detail_out(m: Mentor) -> api.MentorDetailOut:
    return api.MentorDetailOut.model_validate(
        {
            **_fields(m),
            "versions": [
                api.ProfileVersionOut(
                    version=v.number, at=v.at, by=v.by, profile=profile_out(v.profile)
                )
                for v in m.versions
            ],
        }
    )
