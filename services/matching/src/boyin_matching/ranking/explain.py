"""Explanations a person can read, in Chinese and English, of why two demands match."""

from __future__ import annotations

from dataclasses import dataclass

from boyin_matching.ranking import signals as sig
from boyin_matching.ranking.finishing import Candidate, exposure_cap
from boyin_matching.ranking.profiles import Profile
from boyin_matching.ranking.taxonomy import TaxonomyTree
from boyin_shared.errors import Message


@dataclass(frozen=True)
class Reason:
    signal: str
    score: float
    message: Message
    mismatch: bool = False


@dataclass(frozen=True)
class Explanation:
    score: float
    reasons: tuple[Reason, ...]  # what fits, strongest first
    mismatches: tuple[Reason, ...]  # what does not fit
    #: for operators only: the candidate is held back by congestion control
    capped_note: Message | None = None

    def lines(self, lang: str) -> list[str]:
        messages = [r.message for r in (*self.reasons, *self.mismatches)]
        return [m.zh if lang == "zh" else m.en for m in messages]


def _semantic(c: Candidate) -> Reason:
    level = max(c.semantic_forward, c.semantic_reverse)
    if level >= 0.8:
        zh, en = "内容高度相关", "closely related content"
    elif level >= 0.5:
        zh, en = "内容相关", "related content"
    else:
        zh, en = "内容关联较弱", "weakly related content"
    return Reason(
        "semantic",
        level,
        Message(
            f"{zh}（语义相似度 {c.cosine:.2f}，跨语言可比）",
            f"{en} (semantic similarity {c.cosine:.2f}, comparable across languages)",
        ),
    )


def _taxonomy(c: Candidate, a: Profile, b: Profile, tree: TaxonomyTree) -> Reason | None:
    closeness, code_a, code_b = tree.best(a.taxonomy_codes, b.taxonomy_codes)
    if closeness <= 0 or code_a is None or code_b is None:
        return None
    if closeness >= 1.0:
        return Reason(
            "taxonomy",
            1.0,
            Message(
                f"同一产业集群：{tree.name(code_a, 'zh')}",
                f"same cluster: {tree.name(code_a, 'en')}",
            ),
        )
    group = tree.group_of(code_a)
    if closeness >= 0.6:
        return Reason(
            "taxonomy",
            closeness,
            Message(
                f"同属{tree.name(group, 'zh')}：{tree.name(code_a, 'zh')} / {tree.name(code_b, 'zh')}",
                f"same group ({tree.name(group, 'en')}): {tree.name(code_a, 'en')} / {tree.name(code_b, 'en')}",
            ),
        )
    root = tree.root_of(code_a)
    return Reason(
        "taxonomy",
        closeness,
        Message(f"同属{tree.name(root, 'zh')}", f"both in the {tree.name(root, 'en')}"),
    )


def _structured(a: Profile, b: Profile) -> list[sig.Signal]:
    supply, demand = (a, b) if a.is_supply else (b, a)
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
    reasons: list[Reason] = [_semantic(c)]
    tax = _taxonomy(c, query, candidate, tree)
    if tax is not None:
        reasons.append(tax)
    if c.shared_terms:
        reasons.append(
            Reason(
                "lexical",
                c.lexical,
                Message(
                    "共同关键词：" + "、".join(c.shared_terms),
                    "shared terms: " + ", ".join(c.shared_terms),
                ),
            )
        )
    mismatches: list[Reason] = []
    for s in _structured(query, candidate):
        reason = Reason(s.name, s.score, s.reason, s.mismatch)
        (mismatches if s.mismatch or s.score < 0.5 else reasons).append(reason)
    reasons.sort(key=lambda r: -r.score)
    capped = None
    if c.capped:
        cap = exposure_cap(candidate)
        capped = Message(
            f"该对象已被推荐给较多需求方（上限约 {cap} 次），排序已下调",
            f"already recommended widely (cap about {cap}); ranked lower to spread attention",
        )
    return Explanation(round(c.score, 4), tuple(reasons), tuple(mismatches), capped)
