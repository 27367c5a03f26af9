"""GraphiQL works offline: its page names no other host, and every script and style it
loads is served by the gateway, with the right content type, byte for byte what the CDN's
integrity hashes say."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from boyin_gateway.graphiql import ASSETS_PATH, asset_paths
from tests.gateway.harness import Gateway
from tests.platform_harness import http_client

_TYPES = {".js": "text/javascript", ".css": "text/css"}


class _Loads(HTMLParser):
    """The URLs a page loads (script ``src``, link ``href``) and their integrity hashes."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        url = a.get("src") if tag == "script" else a.get("href") if tag == "link" else None
        if url:
            self.urls[url] = a.get("integrity")


async def test_graphiql_names_no_other_host_and_its_assets_are_served(gateway: Gateway) -> None:
    async with http_client() as client:
        page = await client.get(gateway.url + "/graphql", headers={"accept": "text/html"})
        assert page.status_code == 200 and "graphiql" in page.text.lower()
        loads = _Loads()
        loads.feed(page.text)
        # the page's own icon is inline (data:); everything else comes from the gateway
        fetched = {u: h for u, h in loads.urls.items() if not u.startswith("data:")}
        assert sorted(fetched) == sorted(asset_paths()) and len(fetched) == 7
        for url in fetched:
            assert not urlsplit(url).netloc and url.startswith(ASSETS_PATH + "/"), url
        # no address of another host anywhere in the page (the SVG namespace is no fetch)
        hosts = set(re.findall(r"https?://([^/\"'\s]+)", page.text)) - {"www.w3.org"}
        assert hosts == set(), hosts
        for url, integrity in fetched.items():
            asset = await client.get(gateway.url + url)
            assert asset.status_code == 200, url
            kind = _TYPES[url[url.rindex(".") :]]
            assert asset.headers["content-type"].split(";")[0] == kind, (url, asset.headers)
            digest = base64.b64encode(hashlib.sha384(asset.content).digest()).decode()
            assert integrity == f"sha384-{digest}", url
        missing = await client.get(gateway.url + ASSETS_PATH + "/react@18.2.0/nope.js")
        assert missing.status_code == 404
