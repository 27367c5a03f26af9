"""A spreadsheet read stops when its request is gone (issue #20): a 110 KB XLSX whose
20,000 rows of 60 cells cost about 20 s of one core to read is uploaded to the registry
(its own process, the real servers); the client gives up after 1.5 s (as the gateway's
timeout does) and the read stops within a few hundred rows instead of going on to the end.
The service answers meanwhile and after. About 10 s."""

from __future__ import annotations

import asyncio
import io
import re
import time
import zipfile

import httpx
import pytest
from openpyxl import Workbook

from boyin_platform.processes import ManagedProcess
from tests.apps import OPERATOR, as_actor
from tests.processes import Environment, poll

pytestmark = [pytest.mark.infra, pytest.mark.slow]

ROWS, COLUMNS = 20_000, 60


def costly_workbook(rows: int, columns: int) -> bytes:
    """A workbook of ``rows`` rows of ``columns`` numbers: small on the wire, slow to read."""
    book = Workbook()
    book.active.append(["a"])
    plain = io.BytesIO()
    book.save(plain)
    source = zipfile.ZipFile(io.BytesIO(plain.getvalue()))
    row = b"<row>" + b"<c><v>7</v></c>" * columns + b"</row>"
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>" + row * rows + b"</sheetData></worksheet>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            name = member.filename
            archive.writestr(name, sheet if name.endswith("sheet1.xml") else source.read(member))
    return out.getvalue()


async def test_a_spreadsheet_read_stops_when_its_client_is_gone(
    environment: Environment, processes: list[ManagedProcess]
) -> None:
    registry = environment.process("registry")
    processes.append(registry)
    await registry.start()
    data = costly_workbook(ROWS, COLUMNS)
    assert len(data) < 200 * 1024
    files = {"file": ("costly.xlsx", data, "application/octet-stream")}
    async with httpx.AsyncClient(headers=as_actor(OPERATOR), timeout=1.5) as client:
        gave_up = time.monotonic()
        with pytest.raises(httpx.ReadTimeout):
            await client.post(registry.url + "/imports", files=files)
        gave_up = time.monotonic()
        # the service still answers while (and after) the read stops
        assert (await client.get(registry.url + "/healthz")).status_code == 200

    async def stopped() -> re.Match[str] | None:
        return re.search(r"spreadsheet read stopped after (\d+) rows", registry.tail(200))

    found = await poll("the read stopped", stopped, timeout=10)
    read = int(found.group(1))
    took = time.monotonic() - gave_up
    assert read < ROWS // 2, f"read {read} of {ROWS} rows after its client was gone"
    assert "spreadsheet read stopped: the request is gone" in registry.tail(200)
    await asyncio.sleep(0)
    print(f"stopped after {read} of {ROWS} rows, {took:.1f} s after the client gave up")
