"""Who may read ``/metrics``: the metrics name every route and count its calls and errors,
so they are served only to a scraper that proves itself (issue #20).

A request is answered when

* it carries ``Authorization: Bearer <BOYIN_METRICS_TOKEN>`` (compared in constant time;
  Prometheus sends it from a scrape config's ``authorization`` block), or
* its connection's peer is in ``BOYIN_METRICS_NETWORKS`` (the operator's explicit choice,
  e.g. the monitoring network), or
* no token is configured, the platform is not in strict mode (introspection on) and the
  peer is this machine (loopback).

A request that came through a proxy (it carries ``X-Forwarded-For``, ``Forwarded`` or
``X-Real-IP``) is never taken for its proxy's address: a reverse proxy on the same machine
would otherwise make every visitor local. The probes ``/healthz`` and ``/readyz`` stay open.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from boyin_shared.api.errors import ErrorBody
from boyin_shared.errors import BoyinError, Message
from boyin_shared.settings import PlatformSettings

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network
#: headers a reverse proxy adds: their presence means the peer is not the client
FORWARDING = (b"x-forwarded-for", b"forwarded", b"x-real-ip")


def refused() -> BoyinError:
    return BoyinError(
        code="METRICS_NOT_ALLOWED",
        message=Message(
            zh="指标仅向出示监控令牌（BOYIN_METRICS_TOKEN）或来自允许网络的采集方提供",
            en="Metrics are served only to a scraper with the metrics token "
            "(BOYIN_METRICS_TOKEN) or from an allowed network",
        ),
        status=403,
    )


@dataclass(frozen=True)
class ScrapeAccess:
    token: bytes | None = None
    networks: tuple[_Network, ...] = ()
    #: serve loopback peers without the token (not in strict mode, no token configured)
    loopback: bool = True

    @classmethod
    def of(cls, settings: PlatformSettings) -> ScrapeAccess:
        token: bytes | None = None
        if settings.metrics_token is not None:
            token = settings.metrics_token.get_secret_value().encode()
            if len(token) < 32:
                raise RuntimeError("BOYIN_METRICS_TOKEN must be at least 32 bytes")
        return cls(
            token=token,
            networks=tuple(ipaddress.ip_network(str(n)) for n in settings.metrics_networks),
            loopback=token is None and settings.graphql_introspection,
        )

    def _presented(self, request: Request) -> bool:
        if self.token is None:
            return False
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return False
        return hmac.compare_digest(given.strip().encode(), self.token)

    def _peer(self, request: Request) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
        if any(name in FORWARDING for name, _ in request.scope.get("headers", ())):
            return None
        peer = request.scope.get("client")
        try:
            return ipaddress.ip_address(str(peer[0])) if peer else None
        except ValueError:
            return None

    def allows(self, request: Request) -> bool:
        if self._presented(request):
            return True
        peer = self._peer(request)
        if peer is None:
            return False
        if any(peer in network for network in self.networks):
            return True
        return self.loopback and peer.is_loopback

    def answer(self, request: Request, exposition: Callable[[], Response]) -> Response:
        """The metrics, or the refusal (403, bilingual) with nothing of them."""
        if self.allows(request):
            return exposition()
        error = refused()
        body = ErrorBody.of(error).model_dump(mode="json")
        return JSONResponse(body, status_code=error.status)
