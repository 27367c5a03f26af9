"""Consent at registration; a person exports and erases their data."""

from __future__ import annotations

from pathlib import Path

from boyin_registry.app import definition
from tests.apps import OPERATOR, as_actor, running
from tests.registry.support import (
    ADMIN,
    CONSENT,
    demand_body,
    talent_body,
    talent_member,
    wait_for_event,
)


async def test_registration_needs_consent_to_the_current_notice(tmp_path: Path) -> None:
    async with running([definition], tmp_path) as r:
        client = r.client("registry")
        notice = (await client.get("/privacy/notice")).json()
        assert notice["version"] == CONSENT["notice_version"]
        assert set(notice["purposes"]) == set(CONSENT["purposes"])
        assert notice["text"]["zh"] and notice["text"]["en"]

        old = await client.post(
            "/talents",
            json=talent_body(consent={"notice_version": "2020-01", "purposes": ["MATCHING"]}),
        )
        assert old.status_code == 422
        fields = {f["field"]: f for f in old.json()["error"]["fields"]}
        assert set(fields) == {"consent.notice_version", "consent.purposes"}
        assert "REGISTRATION" in fields["consent.purposes"]["message"]["en"]
        missing = await client.post("/talents", json={**talent_body(), "consent": None})
        assert missing.status_code == 422
        assert (await client.post("/talents", json=talent_body())).status_code == 201


async def test_a_person_exports_and_erases_their_data(tmp_path: Path) -> None:
    async with running([definition], tmp_path) as r:
        client = r.client("registry")
        talent = (await client.post("/talents", json=talent_body("li@example.de"))).json()
        me = as_actor(talent_member(talent["id"]))
        demand = await client.post(
            "/demands",
            json=demand_body("PROJECT_COOPERATION", talent["id"], submit=True),
            headers=me,
        )
        assert demand.status_code == 201, demand.text
        await client.get(f"/talents/{talent['id']}")  # a read of the profile alone: not logged
        # an operator shown the contact details: logged
        await client.get(f"/talents/{talent['id']}", params={"include_contacts": True})

        export = await client.get(f"/talents/{talent['id']}/personal-data", headers=me)
        assert export.status_code == 200
        data = export.json()
        assert data["profile"]["contact"]["email"] == "li@example.de"
        assert data["profile"]["consents"][0]["notice_version"] == CONSENT["notice_version"]
        assert [a["account_id"] for a in data["staff_reads"]] == [OPERATOR.account_id]

        someone = as_actor(talent_member("tal_other", "acc_other"))
        assert (
            await client.get(f"/talents/{talent['id']}/personal-data", headers=someone)
        ).status_code == 403
        assert (await client.delete(f"/talents/{talent['id']}", headers=someone)).status_code == 403
        # Operators may not erase; the person or an administrator may.
        assert (await client.delete(f"/talents/{talent['id']}")).status_code == 403

        erased = await client.delete(f"/talents/{talent['id']}", headers=me)
        assert erased.status_code == 200
        body = erased.json()
        assert body["name"] == {"zh": "已删除用户", "en": "Deleted user"}
        assert body["contact"]["email"].startswith("erased+")
        assert body["team"] == []
        withdrawn = (await client.get(f"/demands/{demand.json()['id']}")).json()
        assert withdrawn["status"] == "WITHDRAWN"
        event = await wait_for_event(r, talent["id"], "boyin.registry.talent.updated")
        assert event["data"]["name"] == {"zh": "已删除用户", "en": "Deleted user"}
        assert "li@example.de" not in str(event)

        # The e-mail address is free again, and erasing twice changes nothing.
        again = await client.post("/talents", json=talent_body("li@example.de"))
        assert again.status_code == 201
        admin = as_actor(ADMIN)
        twice = await client.delete(f"/talents/{talent['id']}", headers=admin)
        assert twice.json()["revision"] == body["revision"]
