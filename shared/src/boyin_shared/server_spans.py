"""A span for each HTTP request an application serves, at the cost of the sampling decision
alone for a request that is not sampled.

OpenTelemetry's ASGI middleware gathers a dozen attributes from the request (for the
sampler), extracts the context from the headers and wraps ``receive`` and ``send`` before
it knows whether the span records anything: most of what tracing cost a light request, and
spent on the nine requests in ten that 10% sampling drops. Here the sampler decides first
(it needs no attributes: ``parentbased_traceidratio`` looks at the parent and the trace
id); an unsampled request only carries its non-recording span in the context (so the
calls and events it makes say "not sampled" downstream and are not sampled afresh), and
a sampled one gets the attributes, the answer's status and any exception.

The parent: a span current in this process (a service the gateway calls in process,
through ``httpx.ASGITransport``: an ``INTERNAL`` span, no header to parse; none at all when
that span is not sampled, as a ``parentbased_*`` sampler would drop it), otherwise the
caller's ``traceparent`` header (a ``SERVER`` span continuing the caller's trace), otherwise
none (a new trace).
"""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping
from typing import Any

from opentelemetry import context, trace
from opentelemetry.context import Context
from opentelemetry.trace import Span, SpanKind, Status, StatusCode
from starlette.types import ASGIApp, Receive, Scope, Send

from boyin_shared import propagation

_TRACEPARENT = b"traceparent"


class ServerSpans:
    """ASGI middleware: the request's span (see the module's doc); requests whose path ends
    with one of ``untraced`` (probes, scrapes) make none. The span is named for the method
    here, and for the route once routed (:func:`boyin_shared.telemetry.name_server_span`)."""

    def __init__(self, app: ASGIApp, untraced: Iterable[str] = ()) -> None:
        self.app = app
        self.untraced = tuple(untraced)
        self.tracer = trace.get_tracer("boyin.http")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["path"].endswith(self.untraced)
            or propagation.unsampled()  # called in process by a request not sampled
        ):
            await self.app(scope, receive, send)
            return
        parent, kind = _parent(scope)
        span = self.tracer.start_span(
            scope["method"], context=parent, kind=kind, record_exception=False
        )
        token = context.attach(trace.set_span_in_context(span, parent))
        try:
            if not span.is_recording():
                await self.app(scope, receive, send)
                return
            _describe(span, scope)
            await self.app(scope, receive, _status_of(span, send))
        except BaseException as exc:
            if span.is_recording():
                span.record_exception(exc)
                span.set_status(Status(StatusCode.ERROR, type(exc).__name__))
            raise
        finally:
            span.end()
            context.detach(token)


def _parent(scope: Scope) -> tuple[Context | None, SpanKind]:
    if trace.get_current_span().get_span_context().is_valid:
        return None, SpanKind.INTERNAL  # called in process: the current span is the parent
    headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
    carrier = {
        name.decode("latin-1"): value.decode("latin-1")
        for name, value in headers
        if name in (_TRACEPARENT, b"tracestate")
    }
    if _TRACEPARENT.decode() not in carrier:
        return None, SpanKind.SERVER
    return propagation.extract(carrier), SpanKind.SERVER


def _describe(span: Span, scope: Scope) -> None:
    attributes: dict[str, Any] = {
        "http.request.method": scope["method"],
        "url.scheme": scope.get("scheme", "http"),
        "url.path": scope["path"],
    }
    server = scope.get("server")
    if server:
        attributes["server.address"] = str(server[0])
        if server[1] is not None:
            attributes["server.port"] = int(server[1])
    client = scope.get("client")
    if client:
        attributes["client.address"] = str(client[0])
    for name, value in scope.get("headers", []):
        if name == b"user-agent":
            attributes["user_agent.original"] = value.decode("latin-1")
    span.set_attributes(attributes)


def _status_of(span: Span, send: Send) -> Send:
    """``send``, noting the answer's status on ``span`` (an error from 500 on)."""

    async def sending(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status = int(message["status"])
            span.set_attribute("http.response.status_code", status)
            if status >= 500:
                span.set_status(Status(StatusCode.ERROR))
        await send(message)

    return sending
