"""A service's answers when the fault is not the caller's: the store or broker briefly away
is ``503 SERVICE_UNAVAILABLE`` with ``Retry-After`` (never a 500 with a stack trace, and the
connection stays usable); a body nested too deeply to decode is the caller's ``400`` (issue
#20)."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from prometheus_client import REGISTRY
from pydantic import BaseModel

from boyin_shared import http
from boyin_shared.errors import TransientError
from boyin_shared.scrape import ScrapeAccess


class Body(BaseModel):
    name: str


def app() -> FastAPI:
    served = FastAPI()

    async def ready() -> bool:
        return True

    http.install(served, "test", ready, scrape=ScrapeAccess())

    @served.get("/away")
    async def away() -> dict[str, str]:
        raise TransientError("database unavailable: connection refused")

    @served.post("/things")
    async def things(body: Body) -> dict[str, str]:
        return {"name": body.name}

    return served


async def test_a_briefly_unavailable_store_is_a_503_to_retry_on_the_same_connection() -> None:
    transport = httpx.ASGITransport(app=app(), raise_app_exceptions=True)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        for _ in range(2):  # the handler answered: nothing escapes to drop the connection
            answer = await client.get("/away")
            assert answer.status_code == 503
            assert answer.headers["retry-after"] == "5"
            error = answer.json()["error"]
            assert error["code"] == "SERVICE_UNAVAILABLE"
            assert error["message"] == {
                "zh": "服务暂时不可用，请数秒后重试",
                "en": "briefly unavailable; retry in a few seconds",
            }
            assert "connection refused" not in answer.text
        assert (await client.post("/things", json={"name": "x"})).json() == {"name": "x"}


async def test_bodies_that_are_not_the_model_are_the_callers_mistake() -> None:
    transport = httpx.ASGITransport(app=app(), raise_app_exceptions=True)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        deep = b"[" * 50_000 + b"]" * 50_000
        answer = await client.post(
            "/things", content=deep, headers={"content-type": "application/json"}
        )
        assert answer.status_code == 400
        assert answer.json()["error"]["code"] == "INVALID_BODY"
        assert (await client.get("/nowhere")).json()["error"]["code"] == "NOT_FOUND"
        assert (await client.delete("/things")).json()["error"]["code"] == "METHOD_NOT_ALLOWED"
        for body in (b"null", b'"x"', b"1", b"true", b"[]", b"{"):
            answer = await client.post(
                "/things", content=body, headers={"content-type": "application/json"}
            )
            assert answer.status_code == 422, (body, answer.text)
            assert answer.json()["error"]["code"] == "VALIDATION_FAILED", body


async def test_each_request_is_counted_once_by_its_route() -> None:
    served = app()
    transport = httpx.ASGITransport(app=served)

    def counted() -> float:
        value = REGISTRY.get_sample_value(
            "boyin_http_requests_total",
            {"service": "test", "method": "POST", "route": "/things", "status": "200"},
        )
        return value or 0.0

    before = counted()
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        answer = await client.post("/things", json={"name": "x"})
    assert answer.status_code == 200
    assert counted() == before + 1
