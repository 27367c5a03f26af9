"""Trace contexts: fresh ids are valid W3C traceparents, a child keeps its trace."""

from __future__ import annotations

from boyin_shared.tracing import TraceContext


def test_a_new_trace_is_a_valid_traceparent_that_parses_back() -> None:
    made = [TraceContext.new() for _ in range(1000)]
    for trace in made:
        assert TraceContext.parse(trace.traceparent) == trace
        assert len(trace.trace_id) == 32 and len(trace.span_id) == 16
    assert len({t.trace_id for t in made}) == 1000


def test_a_child_keeps_the_trace_and_gets_its_own_span() -> None:
    parent = TraceContext.new()
    children = [parent.child() for _ in range(100)]
    assert {c.trace_id for c in children} == {parent.trace_id}
    assert len({c.span_id for c in children} | {parent.span_id}) == 101
    assert all(TraceContext.parse(c.traceparent) == c for c in children)
