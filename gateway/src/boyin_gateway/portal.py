"""The web portal (``gateway/portal``, built by Vite into ``gateway/portal/dist``) served at
``/``: its files with their content types, hashed assets cached for a year, every other
path the single-page application's ``index.html`` (its router shows the page).

The API's own paths are never the portal's: a path under one of :data:`RESERVED` that no
route answered is a 404 in the platform's error shape, not the portal's page.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from boyin_shared.errors import BoyinError, Message

#: where ``npm run build`` writes the portal, next to the gateway's package source
DEFAULT_DIR = Path(__file__).resolve().parents[2] / "portal" / "dist"
#: path prefixes of the API, probes and services: never answered with the portal's page
RESERVED = (
    "graphql",
    "graphiql-assets",
    "files",
    "calendar",
    "unsubscribe",
    "services",
    "healthz",
    "readyz",
    "metrics",
    "openapi.json",
    "docs",
    "redoc",
)
#: hashed file names (``assets/index-3f2a1c.js``): their content never changes
IMMUTABLE = "public, max-age=31536000, immutable"
#: the page and unhashed files: always asked again (a new build is seen at once)
REVALIDATE = "no-cache"
#: what the page may load: itself, its API (including the websocket), inline styles that
#: Element Plus sets, and images drawn in the page (QR codes as data URLs)
POLICY = (
    "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data: blob:; "
    "style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; "
    "base-uri 'self'; frame-ancestors 'none'"
)

mimetypes.add_type("text/javascript", ".js")
mimetypes.add_type("text/javascript", ".mjs")
mimetypes.add_type("text/css", ".css")
mimetypes.add_type("image/svg+xml", ".svg")
mimetypes.add_type("font/woff2", ".woff2")
mimetypes.add_type("application/manifest+json", ".webmanifest")


def not_built() -> BoyinError:
    return BoyinError(
        code="PORTAL_NOT_BUILT",
        message=Message(
            "门户尚未构建：请运行 deploy/run.sh（或在 gateway/portal 中运行 npm ci && npm run build）",
            "The portal is not built: run deploy/run.sh (or npm ci && npm run build in gateway/portal)",
        ),
        status=404,
    )


def _not_found() -> BoyinError:
    return BoyinError(code="NOT_FOUND", message=Message("未找到", "Not found"), status=404)


def router(directory: Path | None = None) -> APIRouter:
    """Routes serving the built portal from ``directory`` (default :data:`DEFAULT_DIR`);
    include it after every other route of the application."""
    root = (directory or DEFAULT_DIR).resolve()
    routes = APIRouter()

    def page() -> Response:
        index = root / "index.html"
        if not index.is_file():
            raise not_built()
        return FileResponse(
            index,
            media_type="text/html; charset=utf-8",
            headers={"Cache-Control": REVALIDATE, "Content-Security-Policy": POLICY},
        )

    @routes.get("/", include_in_schema=False)
    async def home() -> Response:
        return page()

    @routes.get("/{path:path}", include_in_schema=False)
    async def portal(path: str, request: Request) -> Response:
        first = path.split("/", 1)[0]
        if first in RESERVED:
            raise _not_found()
        wanted = (root / path).resolve()
        if wanted.is_relative_to(root) and wanted.is_file():
            cache = IMMUTABLE if path.startswith("assets/") else REVALIDATE
            media, _ = mimetypes.guess_type(wanted.name)
            return FileResponse(
                wanted,
                media_type=media or "application/octet-stream",
                headers={"Cache-Control": cache, "X-Content-Type-Options": "nosniff"},
            )
        if path.startswith("assets/") or "." in path.rsplit("/", 1)[-1]:
            raise _not_found()  # a missing file, not a page of the application
        return page()

    return routes
