"""GraphiQL that works offline: strawberry's GraphiQL page with its scripts and styles
served by the gateway itself instead of a public CDN.

Strawberry renders GraphiQL from its own ``static/graphiql.html``, which loads React,
js-cookie, GraphiQL and its explorer plugin from ``https://unpkg.com/<package>@<version>/
<file>`` (with subresource integrity hashes). The same files, taken unchanged from the npm
registry's tarballs, are package data of the gateway (``graphiql_assets/``, versions and
licences in its ``README.md``); :func:`offline_graphiql_html` points the page at
:data:`ASSETS_PATH`, where :func:`mount_assets` serves them. The integrity hashes stay in
the page, so a browser refuses a vendored file that differs from the CDN's.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles
from strawberry.http.ides import get_graphql_ide_html

#: where the vendored files are, in the package
ASSETS_DIR = Path(__file__).resolve().parent / "graphiql_assets"
#: the URL path they are served under
ASSETS_PATH = "/graphiql-assets"
#: the CDN strawberry's page loads them from
CDN = "https://unpkg.com/"
_ASSET_URL = re.compile(r'(?:src|href)="' + re.escape(ASSETS_PATH) + r'/([^"]+)"')


@functools.cache
def offline_graphiql_html() -> str:
    """Strawberry's GraphiQL page loading its assets from this gateway. Raises if the page
    names a file that is not vendored, or still names the CDN (a strawberry upgrade that
    changed its assets: vendor the new versions, see ``graphiql_assets/README.md``)."""
    page = get_graphql_ide_html("graphiql").replace(CDN, ASSETS_PATH + "/")
    missing = [name for name in _ASSET_URL.findall(page) if not (ASSETS_DIR / name).is_file()]
    if missing or "unpkg.com" in page:
        raise RuntimeError(f"GraphiQL assets not vendored: {missing or 'unpkg.com'}")
    return page


def asset_paths() -> list[str]:
    """The URL paths of the assets the page loads."""
    return [f"{ASSETS_PATH}/{name}" for name in _ASSET_URL.findall(offline_graphiql_html())]


def mount_assets(app: FastAPI) -> None:
    """Serve the vendored files under :data:`ASSETS_PATH`."""
    app.mount(ASSETS_PATH, StaticFiles(directory=ASSETS_DIR), name="graphiql-assets")
