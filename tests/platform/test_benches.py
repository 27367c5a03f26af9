"""The benchmark commands still run (small sizes; their numbers are not checked here):
a bench that stops running stops being measured."""

from __future__ import annotations

import re

import pytest

from boyin_matching.bench import speed
from boyin_platform.bench.latency import latency
from boyin_platform.bench.load import Options, load


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
    """The load bench's small version: the demo fair, every measure one second each (the
    write mix's create + submit pairs too), the read mix closed- and open-loop; every
    request answered without an error."""
    await load(options=Options(connections=4, seconds=1.0, users=8, rate=5.0, mix_seconds=1.0))
    out = capsys.readouterr().out
    measures = (
        "{__typename}",
        "50 published demands",
        "a talent with its demands",
        "a demand's 20 matches",
        "my agenda",
        "reference data",
    )
    for name in measures:
        for way in ("GraphQL", "direct"):
            line = re.escape(name) + r".*\(" + way + r"\) +[\d.]+ req/s .* errors 0 .*platform cpu"
            assert re.search(line, out), out
    for way in ("GraphQL", "direct"):  # issue #16's write mix, one writer a connection
        pair = r"create \+ submit a demand, 4 users \(" + way + r"\) +[\d.]+ pairs/s .* errors 0"
        assert re.search(pair + r" .*cpu +[\d.]+ \+ [\d.]+ after ms/pair", out), out
    assert out.count("ratio direct/GraphQL") == len(measures) + 1, out
    assert re.search(r"read mix, 8 users, no pause +[\d.]+ req/s .* errors 0", out), out
    assert re.search(r"read mix, open loop +[\d.]+ req/s \(offered 5/s\) .* errors 0", out), out
