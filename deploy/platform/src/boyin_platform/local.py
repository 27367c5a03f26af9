"""``python -m boyin_platform.local``: each service and the gateway as its own OS process.

Run through ``deploy/local.sh``, which starts Kafka and FerretDB first. Matching runs as
several workers of one consumer group (``--matching-workers``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
from pathlib import Path

from boyin_platform.processes import ManagedProcess, platform_env
from boyin_platform.services import SERVICES


async def run(args: argparse.Namespace) -> None:
    secret = os.environ.get("BOYIN_INTERNAL_TOKEN_SECRET") or secrets.token_urlsafe(48)
    jwt_secret = os.environ.get("BOYIN_JWT_SECRET") or secrets.token_urlsafe(48)
    env = platform_env(
        secret=secret,
        jwt_secret=jwt_secret,
        kafka_bootstrap=f"127.0.0.1:{os.environ.get('BOYIN_KAFKA_PORT', '19092')}",
        mongo_url=f"mongodb://127.0.0.1:{os.environ.get('BOYIN_MONGO_PORT', '37017')}/?directConnection=true",
    )
    procs: list[ManagedProcess] = []
    for definition in SERVICES:
        workers = args.matching_workers if definition.name == "matching" else 1
        for i in range(workers):
            name = definition.name if workers == 1 else f"{definition.name}-{i + 1}"
            procs.append(ManagedProcess(name, f"boyin_{definition.name}", env, args.logs))
    urls = {p.name.split("-")[0]: p.url for p in procs}
    gateway = ManagedProcess(
        "gateway",
        "boyin_gateway",
        platform_env(
            secret=secret,
            jwt_secret=jwt_secret,
            kafka_bootstrap=env["BOYIN_KAFKA_BOOTSTRAP"],
            mongo_url=env["BOYIN_MONGO_URL"],
            service_urls=urls,
        ),
        args.logs,
        port=args.port,
    )
    procs.append(gateway)
    try:
        for proc in procs:
            await proc.start()
            print(f"{proc.name:12} {proc.url}  (log {proc.log_path()})", flush=True)
        print(f"GraphQL: {gateway.url}/graphql", flush=True)
        while all(p.proc is not None and p.proc.poll() is None for p in procs):
            await asyncio.sleep(1.0)
        dead = [p.name for p in procs if p.proc is not None and p.proc.poll() is not None]
        print(f"stopped: {', '.join(dead)} exited", flush=True)
    finally:
        for proc in reversed(procs):
            proc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(prog="boyin-local", description=__doc__)
    parser.add_argument("--matching-workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8000, help="the gateway's port")
    parser.add_argument("--logs", type=Path, default=Path(".cache/logs"))
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
