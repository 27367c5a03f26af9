"""The benchmark commands still run (small sizes; their numbers are not checked here):
a bench that stops running stops being measured."""

from __future__ import annotations

import re

import pytest

from boyin_matching.bench import speed
from boyin_platform.bench.latency import latency
from boyin_platform.bench.load import load


async def test_the_rematch_job_bench_runs(capsys: pytest.CaptureFixture[str]) -> None:
    await speed.run_job(300)
    out = capsys.readouterr().out
    assert re.search(r"first \(empty store\): [\d.]+ s wall .* 12,000 proposals", out), out
    assert re.search(r"relay published \d{3} events", out), out  # one per list that proposes
    assert "second (proposals exist)" in out


@pytest.mark.infra
@pytest.mark.slow
async def test_the_event_to_visible_matches_bench_runs(
    kafka_bootstrap: str, mongo_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    await latency(2)
    out = capsys.readouterr().out
    assert re.search(r"\(real Kafka \+ FerretDB, 2 demands\): p50 \d+ ms", out), out


@pytest.mark.slow
async def test_the_load_bench_runs(capsys: pytest.CaptureFixture[str]) -> None:
    """The load bench's small version: the demo fair, every measure, one second each."""
    await load(connections=4, seconds=1.0, repeat=1)
    out = capsys.readouterr().out
    for name in ("{__typename}", "50 published demands", "a talent's profile", "reference data"):
        assert re.search(re.escape(name) + r".*\(GraphQL\) +[\d.]+ req/s .* errors 0", out), out
        assert re.search(re.escape(name) + r".*\(direct\) +[\d.]+ req/s .* errors 0", out), out
    assert out.count("ratio direct/GraphQL") == 4, out
