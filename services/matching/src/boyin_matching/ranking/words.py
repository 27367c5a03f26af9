"""Shared terms as a person reads them: whole words, never pieces of words.

The lexical signal counts Chinese character bigrams beside jieba's words, so two texts that
both write 固态电池 share 固态, 态电 and 电池 — pieces, not words. A shared Chinese term is
shown as the longest span that contains it, that both texts contain, and that is made of
whole words (it starts and ends where jieba's words start and end) of one text — of both,
where it has a word of one character — so 态电 becomes 固态电池; a piece in no such span
(态电 of 固态电池 against 液态电解质) is not shown. One-character words at either end of a
span (的, 与, 及: function words) are left out. Latin terms are whole words already (never stemmed) and are
shown as first written. No shown term is part of another shown term, and a bare number is not shown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from boyin_matching.ranking import lexical

#: at most this many shared terms are shown
SHOWN = 5
#: one-character function words, left out at the ends of a span (热 of 热管理 stays)
FUNCTION = frozenset(
    "的地得了着过和与及或并而且也都就还又在对为以于至从到把被由向将是其之该此这那等所"
)


def _edge(word: str) -> bool:
    """A word left out at the ends of a span: a function word, or a stop word."""
    return word in FUNCTION or lexical.is_stop(word)


@lru_cache(maxsize=4096)
def _boundaries(text: str) -> tuple[tuple[str, frozenset[int]], ...]:
    """Each run of Chinese characters of ``text`` with the positions its words start and
    end at."""
    out = []
    for run in lexical.han_runs(text):
        cuts, at = {0}, 0
        for word in lexical.words(run):
            at += len(word)
            cuts.add(at)
        out.append((run, frozenset(cuts)))
    return tuple(out)


def whole_words(term: str, text: str) -> bool:
    """Whether ``text`` has ``term`` as a run of whole words (starting and ending where
    jieba's words of ``text`` start and end)."""
    for run, cuts in _boundaries(text):
        at = run.find(term)
        while at >= 0:
            if at in cuts and at + len(term) in cuts:
                return True
            at = run.find(term, at + 1)
    return False


def common_spans(text: str, other: str) -> set[str]:
    """From each word of ``text`` on, the longest run of its whole words, without function
    words at its ends, that ``other`` has too: as whole words, or anyhow when each word of
    the run has two characters or more (雷达 of 雷达 against 激光雷达, but not 口服缓 of
    口服/缓/释 against 口服/缓控释)."""
    out: set[str] = set()
    for run in lexical.han_runs(text):
        words = lexical.words(run)
        for start in range(len(words)):
            end = start
            while end < len(words) and "".join(words[start : end + 1]) in other:
                end += 1
            for last in range(end, start, -1):
                first, stop = start, last
                while first < stop and _edge(words[first]):
                    first += 1
                while stop > first and _edge(words[stop - 1]):
                    stop -= 1
                span = "".join(words[first:stop])
                if not span or span not in other:
                    continue
                if all(len(w) > 1 for w in words[first:stop]) or whole_words(span, other):
                    out.add(span)
                    break
    return out


def _is_han(term: str) -> bool:
    return lexical.han_runs(term) == [term]


def _as_written(term: str, texts: Sequence[str]) -> str:
    """A Latin ``term`` (lower case) as the first text that has it writes it."""
    pattern = re.compile(rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])", re.IGNORECASE)
    for text in texts:
        found = pattern.search(text)
        if found:
            return found.group(0)
    return term


def shown(ranked: Sequence[str], first: str, second: str, limit: int = SHOWN) -> tuple[str, ...]:
    """The shared terms ``ranked`` (strongest first, as ``lexical.shared_terms`` gives
    them) as whole words of the two texts, at most ``limit``. Symmetric in the texts but
    for the spelling of Latin words (``first``'s is preferred)."""
    spans: set[str] | None = None
    out: list[str] = []
    for term in ranked:
        if _is_han(term):
            if spans is None:
                spans = common_spans(first, second) | common_spans(second, first)
            containing = [s for s in spans if term in s]
            if not containing:
                continue
            word = max(containing, key=lambda s: (len(s), s))
        elif any(ch.isalpha() for ch in term):
            word = _as_written(term, (first, second))
        else:
            continue  # a bare number is no term
        if any(word.lower() in kept.lower() for kept in out):
            continue
        out = [kept for kept in out if kept.lower() not in word.lower()]
        out.append(word)
        if len(out) == limit:
            break
    return tuple(out)
