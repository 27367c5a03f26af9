"""Each GraphQL operation is a span named for what it is, when tracing is on."""

from __future__ import annotations

from opentelemetry import context
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode

from boyin_gateway.schema import build_schema
from boyin_shared import propagation


async def test_operations_are_spans_named_by_operation_or_root_fields(
    spans: InMemorySpanExporter,
) -> None:
    schema = build_schema()  # tracing is on: the extension is in
    assert (await schema.execute("query Probe { __typename }")).errors is None
    assert (await schema.execute("{ __typename }")).errors is None
    assert (await schema.execute("{ noSuchField }")).errors
    assert (await schema.execute("{ __typename")).errors  # does not parse
    named, anonymous, invalid, unparsed = spans.get_finished_spans()
    assert named.name == "query Probe"
    assert named.attributes is not None
    assert named.attributes["graphql.operation.name"] == "Probe"
    assert named.attributes["graphql.operation.type"] == "query"
    assert anonymous.name == "query __typename"
    assert named.status.status_code is StatusCode.UNSET
    assert invalid.name == "query noSuchField"
    assert invalid.status.status_code is StatusCode.ERROR
    assert unparsed.name == "operation anonymous"
    assert unparsed.status.status_code is StatusCode.ERROR


async def test_an_operation_in_a_request_not_sampled_makes_no_span(
    spans: InMemorySpanExporter,
) -> None:
    schema = build_schema()
    unsampled = propagation.of_traceparent(
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00"
    )
    token = context.attach(unsampled)
    try:
        assert (await schema.execute("query Probe { __typename }")).errors is None
    finally:
        context.detach(token)
    assert (await schema.execute("query Sampled { __typename }")).errors is None
    assert [s.name for s in spans.get_finished_spans()] == ["query Sampled"]
