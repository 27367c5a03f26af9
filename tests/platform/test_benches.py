"""The benchmark commands still run (small sizes; their numbers are not checked here):
a bench that stops running stops being measured."""

from __future__ import annotations

import re

import pytest

from boyin_matching.bench import speed
from boyin_platform import bench as platform_bench


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
    await platform_bench.latency(2)
    out = capsys.readouterr().out
    assert re.search(r"\(real Kafka \+ FerretDB, 2 demands\): p50 \d+ ms", out), out
