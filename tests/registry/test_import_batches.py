"""An import writes each batch's rows together: what that must not change. Two rows of one
file for one demand, a key bound to a demand that was never written, a crash between the
writes of a batch, and other writers between the look-up and the writes (in-process,
SQLite)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from boyin_registry.app import definition
from boyin_registry.imports import service
from boyin_registry.imports.batches import RowImporter
from boyin_registry.imports.columns import DEMANDS
from boyin_registry.imports.domain import LOOKED_UP_TOGETHER, Outcome
from boyin_registry.imports.service import Importer
from boyin_registry.imports.spreadsheets import Row, Sheet
from tests.apps import OPERATOR, Running, running
from tests.registry.support import ok, register_organisation
from tests.registry.test_import import (
    all_demands,
    api,
    by_ref,
    counts,
    csv_file,
    finished,
    imported,
    importer,
    landing_row,
    upload,
)


@pytest.fixture
async def registry(tmp_path: Path) -> AsyncIterator[Running]:
    async with running([definition], tmp_path) as r:
        yield r


@pytest.fixture
async def org(registry: Running) -> str:
    return await register_organisation(registry, 1)


async def row_importer(imports: Importer) -> RowImporter:
    """Rows imported by hand, as another process's import would (no job, no turns)."""
    sheet = Sheet(DEMANDS, "csv", "zh", {}, (), ())
    return RowImporter(imports.commands, await imports.reference(), OPERATOR, sheet)


# -- one file ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("between", "together"),
    [(0, LOOKED_UP_TOGETHER), (150, LOOKED_UP_TOGETHER), (150, 1)],
    ids=["one batch", "two batches", "two look-ups"],
)
async def test_a_demand_named_by_its_key_and_by_its_id_takes_both_rows_in_order(
    registry: Running, org: str, between: int, together: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two rows of one file for one demand (a file repeats no key, but a demand's key and
    its id are two keys)."""
    monkeypatch.setattr(service, "LOOKED_UP_TOGETHER", together)
    await imported(registry, csv_file([landing_row("K1", org)]))
    demand_id = by_ref(await all_demands(registry))["ops:K1"]["id"]
    rows = [
        landing_row("K1", org, title_zh="按外部编号"),
        *(landing_row(f"F{i}", org) for i in range(between)),
        landing_row(demand_id, org, title_zh="按需求编号"),
    ]
    assert counts(await imported(registry, csv_file(rows))) == (between, 2, 0, 0)
    listed = {d["id"]: d for d in await all_demands(registry)}
    assert len(listed) == between + 1
    assert (listed[demand_id]["title"]["zh"], listed[demand_id]["revision"]) == ("按需求编号", 3)


async def test_a_key_bound_to_a_demand_never_written_creates_it_under_that_id(
    registry: Running, org: str
) -> None:
    """What an import that stopped between binding a key and creating its demand leaves."""
    demands = importer(registry).commands.demands
    assert await demands.bind_refs({"ops:C1": "dem_neverwritten"}) == {"ops:C1": "dem_neverwritten"}
    assert counts(await imported(registry, csv_file([landing_row("C1", org)]))) == (1, 0, 0, 0)
    (demand,) = await all_demands(registry)
    assert (demand["id"], demand["external_ref"]) == ("dem_neverwritten", "ops:C1")
    assert counts(await imported(registry, csv_file([landing_row("C1", org)]))) == (0, 0, 1, 0)


# -- a crash between the writes of a batch -------------------------------------------------


async def resumed(registry: Running, job: Mapping[str, Any]) -> dict[str, Any]:
    assert (job["status"], job["error"]["code"]) == ("failed", "IMPORT_FAILED"), job
    response = await api(registry).post(f"/imports/{job['id']}/resume")
    assert response.status_code == 202, response.text
    done = await finished(registry, job["id"])
    assert done["status"] == "done" and done["processed"] == done["total"], done
    return done


async def each_once(registry: Running, n: int) -> None:
    """``n`` demands, each bound to its row's key."""
    listed = by_ref(await all_demands(registry))
    assert len(listed) == n == len(await all_demands(registry))
    bound = await importer(registry).commands.demands.bound_ids(list(listed))
    assert {ref: d["id"] for ref, d in listed.items()} == bound


async def test_a_crash_after_binding_a_batchs_keys_resumes_without_duplicates(
    registry: Running, org: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    demands = importer(registry).commands.demands
    add_many = demands.add_many
    calls = 0

    async def dies_in_the_second_batch(*args: Any) -> set[str]:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("the process died")
        return await add_many(*args)

    monkeypatch.setattr(demands, "add_many", dies_in_the_second_batch)
    rows = [landing_row(f"R{i}", org) for i in range(250)]
    job = await finished(registry, (await upload(registry, csv_file(rows))).json()["id"])
    assert job["processed"] == 100
    assert len(await all_demands(registry)) == 100  # the second batch's keys are bound only
    assert counts(await resumed(registry, job)) == (250, 0, 0, 0)
    await each_once(registry, 250)


async def test_a_crash_after_creating_a_batchs_demands_resumes_without_duplicates(
    registry: Running, org: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    jobs = importer(registry).jobs
    save_progress = jobs.save_progress
    calls = 0

    async def dies_after_the_second_batch(*args: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:  # started, first batch, second batch
            raise RuntimeError("the process died")
        await save_progress(*args)

    monkeypatch.setattr(jobs, "save_progress", dies_after_the_second_batch)
    rows = [landing_row(f"R{i}", org) for i in range(250)]
    job = await finished(registry, (await upload(registry, csv_file(rows))).json()["id"])
    assert job["processed"] == 100
    assert len(await all_demands(registry)) == 200
    # the second batch again: its demands are there already
    assert counts(await resumed(registry, job)) == (150, 0, 100, 0)
    await each_once(registry, 250)


# -- other writers between the look-up and the writes ----------------------------------------


async def test_a_key_another_import_binds_meanwhile_gets_no_second_demand(
    registry: Running, org: str
) -> None:
    rows = await row_importer(importer(registry))
    row = Row(2, landing_row("Z1", org))
    await rows.look_up([row])  # the key is free
    await imported(registry, csv_file([landing_row("Z1", org)]))  # another import takes it
    (result,) = await rows.run([row])
    assert result.outcome is Outcome.UNCHANGED
    await each_once(registry, 1)


async def test_a_demand_changed_after_the_look_up_is_decided_again(
    registry: Running, org: str
) -> None:
    await imported(registry, csv_file([landing_row("E1", org), landing_row("E2", org)]))
    before = by_ref(await all_demands(registry))
    rows = await row_importer(importer(registry))
    batch = [Row(n, landing_row(f"E{n}", org, title_zh=f"新标题 {n}")) for n in (1, 2)]
    await rows.look_up(batch)
    ok(await api(registry).post(f"/demands/{before['ops:E1']['id']}/submit"))  # meanwhile
    results = await rows.run(batch)
    assert [r.outcome for r in results] == [Outcome.UPDATED, Outcome.UPDATED]
    after = by_ref(await all_demands(registry))
    # E1's edit was made on the submitted demand (a blind write would have undone the submit)
    assert (after["ops:E1"]["title"]["zh"], after["ops:E1"]["status"]) == ("新标题 1", "SUBMITTED")
    assert after["ops:E1"]["revision"] == before["ops:E1"]["revision"] + 2
    assert (after["ops:E2"]["title"]["zh"], after["ops:E2"]["status"]) == ("新标题 2", "DRAFT")
    assert after["ops:E2"]["revision"] == before["ops:E2"]["revision"] + 1
