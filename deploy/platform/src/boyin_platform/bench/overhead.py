"""``python -m boyin_platform.bench overhead``: what tracing costs the gateway's throughput.

Two platforms as ``bench load`` runs one (single-process mode, ``--demo``, rate limits
off), side by side: one with tracing off (the default), one with it on as ``deploy/`` sets
it (``OTEL_TRACES_EXPORTER=otlp``, ``parentbased_traceidratio`` at ``--ratio``), exporting
over OTLP/HTTP to a sink in this process that decodes each batch, counts its spans and
answers 200 (a stand-in for the collector: what the platform pays is the same). Each
round runs every GraphQL measure of ``bench load`` on both, in a shuffled order, the two
back to back in alternating order; printed: each measure's line, then per measure the
throughput with tracing on as a share of off, and the platform's CPU time per request on
as a share of off (steadier where other processes share the cores), per round and as the
median.
"""

from __future__ import annotations

import asyncio
import random
import statistics
from contextlib import AsyncExitStack
from dataclasses import dataclass, field

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from boyin_platform.bench.drive import Send, closed_loop
from boyin_platform.bench.queries import (
    DEMANDS,
    REFERENCE,
    TALENT_WITH_DEMANDS,
    Platform,
    Seen,
    graphql,
)
from boyin_platform.bench.targets import single_process


@dataclass
class Sink:
    """An OTLP/HTTP endpoint that accepts every export (``POST /v1/traces``)."""

    requests: int = 0
    spans: int = 0
    writers: set[asyncio.StreamWriter] = field(default_factory=set)

    def close(self) -> None:
        for writer in self.writers:
            writer.close()

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.writers.add(writer)
        try:
            while head := await reader.readuntil(b"\r\n\r\n"):
                length = 0
                for line in head.decode("latin-1").split("\r\n")[1:]:
                    name, _, value = line.partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value.strip())
                body = await reader.readexactly(length)
                exported = ExportTraceServiceRequest()
                exported.ParseFromString(body)
                self.requests += 1
                self.spans += sum(
                    len(scope.spans) for rs in exported.resource_spans for scope in rs.scope_spans
                )
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\n"
                    b"Content-Length: 0\r\n\r\n"
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self.writers.discard(writer)
            writer.close()


def _sends(s: Seen) -> dict[str, Send]:
    """Each measure's GraphQL request, as the demo's talent where it must sign in."""
    return {
        "{__typename}": graphql("{ __typename }"),
        "50 published demands": graphql(DEMANDS, first=50),
        "a talent with its demands": graphql(
            TALENT_WITH_DEMANDS, s.token, id=s.party_id, owner=s.party_id
        ),
        "reference data (districts, editions)": graphql(REFERENCE),
    }


async def overhead(connections: int, seconds: float, repeat: int, ratio: float) -> None:
    sink = Sink()
    server = await asyncio.start_server(sink.serve, "127.0.0.1", 0)
    sink_port = server.sockets[0].getsockname()[1]
    off = {"OTEL_TRACES_EXPORTER": "none"}
    on = {
        "OTEL_TRACES_EXPORTER": "otlp",
        "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{sink_port}",
        "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
        "OTEL_TRACES_SAMPLER": "parentbased_traceidratio",
        "OTEL_TRACES_SAMPLER_ARG": str(ratio),
        "OTEL_METRICS_EXPORTER": "none",
        "OTEL_LOGS_EXPORTER": "none",
    }
    async with AsyncExitStack() as stack:
        platforms: dict[str, tuple[Platform, dict[str, Send]]] = {}
        for label, env in (("off", off), ("on", on)):
            platform, seen = await stack.enter_async_context(single_process(label, None, env))
            platforms[label] = (platform, _sends(seen))
        print(
            f"boyin_platform.bench overhead: {connections} connections, {seconds:.0f} s a measure,"
            f" {repeat} round(s); tracing off: pids {dict(platforms['off'][0].pids)}, on"
            f" ({ratio:.0%} sampled, OTLP to a sink on port {sink_port}):"
            f" pids {dict(platforms['on'][0].pids)}"
        )
        shares: dict[str, list[float]] = {}
        #: CPU time of the platform process per request, on / off: steadier than the
        #: throughput where other processes share the machine's cores
        costs: dict[str, list[float]] = {}
        for round_ in range(repeat):
            order = list(platforms["off"][1])
            random.Random(round_).shuffle(order)
            for step, name in enumerate(order):
                labels = ["off", "on"] if (round_ + step) % 2 == 0 else ["on", "off"]
                rates: dict[str, float] = {}
                cpu_per_request: dict[str, float] = {}
                for label in labels:
                    platform, sends = platforms[label]
                    send = sends[name]
                    measured = await closed_loop(
                        f"{name} (tracing {label})",
                        platform.gateway,
                        lambda _, send=send: send,  # type: ignore[misc]
                        connections,
                        seconds,
                        platform.pids,
                    )
                    print(measured.line(), flush=True)
                    rates[label] = measured.rate
                    cpu_per_request[label] = measured.cpu_ms
                if rates["off"] and cpu_per_request["off"]:
                    shares.setdefault(name, []).append(rates["on"] / rates["off"])
                    costs.setdefault(name, []).append(
                        cpu_per_request["on"] / cpu_per_request["off"]
                    )
        for title, table in (("throughput", shares), ("CPU per request", costs)):
            for name, found in table.items():
                print(
                    f"{title} on / off, {name}: "
                    + ", ".join(f"{s:.3f}" for s in found)
                    + f"  (median {statistics.median(found):.3f})"
                )
            every = [s for found in table.values() for s in found]
            print(f"{title}, all measures: median on / off {statistics.median(every):.3f}")
        await asyncio.sleep(6)  # the batch processor's last export (every 5 s)
        print(f"the sink received {sink.requests} exports, {sink.spans} spans")
    sink.close()
    server.close()
    await server.wait_closed()
