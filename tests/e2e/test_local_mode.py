"""deploy/local.sh's launcher: every service its own process, matching as two workers."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from boyin_platform.demo import ORGANISATIONS
from boyin_platform.processes import free_port
from tests.conftest import unique_name
from tests.platform_harness import ADMIN_LOGIN, ADMIN_PASSWORD, graphql, sign_in

pytestmark = [pytest.mark.infra, pytest.mark.slow]

REGISTER = """
mutation($input: OrganisationInput!) {
  registerOrganisation(input: $input) { __typename ... on Organisation { id } }
}"""


async def test_local_mode_runs_each_service_as_a_process(
    kafka_bootstrap: str, mongo_url: str, tmp_path: Path
) -> None:
    namespace = unique_name("l")
    port = free_port()
    env = {
        **os.environ,
        "BOYIN_KAFKA_PORT": kafka_bootstrap.rsplit(":", 1)[1],
        "BOYIN_MONGO_PORT": mongo_url.split(":")[2].split("/")[0],
        "BOYIN_KAFKA_TOPIC_PREFIX": namespace + ".",
        "BOYIN_MONGO_DB_PREFIX": namespace,
        "BOYIN_ADMIN_LOGIN": ADMIN_LOGIN,
        "BOYIN_ADMIN_PASSWORD": ADMIN_PASSWORD,
    }
    launcher = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "boyin_platform.local",
            "--port",
            str(port),
            "--logs",
            str(tmp_path),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert launcher.stdout is not None
        lines: list[str] = []
        while not any(line.startswith("GraphQL:") for line in lines):
            line = await asyncio.to_thread(launcher.stdout.readline)
            assert line, "launcher ended early:\n" + "".join(lines)
            lines.append(line)
        names = [line.split()[0] for line in lines[:-1]]
        assert names == [
            "registry",
            "matching-1",
            "matching-2",
            "scheduling",
            "agreements",
            "mentors",
            "gateway",
        ]

        url = f"http://127.0.0.1:{port}"
        token = await sign_in(url, ADMIN_LOGIN, ADMIN_PASSWORD)
        for org in ORGANISATIONS:
            created = await graphql(
                url,
                REGISTER,
                token,
                input={
                    "nameZh": org["name_zh"],
                    "kind": org["kind"],
                    "districtCode": org["district_code"],
                    "creditCode": org["credit_code"],
                },
            )
            assert created["registerOrganisation"]["__typename"] == "Organisation"

        # The events cross Kafka to the two matching workers, which share the partitions.
        for _ in range(150):
            supply = (await graphql(url, "{ districtSupply { organisations } }", token))[
                "districtSupply"
            ]
            if sum(d["organisations"] for d in supply) == len(ORGANISATIONS):
                break
            await asyncio.sleep(0.2)
        assert sum(d["organisations"] for d in supply) == len(ORGANISATIONS)
    finally:
        launcher.send_signal(signal.SIGTERM)
        code = await asyncio.to_thread(launcher.wait, 60)
        if launcher.stdout is not None:
            launcher.stdout.close()
    assert code == 0
