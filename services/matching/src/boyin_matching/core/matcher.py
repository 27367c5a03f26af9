"""The matcher: pools of published profiles, and ranked reciprocal candidates for each."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from boyin_matching.core import lexical
from boyin_matching.core.pool import Columns, Pool
from boyin_matching.core.profiles import COUNTERPART, Profile
from boyin_matching.core.scorer import Block, fuse, harmonic, score_block
from boyin_matching.core.taxonomy import TaxonomyTree

F32 = NDArray[np.float32]
Encode = Callable[[Sequence[str]], F32]

#: candidates re-ranked with the lexical signal before the final cut
RERANK = 200
#: exposure beyond its cap halves a candidate's rank score (congestion control)
CAP_PENALTY = 0.5


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
        for pool in self.pools.values():
            rows = pool.live_rows()
            for start in range(0, len(rows), batch):
                self._refresh_stats(pool, rows[start : start + batch])

    def remove(self, demand_id: str) -> bool:
        for pool in self.pools.values():
            if pool.remove(demand_id):
                self.vocabulary.remove(self._terms.pop(demand_id, []))
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
        crows = other.live_rows()
        if len(crows) == 0 or len(rows) == 0:
            return
        block = score_block(pool, rows, other, crows)
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
        crows = other.live_rows()
        if len(crows) == 0:
            return []
        qrow = np.array([pool.rows[demand_id]], np.intp)
        block = score_block(pool, qrow, other, crows)
        return self._rank(pool, int(qrow[0]), other, crows, block, 0, k, exposure, use_lexical)

    def pair(self, a: str, b: str) -> list[Candidate]:
        """``b`` scored as a candidate of ``a`` (e.g. a match an operator adds by hand)."""
        pool = next(p for p in self.pools.values() if a in p.rows)
        other = self.pools[COUNTERPART[pool.channel]]
        qrow = np.array([pool.rows[a]], np.intp)
        crows = np.array([other.rows[b]], np.intp)
        block = score_block(pool, qrow, other, crows)
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
        prelim = block.reciprocal[i]
        m = min(len(crows), max(k, RERANK) if use_lexical else k)
        top = np.argpartition(-prelim, m - 1)[:m] if m < len(crows) else np.arange(len(crows))
        query_id = pool.ids[qrow]
        lex = np.zeros(len(top), np.float32)
        shared: list[tuple[str, ...]] = [()] * len(top)
        if use_lexical:
            qvec = self.vocabulary.weights(self._terms.get(query_id, []))
            for j, col in enumerate(top):
                cvec = self.vocabulary.weights(self._terms.get(other.ids[crows[col]], []))
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
        self, k: int = 50, block_size: int = 256, *, use_lexical: bool = False
    ) -> Iterator[tuple[str, list[Candidate]]]:
        """Ranked candidates of every profile, in blocks (bounded memory); yields as it goes."""
        for channel in (
            "PROJECT_COOPERATION",
            "PROJECT_LANDING",
            "JOB_SEEKING",
            "TALENT_RECRUITMENT",
        ):
            pool = self.pools[channel]
            other = self.pools[COUNTERPART[channel]]
            rows = pool.live_rows()
            crows = other.live_rows()
            if len(crows) == 0:
                continue
            for start in range(0, len(rows), block_size):
                qrows = rows[start : start + block_size]
                block = score_block(pool, qrows, other, crows)
                for i, row in enumerate(qrows):
                    pool.set_stats(int(row), block.query_mu[i], block.query_sd[i])
                    yield (
                        pool.ids[row],
                        self._rank(pool, int(row), other, crows, block, i, k, None, use_lexical),
                    )
