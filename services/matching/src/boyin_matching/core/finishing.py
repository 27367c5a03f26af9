"""The last step of every ranking: the lexical re-rank, exposure control, the candidates.

Whatever picked a query's candidates (all of a pool, a prefilter, a rematch shortlist),
``Finishing`` takes B queries' scored candidates at once (a :class:`Block` of B x P, the
candidate rows B x P and which of them may be proposed) and does the per-pair work as
arrays: the best RERANK of each row by the fused score get the lexical signal (TF-IDF
cosines of all the pairs in one pass) and are fused again with it. What stays per query is
what depends on the moment: exposure control reads the counts as they are when a list is
made (each list raises them for the next), and the kept candidates are built with the
terms their explanations show.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from boyin_matching.core import lexical
from boyin_matching.core.pool import Pool
from boyin_matching.core.profiles import Profile
from boyin_matching.core.scorer import Block, fuse, harmonic

F32 = NDArray[np.float32]
Mask = NDArray[np.bool_]
G = TypeVar("G", bound=np.generic)

#: candidates re-ranked with the lexical signal before the final cut
RERANK = 200
#: exposure beyond its cap halves a candidate's rank score (congestion control)
CAP_PENALTY = 0.5

#: a profile's TF-IDF vector, as a dict (for the shared terms) and as arrays (for cosines)
Terms = Callable[[str], tuple[dict[str, float], lexical.Sparse]]


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


class Finishing:
    """B queries of ``query`` against their own candidates ``rows`` (B x P rows of
    ``other``; ``valid`` marks those that may be proposed), scored in ``block`` (B x P).
    ``terms`` None: no lexical signal."""

    def __init__(
        self,
        query: Pool,
        qrows: NDArray[np.intp],
        other: Pool,
        rows: NDArray[np.intp],
        valid: Mask,
        block: Block,
        k: int,
        terms: Terms | None,
    ) -> None:
        self.query, self.qrows, self.other, self.k, self.terms = query, qrows, other, k, terms
        b, p = rows.shape
        m = min(p, max(k, RERANK) if terms is not None else k)
        if 0 < m < p:
            prelim = np.where(valid, block.reciprocal, -np.inf)
            top = np.argpartition(-prelim, m - 1, axis=1)[:, :m]
        else:
            top = np.broadcast_to(np.arange(p), (b, p))

        def take(a: NDArray[G]) -> NDArray[G]:
            return np.take_along_axis(a, top, axis=1)

        self.valid: Mask = take(valid)
        self.rows: NDArray[np.intp] = take(rows)
        self.cosine, self.taxonomy = take(block.cosine), take(block.taxonomy)
        self.semantic_forward = take(block.semantic_forward)
        self.semantic_reverse = take(block.semantic_reverse)
        self.signals = {n: (take(s), take(a)) for n, (s, a) in block.signals.items()}
        self.lexical = np.zeros(self.rows.shape, np.float32)
        lexical_signal: F32 | None = None
        if terms is not None:
            queries = [terms(query.ids[r])[1] for r in qrows.tolist()]
            candidates = [
                [terms(other.ids[r])[1] if ok else None for r, ok in zip(rs, oks, strict=True)]
                for rs, oks in zip(self.rows.tolist(), self.valid.tolist(), strict=True)
            ]
            self.lexical = lexical.cosines(queries, candidates, self.rows.shape[1]).astype(
                np.float32
            )
            lexical_signal = self.lexical
        self.forward = fuse(
            query.channel, self.semantic_forward, self.taxonomy, self.signals, lexical_signal
        )
        self.reverse = fuse(
            other.channel, self.semantic_reverse, self.taxonomy, self.signals, lexical_signal
        )
        self.final = harmonic(self.forward, self.reverse)

    def __len__(self) -> int:
        return len(self.qrows)

    def candidates(self, i: int, exposure: Mapping[str, int] | None = None) -> list[Candidate]:
        """Query ``i``'s best ``k``, best first, with the exposure counts as they are now."""
        cols = np.flatnonzero(self.valid[i])
        if len(cols) == 0:
            return []
        other = self.other
        rows = self.rows[i, cols].tolist()
        capped = np.zeros(len(cols), bool)
        if exposure:
            for j, row in enumerate(rows):
                profile = other.profiles[row]
                if profile is not None and exposure.get(other.ids[row], 0) >= exposure_cap(profile):
                    capped[j] = True
        rank = self.final[i, cols] * np.where(capped, CAP_PENALTY, 1.0)
        order = np.argsort(-rank, kind="stable")[: self.k].tolist()
        query_terms = self.terms(self.query.ids[self.qrows[i]])[0] if self.terms else None
        signals = [(n, s[i], a[i]) for n, (s, a) in self.signals.items()]
        out = []
        for j in order:
            col, row = int(cols[j]), rows[j]
            shared: tuple[str, ...] = ()
            if query_terms is not None and self.terms is not None and self.lexical[i, col] > 0:
                shared = tuple(lexical.shared_terms(query_terms, self.terms(other.ids[row])[0]))
            out.append(
                Candidate(
                    demand_id=other.ids[row],
                    score=float(self.final[i, col]),
                    forward=float(self.forward[i, col]),
                    reverse=float(self.reverse[i, col]),
                    cosine=float(self.cosine[i, col]),
                    semantic_forward=float(self.semantic_forward[i, col]),
                    semantic_reverse=float(self.semantic_reverse[i, col]),
                    taxonomy=float(self.taxonomy[i, col]),
                    lexical=float(self.lexical[i, col]),
                    signals={n: float(s[col]) for n, s, a in signals if a[col]},
                    shared_terms=shared,
                    capped=bool(capped[j]),
                )
            )
        return out


@dataclass(frozen=True)
class Pending:
    """One query's list of a ``Finishing``, made when asked (with the exposure counts of
    that moment)."""

    finishing: Finishing
    i: int

    def candidates(self, exposure: Mapping[str, int] | None = None) -> list[Candidate]:
        return self.finishing.candidates(self.i, exposure)
