"""The matcher: pools of published profiles, and ranked reciprocal candidates for each."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from boyin_matching.core import lexical
from boyin_matching.core.pool import Columns, Pool
from boyin_matching.core.profiles import COUNTERPART, Profile
from boyin_matching.core.scorer import (
    Block,
    _z_forward,
    fuse,
    harmonic,
    lang_stats,
    score_block,
    score_pairs,
)
from boyin_matching.core.taxonomy import TaxonomyTree

F32 = NDArray[np.float32]
Encode = Callable[[Sequence[str]], F32]

#: candidates re-ranked with the lexical signal before the final cut
RERANK = 200
#: exposure beyond its cap halves a candidate's rank score (congestion control)
CAP_PENALTY = 0.5
#: above this many candidates, a cheap first pass (reduced vectors) picks PREFILTER of them
PREFILTER_FROM = 20_000
PREFILTER = 3_000
#: exact cosines of this many random candidates give the per-language statistics
STATS_SAMPLE = 2_000


@dataclass(frozen=True)
class Candidate:
    demand_id: str
    score: float  # reciprocal, in [0, 1]
    forward: float  # the query side's view of the candidate
    reverse: float  # the candidate's view of the query side
    cosine: float
    semantic_forward: float
    semantic_reverse: float
    taxonomy: float
    lexical: float
    signals: Mapping[str, float]  # the structured signals that apply
    shared_terms: tuple[str, ...]
    capped: bool  # shown less because the candidate is already widely recommended


def exposure_cap(profile: Profile) -> int:
    """How many recommendation lists a party may appear in before it is held back:
    about three times what it can take on (meetings, positions)."""
    return max(3, 3 * profile.capacity)


class Matcher:
    def __init__(self, encode: Encode, dim: int, tree: TaxonomyTree | None = None) -> None:
        self.encode = encode
        self.dim = dim
        self.tree = tree or TaxonomyTree()
        self.columns = Columns()
        self.pools = {ch: Pool(ch, dim, self.columns) for ch in COUNTERPART}
        self.vocabulary = lexical.Vocabulary()
        self._terms: dict[str, list[str]] = {}
        self._weights: dict[str, tuple[int, dict[str, float]]] = {}
        #: basis of the reduced vectors (top eigenvectors of the vectors' second moments)
        self.basis: F32 | None = None
        self._basis_size = 0

    # -- the pool --------------------------------------------------------------------

    def vector_of(self, profile: Profile) -> F32:
        texts = list(profile.texts().values()) or [profile.all_text() or profile.demand_id]
        vectors = self.encode(texts)
        v = vectors.mean(axis=0)
        out: F32 = (v / (np.linalg.norm(v) + 1e-9)).astype(np.float32)
        return out

    def add(self, profile: Profile, vector: F32 | None = None) -> None:
        """Index (or re-index) a published profile."""
        self.remove(profile.demand_id)
        vec = self.vector_of(profile) if vector is None else vector
        pool = self.pools[profile.channel]
        row = pool.upsert(profile, vec, self.tree)
        if self.basis is not None:
            pool.reduced[row] = vec @ self.basis
        terms = lexical.tokens(profile.all_text())
        self._terms[profile.demand_id] = terms
        self.vocabulary.add(terms)
        self._refresh_stats(pool, np.array([row], np.intp))

    def add_many(
        self, profiles: Sequence[Profile], vectors: F32 | None = None, batch: int = 256
    ) -> None:
        """Index many profiles at once; statistics are computed once at the end."""
        for start in range(0, len(profiles), batch):
            chunk = profiles[start : start + batch]
            vecs = vectors[start : start + batch] if vectors is not None else None
            for i, profile in enumerate(chunk):
                self.remove(profile.demand_id)
                vec = self.vector_of(profile) if vecs is None else vecs[i]
                self.pools[profile.channel].upsert(profile, vec, self.tree)
                terms = lexical.tokens(profile.all_text())
                self._terms[profile.demand_id] = terms
                self.vocabulary.add(terms)
        self._maybe_fit_basis()
        for profile in profiles:
            self._weighted(profile.demand_id)
        for pool in self.pools.values():
            rows = pool.live_rows()
            for start in range(0, len(rows), batch):
                self._refresh_stats(pool, rows[start : start + batch])

    def _maybe_fit_basis(self) -> None:
        """(Re)fit the reduced basis when the largest pool passed the prefilter size, or
        doubled since the last fit."""
        largest = max(p.size for p in self.pools.values())
        if largest < PREFILTER_FROM or largest < 2 * self._basis_size:
            return
        rng = np.random.default_rng(0)
        sample = np.concatenate(
            [
                p.vectors[rng.choice(p.live_rows(), min(len(p), 20_000), replace=False)]
                for p in self.pools.values()
                if len(p)
            ]
        )
        moments = sample.T @ sample / len(sample)
        _, vecs = np.linalg.eigh(moments)
        self.basis = np.ascontiguousarray(
            vecs[:, ::-1][:, : self.pools["PROJECT_COOPERATION"].reduced.shape[1]]
        ).astype(np.float32)
        for pool in self.pools.values():
            pool.reduced[: pool.size] = pool.vectors[: pool.size] @ self.basis
        self._basis_size = largest

    def remove(self, demand_id: str) -> bool:
        for pool in self.pools.values():
            if pool.remove(demand_id):
                self.vocabulary.remove(self._terms.pop(demand_id, []))
                self._weights.pop(demand_id, None)
                return True
        return False

    def profile(self, demand_id: str) -> Profile | None:
        for pool in self.pools.values():
            row = pool.rows.get(demand_id)
            if row is not None and pool.alive[row]:
                return pool.profiles[row]
        return None

    def _refresh_stats(self, pool: Pool, rows: NDArray[np.intp]) -> None:
        other = self.pools[COUNTERPART[pool.channel]]
        if len(other) == 0 or len(rows) == 0:
            return
        block = score_block(pool, rows, other, slice(0, other.size))
        for i, row in enumerate(rows):
            pool.set_stats(int(row), block.query_mu[i], block.query_sd[i])

    # -- ranking ---------------------------------------------------------------------

    def candidates(
        self,
        demand_id: str,
        k: int = 50,
        exposure: Mapping[str, int] | None = None,
        *,
        use_lexical: bool = True,
    ) -> list[Candidate]:
        """The best ``k`` counterparts of a published profile, best first."""
        pool = next((p for p in self.pools.values() if demand_id in p.rows), None)
        if pool is None or not pool.alive[pool.rows[demand_id]]:
            return []
        other = self.pools[COUNTERPART[pool.channel]]
        if len(other) == 0:
            return []
        qrow = np.array([pool.rows[demand_id]], np.intp)
        if other.size >= PREFILTER_FROM and self.basis is not None:
            crows, stats = self._prefilter(pool, int(qrow[0]), other)
            block = score_block(pool, qrow, other, crows, forward_stats=stats)
        else:
            crows = np.arange(other.size)
            block = score_block(pool, qrow, other, slice(0, other.size))
        return self._rank(pool, int(qrow[0]), other, crows, block, 0, k, exposure, use_lexical)

    def _prefilter(
        self, pool: Pool, qrow: int, other: Pool
    ) -> tuple[NDArray[np.intp], tuple[F32, F32]]:
        """A cheap first pass over a large pool: reduced-vector similarity plus taxonomy
        closeness picks PREFILTER candidates; exact cosines of a random sample give the
        per-language statistics the full scoring needs."""
        n = other.size
        alive = other.alive[:n]
        qvec = pool.vectors[qrow]
        approx = other.reduced[:n] @ (qvec @ self.basis)
        ql = pool.leaf[qrow]
        same = ((other.leaf[:n, 0] & ql[0]) | (other.leaf[:n, 1] & ql[1])) != 0
        near = (other.group[:n] & pool.group[qrow]) != 0
        rough = approx + 0.08 * same + 0.04 * near
        rough[~alive] = -np.inf
        top = np.argpartition(-rough, PREFILTER - 1)[:PREFILTER]
        rng = np.random.default_rng(qrow)
        live = np.flatnonzero(alive)
        sample = live[rng.choice(len(live), min(len(live), STATS_SAMPLE), replace=False)]
        cos = (other.vectors[sample] @ qvec)[None, :].astype(np.float32)
        _, mu, sd = _z_forward(cos, other.lang[sample], np.ones(len(sample), bool))
        return top.astype(np.intp), (mu, sd)

    def _weighted(self, demand_id: str) -> dict[str, float]:
        """A profile's TF-IDF vector, cached until the pool has grown by a tenth."""
        cached = self._weights.get(demand_id)
        docs = self.vocabulary.documents
        if cached is None or abs(cached[0] - docs) > max(10, docs // 10):
            cached = (docs, self.vocabulary.weights(self._terms.get(demand_id, [])))
            self._weights[demand_id] = cached
        return cached[1]

    def pair(self, a: str, b: str) -> list[Candidate]:
        """``b`` scored as a candidate of ``a`` (e.g. a match an operator adds by hand)."""
        pool = next(p for p in self.pools.values() if a in p.rows)
        other = self.pools[COUNTERPART[pool.channel]]
        qrow = np.array([pool.rows[a]], np.intp)
        crows = np.array([other.rows[b]], np.intp)
        # the per-language statistics candidates(a) uses, not those of ``b`` alone
        if other.size >= PREFILTER_FROM and self.basis is not None:
            _, stats = self._prefilter(pool, int(qrow[0]), other)
        else:
            n = other.size
            cos = (pool.vectors[qrow] @ other.vectors[:n].T).astype(np.float32)
            _, mu, sd = _z_forward(cos, other.lang[:n], other.alive[:n])
            stats = (mu, sd)
        block = score_block(pool, qrow, other, crows, forward_stats=stats)
        return self._rank(pool, int(qrow[0]), other, crows, block, 0, 1, None, True)

    def _rank(
        self,
        pool: Pool,
        qrow: int,
        other: Pool,
        crows: NDArray[np.intp],
        block: Block,
        i: int,
        k: int,
        exposure: Mapping[str, int] | None,
        use_lexical: bool,
    ) -> list[Candidate]:
        alive = other.alive[crows]
        prelim = np.where(alive, block.reciprocal[i], -np.inf)
        m = min(int(alive.sum()), max(k, RERANK) if use_lexical else k)
        if m == 0:
            return []
        top = np.argpartition(-prelim, m - 1)[:m] if m < len(crows) else np.arange(len(crows))
        top = top[alive[top]]
        query_id = pool.ids[qrow]
        lex = np.zeros(len(top), np.float32)
        shared: list[tuple[str, ...]] = [()] * len(top)
        if use_lexical:
            qvec = self._weighted(query_id)
            for j, col in enumerate(top):
                cvec = self._weighted(other.ids[crows[col]])
                lex[j] = lexical.cosine(qvec, cvec)
                shared[j] = tuple(lexical.shared_terms(qvec, cvec))
        signals = {name: (s[i, top], a[i, top]) for name, (s, a) in block.signals.items()}
        forward = fuse(
            pool.channel,
            block.semantic_forward[i, top],
            block.taxonomy[i, top],
            signals,
            lex if use_lexical else None,
        )
        reverse = fuse(
            other.channel,
            block.semantic_reverse[i, top],
            block.taxonomy[i, top],
            signals,
            lex if use_lexical else None,
        )
        final = harmonic(forward, reverse)
        capped = np.zeros(len(top), bool)
        if exposure:
            for j, col in enumerate(top):
                profile = other.profiles[crows[col]]
                if profile is not None and exposure.get(profile.demand_id, 0) >= exposure_cap(
                    profile
                ):
                    capped[j] = True
        rank = final * np.where(capped, CAP_PENALTY, 1.0)
        order = np.argsort(-rank, kind="stable")[:k]
        out = []
        for j in order:
            col = int(top[j])
            out.append(
                Candidate(
                    demand_id=other.ids[crows[col]],
                    score=float(final[j]),
                    forward=float(forward[j]),
                    reverse=float(reverse[j]),
                    cosine=float(block.cosine[i, col]),
                    semantic_forward=float(block.semantic_forward[i, col]),
                    semantic_reverse=float(block.semantic_reverse[i, col]),
                    taxonomy=float(block.taxonomy[i, col]),
                    lexical=float(lex[j]),
                    signals={n: float(s[j]) for n, (s, a) in signals.items() if a[j]},
                    shared_terms=shared[j],
                    capped=bool(capped[j]),
                )
            )
        return out

    def rematch(
        self, k: int = 50, block_size: int = 512, shortlist: int = 400
    ) -> Iterator[tuple[str, list[tuple[str, float]]]]:
        """Ranked counterparts of every profile (both directions); yields
        (demand id, [(id, score)]).

        A block of queries at a time (bounded memory): exact cosines against the whole
        other pool give the per-language statistics and, with taxonomy closeness, a
        shortlist per query; the full reciprocal fusion then ranks the shortlist. No
        lexical re-rank and no exposure control here (both are per list and sequential).
        Each profile's statistics for the other side's view are refreshed on the way."""
        for channel in (
            "PROJECT_COOPERATION",
            "PROJECT_LANDING",
            "JOB_SEEKING",
            "TALENT_RECRUITMENT",
        ):
            pool = self.pools[channel]
            other = self.pools[COUNTERPART[channel]]
            rows = pool.live_rows()
            n = other.size
            live = len(other)
            if live == 0:
                continue
            dead = ~other.alive[:n]
            p = min(shortlist, live)
            kk = min(k, p)
            for start in range(0, len(rows), block_size):
                qrows = rows[start : start + block_size]
                cos = (pool.vectors[qrows] @ other.vectors[:n].T).astype(np.float32)
                mu, sd = lang_stats(cos, other.lang[:n], other.alive[:n])
                pool.mu[qrows], pool.sd[qrows] = mu, sd
                ql = pool.leaf[qrows]
                same = (
                    (ql[:, None, 0] & other.leaf[None, :n, 0])
                    | (ql[:, None, 1] & other.leaf[None, :n, 1])
                ) != 0
                rough = cos + 0.08 * same
                rough[:, dead] = -np.inf
                idx = np.argpartition(-rough, p - 1, axis=1)[:, :p]
                exact = np.take_along_axis(cos, idx, axis=1)
                _, _, scores = score_pairs(pool, qrows, other, idx, exact, (mu, sd))
                scores = np.where(
                    np.take_along_axis(rough, idx, axis=1) == -np.inf, -np.inf, scores
                )
                top = np.argpartition(-scores, kk - 1, axis=1)[:, :kk]
                top_scores = np.take_along_axis(scores, top, axis=1)
                order = np.argsort(-top_scores, axis=1, kind="stable")
                best = np.take_along_axis(np.take_along_axis(idx, top, axis=1), order, axis=1)
                best_scores = np.take_along_axis(top_scores, order, axis=1)
                for i, row in enumerate(qrows):
                    yield (
                        pool.ids[row],
                        [
                            (other.ids[col], float(v))
                            for col, v in zip(best[i], best_scores[i], strict=True)
                        ],
                    )
