"""Mentors through the service's HTTP API on the embedded store and bus: apply, approve,
suspend, retire, the profile's versions, who sees what, and bad input refused whole."""

from __future__ import annotations

from pathlib import Path

from boyin_shared.contracts.mentors import MentorApproved, MentorRegistered, MentorRetired
from tests.mentors.support import (
    MENTOR,
    OPERATOR,
    OTHER_MENTOR,
    TALENT,
    field_codes,
    mentors_service,
    ok,
    profile_body,
    refusal,
)


async def test_recruitment_through_the_api(tmp_path: Path) -> None:
    async with mentors_service(tmp_path) as s:
        m = ok(await s.call(MENTOR, "POST", "/mentors/apply", profile_body()), 201)
        assert m["status"] == "APPLIED" and m["version"] == 1 and len(m["versions"]) == 1
        refusal(
            await s.call(MENTOR, "POST", "/mentors/apply", profile_body()), 409, "MENTOR_EXISTS"
        )
        refusal(await s.call(MENTOR, "POST", f"/mentors/{m['id']}/approve"), 403, "FORBIDDEN")
        ok(await s.call(OPERATOR, "POST", f"/mentors/{m['id']}/approve"))
        body = profile_body(max_open_reviews=4)
        changed = ok(await s.call(MENTOR, "PUT", f"/mentors/{m['id']}/profile", body))
        assert (
            changed["version"] == 2 and changed["versions"][0]["profile"]["max_open_reviews"] == 3
        )
        me = ok(await s.call(MENTOR, "GET", "/mentors/me"))
        assert me["id"] == m["id"] and me["status"] == "APPROVED"
        # another mentor does not see this one (absent, not forbidden)
        refusal(await s.call(OTHER_MENTOR, "GET", f"/mentors/{m['id']}"), 404, "NOT_FOUND")
        refusal(await s.call(TALENT, "GET", "/mentors"), 403, "FORBIDDEN")
        page = ok(await s.call(OPERATOR, "GET", "/mentors?status=APPROVED"))
        assert [x["id"] for x in page["items"]] == [m["id"]]
        retired = ok(
            await s.call(OPERATOR, "POST", f"/mentors/{m['id']}/retire", {"reason": "moved on"})
        )
        assert retired["status"] == "RETIRED"
        assert [e.subject for e in await s.until_published(MentorRetired, 1)] == [m["id"]]
        assert len(s.published.of(MentorRegistered)) == 1
        assert len(s.published.of(MentorApproved)) == 1


async def test_an_invitation_and_bad_profiles(tmp_path: Path) -> None:
    async with mentors_service(tmp_path) as s:
        invited = ok(
            await s.call(
                OPERATOR,
                "POST",
                "/mentors/invite",
                {"account_id": "acc_m2", "profile": profile_body()},
            ),
            201,
        )
        assert invited["status"] == "INVITED"
        # the invited mentor sees their own record
        assert ok(await s.call(OTHER_MENTOR, "GET", "/mentors/me"))["id"] == invited["id"]
        bad = profile_body(timezone="Nowhere/City", languages=[], max_open_reviews=99)
        error = refusal(
            await s.call(MENTOR, "POST", "/mentors/apply", bad), 422, "VALIDATION_FAILED"
        )
        assert field_codes(error) == {
            "timezone": "UNKNOWN_TIMEZONE",
            "languages": "REQUIRED",
            "max_open_reviews": "OUT_OF_RANGE",
        }
        # nothing half-written: the refused application left no record
        refusal(await s.call(MENTOR, "GET", "/mentors/me"), 404, "NOT_FOUND")
        error = refusal(
            await s.call(OPERATOR, "POST", f"/mentors/{invited['id']}/suspend", {"reason": "x"}),
            409,
            "WRONG_STATUS",
        )
        assert field_codes(error) == {"status": "WRONG_STATUS"}
