"""The HTTP edge every service shares: error mapping, trace and metrics middleware, probes."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest

from boyin_shared import tracing
from boyin_shared.api.errors import ErrorBody
from boyin_shared.errors import BoyinError, FieldError, Message

log = logging.getLogger("boyin.http")

REQUESTS = Counter(
    "boyin_http_requests_total", "HTTP requests", ["service", "method", "route", "status"]
)
LATENCY = Histogram("boyin_http_request_seconds", "HTTP latency", ["service", "method", "route"])

# Chinese wording for pydantic's error types; the English comes from pydantic itself.
_ZH = {
    "missing": "缺少必填字段",
    "string_too_short": "内容过短",
    "string_too_long": "内容过长",
    "string_pattern_mismatch": "格式不正确",
    "value_error": "取值无效",
    "literal_error": "不是允许的取值之一",
    "enum": "不是允许的取值之一",
    "int_parsing": "应为整数",
    "float_parsing": "应为数字",
    "bool_parsing": "应为是/否",
    "datetime_parsing": "日期时间格式不正确",
    "date_from_datetime_parsing": "日期格式不正确",
    "extra_forbidden": "不允许的字段",
    "too_short": "条目过少",
    "too_long": "条目过多",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "greater_than": "数值过小",
    "less_than": "数值过大",
    "json_invalid": "不是有效的 JSON",
    "model_attributes_type": "应为对象",
    "list_type": "应为列表",
    "string_type": "应为文本",
}


def error_body(error: BoyinError) -> dict[str, Any]:
    """The JSON of ``error`` as every service answers it (:class:`ErrorBody`)."""
    return ErrorBody.of(error).model_dump(mode="json")


def _validation_fields(exc: RequestValidationError) -> list[FieldError]:
    fields = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
        kind = str(err.get("type", "value_error"))
        en = str(err.get("msg", "invalid value"))
        if en.startswith("Value error, "):
            en = en.removeprefix("Value error, ")
        zh = _ZH.get(kind, "取值无效")
        ctx = err.get("ctx") or {}
        if kind == "value_error" and isinstance(ctx.get("error"), ValueError):
            zh = _zh_of(ctx["error"]) or zh
        fields.append(FieldError(field=".".join(loc) or "body", code=kind, message=Message(zh, en)))
    return fields


def _zh_of(error: ValueError) -> str | None:
    zh = getattr(error, "zh", None)
    return zh if isinstance(zh, str) else None


class BilingualValueError(ValueError):
    """Raise from a pydantic validator to give the Chinese message alongside the English."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.zh = zh


def install(app: FastAPI, service: str, ready: Callable[[], Awaitable[bool]]) -> None:
    """Add probes, metrics, trace propagation and the one error mapping to ``app``."""

    @app.exception_handler(BoyinError)
    async def _boyin_error(_: Request, exc: BoyinError) -> JSONResponse:
        return JSONResponse(error_body(exc), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        error = BoyinError(
            code="VALIDATION_FAILED",
            message=Message("输入有误，请检查标出的字段", "Invalid input; see the fields listed"),
            fields=_validation_fields(exc),
            status=422,
        )
        return JSONResponse(error_body(error), status_code=422)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        ctx = tracing.current()
        log.error("unhandled error", exc_info=exc)
        error = BoyinError(
            code="INTERNAL",
            message=Message("服务器内部错误，请稍后重试", "Internal error; please retry later"),
            status=500,
        )
        body = error_body(error)
        body["error"]["trace_id"] = ctx.trace_id if ctx else None
        return JSONResponse(body, status_code=500)

    @app.middleware("http")
    async def _trace_and_measure(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        incoming = tracing.TraceContext.parse(request.headers.get("traceparent"))
        ctx = incoming.child() if incoming else tracing.TraceContext.new()
        token = tracing.activate(ctx)
        started = time.perf_counter()
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
            response.headers["traceparent"] = ctx.traceparent
            return response
        finally:
            route = getattr(request.scope.get("route"), "path", "unmatched")
            REQUESTS.labels(service, request.method, route, str(status)).inc()
            LATENCY.labels(service, request.method, route).observe(time.perf_counter() - started)
            tracing.restore(token)

    probes = APIRouter(tags=["operations"])

    @probes.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": service}

    @probes.get("/readyz")
    async def readyz() -> JSONResponse:
        ok = await ready()
        return JSONResponse({"ready": ok, "service": service}, status_code=200 if ok else 503)

    @probes.get("/metrics")
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    app.include_router(probes)
