"""Attachments: upload limits and checks, evidence files on demands, who may download."""

from __future__ import annotations

from pathlib import Path

from boyin_registry.app import definition
from tests.apps import as_actor, running
from tests.registry.support import (
    PUBLIC,
    claims_for,
    demand_body,
    organisation_body,
    organisation_member,
    talent_body,
    talent_member,
)

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


async def test_upload_checks_type_content_size_and_name(tmp_path: Path) -> None:
    async with running([definition], tmp_path, max_upload_mb=1) as r:
        client = r.client("registry")
        ok = await client.post(
            "/attachments", files={"file": ("专利证书.pdf", PDF, "application/pdf")}
        )
        assert ok.status_code == 201, ok.text
        assert ok.json()["size"] == len(PDF)
        assert ok.json()["name"] == "专利证书.pdf"

        big = await client.post(
            "/attachments",
            files={"file": ("big.pdf", PDF + b"0" * (1024 * 1024), "application/pdf")},
        )
        assert big.status_code == 413
        assert big.json()["error"]["message"] == {
            "zh": "文件超过 1 MB 上限",
            "en": "the file is larger than 1 MB",
        }
        exe = await client.post(
            "/attachments", files={"file": ("x.exe", b"MZ\x90\x00", "application/x-msdownload")}
        )
        assert exe.status_code == 422
        assert exe.json()["error"]["fields"][0]["code"] == "FILE_TYPE"
        fake = await client.post(
            "/attachments", files={"file": ("fake.pdf", b"<html>", "application/pdf")}
        )
        assert fake.json()["error"]["fields"][0]["code"] == "FILE_CONTENT"
        empty = await client.post("/attachments", files={"file": ("e.pdf", b"", "application/pdf")})
        assert empty.status_code == 422
        anon = await client.post(
            "/attachments",
            files={"file": ("a.pdf", PDF, "application/pdf")},
            headers=as_actor(PUBLIC),
        )
        assert anon.status_code == 403


async def test_evidence_files_on_demands_and_downloads(tmp_path: Path) -> None:
    async with running([definition], tmp_path) as r:
        client = r.client("registry")
        org = (await client.post("/organisations", json=organisation_body(1))).json()
        member = as_actor(organisation_member(org["id"]))
        uploaded = await client.post(
            "/attachments",
            files={"file": ("lab.pdf", PDF, "application/pdf")},
            headers=member,
        )
        file_id = uploaded.json()["id"]
        claims = claims_for("PROJECT_LANDING")
        claims[0]["evidence_file"] = file_id

        not_listed = await client.post(
            "/demands",
            json=demand_body("PROJECT_LANDING", org["id"], claims=claims),
            headers=member,
        )
        assert not_listed.status_code == 422
        assert not_listed.json()["error"]["fields"][0]["code"] == "NOT_ATTACHED"

        talent = (await client.post("/talents", json=talent_body())).json()
        someone_else = as_actor(talent_member(talent["id"]))
        foreign = await client.post(
            "/demands",
            json=demand_body("PROJECT_COOPERATION", talent["id"], attachment_ids=[file_id]),
            headers=someone_else,
        )
        assert foreign.status_code == 422
        assert foreign.json()["error"]["fields"][0]["code"] == "UNKNOWN_ATTACHMENT"

        created = await client.post(
            "/demands",
            json=demand_body(
                "PROJECT_LANDING", org["id"], claims=claims, attachment_ids=[file_id], submit=True
            ),
            headers=member,
        )
        assert created.status_code == 201, created.text
        demand = created.json()
        assert demand["attachments"][0]["id"] == file_id
        assert demand["claims"][0]["evidence_file"] == file_id

        # A talent may not download the evidence of a draft under review ...
        hidden = await client.get(f"/attachments/{file_id}", headers=someone_else)
        assert hidden.status_code == 404
        # ... but may once the demand is published.
        for step in ("start-review",):
            assert (await client.post(f"/demands/{demand['id']}/{step}")).status_code == 200
        for claim in demand["claims"]:
            reviewed = await client.post(
                f"/demands/{demand['id']}/claims/{claim['criterion']}/review",
                json={"outcome": "CONFIRMED"},
            )
            assert reviewed.status_code == 200
        assert (await client.post(f"/demands/{demand['id']}/publish")).status_code == 200
        shown = await client.get(f"/attachments/{file_id}", headers=someone_else)
        assert shown.status_code == 200
        assert shown.content == PDF
        assert shown.headers["content-type"] == "application/pdf"
        assert "lab.pdf" in shown.headers["content-disposition"]


async def test_an_account_may_upload_a_daily_quota_and_no_more(tmp_path: Path) -> None:
    """Uploads are counted per account over 24 hours (issue #20): the upload that would pass
    the quota is refused, bilingual; staff have no quota."""
    async with running([definition], tmp_path, upload_quota_mb_per_day=1) as r:
        client = r.client("registry")
        talent = as_actor(talent_member("tal_quota", "acc_quota"))
        part = PDF + b"0" * (400 * 1024)
        answers = [
            await client.post(
                "/attachments",
                files={"file": (f"p{i}.pdf", part, "application/pdf")},
                headers=talent,
            )
            for i in range(3)
        ]
        assert [a.status_code for a in answers] == [201, 201, 429], [a.text for a in answers]
        error = answers[2].json()["error"]
        assert error["code"] == "UPLOAD_QUOTA_EXCEEDED"
        assert "1 MB" in error["message"]["en"] and "1 MB" in error["message"]["zh"]
        assert [(f["field"], f["code"]) for f in error["fields"]] == [
            ("file", "UPLOAD_QUOTA_EXCEEDED")
        ]
        # another account has its own quota; staff (the client's operator) none
        other = as_actor(talent_member("tal_other", "acc_other"))
        small = {"file": ("s.pdf", PDF, "application/pdf")}
        assert (await client.post("/attachments", files=small, headers=other)).status_code == 201
        for _ in range(3):
            big = {"file": ("b.pdf", part, "application/pdf")}
            assert (await client.post("/attachments", files=big)).status_code == 201
