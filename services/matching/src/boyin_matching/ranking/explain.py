"""Explanations a person can read, in Chinese and English, of why two demands match.

Every line is a sentence in each language that names things (clusters, stages, criteria,
degrees) and never shows their codes, with a code for machines (UPPER_SNAKE, e.g.
``BUDGET_BELOW_SOUGHT``). What fits is a reason; what does not — a mismatch or a caution
such as a budget below the funding sought, or no language in common — is a mismatch.
Shared terms are whole words (``ranking.words``).
"""

from __future__ import annotations

from dataclasses import dataclass

from boyin_matching.ranking import signals as sig
from boyin_matching.ranking import words
from boyin_matching.ranking.finishing import Candidate, exposure_cap
from boyin_matching.ranking.profiles import Profile
from boyin_matching.ranking.taxonomy import TaxonomyTree
from boyin_shared.errors import Message

LANGUAGE_NAMES = {"zh": Message("中文", "Chinese"), "en": Message("英文", "English")}


@dataclass(frozen=True)
class Reason:
    signal: str
    score: float
    #: what the line says, for machines (UPPER_SNAKE)
    code: str
    message: Message


@dataclass(frozen=True)
class Explanation:
    score: float
    reasons: tuple[Reason, ...]  # what fits, strongest first
    mismatches: tuple[Reason, ...]  # what does not fit, and cautions
    #: for operators only: the candidate is held back by congestion control
    capped_note: Message | None = None

    def lines(self, lang: str) -> list[str]:
        messages = [r.message for r in (*self.reasons, *self.mismatches)]
        return [m.zh if lang == "zh" else m.en for m in messages]


def _semantic(c: Candidate) -> tuple[Reason, bool]:
    """The semantic line, and whether it is a reason (a weak relation is a caution)."""
    level = max(c.semantic_forward, c.semantic_reverse)
    similarity = f"{c.cosine:.2f}"
    if level >= 0.8:
        code, zh, en = "CONTENT_CLOSE", "两者内容高度相关", "The two are closely related"
    elif level >= 0.5:
        code, zh, en = "CONTENT_RELATED", "两者内容相关", "The two are related"
    else:
        code, zh, en = "CONTENT_WEAK", "两者内容关联较弱", "The two are only weakly related"
    message = Message(
        f"{zh}（语义相似度 {similarity}，可跨语言比较）。",
        f"{en} (semantic similarity {similarity}, comparable across languages).",
    )
    return Reason("semantic", level, code, message), level >= 0.5


def _taxonomy(a: Profile, b: Profile, tree: TaxonomyTree) -> Reason | None:
    closeness, code_a, code_b = tree.best(a.taxonomy_codes, b.taxonomy_codes)
    if closeness <= 0 or code_a is None or code_b is None:
        return None
    if closeness >= 1.0:
        if code_a not in tree.names:  # a code matching knows no name of: say so, unnamed
            message = Message("双方的产业分类相同。", "Both are in the same industry category.")
        else:
            message = Message(
                f"双方同属“{tree.name(code_a, 'zh')}”产业集群。",
                f"Both are in the same industry cluster: {tree.name(code_a, 'en')}.",
            )
        return Reason("taxonomy", 1.0, "SAME_CLUSTER", message)
    group = tree.group_of(code_a)
    if closeness >= 0.6:
        return Reason(
            "taxonomy",
            closeness,
            "SAME_CLUSTER_GROUP",
            Message(
                f"双方同属{tree.name(group, 'zh')}：{tree.name(code_a, 'zh')}与"
                f"{tree.name(code_b, 'zh')}。",
                f"Both are in the same group of clusters ({tree.name(group, 'en')}): "
                f"{tree.name(code_a, 'en')} and {tree.name(code_b, 'en')}.",
            ),
        )
    root = tree.root_of(code_a)
    return Reason(
        "taxonomy",
        closeness,
        "SAME_CLUSTER_SYSTEM",
        Message(f"双方同属{tree.name(root, 'zh')}。", f"Both are in the {tree.name(root, 'en')}."),
    )


def _terms(c: Candidate, supply: Profile, demand: Profile) -> Reason | None:
    shown = words.shown(c.shared_terms, supply.all_text(), demand.all_text())
    if not shown:
        return None
    return Reason(
        "lexical",
        c.lexical,
        "SHARED_TERMS",
        Message(
            "双方都提到：" + "、".join(shown) + "。", "Both mention: " + ", ".join(shown) + "."
        ),
    )


def _languages(supply: Profile, demand: Profile) -> Reason | None:
    """A caution when the two sides have no written language in common."""
    have, want = supply.texts().keys(), demand.texts().keys()
    if not have or not want or have & want:
        return None
    a = "、".join(LANGUAGE_NAMES[lang].zh for lang in sorted(have))
    b = "、".join(LANGUAGE_NAMES[lang].zh for lang in sorted(want))
    a_en = " and ".join(LANGUAGE_NAMES[lang].en for lang in sorted(have))
    b_en = " and ".join(LANGUAGE_NAMES[lang].en for lang in sorted(want))
    return Reason(
        "language",
        0.0,
        "NO_COMMON_LANGUAGE",
        Message(
            f"双方没有共同的书写语言：一方用{a}，另一方用{b}，沟通可能需要翻译。",
            f"They have no written language in common: one side writes in {a_en}, "
            f"the other in {b_en}; talking may need an interpreter.",
        ),
    )


def _structured(supply: Profile, demand: Profile) -> list[sig.Signal]:
    checks = (
        (sig.modes, sig.stage, sig.budget, sig.eligibility)
        if supply.channel == "PROJECT_COOPERATION"
        else (sig.degree, sig.work_mode)
    )
    out = [s for check in checks if (s := check(supply, demand)) is not None]
    edition = sig.editions(supply, demand)
    if edition is not None:
        out.append(edition)
    return out


def explain(c: Candidate, query: Profile, candidate: Profile, tree: TaxonomyTree) -> Explanation:
    """Why ``candidate`` matches ``query`` (the same from either side)."""
    supply, demand = (query, candidate) if query.is_supply else (candidate, query)
    reasons: list[Reason] = []
    mismatches: list[Reason] = []
    semantic, fits = _semantic(c)
    (reasons if fits else mismatches).append(semantic)
    for line in (_taxonomy(supply, demand, tree), _terms(c, supply, demand)):
        if line is not None:
            reasons.append(line)
    for s in _structured(supply, demand):
        (reasons if s.fits else mismatches).append(Reason(s.name, s.score, s.code, s.reason))
    language = _languages(supply, demand)
    if language is not None:
        mismatches.append(language)
    reasons.sort(key=lambda r: -r.score)
    capped = None
    if c.capped:
        cap = exposure_cap(candidate)
        capped = Message(
            f"该对象已被推荐给较多需求方（上限约 {cap} 次），排序已下调。",
            f"Already recommended widely (cap about {cap}); ranked lower to spread attention.",
        )
    return Explanation(round(c.score, 4), tuple(reasons), tuple(mismatches), capped)
