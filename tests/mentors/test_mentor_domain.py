"""The mentor aggregate (pure): registration, the operators' decisions, profile versions,
and every problem of a profile reported at once in both languages."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from boyin_mentors.mentors.domain import Mentor, register
from boyin_mentors.mentors.profile import ProfileDraft, Text, WindowDraft, checked_profile
from boyin_shared.api.mentors import MentorStatus
from boyin_shared.contracts.mentors import (
    MentorApproved,
    MentorProfileChanged,
    MentorRegistered,
    MentorRetired,
    MentorSuspended,
)
from boyin_shared.errors import BoyinError
from tests.mentors.support import (
    DRAFT,
    KNOWN,
    MENTOR,
    NOW,
    OPERATOR,
    OTHER_MENTOR,
    TALENT,
    bilingual,
)

S = MentorStatus


def applied() -> Mentor:
    mentor, _ = register(MENTOR, MENTOR.account_id, DRAFT, KNOWN, NOW)
    return mentor


def test_a_mentor_applies_and_an_operator_invites() -> None:
    mentor, events = register(MENTOR, MENTOR.account_id, DRAFT, KNOWN, NOW)
    assert mentor.status is S.APPLIED and mentor.id == "men_acc_m1" and mentor.version == 1
    assert [type(e) for e in events] == [MentorRegistered]
    invited, _ = register(OPERATOR, "acc_m2", DRAFT, KNOWN, NOW)
    assert invited.status is S.INVITED and invited.account_id == "acc_m2"
    assert invited.history[0].by == OPERATOR.account_id


@pytest.mark.parametrize("who", [TALENT, OTHER_MENTOR])
def test_only_the_mentor_applies_for_themselves(who: object) -> None:
    with pytest.raises(BoyinError) as caught:
        register(who, MENTOR.account_id, DRAFT, KNOWN, NOW)  # type: ignore[arg-type]
    assert caught.value.code == "FORBIDDEN"
    bilingual(caught.value)


def test_operators_approve_suspend_approve_again_and_retire() -> None:
    m, events = applied().approve(OPERATOR, NOW)
    assert m.status is S.APPROVED and isinstance(events[0], MentorApproved)
    m, events = m.suspend(OPERATOR, NOW + timedelta(days=1), "conflict under review")
    assert m.status is S.SUSPENDED and isinstance(events[0], MentorSuspended)
    m, _ = m.approve(OPERATOR, NOW + timedelta(days=2))
    m, events = m.retire(OPERATOR, NOW + timedelta(days=3), "left the programme")
    assert m.status is S.RETIRED and isinstance(events[0], MentorRetired)
    assert [t.to_status for t in m.history] == [
        S.APPLIED,
        S.APPROVED,
        S.SUSPENDED,
        S.APPROVED,
        S.RETIRED,
    ]
    assert m.history[2].reason == "conflict under review"
    assert events[0].data.status == "RETIRED" and m.revision == 5


def test_a_mentor_cannot_approve_themselves() -> None:
    with pytest.raises(BoyinError) as caught:
        applied().approve(MENTOR, NOW)
    assert caught.value.code == "FORBIDDEN"


@pytest.mark.parametrize(
    ("step", "code"),
    [
        (lambda m: m.suspend(OPERATOR, NOW, "x"), "WRONG_STATUS"),  # not approved yet
        (lambda m: m.retire(OPERATOR, NOW, " "), "VALIDATION_FAILED"),  # no reason
    ],
)
def test_refused_decisions(step: object, code: str) -> None:
    with pytest.raises(BoyinError) as caught:
        step(applied())  # type: ignore[operator]
    assert caught.value.code == code
    bilingual(caught.value)


def test_retired_is_final() -> None:
    m, _ = applied().retire(OPERATOR, NOW, "withdrew")
    with pytest.raises(BoyinError) as approving:
        m.approve(OPERATOR, NOW)
    with pytest.raises(BoyinError) as changing:
        m.update_profile(MENTOR, DRAFT, KNOWN, NOW)
    for caught in (approving, changing):
        assert caught.value.status == 409
        bilingual(caught.value)


def test_a_profile_change_is_a_new_version_and_the_old_one_is_kept() -> None:
    m = applied()
    draft = dataclasses.replace(DRAFT, max_open_reviews=5, languages=("en",))
    changed, events = m.update_profile(MENTOR, draft, KNOWN, NOW + timedelta(hours=1))
    assert changed.version == 2 and changed.profile.max_open_reviews == 5
    assert changed.versions[0].profile.languages == ("en", "de", "zh")
    assert isinstance(events[0], MentorProfileChanged) and events[0].data.version == 2
    same, none = changed.update_profile(OPERATOR, draft, KNOWN, NOW)
    assert same is changed and none == []
    with pytest.raises(BoyinError) as caught:
        m.update_profile(OTHER_MENTOR, draft, KNOWN, NOW)
    assert caught.value.code == "FORBIDDEN"


def test_every_problem_of_a_profile_at_once() -> None:
    bad = ProfileDraft(
        name=" ",
        expertise_codes=("c33-l1", "bad code!", "C16-OLD", "C99-NEW"),
        expertise=Text(" ", None),
        languages=("english",),
        country="Germany",
        timezone="Mars/Olympus",
        availability=(WindowDraft(7, "9:00", "12:00"), WindowDraft(2, "14:00", "13:00")),
        max_open_reviews=0,
        max_consultations_per_day=0,
        online_link="http://meet.example.org/x",
    )
    known = dataclasses.replace(KNOWN, retired=frozenset({"C16-OLD"}))
    problems = checked_profile(bad, known)
    assert isinstance(problems, list)
    assert {p.field: p.code for p in problems} == {
        "name": "REQUIRED",
        "expertise_codes.1": "FORMAT",
        "expertise_codes.2": "RETIRED_CODE",
        # a well-formed code the registry's taxonomy does not hold
        "expertise_codes.3": "UNKNOWN_CODE",
        "expertise": "REQUIRED",
        "languages.0": "FORMAT",
        "country": "FORMAT",
        "timezone": "UNKNOWN_TIMEZONE",
        "availability.0.weekday": "OUT_OF_RANGE",
        "availability.0.start": "FORMAT",
        "availability.1.end": "BEFORE_START",
        "max_open_reviews": "OUT_OF_RANGE",
        "max_consultations_per_day": "OUT_OF_RANGE",
        "online_link": "FORMAT",
    }
    for p in problems:
        assert p.message.zh and p.message.en


def test_a_profile_is_normalised() -> None:
    draft = dataclasses.replace(
        DRAFT, expertise_codes=(" c33-l1", "C33-L1"), languages=("EN", "en")
    )
    profile = checked_profile(draft, KNOWN)
    assert not isinstance(profile, list)
    assert profile.expertise_codes == ("C33-L1",) and profile.languages == ("en",)
