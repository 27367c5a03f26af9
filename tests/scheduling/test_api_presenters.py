"""A session's presenters are checked against how and when they take part: one online
cannot present at a session held on site, one whose local time is at night is accepted
with a warning in the answer (in-process service, embedded bus and SQLite)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.scheduling.support import (
    FAIR_FIRST,
    at,
    field_refusal,
    headers,
    ok,
    open_fair,
    talent,
)
from tests.scheduling.support import OpenFair as Fair


@pytest.fixture
async def fair(tmp_path: Path) -> AsyncIterator[Fair]:
    async with open_fair(tmp_path) as f:
        yield f


def roadshow(presenter: str, hm: str = "09:00", **overrides: Any) -> dict[str, Any]:
    """A one-hour roadshow in hall A from ``hm`` fair time (09:00 is 02:00 in Berlin)."""
    h = int(hm[:2])
    body: dict[str, Any] = {
        "kind": "ROADSHOW",
        "title": {"zh": "新材料路演", "en": "New materials roadshow"},
        "start": at(FAIR_FIRST, hm),
        "end": at(FAIR_FIRST, f"{h + 1:02d}{hm[2:]}"),
        "room": "hall-a",
        "presenters": [{"party_id": presenter}],
    }
    body.update(overrides)
    return body


async def test_an_online_presenter_is_refused_at_an_on_site_roadshow(fair: Fair) -> None:
    # Anna Berg lives in Berlin and, declaring nothing, takes part online
    url = f"/editions/{fair.edition_id}/sessions"
    error = field_refusal(
        await fair.api.post(url, json=roadshow(fair.abroad)),
        "presenters.0.party_id",
        "ONLINE_PRESENTER",
    )
    assert "ONLINE" in error["message"]["en"] and "线上" in error["message"]["zh"]
    assert ok(await fair.api.get(url)) == []
    # declared online on purpose: the same
    ok(
        await fair.api.put(
            f"/editions/{fair.edition_id}/attendance",
            json={"mode": "ONLINE", "timezone": "Asia/Shanghai"},
            headers=headers(talent(fair.t1)),
        )
    )
    field_refusal(
        await fair.api.post(url, json=roadshow(fair.t1, "14:00")),
        "presenters.0.party_id",
        "ONLINE_PRESENTER",
    )


async def test_a_presenter_at_night_is_accepted_with_a_warning(fair: Fair) -> None:
    url = f"/editions/{fair.edition_id}/sessions"
    # no room: online presenters may take part; 09:00 in Chongqing is 02:00 in Berlin
    created = ok(await fair.api.post(url, json=roadshow(fair.abroad, room=None)), 201)
    [warning] = created["warnings"]
    assert (warning["field"], warning["code"]) == ("presenters.0", "PRESENTER_AT_NIGHT")
    assert "02:00" in warning["message"]["en"] and "02:00" in warning["message"]["zh"]
    assert "夜间" in warning["message"]["zh"]
    # moved to the afternoon (09:00 in Berlin), the warning goes
    edited = ok(
        await fair.api.put(
            f"/sessions/{created['id']}", json=roadshow(fair.abroad, "16:00", room=None)
        )
    )
    assert edited["warnings"] == []
    # a presenter at the venue by day: no warning
    assert ok(await fair.api.post(url, json=roadshow(fair.t2, "10:00")), 201)["warnings"] == []
    # reading a session shows no warnings (they belong to the answer to a change)
    assert "warnings" not in ok(await fair.api.get(f"/sessions/{created['id']}"))
