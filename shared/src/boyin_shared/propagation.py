"""The W3C trace context (``traceparent``, ``tracestate``) that HTTP headers, Kafka record
headers and the event envelope carry, and the tracer of the platform's own spans.

Only the OpenTelemetry API: pure modules (events, domain) may use it. The SDK and the
instrumentations are set up by :mod:`boyin_shared.telemetry`; until then every span here
is the API's no-op span and no ``traceparent`` is written.
"""

from __future__ import annotations

from collections.abc import Mapping

from opentelemetry import context, propagate, trace
from opentelemetry.context import Context

#: the tracer of the platform's own spans
TRACER = trace.get_tracer("boyin")


def current_ids() -> tuple[str, str] | None:
    """The current trace and span ids in hex (for log lines and error bodies), if any."""
    found = trace.get_current_span().get_span_context()
    if not found.is_valid:
        return None
    return format(found.trace_id, "032x"), format(found.span_id, "016x")


def unsampled() -> bool:
    """Whether the current span is one a sampler dropped: its children would be dropped too
    (``parentbased_*``, the platform's samplers), so code may skip making them."""
    found = trace.get_current_span().get_span_context()
    return found.is_valid and not found.trace_flags.sampled


def inject(headers: dict[str, str], ctx: Context | None = None) -> dict[str, str]:
    """``headers`` with the W3C ``traceparent`` (and ``tracestate``) of ``ctx`` (default:
    the current context) added; unchanged when there is no trace."""
    propagate.inject(headers, context=ctx)
    return headers


def traceparent(ctx: Context | None = None) -> str | None:
    """The ``traceparent`` of ``ctx`` (default: the current context), None without a trace."""
    return inject({}, ctx).get("traceparent")


def extract(carrier: Mapping[str, str]) -> Context:
    """The context a ``traceparent`` (and ``tracestate``) in ``carrier`` continues."""
    return propagate.extract(carrier)


def of_traceparent(value: str | None) -> Context:
    """The context an envelope's ``traceparent`` continues (an empty one without it)."""
    return extract({"traceparent": value}) if value else context.Context()
