"""``python -m boyin_platform.local``: each service and the gateway as its own OS process.

Run through ``deploy/local.sh``, which starts Kafka and FerretDB first. Matching runs as
several workers of one consumer group (``--matching-workers``). SIGINT or SIGTERM stops
every process it started.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import signal
from pathlib import Path

from boyin_platform.processes import ManagedProcess, platform_env
from boyin_platform.services import SERVICES


def plan(args: argparse.Namespace) -> list[ManagedProcess]:
    """The processes to start, services first and the gateway last."""
    secret = os.environ.get("BOYIN_INTERNAL_TOKEN_SECRET") or secrets.token_urlsafe(48)
    jwt_secret = os.environ.get("BOYIN_JWT_SECRET") or secrets.token_urlsafe(48)
    kafka = f"127.0.0.1:{os.environ.get('BOYIN_KAFKA_PORT', '19092')}"
    mongo = (
        f"mongodb://127.0.0.1:{os.environ.get('BOYIN_MONGO_PORT', '37017')}/?directConnection=true"
    )
    env = platform_env(secret=secret, jwt_secret=jwt_secret, kafka_bootstrap=kafka, mongo_url=mongo)
    procs: list[ManagedProcess] = []
    urls: dict[str, str] = {}
    for service in SERVICES:
        workers = args.matching_workers if service.name == "matching" else 1
        for i in range(workers):
            name = service.name if workers == 1 else f"{service.name}-{i + 1}"
            proc = ManagedProcess(name, service.module, env, args.logs)
            urls.setdefault(service.name, proc.url)
            procs.append(proc)
    # the services ask each other too (mentors: the registry's taxonomy, matching's
    # relevance, scheduling's slots and agendas)
    for proc in procs:
        proc.env = {**proc.env, "BOYIN_SERVICE_URLS": json.dumps(urls)}
    gateway_env = platform_env(
        secret=secret,
        jwt_secret=jwt_secret,
        kafka_bootstrap=kafka,
        mongo_url=mongo,
        service_urls=urls,
    )
    procs.append(ManagedProcess("gateway", "boyin_gateway", gateway_env, args.logs, port=args.port))
    return procs


async def run(args: argparse.Namespace) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    procs = plan(args)
    try:
        for proc in procs:
            await proc.start()
            print(f"{proc.name:12} {proc.url}  (log {proc.log_path()})", flush=True)
        print(f"GraphQL: {procs[-1].url}/graphql", flush=True)
        while not stop.is_set():
            dead = [p.name for p in procs if p.proc is not None and p.proc.poll() is not None]
            if dead:
                print(f"stopping: {', '.join(dead)} exited", flush=True)
                return 1
            try:
                await asyncio.wait_for(stop.wait(), timeout=1.0)
            except TimeoutError:
                pass
        return 0
    finally:
        for proc in reversed(procs):
            proc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(prog="boyin-local", description=__doc__)
    parser.add_argument("--matching-workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8000, help="the gateway's port")
    parser.add_argument("--logs", type=Path, default=Path(".cache/logs"))
    raise SystemExit(asyncio.run(run(parser.parse_args())))


if __name__ == "__main__":
    main()
