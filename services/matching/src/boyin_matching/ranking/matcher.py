"""The matcher: pools of published profiles, and ranked reciprocal candidates for each."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from boyin_matching.ranking import lexical, shortlists
from boyin_matching.ranking.finishing import Candidate, Finishing, Pending
from boyin_matching.ranking.pool import Columns, Pool
from boyin_matching.ranking.profiles import COUNTERPART, Profile
from boyin_matching.ranking.scorer import (
    CALIBRATION,
    Block,
    _z_forward,
    lang_stats,
    language_priors,
    score_block,
    score_pairs,
    squash,
)
from boyin_matching.ranking.shortlists import REMATCH_BLOCK, SHORTLIST
from boyin_matching.ranking.taxonomy import TaxonomyTree

F32 = NDArray[np.float32]
Encode = Callable[[Sequence[str]], F32]

#: above this many candidates, a cheap first pass (reduced vectors) picks PREFILTER of them
PREFILTER_FROM = 20_000
PREFILTER = 3_000
#: exact cosines of this many random candidates give the per-language statistics
STATS_SAMPLE = 2_000
#: finishing: queries scored together
FINISH_BLOCK = 64
#: profiles per side sampled for the language-pair priors of the statistics
PRIOR_SAMPLE = 1_000


class Matcher:
    def __init__(self, encode: Encode, dim: int, tree: TaxonomyTree | None = None) -> None:
        self.encode = encode
        self.dim = dim
        self.tree = tree or TaxonomyTree()
        self.columns = Columns()
        self.pools = {ch: Pool(ch, dim, self.columns) for ch in COUNTERPART}
        self.vocabulary = lexical.Vocabulary()
        self._terms: dict[str, list[str]] = {}
        self._weights: dict[str, tuple[int, dict[str, float], lexical.Sparse]] = {}
        self._term_ids: dict[str, int] = {}
        #: basis of the reduced vectors (top eigenvectors of the vectors' second moments)
        self.basis: F32 | None = None
        self._basis_size = 0
        #: per query channel: (live sizes when fitted, 2 x 2 prior means, spreads)
        self._priors: dict[str, tuple[tuple[int, int], F32, F32]] = {}
        #: profiles removed (or re-indexed) so far: a holder of lists made earlier can
        #: tell whether any of their members may have left
        self.removals = 0
        #: per pool: its TF-IDF vectors by row, and the pool's state they were made for
        self._rows_terms: dict[str, tuple[tuple[int, int, int], lexical.TermRows]] = {}

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
        self.settle(batch=batch)

    def settle(self, stats_of: Collection[str] = tuple(COUNTERPART), batch: int = 256) -> None:
        """Make what scores depend on a function of the live profiles alone, not of the
        order they came in: the language-pair priors refitted, every TF-IDF vector made
        afresh from the vocabulary as it is, and the per-language statistics of the pools
        ``stats_of`` computed against the whole other side as it is now (a profile added
        one at a time keeps the statistics of its moment, and ``add`` refreshes only its
        own). ``add_many`` ends with it; the lists service's settling rematch asks for the
        statistics of the pools it does not rank first (ranking a pool refreshes its own),
        a block at a time (``settling``)."""
        for _ in self.settling(stats_of, batch):
            pass

    def settling(
        self, stats_of: Collection[str] = tuple(COUNTERPART), batch: int = 256
    ) -> Iterator[None]:
        """``settle`` a block of ``batch`` profiles' statistics at a time (it yields after
        each, so a caller on an event loop can let others run in between; a profile added
        meanwhile has its own)."""
        self._priors.clear()
        self._weights.clear()
        self._rows_terms.clear()
        for channel in stats_of:
            pool = self.pools[channel]
            other = self.pools[COUNTERPART[channel]]
            rows = pool.live_rows()
            for start in range(0, len(rows), batch):
                if len(other) == 0:
                    break
                part = rows[start : start + batch]
                n = other.size
                cos = (pool.vectors[part] @ other.vectors[:n].T).astype(np.float32)
                mu, sd = lang_stats(cos, other.lang[:n], other.alive[:n], self.prior(pool, part))
                pool.mu[part], pool.sd[part] = mu, sd
                yield

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
                self.removals += 1
                self.vocabulary.remove(self._terms.pop(demand_id, []))
                self._weights.pop(demand_id, None)
                return True
        return False

    def relevance(self, query: str, candidates: Sequence[str]) -> F32:
        """How well each candidate text suits ``query`` (0–1): the semantic signal of the
        ranking on texts outside the pool, their cosine z-normalised with the scorer's
        calibration of unrelated texts and squashed as the ranking squashes it."""
        if not candidates:
            return np.zeros(0, np.float32)
        vectors = self.encode([query, *candidates]).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
        cosine = vectors[1:] @ vectors[0]
        mu, sd = CALIBRATION
        return squash(((cosine - mu) / sd).astype(np.float32))

    def profile(self, demand_id: str) -> Profile | None:
        for pool in self.pools.values():
            row = pool.rows.get(demand_id)
            if row is not None and pool.alive[row]:
                return pool.profiles[row]
        return None

    def prior(self, pool: Pool, qrows: NDArray[np.intp]) -> tuple[F32, F32]:
        """The language-pair priors (B x 2) of the statistics of queries ``qrows`` of
        ``pool``; refitted when either side's live size moved by more than a tenth."""
        other = self.pools[COUNTERPART[pool.channel]]
        sizes = (len(pool), len(other))
        cached = self._priors.get(pool.channel)
        if cached is None or any(
            abs(a - b) > max(10, b // 10) for a, b in zip(sizes, cached[0], strict=True)
        ):
            rng = np.random.default_rng(0)
            q = pool.live_rows()
            c = other.live_rows()
            q = np.sort(rng.choice(q, min(len(q), PRIOR_SAMPLE), replace=False))
            c = np.sort(rng.choice(c, min(len(c), PRIOR_SAMPLE), replace=False))
            mu, sd = language_priors(pool.vectors[q], pool.lang[q], other.vectors[c], other.lang[c])
            cached = (sizes, mu, sd)
            self._priors[pool.channel] = cached
        lang = pool.lang[qrows].astype(np.intp)
        return cached[1][lang], cached[2][lang]

    def _refresh_stats(self, pool: Pool, rows: NDArray[np.intp]) -> None:
        other = self.pools[COUNTERPART[pool.channel]]
        if len(other) == 0 or len(rows) == 0:
            return
        block = score_block(pool, rows, other, slice(0, other.size), prior=self.prior(pool, rows))
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
        found = self._query(demand_id)
        if found is None:
            return []
        pool, other = found
        qrow = np.array([pool.rows[demand_id]], np.intp)
        if other.size >= PREFILTER_FROM and self.basis is not None:
            crows, stats = self._prefilter(pool, int(qrow[0]), other)
            block = score_block(pool, qrow, other, crows, forward_stats=stats)
        else:
            crows = np.arange(other.size)
            block = score_block(
                pool, qrow, other, slice(0, other.size), prior=self.prior(pool, qrow)
            )
        return self._finishing(pool, qrow, other, crows[None, :], block, k, use_lexical).candidates(
            0, exposure
        )

    def _finishing(
        self,
        pool: Pool,
        qrows: NDArray[np.intp],
        other: Pool,
        rows: NDArray[np.intp],
        block: Block,
        k: int,
        use_lexical: bool,
        valid: NDArray[np.bool_] | None = None,
        term_rows: lexical.TermRows | None = None,
    ) -> Finishing:
        alive = other.alive[rows] if valid is None else valid & other.alive[rows]
        terms = self._weighted if use_lexical else None
        return Finishing(pool, qrows, other, rows, alive, block, k, terms, term_rows)

    def finish(
        self,
        demand_id: str,
        shortlist: Sequence[str],
        k: int = 50,
        exposure: Mapping[str, int] | None = None,
        *,
        use_lexical: bool = True,
    ) -> list[Candidate]:
        """The best ``k`` of a precomputed ``shortlist`` of counterparts (e.g. a list from
        ``rematch``), finished exactly as ``candidates`` finishes its own ranking (the same
        ``Finishing``): the best RERANK by the fused score get the lexical signal, exposure
        control holds back the widely recommended, and the candidates carry the signals and
        terms the explanations need. Ids no longer published are skipped.

        The query's per-language statistics are its stored ones (``rematch`` has just
        refreshed them; adding a profile computes its own), computed afresh only if it has
        none; ``candidates`` computes them from the whole pool (or a sample of a large one),
        so scores agree with it to float32 rounding (1e-6) below PREFILTER_FROM."""
        ((_, pending),) = self.finish_many([(demand_id, shortlist)], k, use_lexical=use_lexical)
        return pending.candidates(exposure) if pending is not None else []

    def finish_many(
        self,
        shortlists: Sequence[tuple[str, Sequence[str] | NDArray[np.intp]]],
        k: int = 50,
        *,
        use_lexical: bool = True,
    ) -> list[tuple[str, Pending | None]]:
        """``finish`` for many queries at once, scored together (those of one channel in
        blocks of FINISH_BLOCK): each query's list to make (None when it has nothing to
        rank), whose ``candidates(exposure)`` uses the exposure counts of that moment, so
        lists made in turn see each other's counts, as ``finish`` called in turn would."""
        out: list[tuple[str, Pending | None]] = [(q, None) for q, _ in shortlists]
        groups: dict[str, list[tuple[int, int, NDArray[np.intp]]]] = {}
        for position, (demand_id, shortlist) in enumerate(shortlists):
            found = self._query(demand_id)
            if found is None or len(shortlist) == 0:
                continue
            pool, other = found
            if isinstance(shortlist, np.ndarray):  # rows of ``other`` (from ``shortlists``)
                crows = shortlist.astype(np.intp, copy=False)
            else:
                crows = np.array([other.rows.get(i, -1) for i in shortlist], np.intp)
                crows = crows[crows >= 0]  # dead rows stay in: ``Finishing`` leaves them out
            if len(crows):
                groups.setdefault(pool.channel, []).append((position, pool.rows[demand_id], crows))
        for channel, members in groups.items():
            pool, other = self.pools[channel], self.pools[COUNTERPART[channel]]
            for start in range(0, len(members), FINISH_BLOCK):
                part = members[start : start + FINISH_BLOCK]
                finishing = self._finish_block(pool, other, part, k, use_lexical)
                for i, (position, _, _) in enumerate(part):
                    out[position] = (shortlists[position][0], Pending(finishing, i))
        return out

    def _finish_block(
        self,
        pool: Pool,
        other: Pool,
        part: Sequence[tuple[int, int, NDArray[np.intp]]],
        k: int,
        use_lexical: bool,
    ) -> Finishing:
        width = max(len(crows) for _, _, crows in part)
        rows = np.zeros((len(part), width), np.intp)
        valid = np.zeros((len(part), width), bool)
        for i, (_, _, crows) in enumerate(part):
            rows[i, : len(crows)] = crows
            valid[i, : len(crows)] = True
        qrows = np.array([row for _, row, _ in part], np.intp)
        mu, sd = pool.mu[qrows].copy(), pool.sd[qrows].copy()
        for lacking in np.flatnonzero((sd <= 0).any(axis=1)).tolist():
            one = qrows[lacking : lacking + 1]  # no statistics stored: from the whole pool
            n = other.size
            cos = (pool.vectors[one] @ other.vectors[:n].T).astype(np.float32)
            _, mu[lacking : lacking + 1], sd[lacking : lacking + 1] = _z_forward(
                cos, other.lang[:n], other.alive[:n], self.prior(pool, one)
            )
        cos = np.einsum("bd,bpd->bp", pool.vectors[qrows], other.vectors[rows]).astype(np.float32)
        block = score_pairs(pool, qrows, other, rows, cos, (mu, sd))
        term_rows = self._term_rows(other) if use_lexical else None
        return self._finishing(pool, qrows, other, rows, block, k, use_lexical, valid, term_rows)

    def _term_rows(self, pool: Pool) -> lexical.TermRows:
        """The pool's TF-IDF vectors by row, kept until the pool changes (many blocks of a
        rematch use them; a single query looks its candidates up one by one instead)."""
        key = (pool.size, self.removals, self.vocabulary.documents)
        cached = self._rows_terms.get(pool.channel)
        if cached is None or cached[0] != key:
            vectors = [
                None if p is None else self._weighted(p.demand_id)[1]
                for p in pool.profiles[: pool.size]
            ]
            cached = (key, lexical.term_rows(vectors))
            self._rows_terms[pool.channel] = cached
        return cached[1]

    def _query(self, demand_id: str) -> tuple[Pool, Pool] | None:
        """A published profile's pool and its counterparts' (None if either is empty)."""
        pool = next((p for p in self.pools.values() if demand_id in p.rows), None)
        if pool is None or not pool.alive[pool.rows[demand_id]]:
            return None
        other = self.pools[COUNTERPART[pool.channel]]
        if len(other) == 0:
            return None
        return pool, other

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
        _, mu, sd = _z_forward(
            cos,
            other.lang[sample],
            np.ones(len(sample), bool),
            self.prior(pool, np.array([qrow], np.intp)),
        )
        return top.astype(np.intp), (mu, sd)

    def _weighted(self, demand_id: str) -> tuple[dict[str, float], lexical.Sparse]:
        """A profile's TF-IDF vector (as a dict and as arrays), cached until the pool has
        grown by a tenth."""
        cached = self._weights.get(demand_id)
        docs = self.vocabulary.documents
        if cached is None or abs(cached[0] - docs) > max(10, docs // 10):
            vec = self.vocabulary.weights(self._terms.get(demand_id, []))
            cached = (docs, vec, lexical.sparse(vec, self._term_ids))
            self._weights[demand_id] = cached
        return cached[1], cached[2]

    def shared_terms(self, a: str, b: str) -> tuple[str, ...]:
        """The terms two published profiles share that weigh most (for explanations)."""
        return tuple(lexical.shared_terms(self._weighted(a)[0], self._weighted(b)[0]))

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
            _, mu, sd = _z_forward(cos, other.lang[:n], other.alive[:n], self.prior(pool, qrow))
            stats = (mu, sd)
        block = score_block(pool, qrow, other, crows, forward_stats=stats)
        return self._finishing(pool, qrow, other, crows[None, :], block, 1, True).candidates(0)

    def rematch(
        self,
        k: int = 50,
        block_size: int = REMATCH_BLOCK,
        shortlist: int = SHORTLIST,
        *,
        queries: Collection[str] | None = None,
    ) -> Iterator[tuple[str, list[tuple[str, float]]]]:
        """Ranked counterparts of every profile (both directions), or of the published
        ones among ``queries``; yields (demand id, [(id, score)]).

        A block of queries at a time (bounded memory): exact cosines against the whole
        other pool give the per-language statistics and a rough score per pair (the
        query's semantic view, z-normalised per candidate language and squashed, plus
        taxonomy closeness); the ``shortlist`` best by that score per query are fused in
        full (both views, every signal) and ranked. No lexical re-rank and no exposure
        control here (both are per list and sequential). Each profile's statistics for
        the other side's view are refreshed on the way, so a channel's blocks are all
        done before its counterpart's start; within a channel, REMATCH_THREADS blocks are
        scored at a time (numpy releases the GIL; OpenBLAS is held to one thread meanwhile)
        and the lists come out in row order. Blocks are computed a little ahead of the
        consumer, so the matcher must not change while a rematch is being read."""
        for pool, side, qrows, best, scores in shortlists.ranked_blocks(
            self, k, block_size, shortlist, queries
        ):
            yield from shortlists.lists(pool, qrows, side.ids[best], scores)

    def shortlists(
        self, k: int = 50, *, queries: Collection[str]
    ) -> Iterator[tuple[str, NDArray[np.intp]]]:
        """``rematch`` of ``queries`` as each query's ranked counterpart rows (of the
        counterpart pool), best first, for ``finish_many``: no ids and scores are made."""
        blocks = shortlists.ranked_blocks(self, k, REMATCH_BLOCK, SHORTLIST, queries)
        for pool, side, qrows, best, _ in blocks:
            ranked = side.cols[best]
            for i, row in enumerate(qrows.tolist()):
                yield pool.ids[row], ranked[i]
