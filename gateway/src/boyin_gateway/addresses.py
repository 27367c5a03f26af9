"""The client's address, for the per-address limits: the connection's peer, unless that peer
is one of the configured reverse proxies (``BOYIN_TRUSTED_PROXIES``).

Behind proxies, ``X-Forwarded-For`` lists the addresses each hop saw, the nearest last; each
trusted proxy appends the address it was connected from. Read from the right, the first
address that is not a trusted proxy is the client's: what a client writes into the header
itself stays to the left of it and is never believed. Without trusted proxies the header is
ignored altogether (uvicorn's own handling, which believes any local peer, is turned off
where the gateway is served: ``proxy_headers=False``).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import IPvAnyNetwork
from starlette.types import Scope

_IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Proxies:
    networks: tuple[_IPNetwork, ...] = ()

    @classmethod
    def of(cls, trusted: Iterable[IPvAnyNetwork]) -> Proxies:
        return cls(tuple(ipaddress.ip_network(str(n)) for n in trusted))

    def trusts(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def client(self, scope: Scope) -> str:
        peer = scope.get("client")
        address = str(peer[0]) if peer else "unknown"
        if not self.networks or not self.trusts(address):
            return address
        hops: list[str] = [
            hop.strip()
            for name, value in scope.get("headers", ())
            if name == b"x-forwarded-for"
            for hop in value.decode("latin-1").split(",")
        ]
        for hop in reversed(hops):
            if not self.trusts(hop):
                return hop
        return hops[0] if hops else address
