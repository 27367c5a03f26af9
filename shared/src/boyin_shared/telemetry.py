"""OpenTelemetry traces for every process: set-up, and the W3C trace context that HTTP
headers, Kafka record headers and the event envelope carry.

Configured by the standard ``OTEL_*`` environment variables (``OTEL_SERVICE_NAME``,
``OTEL_EXPORTER_OTLP_ENDPOINT``, ``OTEL_TRACES_SAMPLER`` and its ``_ARG``,
``OTEL_PROPAGATORS``, ``OTEL_BSP_*``...), with one difference from the SDK's own default:
tracing is on only when ``OTEL_TRACES_EXPORTER`` names an exporter (``otlp``, ``console``),
so the single-process platform exports nothing unless asked; ``deploy/`` turns it on
(``otlp`` to the collector, ``parentbased_traceidratio`` at 0.1). ``OTEL_SDK_DISABLED=true``
turns it off whatever else is set.

:func:`configure` installs the SDK's tracer provider and the maintained instrumentations
(httpx, aiokafka, pymongo), and a server span for each request of every FastAPI
application (:func:`instrument_app`, called by :func:`boyin_shared.http.install`). Our own spans (GraphQL operations, event handlers,
the outbox relay, the rematch job, the scheduler's phases) come from
:data:`boyin_shared.propagation.TRACER`, the API's no-op tracer while tracing is off.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from fastapi import FastAPI
from fastapi.telemetry import TelemetryConfig
from opentelemetry import trace
from opentelemetry.instrumentation.aiokafka import AIOKafkaInstrumentor
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.instrumentation.instrumentor import BaseInstrumentor  # type: ignore[attr-defined]
from opentelemetry.instrumentation.pymongo import PymongoInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
    SpanExporter,
)

from boyin_shared.server_spans import ServerSpans

#: FastAPI's own (native) OpenTelemetry, off in every application of the platform
#: (``FastAPI(telemetry=NATIVE_OFF)``): :func:`instrument_app` makes each request's one
#: server span; both would trace it twice
NATIVE_OFF: TelemetryConfig = {
    "tracing": False,
    "metrics": False,
    "logs": False,
    "operation_spans": False,
}

#: probes and scrapes make no spans
_UNTRACED_PATHS = ("/healthz", "/readyz", "/metrics")

#: the maintained instrumentations of the clients every process uses
INSTRUMENTORS: tuple[BaseInstrumentor, ...] = (
    HTTPXClientInstrumentor(),
    AIOKafkaInstrumentor(),
    PymongoInstrumentor(),
)

_active: TracerProvider | None = None


def wanted(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether the environment asks for tracing (see the module's doc)."""
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    exporter = environ.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    return exporter not in ("", "none")


def active() -> bool:
    """Whether :func:`configure` installed the SDK in this process."""
    return _active is not None


def _exporter(environ: Mapping[str, str]) -> SpanExporter:
    name = environ.get("OTEL_TRACES_EXPORTER", "otlp").split(",")[0].strip().lower()
    if name == "console":
        return ConsoleSpanExporter()
    if name == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        return OTLPSpanExporter()
    raise RuntimeError(f"OTEL_TRACES_EXPORTER={name!r} is not supported: use otlp, console or none")


def configure(service: str, *, exporter: SpanExporter | None = None) -> bool:
    """Install the SDK and the instrumentations once per process when the environment
    asks for it, or with ``exporter`` (tests: the SDK's in-memory exporter, whose spans are
    then exported as each ends). Returns whether tracing is on."""
    global _active
    if _active is not None:
        if exporter is not None:
            _active.add_span_processor(SimpleSpanProcessor(exporter))
        _instrument()
        return True
    if exporter is None and not wanted():
        return False
    attributes = {} if os.environ.get("OTEL_SERVICE_NAME") else {"service.name": service}
    # the sampler comes from OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG
    provider = TracerProvider(resource=Resource.create(attributes))
    if exporter is None:
        provider.add_span_processor(BatchSpanProcessor(_exporter(os.environ)))
    else:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    _instrument()
    _active = provider
    return True


def _instrument() -> None:
    for instrumentor in INSTRUMENTORS:
        if not instrumentor.is_instrumented_by_opentelemetry:
            instrumentor.instrument()


def instrument_app(app: FastAPI) -> None:
    """Server spans for ``app``'s requests, continuing the caller's ``traceparent``
    (:class:`boyin_shared.server_spans.ServerSpans`), each named for its route by
    :func:`name_server_span` once the request is routed.

    Neither ``FastAPIInstrumentor`` (to name each span it searched the application's routes
    before routing and before sampling, for every request) nor the ASGI instrumentation's
    middleware (it gathers the request's attributes and wraps ``receive`` and ``send``
    before sampling): both spent most of what tracing cost on the nine requests in ten that
    are not sampled."""
    if _active is not None:
        app.add_middleware(ServerSpans, untraced=_UNTRACED_PATHS)


def name_server_span(method: str, route: str) -> None:
    """Name the current server span for its route (``GET /demands/{demand_id}``)."""
    span = trace.get_current_span()
    if span.is_recording():
        span.update_name(f"{method} {route}")
        span.set_attribute("http.route", route)
