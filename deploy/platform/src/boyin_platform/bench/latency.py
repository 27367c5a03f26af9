"""``python -m boyin_platform.bench latency``: from publishing a demand in the registry to
its matches being readable through the gateway, on the real Kafka and FerretDB.

Start the servers first (deploy/kafka/kafka.sh start; deploy/ferretdb/ferretdb.sh start).
Each service runs as its own process, as in production.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import statistics
import string
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from boyin_platform.demo import CONSENT, ORGANISATIONS, TALENTS
from boyin_platform.processes import ManagedProcess, platform_env
from boyin_shared import identity
from boyin_shared.identity import Actor, Role

OPERATOR = Actor("bench-operator", Role.OPERATOR)
MATCHES = "query($id: ID!) { matches(demandId: $id) { counterpartDemandId score } }"


async def _publish(client: httpx.AsyncClient, body: dict[str, Any]) -> str:
    demand = (await client.post("/demands", json=body | {"submit": True})).json()
    await client.post(f"/demands/{demand['id']}/start-review")
    for claim in demand["claims"]:
        await client.post(
            f"/demands/{demand['id']}/claims/{claim['criterion']}/review",
            json={"outcome": "CONFIRMED"},
        )
    response = await client.post(f"/demands/{demand['id']}/publish")
    response.raise_for_status()
    return str(demand["id"])


def _demand(channel: str, owner: str, title_en: str, code: str) -> dict[str, Any]:
    talent_side = channel == "PROJECT_COOPERATION"
    return {
        "owner_id": owner,
        "title_en": title_en,
        "description_en": f"{title_en}: a project for Chongqing's industry.",
        "taxonomy_codes": [code],
        "editions": ["CQ2026"],
        "claims": [
            {
                "criterion": "INNOVATION_PROJECT" if talent_side else "COOPERATION_INTENTION",
                "evidence": "yes",
            }
        ],
        "details": (
            {
                "channel": channel,
                "stage": "PROTOTYPE",
                "trl": 5,
                "ip_status": "FILED",
                "sought": ["JOINT_RD"],
            }
            if talent_side
            else {
                "channel": channel,
                "cooperation_modes": ["JOINT_RD"],
                "wanted_stage": "PROTOTYPE",
            }
        ),
    }


BENCH_LOGIN = "bench.admin@boyin.example"
BENCH_PASSWORD = "bench-admin-password-1"
#: seconds a demand's matches may take to show before the bench gives up
SAMPLE_TIMEOUT = 60.0
SIGN_IN = """mutation($login: String!, $password: String!) {
  signIn(login: $login, password: $password) { ... on Session { accessToken } } }"""


async def _sign_in(gateway_url: str) -> str:
    async with httpx.AsyncClient(base_url=gateway_url, timeout=30) as client:
        variables = {"login": BENCH_LOGIN, "password": BENCH_PASSWORD}
        answer = await client.post("/graphql", json={"query": SIGN_IN, "variables": variables})
        return str(answer.json()["data"]["signIn"]["accessToken"])


async def latency(samples: int) -> None:
    namespace = "b" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(10))
    secret, jwt_secret = secrets.token_urlsafe(48), secrets.token_urlsafe(48)
    env = platform_env(
        secret=secret,
        jwt_secret=jwt_secret,
        kafka_bootstrap=f"127.0.0.1:{os.environ.get('BOYIN_KAFKA_PORT', '19092')}",
        mongo_url=f"mongodb://127.0.0.1:{os.environ.get('BOYIN_MONGO_PORT', '37017')}/?directConnection=true",
        namespace=namespace,
    )
    logs = Path(tempfile.mkdtemp(prefix="boyin-bench-"))
    registry = ManagedProcess("registry", "boyin_registry", env, logs)
    matching = ManagedProcess("matching", "boyin_matching", env, logs)
    scheduling = ManagedProcess("scheduling", "boyin_scheduling", env, logs)
    urls = {"registry": registry.url, "matching": matching.url, "scheduling": scheduling.url}
    gateway = ManagedProcess(
        "gateway",
        "boyin_gateway",
        platform_env(
            secret=secret,
            jwt_secret=jwt_secret,
            kafka_bootstrap=env["BOYIN_KAFKA_BOOTSTRAP"],
            mongo_url=env["BOYIN_MONGO_URL"],
            namespace=namespace,
            service_urls=urls,
        )
        | {
            "BOYIN_RATE_LIMIT_PER_MINUTE": "0",  # the benchmark polls as fast as it can
            "BOYIN_ADMIN_LOGIN": BENCH_LOGIN,
            "BOYIN_ADMIN_PASSWORD": BENCH_PASSWORD,
        },
        logs,
    )
    procs = [registry, matching, scheduling, gateway]
    try:
        for p in procs:
            await p.start()
        headers = {identity.HEADER: identity.issue(OPERATOR, secret, ttl_seconds=3600)}
        # The gateway reads matches for the demand's owner: as its administrator, signed in.
        bearer = {"authorization": "Bearer " + await _sign_in(gateway.url)}
        async with (
            httpx.AsyncClient(base_url=registry.url, headers=headers, timeout=30) as reg,
            httpx.AsyncClient(base_url=gateway.url, headers=bearer, timeout=30) as gql,
        ):
            org = (await reg.post("/organisations", json=ORGANISATIONS[0])).json()
            talent = (await reg.post("/talents", json=TALENTS[0] | {"consent": CONSENT})).json()
            await _publish(
                reg,
                _demand("PROJECT_LANDING", org["id"], "Lidar perception for vehicles", "C33-L1"),
            )
            times = []
            for i in range(samples):
                demand = await _publish(
                    reg,
                    _demand(
                        "PROJECT_COOPERATION",
                        talent["id"],
                        f"Solid-state lidar variant {i}",
                        "C33-L1",
                    ),
                )
                published = time.perf_counter()
                while True:
                    body = (
                        await gql.post(
                            "/graphql", json={"query": MATCHES, "variables": {"id": demand}}
                        )
                    ).json()
                    if (body.get("data") or {}).get("matches"):
                        break
                    if time.perf_counter() - published > SAMPLE_TIMEOUT:
                        raise SystemExit(f"no matches after {SAMPLE_TIMEOUT:.0f} s: {body}")
                    await asyncio.sleep(0.01)
                times.append(1000 * (time.perf_counter() - published))
        times.sort()
        print(
            f"publish in registry -> matches readable through the gateway (real Kafka + FerretDB, "
            f"{samples} demands): p50 {statistics.median(times):.0f} ms, "
            f"p95 {times[max(0, int(0.95 * len(times)) - 1)]:.0f} ms, max {times[-1]:.0f} ms"
        )
    finally:
        for p in reversed(procs):
            p.stop()
