"""The HTTP edge every service shares: error mapping, trace and metrics middleware, probes."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Mapping
from enum import Enum
from typing import Annotated, Any, Literal, TypeVar, get_args, get_origin

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo
from starlette.exceptions import HTTPException as StarletteHTTPException

from boyin_shared import propagation, telemetry
from boyin_shared.api.errors import ErrorBody
from boyin_shared.errors import (
    BoyinError,
    FieldError,
    Message,
    TransientError,
    invalid,
    invalid_body,
    unavailable,
)
from boyin_shared.scrape import ScrapeAccess

log = logging.getLogger("boyin.http")

REQUESTS = Counter(
    "boyin_http_requests_total", "HTTP requests", ["service", "method", "route", "status"]
)
LATENCY = Histogram("boyin_http_request_seconds", "HTTP latency", ["service", "method", "route"])

# One table for every pydantic error type the services can produce: the platform's code for it
# (UPPER_SNAKE, like every other field error code) and its Chinese wording, which says what
# pydantic's English says (``{name}`` is filled from the error's context). The English is
# pydantic's own.
_PYDANTIC: dict[str, tuple[str, str]] = {
    "missing": ("MISSING", "缺少必填字段"),
    "string_type": ("NOT_A_STRING", "应为文本"),
    "string_too_short": ("STRING_TOO_SHORT", "内容过短：至少应有 {min_length} 个字符"),
    "string_too_long": ("STRING_TOO_LONG", "内容过长：最多 {max_length} 个字符"),
    "string_pattern_mismatch": ("PATTERN_MISMATCH", "格式不正确：应符合模式 {pattern}"),
    "value_error": ("INVALID_VALUE", "取值无效"),
    "assertion_error": ("INVALID_VALUE", "取值无效"),
    "enum": ("NOT_ALLOWED_VALUE", "不是允许的取值之一，应为：{expected}"),
    "literal_error": ("NOT_ALLOWED_VALUE", "不是允许的取值之一，应为：{expected}"),
    "union_tag_invalid": (
        "NOT_ALLOWED_VALUE",
        "用于区分类型的字段 {discriminator} 的取值 '{tag}' 不是允许的取值之一，应为：{expected_tags}",
    ),
    "union_tag_not_found": ("MISSING", "缺少用于区分类型的字段 {discriminator}"),
    "int_type": ("NOT_AN_INTEGER", "应为整数"),
    "int_parsing": ("NOT_AN_INTEGER", "应为整数，无法将文本解析为整数"),
    "int_from_float": ("NOT_AN_INTEGER", "应为整数，不能带小数部分"),
    "float_type": ("NOT_A_NUMBER", "应为数字"),
    "float_parsing": ("NOT_A_NUMBER", "应为数字，无法将文本解析为数字"),
    "decimal_parsing": ("NOT_A_NUMBER", "应为数字，无法将文本解析为数字"),
    "finite_number": ("NOT_A_NUMBER", "应为有限的数字"),
    "bool_type": ("NOT_A_BOOLEAN", "应为布尔值（是或否）"),
    "bool_parsing": ("NOT_A_BOOLEAN", "应为布尔值（是或否），无法解析输入"),
    "greater_than": ("TOO_SMALL", "数值过小：应大于 {gt}"),
    "greater_than_equal": ("TOO_SMALL", "数值过小：应大于或等于 {ge}"),
    "less_than": ("TOO_LARGE", "数值过大：应小于 {lt}"),
    "less_than_equal": ("TOO_LARGE", "数值过大：应小于或等于 {le}"),
    "multiple_of": ("NOT_A_MULTIPLE", "应为 {multiple_of} 的整数倍"),
    "date_type": ("INVALID_DATE", "应为有效日期，格式如 2026-05-20"),
    "date_parsing": ("INVALID_DATE", "应为有效日期，格式如 2026-05-20，无法解析输入"),
    "date_from_datetime_parsing": (
        "INVALID_DATE",
        "应为有效日期或日期时间，格式如 2026-05-20，无法解析输入",
    ),
    "date_from_datetime_inexact": ("INVALID_DATE", "由日期时间得到日期时，时间部分应为零"),
    "datetime_type": ("INVALID_DATETIME", "应为有效日期时间（ISO 8601 格式）"),
    "datetime_parsing": ("INVALID_DATETIME", "应为有效日期时间（ISO 8601 格式），无法解析输入"),
    "datetime_from_date_parsing": (
        "INVALID_DATETIME",
        "应为有效日期时间或日期（ISO 8601 格式），无法解析输入",
    ),
    "timezone_aware": ("TIMEZONE_REQUIRED", "日期时间应带时区"),
    "timezone_naive": ("TIMEZONE_NOT_ALLOWED", "日期时间不应带时区"),
    "time_type": ("INVALID_TIME", "应为有效时间，格式如 09:30"),
    "time_parsing": ("INVALID_TIME", "应为有效时间，格式如 09:30，无法解析输入"),
    "time_delta_type": ("INVALID_DURATION", "应为有效时长"),
    "time_delta_parsing": ("INVALID_DURATION", "应为有效时长，无法解析输入"),
    "uuid_type": ("INVALID_UUID", "应为有效的 UUID"),
    "uuid_parsing": ("INVALID_UUID", "应为有效的 UUID，无法解析输入"),
    "url_type": ("INVALID_URL", "应为有效的网址"),
    "url_parsing": ("INVALID_URL", "应为有效的网址，无法解析输入"),
    "extra_forbidden": ("UNKNOWN_FIELD", "不允许的字段：该输入没有这一项"),
    "json_invalid": ("INVALID_JSON", "不是有效的 JSON，无法解析"),
    "json_type": ("INVALID_JSON", "应为 JSON 文本"),
    "too_short": ("TOO_FEW_ITEMS", "条目过少：至少应有 {min_length} 项，实际 {actual_length} 项"),
    "too_long": ("TOO_MANY_ITEMS", "条目过多：最多 {max_length} 项，实际 {actual_length} 项"),
    "list_type": ("NOT_A_LIST", "应为列表"),
    "tuple_type": ("NOT_A_LIST", "应为列表"),
    "set_type": ("NOT_A_LIST", "应为列表"),
    "dict_type": ("NOT_AN_OBJECT", "应为对象"),
    "model_type": ("NOT_AN_OBJECT", "应为对象"),
    "model_attributes_type": ("NOT_AN_OBJECT", "应为对象"),
    "dataclass_type": ("NOT_AN_OBJECT", "应为对象"),
    "none_required": ("NOT_ALLOWED_VALUE", "应为空值"),
}


def error_body(error: BoyinError) -> dict[str, Any]:
    """The JSON of ``error`` as every service answers it (:class:`ErrorBody`)."""
    return ErrorBody.of(error).model_dump(mode="json")


def field_errors(errors: Iterable[Mapping[str, Any]]) -> list[FieldError]:
    """Pydantic's errors (of a request, or of a model validated by hand) as the platform's
    field errors: dotted field path, UPPER_SNAKE code, message in Chinese and English."""
    fields = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
        kind = str(err.get("type", "value_error"))
        en = str(err.get("msg", "invalid value"))
        if en.startswith("Value error, "):
            en = en.removeprefix("Value error, ")
        code, zh = _PYDANTIC.get(kind, (kind.upper(), "取值无效"))
        ctx = err.get("ctx") or {}
        zh = zh.format_map(_Context({k: _zh_value(v) for k, v in ctx.items()}))
        if kind == "value_error" and isinstance(ctx.get("error"), ValueError):
            zh = _zh_of(ctx["error"]) or zh
        fields.append(FieldError(field=".".join(loc) or "body", code=code, message=Message(zh, en)))
    return fields


class _Context(dict[str, str]):
    """An error's context for a Chinese template; what it lacks reads as "?"."""

    def __missing__(self, key: str) -> str:
        return "?"


def _zh_value(value: object) -> str:
    """A context value in Chinese punctuation: "'A', 'B' or 'C'" reads "'A'、'B' 或 'C'"."""
    text = str(value)
    if text.startswith("'"):
        text = text.replace("', '", "'、'").replace("' or '", "' 或 '")
    return text


def _zh_of(error: ValueError) -> str | None:
    zh = getattr(error, "zh", None)
    return zh if isinstance(zh, str) else None


class BilingualValueError(ValueError):
    """Raise from a pydantic validator to give the Chinese message alongside the English."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.zh = zh


#: The service's own checks of a request body pydantic refused in part: given the request and
#: the raw body, the field errors they find in the rest of it.
Completion = Callable[[Request, Any], Awaitable[list[FieldError]]]


def completed_by(completions: Mapping[Callable[..., Any], Completion]) -> type[APIRoute]:
    """A route class for routes whose body is checked twice, by pydantic and by the service.

    Without it, a body with a bad enum value answers only that, and the service's checks
    (unknown codes, formats, consent) come in a later round. With it, when pydantic refuses
    the body of an endpoint listed in ``completions``, those checks run on the rest of the
    body too and one answer lists every field error; an error the service finds in a part
    pydantic already refused is left out.
    """

    class Completed(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()
            endpoint = self.endpoint

            async def handle(request: Request) -> Response:
                try:
                    return await handler(request)
                except RequestValidationError as exc:
                    complete = completions.get(endpoint)
                    if complete is None:
                        raise
                    fields = field_errors(exc.errors())
                    more = await complete(request, exc.body)
                    known = [f.field for f in fields]
                    fields += [m for m in more if not any(_overlap(m.field, k) for k in known)]
                    raise invalid(fields) from exc

            return handle

    return Completed


def _overlap(a: str, b: str) -> bool:
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


M = TypeVar("M", bound=BaseModel)


def read_leniently(model: type[M], raw: object) -> M:
    """``raw`` read as ``model`` part by part: what pydantic refuses (or what is missing) gets
    a stand-in of the right type, so the service's checks can still look at the rest.
    For :func:`completed_by` only: the result is never stored."""
    given = raw if isinstance(raw, dict) else {}
    values: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key not in given:
            values[name] = _stand_in(info)
            continue
        nested = _model_in(info.annotation)
        if nested is not None and isinstance(given[key], dict):
            values[name] = read_leniently(nested, given[key])
            continue
        try:
            adapter: TypeAdapter[Any] = TypeAdapter(Annotated[info.annotation, info])  # type: ignore[arg-type]
            values[name] = adapter.validate_python(given[key])
        except ValidationError:
            values[name] = _stand_in(info)
    return model.model_construct(**values)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model ``annotation`` names (``M`` or ``M | None``; not a union of models)."""
    candidates = [a for a in (annotation, *get_args(annotation)) if a is not type(None)]
    models = [a for a in candidates if isinstance(a, type) and issubclass(a, BaseModel)]
    return models[0] if len(models) == 1 else None


def _stand_in(info: FieldInfo) -> Any:
    if not info.is_required():
        return info.get_default(call_default_factory=True)
    annotation = info.annotation
    nested = _model_in(annotation)
    if nested is not None:
        return read_leniently(nested, {})
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return next(iter(annotation))
    origin = get_origin(annotation) or annotation
    if origin is Literal:
        return get_args(annotation)[0]
    if origin in (list, tuple, set):
        return []
    if annotation is str:
        return ""
    if annotation in (int, float):
        return 0
    return None


#: the framework's refusals, said as the platform says its own
_FRAMEWORK = {
    400: invalid_body("无法解析（须为有效且嵌套不过深的 JSON）", "cannot be parsed as JSON"),
    404: BoyinError("NOT_FOUND", Message("未找到", "not found"), status=404),
    405: BoyinError(
        "METHOD_NOT_ALLOWED", Message("不支持该请求方法", "method not allowed"), status=405
    ),
}


def install(
    app: FastAPI,
    service: str,
    ready: Callable[[], Awaitable[bool]],
    *,
    scrape: ScrapeAccess,
    measure: bool = True,
) -> None:
    """Add probes, metrics, trace propagation and the one error mapping to ``app``
    (``measure=False``: an application whose requests the applications it mounts measure).
    ``/metrics`` answers only whom ``scrape`` allows; the probes answer everyone.

    The request is traced by OpenTelemetry's ASGI middleware when tracing is on
    (:mod:`boyin_shared.telemetry`), and measured in a ``BaseHTTPMiddleware``, which runs the route in
    a task of its own. A pure-ASGI version (the route in the caller's task) was tried: with
    services called in process (``httpx.ASGITransport``) it left a background task of the
    scheduling service uncancellable at shutdown, so it stays as it is until understood."""

    @app.exception_handler(BoyinError)
    async def _boyin_error(_: Request, exc: BoyinError) -> JSONResponse:
        return JSONResponse(error_body(exc), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        error = BoyinError(
            code="VALIDATION_FAILED",
            message=Message("输入有误，请检查标出的字段", "Invalid input; see the fields listed"),
            fields=field_errors(exc.errors()),
            status=422,
        )
        return JSONResponse(error_body(error), status_code=422)

    #: seconds a client is told to wait when the store or broker is briefly away
    retry_after = "5"

    @app.exception_handler(TransientError)
    async def _transient(_: Request, exc: TransientError) -> JSONResponse:
        log.warning("answered 503: %s", exc)
        error = unavailable()
        return JSONResponse(
            error_body(error), status_code=error.status, headers={"Retry-After": retry_after}
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        """The framework's own refusals (no such route or method, a body that is not JSON)
        in the platform's one error shape."""
        error = _FRAMEWORK.get(exc.status_code) or BoyinError(
            code=f"HTTP_{exc.status_code}",
            message=Message(f"请求未被接受（HTTP {exc.status_code}）", str(exc.detail)),
            status=exc.status_code,
        )
        return JSONResponse(error_body(error), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        ids = propagation.current_ids()
        log.error("unhandled error", exc_info=exc)
        error = BoyinError(
            code="INTERNAL",
            message=Message("服务器内部错误，请稍后重试", "Internal error; please retry later"),
            status=500,
        )
        body = error_body(error)
        body["error"]["trace_id"] = ids[0] if ids else None
        return JSONResponse(body, status_code=500)

    async def _measure(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
            return response
        finally:
            route = getattr(request.scope.get("route"), "path", "unmatched")
            telemetry.name_server_span(request.method, route)
            REQUESTS.labels(service, request.method, route, str(status)).inc()
            LATENCY.labels(service, request.method, route).observe(time.perf_counter() - started)

    if measure:
        app.middleware("http")(_measure)
        telemetry.instrument_app(app)  # the server spans (OpenTelemetry's ASGI middleware)

    probes = APIRouter(tags=["operations"])

    @probes.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": service}

    @probes.get("/readyz")
    async def readyz() -> JSONResponse:
        ok = await ready()
        return JSONResponse({"ready": ok, "service": service}, status_code=200 if ok else 503)

    @probes.get("/metrics")
    async def metrics(request: Request) -> Response:
        return scrape.answer(
            request, lambda: Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
        )

    app.include_router(probes)
