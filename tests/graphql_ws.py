"""A small graphql-transport-ws client for the subscription tests."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from websockets.asyncio.client import ClientConnection, connect


class Subscription:
    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws

    async def next(self, timeout: float = 10.0) -> dict[str, Any]:
        """The next ``next`` payload's data (fails on an error message)."""
        while True:
            message = json.loads(await asyncio.wait_for(self.ws.recv(), timeout))
            if message["type"] == "next":
                assert "errors" not in message["payload"], message
                data: dict[str, Any] = message["payload"]["data"]
                return data
            if message["type"] == "error":
                raise AssertionError(message)
            if message["type"] == "ping":
                await self.ws.send(json.dumps({"type": "pong"}))

    async def error(self, timeout: float = 10.0) -> list[dict[str, Any]]:
        """The errors the server answered the subscription with."""
        while True:
            message = json.loads(await asyncio.wait_for(self.ws.recv(), timeout))
            if message["type"] == "error":
                errors: list[dict[str, Any]] = message["payload"]
                return errors
            if message["type"] == "next" and message["payload"].get("errors"):
                errors = message["payload"]["errors"]
                return errors


@asynccontextmanager
async def subscribe(
    url: str, query: str, token: str | None = None, **variables: Any
) -> AsyncIterator[Subscription]:
    ws_url = url.replace("http://", "ws://") + "/graphql"
    async with connect(ws_url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        payload = {"authorization": f"Bearer {token}"} if token else {}
        await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        ack = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert ack["type"] == "connection_ack", ack
        await ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": query, "variables": variables},
                }
            )
        )
        yield Subscription(ws)
