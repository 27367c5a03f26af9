"""Lexical signal: exact terms, acronyms and product codes (jieba words, CJK character
bigrams, Latin words), weighted by TF-IDF over the candidate pool."""

from __future__ import annotations

import logging
import math
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache

import numpy as np
from numpy.typing import NDArray

#: a TF-IDF vector as arrays: term ids (ascending) and their weights
Sparse = tuple[NDArray[np.int64], NDArray[np.float64]]
#: a pool's TF-IDF vectors by row (compressed sparse rows): row r's term ids and weights
#: are ``ids[starts[r]:starts[r + 1]]`` and ``weights[...]``
TermRows = tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]

_LATIN = re.compile(r"[a-z0-9][a-z0-9+.#-]*[a-z0-9+#]|[a-z0-9]")
_HAN = re.compile(r"[\u3400-\u9fff]+")
_STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "of",
        "to",
        "in",
        "on",
        "a",
        "an",
        "is",
        "are",
        "be",
        "we",
        "our",
        "by",
        "as",
        "at",
        "or",
        "from",
        "this",
        "that",
        "it",
        "its",
        "我们",
        "以及",
        "进行",
        "用于",
        "相关",
        "具有",
        "能够",
        "一个",
        "通过",
        "需要",
        "提供",
    ]
)


@cache
def _jieba() -> object:
    # jieba 0.42.1 has regular expressions with invalid escapes, which Python reports when
    # it compiles the module; they are harmless, and not ours to fix.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        warnings.filterwarnings("ignore", category=SyntaxWarning)
        import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def han_runs(text: str) -> list[str]:
    """The runs of Chinese characters of ``text`` (split at anything else)."""
    return _HAN.findall(text)


@lru_cache(maxsize=65_536)
def words(run: str) -> tuple[str, ...]:
    """A run of Chinese characters cut into words (jieba), in order: they join to ``run``."""
    return tuple(_jieba().lcut(run))  # type: ignore[attr-defined]


def is_stop(term: str) -> bool:
    return term in _STOP


def latin_words(text: str) -> list[str]:
    """The Latin words of ``text``, lower case, as written otherwise (no stemming)."""
    return [w for w in _LATIN.findall(text.lower()) if len(w) > 1 and w not in _STOP]


def tokens(text: str) -> list[str]:
    out = latin_words(text)
    for run in han_runs(text):
        out.extend(w for w in words(run) if len(w) > 1 and w not in _STOP)
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


class Vocabulary:
    """Document frequencies of the pool, updated as profiles come and go."""

    def __init__(self) -> None:
        self.df: Counter[str] = Counter()
        self.documents = 0

    def add(self, terms: Iterable[str]) -> None:
        self.df.update(set(terms))
        self.documents += 1

    def remove(self, terms: Iterable[str]) -> None:
        self.df.subtract(set(terms))
        self.documents = max(0, self.documents - 1)

    def weights(self, terms: Iterable[str]) -> dict[str, float]:
        counts = Counter(terms)
        n = self.documents + 1
        vec = {
            t: (1 + math.log(c)) * (math.log(n / (self.df.get(t, 0) + 1)) + 1)
            for t, c in counts.items()
        }
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {t: v / norm for t, v in vec.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def sparse(vec: dict[str, float], index: dict[str, int]) -> Sparse:
    """``vec`` as arrays, its terms numbered by ``index`` (new terms get the next ids)."""
    ids = np.fromiter((index.setdefault(t, len(index)) for t in vec), np.int64, len(vec))
    weights = np.fromiter(vec.values(), np.float64, len(vec))
    order = np.argsort(ids)
    return ids[order], weights[order]


def cosines(
    queries: Sequence[Sparse], candidates: Sequence[Sequence[Sparse | None]], width: int
) -> NDArray[np.float64]:
    """B x ``width``: each query's cosine with each of its candidates (0 for None), all
    pairs in one pass: every (query, term) becomes one sorted key, and each candidate
    term looks its key up."""
    b = len(queries)
    out = np.zeros(b * width)
    if b == 0 or width == 0:
        return out.reshape(b, width)
    span = np.int64(1 << 31)  # above any term id: keys stay unique and sorted
    qkeys = np.concatenate([ids + i * span for i, (ids, _) in enumerate(queries)])
    qweights = np.concatenate([w for _, w in queries])
    keys: list[NDArray[np.int64]] = []
    weights: list[NDArray[np.float64]] = []
    cells: list[int] = []
    lengths: list[int] = []
    for i, row in enumerate(candidates):
        for j, c in enumerate(row):
            if c is not None and len(c[0]):
                keys.append(c[0])
                weights.append(c[1])
                cells.append(i * width + j)
                lengths.append(len(c[0]))
    if not keys or len(qkeys) == 0:
        return out.reshape(b, width)
    cell = np.repeat(np.array(cells, np.int64), lengths)
    ckeys = np.concatenate(keys) + (cell // width) * span
    at = np.minimum(np.searchsorted(qkeys, ckeys), len(qkeys) - 1)
    hit = qkeys[at] == ckeys
    contributions = np.where(hit, qweights[at] * np.concatenate(weights), 0.0)
    out += np.bincount(cell, contributions, minlength=b * width)
    return out.reshape(b, width)


def term_rows(vectors: Sequence[Sparse | None]) -> TermRows:
    """Row by row TF-IDF vectors (None: a row without one) as compressed sparse rows."""
    lengths = np.fromiter((0 if v is None else len(v[0]) for v in vectors), np.int64, len(vectors))
    starts = np.zeros(len(vectors) + 1, np.int64)
    np.cumsum(lengths, out=starts[1:])
    present = [v for v in vectors if v is not None]
    if not present:
        return starts, np.zeros(0, np.int64), np.zeros(0, np.float64)
    ids = np.concatenate([v[0] for v in present]).astype(np.int64, copy=False)
    weights = np.concatenate([v[1] for v in present]).astype(np.float64, copy=False)
    return starts, ids, weights


def cosines_by_row(
    queries: Sequence[Sparse],
    rows_terms: TermRows,
    rows: NDArray[np.intp],
    valid: NDArray[np.bool_],
) -> NDArray[np.float64]:
    """``cosines`` with the candidates given as rows (B x width) of ``rows_terms`` (0
    where not ``valid``): the candidates' terms are gathered by array indexing, with no
    loop over the pairs."""
    b, width = rows.shape
    out = np.zeros(b * width)
    starts, term_ids, term_weights = rows_terms
    if b == 0 or width == 0 or not any(len(ids) for ids, _ in queries):
        return out.reshape(b, width)
    span = np.int64(1 << 31)
    qkeys = np.concatenate([ids + i * span for i, (ids, _) in enumerate(queries)])
    qweights = np.concatenate([w for _, w in queries])
    cells = np.flatnonzero(valid.ravel())
    picked = rows.ravel()[cells]
    first, lengths = starts[picked], starts[picked + 1] - starts[picked]
    total = int(lengths.sum())
    if total == 0:
        return out.reshape(b, width)
    # the position of every term of every picked row: its row's start, plus its rank
    before = np.cumsum(lengths) - lengths
    at_term = np.repeat(first - before, lengths) + np.arange(total)
    cell = np.repeat(cells, lengths)
    ckeys = term_ids[at_term] + (cell // width) * span
    at = np.minimum(np.searchsorted(qkeys, ckeys), len(qkeys) - 1)
    hit = qkeys[at] == ckeys
    out += np.bincount(
        cell, np.where(hit, qweights[at] * term_weights[at_term], 0.0), minlength=b * width
    )
    return out.reshape(b, width)


def shared_terms(a: dict[str, float], b: dict[str, float], limit: int = 12) -> list[str]:
    """The terms that contribute most to the overlap, strongest first: words and Chinese
    character bigrams as they were counted (``ranking.words`` shows them as whole words)."""
    common = sorted(((a[t] * b[t], t) for t in a.keys() & b.keys()), reverse=True)
    return [t for _, t in common[:limit]]
