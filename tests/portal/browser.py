"""The portal's browser tests' machinery: the platform on its embedded defaults served from
a thread (the tests drive the browser synchronously), Debian's Chromium driven by
Playwright for Python (no browser download), axe-core for accessibility, screenshots.

Nothing here skips: without the built portal or without Chromium the tests fail and say
what to install (deploy/test.sh installs both)."""

from __future__ import annotations

import asyncio
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page, ViewportSize

from tests.platform_harness import platform_server

ROOT = Path(__file__).resolve().parents[2]
PORTAL = ROOT / "gateway" / "portal"
DIST = PORTAL / "dist"
CHROMIUM = Path("/usr/bin/chromium")
#: where a run saves its screenshots: .cache/screenshots, or docs/portal/screenshots when
#: BOYIN_PORTAL_SCREENSHOTS says so (refreshing the docs' pictures is a choice, so that a
#: test run leaves the checkout as it was)
SCREENSHOTS = ROOT / os.environ.get("BOYIN_PORTAL_SCREENSHOTS", ".cache/screenshots")
AXE = PORTAL / "node_modules" / "axe-core" / "axe.min.js"
#: headless on a closed network: without the background-networking flags Chromium's own
#: connections (updates, safe browsing) are refused and slow every page down
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}


def missing_prerequisites() -> str | None:
    """What the browser tests need and is not there (None: nothing)."""
    if not (DIST / "index.html").is_file():
        return (
            f"the portal is not built ({DIST}): run `npm ci && npm run build` in "
            "gateway/portal (deploy/test.sh does)"
        )
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} is missing: `apt-get install -y chromium` (deploy/test.sh does)"
    if not AXE.is_file():
        return f"{AXE} is missing: `npm ci` in gateway/portal"
    return None


@contextmanager
def platform_in_thread(data_dir: Path) -> Iterator[str]:
    """The platform (embedded bus, SQLite in ``data_dir``) on a free port, in a thread of
    its own with its own event loop; yields its base URL."""
    started = threading.Event()
    stop: list[asyncio.Event] = []
    url: list[str] = []
    failure: list[BaseException] = []
    loop_of: list[asyncio.AbstractEventLoop] = []

    async def serve() -> None:
        done = asyncio.Event()
        stop.append(done)
        loop_of.append(asyncio.get_running_loop())
        async with platform_server(data_dir) as base:
            url.append(base)
            started.set()
            await done.wait()

    def run() -> None:
        try:
            asyncio.run(serve())
        except BaseException as exc:
            failure.append(exc)
            started.set()

    thread = threading.Thread(target=run, name="platform", daemon=True)
    thread.start()
    started.wait(120)
    if failure or not url:
        raise RuntimeError("the platform did not start") from (failure[0] if failure else None)
    try:
        yield url[0]
    finally:
        loop_of[0].call_soon_threadsafe(stop[0].set)
        thread.join(60)


def gql(url: str, query: str, token: str | None = None, **variables: Any) -> dict[str, Any]:
    """A GraphQL operation from the test itself (what a page does not do); fails on errors."""
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = httpx.post(
        url + "/graphql", json={"query": query, "variables": variables}, headers=headers, timeout=30
    )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # evaluated through the driver, not as a <script>: the portal's CSP allows none inline
        page.evaluate(AXE.read_text("utf-8") + "\n;undefined")
    # a message fading in is, halfway, text of too little contrast: wait for every CSS
    # transition and animation running now to end (an infinite one is left alone)
    page.evaluate(
        """async () => await Promise.all(document.getAnimations()
             .filter(a => a.effect?.getComputedTiming().endTime !== Infinity)
             .map(a => a.finished.catch(() => null)))"""
    )
    result: dict[str, Any] = page.evaluate(
        "async () => await window.axe.run(document, {resultTypes: ['violations']})"
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def assert_accessible(page: Page, what: str) -> None:
    found = serious_violations(page)
    assert not found, f"{what}: axe-core found {json.dumps(found, ensure_ascii=False, indent=1)}"


def screenshot(page: Page, name: str) -> None:
    """Save the page (whole length) to :data:`SCREENSHOTS`/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # else the sticky header is drawn mid-page
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
