"""The scheduling bench on a tiny fair, so it cannot rot (the big fairs are run by hand:
``python -m boyin_scheduling.bench``, numbers in docs/benchmarks.md)."""

from __future__ import annotations

import re
import subprocess
import sys


def test_the_bench_reports_path_bound_gap_memory_and_people_before_and_after() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "boyin_scheduling.bench", "--fair", "tiny", "--repairs", "2"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    path = re.search(r"path (\S+): objective ([\d,]+), bound ([\d,]+), proven gap ([\d.]+)%", out)
    assert path is not None, out
    objective, bound = (int(path.group(i).replace(",", "")) for i in (2, 3))
    assert path.group(1) == "lp-integral" and objective == bound
    assert float(path.group(4)) == 0.0
    assert re.search(r"first feasible [\d.]+ s, to the result [\d.]+ s", out)
    assert re.search(r"peak memory [\d,]+ MB", out)
    before = re.search(r"before: objective ([\d,]+), meetings ([\d,]+).*idle gaps ([\d,]+)", out)
    after = re.search(r"after:  objective ([\d,]+), meetings ([\d,]+).*idle gaps ([\d,]+)", out)
    assert before is not None and after is not None, out
    assert before.group(1) == after.group(1) == path.group(2)
    assert int(after.group(3).replace(",", "")) <= int(before.group(3).replace(",", ""))
    assert "validator" in out and "no conflict" in out
    assert "invalid schedules: 0" in out
