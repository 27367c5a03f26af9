"""``python -m boyin_platform.bench latency`` (event to visible matches, on Kafka and
FerretDB), ``load`` (the platform under closed- and open-loop load, see
:mod:`boyin_platform.bench.load`) or ``overhead`` (that load with tracing off and on)."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from boyin_platform.bench.latency import latency
from boyin_platform.bench.load import Options, load
from boyin_platform.bench.overhead import overhead


def main() -> None:
    parser = argparse.ArgumentParser(prog="boyin_platform.bench")
    sub = parser.add_subparsers(dest="what", required=True)
    lat = sub.add_parser("latency", help="publish -> matches readable through the gateway")
    lat.add_argument("--samples", type=int, default=40)
    run = sub.add_parser("load", help="the gateway under load, against direct service calls")
    run.add_argument("--connections", type=int, default=20)
    run.add_argument("--seconds", type=float, default=10.0)
    run.add_argument("--repeat", type=int, default=1, help="interleaved rounds of every measure")
    run.add_argument("--users", type=int, default=200, help="callers of the closed-loop read mix")
    run.add_argument("--rate", type=float, default=19.0, help="open-loop arrivals a second")
    run.add_argument("--mix-seconds", type=float, default=20.0)
    run.add_argument("--before", type=Path, default=None, help="another checkout to measure too")
    run.add_argument("--mode", choices=("single", "distributed", "both"), default="single")
    run.add_argument("--gateway-workers", type=int, default=1, help="distributed mode")
    run.add_argument("--writes-only", action="store_true", help="only create + submit")
    over = sub.add_parser("overhead", help="the gateway under load, tracing off against on")
    over.add_argument("--connections", type=int, default=20)
    over.add_argument("--seconds", type=float, default=8.0)
    over.add_argument("--repeat", type=int, default=3, help="interleaved rounds of every measure")
    over.add_argument("--ratio", type=float, default=0.1, help="share of traces sampled")
    args = parser.parse_args()
    if args.what == "latency":
        asyncio.run(latency(args.samples))
    elif args.what == "overhead":
        asyncio.run(overhead(args.connections, args.seconds, args.repeat, args.ratio))
    else:
        options = Options(
            connections=args.connections,
            seconds=args.seconds,
            repeat=args.repeat,
            users=args.users,
            rate=args.rate,
            mix_seconds=args.mix_seconds,
            before=args.before,
            mode=args.mode,
            gateway_workers=args.gateway_workers,
            writes_only=args.writes_only,
        )
        asyncio.run(load(options=options))


if __name__ == "__main__":
    main()
