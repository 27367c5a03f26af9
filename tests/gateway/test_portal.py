"""The gateway serves the built web portal at ``/`` (boyin_gateway.portal): files with
their types and caching, the application's page for its routes, never for the API's paths,
and a clear error when the portal is not built."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from boyin_gateway import portal
from boyin_shared import http
from boyin_shared.scrape import ScrapeAccess


async def _ready() -> bool:
    return True


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    built = tmp_path / "dist"
    (built / "assets").mkdir(parents=True)
    (built / "index.html").write_text("<!doctype html><title>博引</title>", "utf-8")
    (built / "assets" / "index-3f2a1c.js").write_text("console.log(1)", "utf-8")
    (built / "assets" / "index-3f2a1c.css").write_text("body{}", "utf-8")
    (built / "favicon.svg").write_text("<svg/>", "utf-8")
    (tmp_path / "secret.txt").write_text("outside", "utf-8")
    app = FastAPI()
    http.install(app, "gateway", _ready, scrape=ScrapeAccess())

    @app.get("/files/known")
    async def known() -> dict[str, str]:
        return {"file": "yes"}

    app.include_router(portal.router(built))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://portal") as made:
        yield made


async def test_the_page_and_the_applications_routes(client: httpx.AsyncClient) -> None:
    for path in ("/", "/matches", "/channels/project-landing/new", "/demands/d_1"):
        page = await client.get(path)
        assert page.status_code == 200, path
        assert page.headers["content-type"] == "text/html; charset=utf-8"
        assert page.headers["cache-control"] == "no-cache"
        assert "script-src 'self'" in page.headers["content-security-policy"]
        assert "博引" in page.text


async def test_files_with_their_types_hashed_assets_cached_for_good(
    client: httpx.AsyncClient,
) -> None:
    script = await client.get("/assets/index-3f2a1c.js")
    assert script.headers["content-type"].startswith("text/javascript")
    assert script.headers["cache-control"] == portal.IMMUTABLE
    assert script.headers["x-content-type-options"] == "nosniff"
    style = await client.get("/assets/index-3f2a1c.css")
    assert style.headers["content-type"].startswith("text/css")
    icon = await client.get("/favicon.svg")
    assert icon.headers["content-type"] == "image/svg+xml"
    assert icon.headers["cache-control"] == "no-cache"


async def test_a_missing_file_is_a_404_not_the_page(client: httpx.AsyncClient) -> None:
    for path in ("/assets/index-gone.js", "/robots.txt"):
        missing = await client.get(path)
        assert missing.status_code == 404, path
        assert missing.json()["error"]["code"] == "NOT_FOUND"


async def test_nothing_outside_the_build_is_served(client: httpx.AsyncClient) -> None:
    for path in ("/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt"):
        answer = await client.get(path)
        assert "outside" not in answer.text, path


async def test_the_apis_paths_are_never_the_portals(client: httpx.AsyncClient) -> None:
    assert (await client.get("/files/known")).json() == {"file": "yes"}
    for path in ("/graphql/x", "/files/unknown", "/services/registry/x", "/calendar/t.ics"):
        answer = await client.get(path)
        assert answer.status_code == 404, path
        assert answer.headers["content-type"] == "application/json", path
    assert (await client.get("/healthz")).json()["status"] == "ok"


async def test_an_unbuilt_portal_says_how_to_build_it(tmp_path: Path) -> None:
    app = FastAPI()
    http.install(app, "gateway", _ready, scrape=ScrapeAccess())
    app.include_router(portal.router(tmp_path / "nothing"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://portal") as client:
        answer = await client.get("/matches")
    assert answer.status_code == 404
    body = answer.json()["error"]
    assert body["code"] == "PORTAL_NOT_BUILT"
    assert "npm run build" in body["message"]["en"] and "构建" in body["message"]["zh"]
