"""A span for each GraphQL operation, named for what it is: ``mutation publishDemand``
(its operation name, or for an anonymous operation the fields it selects at its root).

The span is current while the operation runs, so the calls the resolvers make to the
services (HTTP, with ``traceparent``) are its children. Unlike strawberry's own
OpenTelemetry extension it records neither the query text (which may quote a password)
nor a span per resolver (hundreds for one list). Added to the schema only while tracing
is on (:func:`boyin_shared.telemetry.active`).
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import DocumentNode, FieldNode, get_operation_ast
from opentelemetry.trace import Span, Status, StatusCode
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

from boyin_shared.propagation import TRACER, unsampled


class OperationSpans(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        if unsampled():  # in a request not sampled: no span, nothing to describe
            yield
            return
        with TRACER.start_as_current_span("graphql operation") as span:
            try:
                yield
            finally:  # also when the operation raised (a document that does not parse)
                _describe(span, self.execution_context)


def _describe(span: Span, context: ExecutionContext) -> None:
    if not span.is_recording():  # not sampled: nothing to name
        return
    name = context.operation_name or _root_fields(context.graphql_document)
    try:
        kind = context.operation_type.value
    except RuntimeError:  # the document did not parse
        kind = "operation"
    span.update_name(f"{kind} {name}")
    span.set_attribute("graphql.operation.type", kind)
    span.set_attribute("graphql.operation.name", name)
    errors = context.pre_execution_errors or (
        context.result.errors if context.result is not None else None
    )
    if errors:
        span.set_status(Status(StatusCode.ERROR, errors[0].message[:200]))


def _root_fields(document: DocumentNode | None) -> str:
    """``signIn`` or ``demands,districts``: what an anonymous operation asks for."""
    operation = get_operation_ast(document) if document is not None else None
    if operation is None:
        return "anonymous"
    names = [s.name.value for s in operation.selection_set.selections if isinstance(s, FieldNode)]
    return ",".join(dict.fromkeys(names)) or "anonymous"
