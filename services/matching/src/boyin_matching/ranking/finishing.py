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
from typing import NamedTuple, TypeVar

import numpy as np
from numpy.typing import NDArray

from boyin_matching.ranking import lexical
from boyin_matching.ranking.pool import Pool
from boyin_matching.ranking.profiles import Profile
from boyin_matching.ranking.scorer import Block, fuse, harmonic

F32 = NDArray[np.float32]
Mask = NDArray[np.bool_]
G = TypeVar("G", bound=np.generic)

#: candidates re-ranked with the lexical signal before the final cut
RERANK = 200
#: exposure beyond its cap halves a candidate's rank score (congestion control)
CAP_PENALTY = 0.5

#: a profile's TF-IDF vector, as a dict (for the shared terms) and as arrays (for cosines)
Terms = Callable[[str], tuple[dict[str, float], lexical.Sparse]]
#: decimals of the numbers a candidate carries rounded (those a proposal stores rounded)
DECIMALS = 6
#: the numbers rounded, in Candidate's order from ``score`` (0): forward, reverse, cosine,
#: semantic_forward, semantic_reverse, lexical
ROUNDED = [1, 2, 3, 4, 5, 7]


class Candidate(NamedTuple):
    """One ranked counterpart. A named tuple (immutable; ``c._replace(score=...)`` for a
    changed copy): the rematch job makes hundreds of thousands, and a tuple is made three
    times faster than a frozen dataclass.

    ``forward``, ``reverse``, ``cosine``, ``semantic_*`` and ``lexical`` come rounded to
    6 decimals (as they are stored); ``score`` does not (the feedback scales it before it
    is stored, see ``feedback.rerank``), nor do ``taxonomy`` and ``signals``."""

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
    ``terms`` None: no lexical signal; ``term_rows``: the counterparts' TF-IDF vectors by
    row, if the caller has them (else they are looked up one by one)."""

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
        term_rows: lexical.TermRows | None = None,
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
            if term_rows is not None:  # the counterparts' vectors by row, all at once
                cosines = lexical.cosines_by_row(queries, term_rows, self.rows, self.valid)
            else:
                candidates = [
                    [terms(other.ids[r])[1] if ok else None for r, ok in zip(rs, oks, strict=True)]
                    for rs, oks in zip(self.rows.tolist(), self.valid.tolist(), strict=True)
                ]
                cosines = lexical.cosines(queries, candidates, self.rows.shape[1])
            self.lexical = cosines.astype(np.float32)
            lexical_signal = self.lexical
        self.forward = fuse(
            query.channel, self.semantic_forward, self.taxonomy, self.signals, lexical_signal
        )
        self.reverse = fuse(
            other.channel, self.semantic_reverse, self.taxonomy, self.signals, lexical_signal
        )
        self.final = harmonic(self.forward, self.reverse)
        # Each candidate's numbers in Candidate's order (score .. lexical) and the unrounded
        # lexical, B x P x 9 float64: one gather and one ``tolist`` per list. Rounded float
        # for float as Python's ``round(x, 6)`` rounds: a float32 times 10**6 is exact in
        # float64, so numpy's multiply, rint (half to even) and divide round the exact
        # value and give the double nearest the decimal, as ``round`` does.
        numbers = np.stack(
            [
                self.final,
                self.forward,
                self.reverse,
                self.cosine,
                self.semantic_forward,
                self.semantic_reverse,
                self.taxonomy,
                self.lexical,
                self.lexical,
            ],
            axis=-1,
        ).astype(np.float64)
        numbers[..., ROUNDED] = numbers[..., ROUNDED].round(DECIMALS)
        self.numbers: NDArray[np.float64] = numbers

    def candidates(
        self, i: int, exposure: Mapping[str, int] | None = None, *, with_terms: bool = True
    ) -> list[Candidate]:
        """Query ``i``'s best ``k``, best first, with the exposure counts as they are now;
        ``with_terms``: with the terms their explanations show (else none: a list that is
        stored gets them when it is read, from the profiles of that moment)."""
        cols = np.flatnonzero(self.valid[i])
        if len(cols) == 0:
            return []
        other = self.other
        ids, profiles = other.ids, other.profiles
        rows = self.rows[i, cols]
        rank = self.final[i, cols]
        if exposure:
            capped = np.array(
                [
                    (p := profiles[row]) is not None
                    and exposure.get(ids[row], 0) >= exposure_cap(p)
                    for row in rows.tolist()
                ],
                bool,
            )
            rank = rank * np.where(capped, CAP_PENALTY, 1.0)
        else:
            capped = np.zeros(len(cols), bool)
        order = np.argsort(-rank, kind="stable")[: self.k]  # by the unrounded score
        picked = cols[order]
        terms = self.terms if with_terms else None
        query_terms = terms(self.query.ids[self.qrows[i]])[0] if terms is not None else {}
        signals = [(n, s[i].tolist(), a[i].tolist()) for n, (s, a) in self.signals.items()]
        out = []
        for row, col, cut, numbers in zip(
            rows[order].tolist(),
            picked.tolist(),
            capped[order].tolist(),
            self.numbers[i, picked].tolist(),
            strict=True,
        ):
            score, forward, reverse, cosine, sem_f, sem_r, taxonomy, lexical_, unrounded = numbers
            demand_id = ids[row]
            shared: tuple[str, ...] = ()
            if terms is not None and unrounded > 0:
                shared = tuple(lexical.shared_terms(query_terms, terms(demand_id)[0]))
            out.append(
                Candidate(
                    demand_id,
                    score,
                    forward,
                    reverse,
                    cosine,
                    sem_f,
                    sem_r,
                    taxonomy,
                    lexical_,
                    {n: s[col] for n, s, a in signals if a[col]},
                    shared,
                    cut,
                )
            )
        return out


@dataclass(frozen=True)
class Pending:
    """One query's list of a ``Finishing``, made when asked (with the exposure counts of
    that moment)."""

    finishing: Finishing
    i: int

    def candidates(
        self, exposure: Mapping[str, int] | None = None, *, with_terms: bool = True
    ) -> list[Candidate]:
        return self.finishing.candidates(self.i, exposure, with_terms=with_terms)
