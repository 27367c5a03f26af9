"""``python -m boyin_matching.bench quality|speed``."""

from __future__ import annotations

import argparse
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(prog="boyin_matching.bench")
    sub = parser.add_subparsers(dest="what", required=True)
    q = sub.add_parser("quality", help="the labelled set against baselines")
    q.add_argument("--pairs", type=Path, default=None)
    s = sub.add_parser(
        "speed", help="one demand against a large pool; a full rematch; the rematch job"
    )
    s.add_argument("--pool", type=int, default=100_000)
    s.add_argument("--rematch", type=int, default=10_000)
    s.add_argument("--queries", type=int, default=200)
    s.add_argument("--only", choices=["latency", "rematch", "job"], default="")
    s.add_argument("--shortlist", type=int, default=0, help="the job's (0: the service's)")
    args = parser.parse_args()
    if args.what == "quality":
        from boyin_matching.bench import quality

        quality.run(args.pairs or quality.PAIRS)
    else:
        from boyin_matching.bench import speed

        speed.run(args.pool, args.rematch, args.queries, args.only, args.shortlist)


if __name__ == "__main__":
    main()
