"""Lexical signal: exact terms, acronyms and product codes (jieba words, CJK character
bigrams, Latin words), weighted by TF-IDF over the candidate pool."""

from __future__ import annotations

import logging
import math
import re
import warnings
from collections import Counter
from collections.abc import Iterable
from functools import cache

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


def tokens(text: str) -> list[str]:
    lowered = text.lower()
    out = [w for w in _LATIN.findall(lowered) if len(w) > 1 and w not in _STOP]
    jieba = _jieba()
    for run in _HAN.findall(text):
        out.extend(w for w in jieba.lcut(run) if len(w) > 1 and w not in _STOP)  # type: ignore[attr-defined]
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


def shared_terms(a: dict[str, float], b: dict[str, float], limit: int = 5) -> list[str]:
    """The terms that contribute most to the overlap (for explanations)."""
    common = sorted(((a[t] * b[t], t) for t in a.keys() & b.keys()), reverse=True)
    out: list[str] = []
    for _, term in common:
        if not any(term in kept or kept in term for kept in out):
            out.append(term)
        if len(out) == limit:
            break
    return out
