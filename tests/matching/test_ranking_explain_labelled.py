"""The explanations of the labelled bilingual set (``tests/matching/eval/pairs.json``, the
set the problems were reported on), read line by line: sentences with names, no codes;
Chinese shared terms that are words, not pieces; no budget shortfall among the reasons.

Every labelled pair is explained as a stored proposal is (its shared terms from the two
profiles), and so is each demand's top 5 as a list gives it. The set claims no
eligibility and names no edition: each supplier is given one criterion and each demander
two, in turn, and every other profile an edition of its own, so those lines are read too.
Vectors are random (the text of the lines is under test here, not the ranking)."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import replace

import numpy as np

from boyin_matching.bench.quality import PAIRS, load_tree, profile_of
from boyin_matching.ranking import codes, lexical
from boyin_matching.ranking.explain import Explanation, explain
from boyin_matching.ranking.matcher import Matcher
from boyin_matching.ranking.profiles import Profile
from boyin_shared.api.registry import CooperationMode, Criterion, Degree, Stage, WorkMode
from boyin_shared.api.registry.names import (
    COOPERATION_MODES,
    CRITERIA,
    DEGREES,
    STAGES,
    WORK_MODES,
)
from tests.matching.test_ranking_support import no_encode, random_unit

HAN = re.compile(r"^[\u3400-\u9fff]+$")
UPPER_SNAKE = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
Explained = tuple[Profile, Profile, Explanation]


def _code_words() -> re.Pattern[str]:
    """The codes of the enumerated values as words, and in lower case wherever their names
    do not say so themselves: ``PHD``, ``phd``, ``JOINT_RD``, ``joint rd``, ``full time``
    (but "support policies" is in the name of ``SUPPORT_POLICIES``)."""
    forms: set[str] = set()
    named = [
        *((m.value, n.en) for m, n in STAGES.items()),
        *((m.value, n.en) for m, n in COOPERATION_MODES.items()),
        *((m.value, n.en) for m, n in WORK_MODES.items()),
        *((m.value, n.en) for m, n in DEGREES.items()),
        *((c.value, info.en) for c, info in CRITERIA.items()),
    ]
    for code, en in named:
        forms.add(code)
        forms |= {f for f in (code.lower(), code.lower().replace("_", " ")) if f not in en.lower()}
    return re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, forms), key=len)[::-1]) + r")\b")


def _with_claims(profiles: list[Profile]) -> list[Profile]:
    out = []
    for i, p in enumerate(profiles):
        if p.is_supply:
            criteria = {codes.SUPPLIER_CRITERIA[i % 6]}
        else:
            criteria = {codes.DEMANDER_CRITERIA[i % 6], codes.DEMANDER_CRITERIA[(i + 2) % 6]}
        out.append(replace(p, criteria=frozenset(criteria), editions=(f"CQ{2026 + i % 2}",)))
    return out


@functools.cache
def explained() -> tuple[Explained, ...]:
    data = json.loads(PAIRS.read_text("utf-8"))
    profiles = _with_claims([profile_of(item) for item in data["items"]])
    rng = np.random.default_rng(14)
    m = Matcher(no_encode, 64, load_tree())
    m.add_many(profiles, np.stack([random_unit(rng) for _ in profiles]))
    out: list[Explained] = []
    for link in data["links"]:  # as a stored proposal is explained
        a, b = m.profile(link["a"]), m.profile(link["b"])
        assert a is not None and b is not None
        (c,) = m.pair(a.demand_id, b.demand_id)
        c = c._replace(shared_terms=m.shared_terms(a.demand_id, b.demand_id))
        out.append((a, b, explain(c, a, b, m.tree)))
    for query in profiles:  # as a list is
        for c in m.candidates(query.demand_id, k=5):
            other = m.profile(c.demand_id)
            assert other is not None
            out.append((query, other, explain(c, query, other, m.tree)))
    return tuple(out)


def _lines(e: Explanation) -> list[tuple[str, str, str]]:
    return [(r.code, r.message.zh, r.message.en) for r in (*e.reasons, *e.mismatches)]


def _terms(e: Explanation) -> list[str]:
    line = next((r for r in e.reasons if r.code == "SHARED_TERMS"), None)
    if line is None:
        return []
    found = re.fullmatch(r"双方都提到：(.+)。", line.message.zh)
    assert found, line.message.zh
    return found.group(1).split("、")


def _whole_words(term: str, text: str) -> bool:
    """``term`` starts and ends where jieba's words of ``text`` do (the rule of
    ``ranking.words``, checked on its own here)."""
    for run in lexical.han_runs(text):
        ends = np.cumsum([0, *map(len, lexical.words(run))]).tolist()
        if any(run[s:e] == term for i, s in enumerate(ends) for e in ends[i + 1 :]):
            return True
    return False


def test_the_set_is_read_in_full() -> None:
    lines = [line for _, _, e in explained() for line in _lines(e)]
    seen = {code for code, _, _ in lines}
    assert len(explained()) > 700
    assert {
        "SAME_CLUSTER",
        "SHARED_TERMS",
        "ELIGIBILITY_COMPLEMENTS",
        "ELIGIBILITY_UNANSWERED",
        "BUDGET_COVERS",
        "BUDGET_BELOW_SOUGHT",
        "DEGREE_FITS",
        "WORK_MODE_AGREES",
        "NO_COMMON_LANGUAGE",
    } <= seen
    assert all(UPPER_SNAKE.fullmatch(code) or code.isupper() for code in seen)


def test_no_line_shows_a_code() -> None:
    codes_as_words = _code_words()
    taxonomy = set(load_tree().names)
    bad = [
        text
        for _, _, e in explained()
        for _, zh, en in _lines(e)
        for text in (zh, en)
        if UPPER_SNAKE.search(text)
        or SNAKE.search(text)
        or codes_as_words.search(text)
        or any(code in text for code in taxonomy)
    ]
    assert bad == []


def test_every_line_is_a_sentence() -> None:
    for _, _, e in explained():
        for code, zh, en in _lines(e):
            assert zh.endswith("。"), (code, zh)
            assert en[0].isupper() and en.endswith("."), (code, en)
            assert re.search(r"[\u3400-\u9fff]", zh), (code, zh)


def test_chinese_terms_are_words_not_pieces() -> None:
    shown = 0
    for a, b, e in explained():
        terms = _terms(e)
        texts = (a.all_text(), b.all_text())
        for term in terms:
            assert not [t for t in terms if t != term and term.lower() in t.lower()], terms
            if HAN.match(term):
                shown += 1
                assert all(term in text for text in texts), term
                assert any(_whole_words(term, text) for text in texts), (term, texts)
            else:  # a Latin word as written, never a stem
                assert any(
                    re.search(rf"(?<![A-Za-z0-9]){re.escape(term)}(?![A-Za-z0-9])", text)
                    for text in texts
                ), term
    assert shown > 100


def test_a_budget_below_the_funding_sought_is_never_a_reason() -> None:
    short = 0
    for a, b, e in explained():
        supply, demand = (a, b) if a.is_supply else (b, a)
        sought = supply.details.get("funding_sought_wan")
        budget = demand.details.get("budget_wan")
        reasons = {r.code for r in e.reasons}
        assert "BUDGET_BELOW_SOUGHT" not in reasons
        assert not [r for r in e.reasons if "低于" in r.message.zh or "below" in r.message.en]
        if isinstance(sought, int) and isinstance(budget, int) and budget < sought:
            short += 1
            assert "BUDGET_BELOW_SOUGHT" in {r.code for r in e.mismatches}
    assert short > 10


def test_the_names_are_the_platform_s() -> None:
    """Criteria, stages and degrees are told by the registry's names (``names``)."""
    zh = " ".join(r.message.zh for _, _, e in explained() for r in e.reasons)
    assert (
        CRITERIA[Criterion.BOTTLENECK_TECHNOLOGY].zh in zh
        or CRITERIA[Criterion.FINANCING_INTENTION].zh in zh
    )
    assert STAGES[Stage.PILOT].zh in zh
    assert DEGREES[Degree.PHD].zh in zh
    assert COOPERATION_MODES[CooperationMode.TECH_TRANSFER].zh in zh
    assert WORK_MODES[WorkMode.FULL_TIME].zh in zh
