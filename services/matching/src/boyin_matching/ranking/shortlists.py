"""The rematch's first pass: every query of a channel against the whole other side, a
block of queries at a time, each block's best counterparts by a rough score fused in full
and ranked (``Matcher.rematch`` and ``Matcher.shortlists`` read them)."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Collection, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from boyin_matching.ranking import blas
from boyin_matching.ranking.pool import Pool
from boyin_matching.ranking.profiles import COUNTERPART
from boyin_matching.ranking.scorer import WEIGHTS, pooled_stats, score_pairs

F32 = NDArray[np.float32]


class Matcher(Protocol):
    """What the first pass reads of the matcher (``boyin_matching.ranking.matcher``): its
    pools by channel and the prior of a pool's normalisation."""

    @property
    def pools(self) -> Mapping[str, Pool]: ...

    def prior(self, pool: Pool, qrows: NDArray[np.intp]) -> tuple[F32, F32]: ...


#: rematch: queries per block, and candidates per query fused in full
REMATCH_BLOCK = 256
SHORTLIST = 300
#: rematch blocks scored at once (threads; numpy's kernels release the GIL)
REMATCH_THREADS = max(1, min(2, os.cpu_count() or 1))


def ranked_blocks(
    matcher: Matcher, k: int, block_size: int, shortlist: int, queries: Collection[str] | None
) -> Iterator[tuple[Pool, Counterparts, NDArray[np.intp], NDArray[np.intp], F32]]:
    """Blocks of ranked queries: their pool, the counterparts, the query rows, each
    one's best ``k`` (positions in the counterparts' columns) and their scores."""
    with blas.single_threaded(), ThreadPoolExecutor(REMATCH_THREADS) as workers:
        for channel in (
            "PROJECT_COOPERATION",
            "PROJECT_LANDING",
            "JOB_SEEKING",
            "TALENT_RECRUITMENT",
        ):
            pool = matcher.pools[channel]
            other = matcher.pools[COUNTERPART[channel]]
            rows = pool.live_rows()
            if queries is not None:
                rows = rows[np.isin(rows, [pool.rows.get(q, -1) for q in queries])]
            if len(rows) == 0 or len(other) == 0:
                continue
            side = Counterparts(other)
            matcher.prior(pool, rows[:1])  # refitted here, if at all: not in the threads
            pending: deque[Future[tuple[NDArray[np.intp], NDArray[np.intp], F32]]]
            pending = deque()
            for start in range(0, len(rows), block_size):
                qrows = rows[start : start + block_size]
                pending.append(
                    workers.submit(rematch_block, matcher, pool, qrows, side, k, shortlist)
                )
                if len(pending) > REMATCH_THREADS:
                    yield (pool, side, *pending.popleft().result())
            while pending:
                yield (pool, side, *pending.popleft().result())


def rematch_block(
    matcher: Matcher,
    pool: Pool,
    qrows: NDArray[np.intp],
    side: Counterparts,
    k: int,
    shortlist: int,
) -> tuple[NDArray[np.intp], NDArray[np.intp], F32]:
    """The ranked counterparts (B x k positions in ``side``'s columns) and their scores
    of a block of queries."""
    other = side.pool
    n = len(side.cols)
    p = min(shortlist, n)
    kk = min(k, p)
    cos: F32 = pool.vectors[qrows] @ side.vectors.T
    mu, sd = side.stats(cos, matcher.prior(pool, qrows))
    pool.mu[qrows], pool.sd[qrows] = mu, sd
    if p < n:
        rough = side.rough(pool, qrows, cos, mu, sd)
        pick = np.argpartition(rough, n - p, axis=1)[:, n - p :]
        del rough
        exact = np.take_along_axis(cos, pick, axis=1)
    else:
        pick = np.broadcast_to(np.arange(n), cos.shape)
        exact = cos
    del cos
    scores = score_pairs(pool, qrows, other, side.cols[pick], exact, (mu, sd)).reciprocal
    if kk == p:
        top = np.broadcast_to(np.arange(p), scores.shape)
    elif kk > 0:
        top = np.argpartition(scores, p - kk, axis=1)[:, p - kk :]
    else:
        top = np.zeros((len(qrows), 0), np.intp)
    top_scores = np.take_along_axis(scores, top, axis=1)
    order = np.argsort(-top_scores, axis=1, kind="stable")
    best = np.take_along_axis(np.take_along_axis(pick, top, axis=1), order, axis=1)
    return qrows, best, np.take_along_axis(top_scores, order, axis=1)


def lists(
    pool: Pool, qrows: NDArray[np.intp], names: NDArray[np.object_], values: F32
) -> Iterator[tuple[str, list[tuple[str, float]]]]:
    for i, row in enumerate(qrows):
        yield pool.ids[row], list(zip(names[i].tolist(), values[i].tolist(), strict=True))


def taxonomy_bits(pool: Pool, rows: NDArray[np.intp]) -> NDArray[np.uint8]:
    """Rows' taxonomy bit sets as 0/1 columns: 128 codes, 64 groups, 64 systems."""
    words = np.concatenate(
        [pool.leaf[rows], pool.group[rows][:, None], pool.root[rows][:, None]], axis=1
    )
    bits: NDArray[np.uint8] = np.unpackbits(
        np.ascontiguousarray(words.astype("<u8")).view(np.uint8), axis=1, bitorder="little"
    )
    return bits


class Counterparts:
    """One side of a rematch, ready for blocks of queries: its live rows grouped by
    language (so per-language normalisation works on column ranges), their vectors and
    taxonomy columns (so taxonomy closeness of a block is a small matrix product)."""

    def __init__(self, pool: Pool) -> None:
        self.pool = pool
        live = pool.live_rows()
        lang = pool.lang[live]
        self.cols: NDArray[np.intp] = np.concatenate([live[lang == 0], live[lang == 1]])
        self.split = int((lang == 0).sum())
        self.vectors: F32 = np.ascontiguousarray(pool.vectors[self.cols])
        self.counts = np.array([self.split, len(self.cols) - self.split], np.float64)
        self.ranges = (slice(0, self.split), slice(self.split, len(self.cols)))
        self.ones = np.ones(len(self.cols), np.float32)
        self.ids: NDArray[np.object_] = np.array(pool.ids, dtype=object)[self.cols]
        bits = taxonomy_bits(pool, self.cols)
        self.used = np.flatnonzero(bits.any(axis=0))
        self.taxonomy: F32 = np.ascontiguousarray(bits[:, self.used], dtype=np.float32)
        # a shared code, group and system add up to the 1 / 0.6 / 0.25 scale (capped at 1)
        self.level = np.concatenate(
            [np.full(128, 1.0 - 0.6), np.full(64, 0.6 - 0.25), np.full(64, 0.25)]
        ).astype(np.float32)[self.used]

    def stats(self, cos: F32, prior: tuple[F32, F32]) -> tuple[F32, F32]:
        """``lang_stats`` on column ranges: sums and sums of squares, no temporaries."""
        b = cos.shape[0]
        mean = np.zeros((b, 2), np.float32)
        second = np.zeros((b, 2), np.float32)
        for code, cols in enumerate(self.ranges):
            count = self.counts[code]
            if count:
                part = cos[:, cols]
                mean[:, code] = (part @ self.ones[cols]) / count
                second[:, code] = np.einsum("ij,ij->i", part, part) / count
        return pooled_stats(self.counts, mean, second, prior)

    def rough(self, pool: Pool, qrows: NDArray[np.intp], cos: F32, mu: F32, sd: F32) -> F32:
        """The query's view of each candidate from meaning and taxonomy alone: the
        weighted semantic (squashed z, per candidate language) plus taxonomy closeness
        (each shared code, group and system adds its step of the 0.25 / 0.6 / 1 scale)."""
        weights = WEIGHTS[pool.channel]
        ws, wt = weights["semantic"], weights["taxonomy"]
        # squash(z) = 1 / (1 + exp(-1.7 (z - 1))), z = (cos - mu) / sd
        a = (-1.7 / sd).astype(np.float32)
        b = (1.7 * (mu / sd + 1.0)).astype(np.float32)
        out = np.empty_like(cos)
        for code, cols in enumerate(self.ranges):
            np.multiply(cos[:, cols], a[:, code, None], out=out[:, cols])
            out[:, cols] += b[:, code, None]
        with np.errstate(over="ignore"):
            np.exp(out, out=out)
        out += 1.0
        np.divide(ws, out, out=out)
        if len(self.used):
            q = taxonomy_bits(pool, qrows)[:, self.used].astype(np.float32)
            tax = (q * self.level) @ self.taxonomy.T
            np.minimum(tax, 1.0, out=tax)
            tax *= wt
            out += tax
        return out


def popularity(
    pools: Mapping[str, Pool], lists: Mapping[str, NDArray[np.intp]], k: int
) -> dict[str, int]:
    """How many pairs each party is in among the best ``k`` of ``lists`` (a query's
    ranked counterpart rows, as ``Matcher.shortlists`` gives them), a pair on both its
    sides' lists counted once: what exposure control caps by, as one snapshot for every
    list, before any cap (so it does not depend on the order the lists are made in)."""
    out: dict[str, int] = {}
    for channel in ("PROJECT_COOPERATION", "JOB_SEEKING"):
        supply, demand = pools[channel], pools[COUNTERPART[channel]]
        width = max(demand.size, 1)
        keys: list[NDArray[np.intp]] = []
        for query_id, rows in lists.items():
            best = rows[:k].astype(np.intp)
            if (row := supply.rows.get(query_id)) is not None:
                keys.append(row * width + best)
            elif (row := demand.rows.get(query_id)) is not None:
                keys.append(best * width + row)
        if not keys:
            continue
        pairs = np.unique(np.concatenate(keys))
        for pool, rows in ((supply, pairs // width), (demand, pairs % width)):
            counts = np.bincount(rows, minlength=pool.size)
            for row in np.flatnonzero(counts).tolist():
                out[pool.ids[row]] = int(counts[row])
    return out
