"""Explanations in Chinese and English of a constructed pair, and agreement with the
signals the ranking used."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from boyin_matching.ranking.explain import Explanation, explain
from boyin_matching.ranking.finishing import Candidate
from boyin_matching.ranking.profiles import Profile
from boyin_shared.errors import Message
from tests.matching.test_ranking_support import matcher, near, profile, random_unit, tree

PROJECT_DETAILS = {"stage": "IDEA", "sought": ["INVESTMENT"], "funding_sought_wan": 500}
LANDING_DETAILS = {"wanted_stage": "PILOT", "cooperation_modes": ["JOINT_RD"], "budget_wan": 100}


def candidate(demand_id: str, **changes: Any) -> Candidate:
    base = Candidate(
        demand_id=demand_id,
        score=0.712345,
        forward=0.7,
        reverse=0.72,
        cosine=0.62,
        semantic_forward=0.85,
        semantic_reverse=0.7,
        taxonomy=1.0,
        lexical=0.3,
        signals={},
        shared_terms=("激光雷达", "lidar"),
        capped=False,
    )
    return base._replace(**changes)


def pair(
    project: dict[str, Any] | None = None,
    landing: dict[str, Any] | None = None,
    codes: tuple[str, str] = ("C33-L1", "C33-L1"),
    capacity: int = 10,
) -> tuple[Profile, Profile]:
    supply = profile("s", "PROJECT_COOPERATION", codes=[codes[0]], details=project or {})
    demand = profile(
        "d",
        "PROJECT_LANDING",
        codes=[codes[1]],
        details=landing or {},
        capacity=capacity,
    )
    return supply, demand


def messages(explanation: Explanation, lang: str) -> tuple[list[str], list[str]]:
    def pick(m: Message) -> str:
        return m.zh if lang == "zh" else m.en

    return (
        [pick(r.message) for r in explanation.reasons],
        [pick(r.message) for r in explanation.mismatches],
    )


def test_a_pair_in_the_same_cluster_with_mismatched_facts() -> None:
    supply, demand = pair(PROJECT_DETAILS, LANDING_DETAILS)
    e = explain(candidate("d"), supply, demand, tree())
    assert e.score == 0.7123
    assert e.capped_note is None
    zh_reasons, zh_mismatches = messages(e, "zh")
    assert zh_reasons == [
        "同一产业集群：智能网联新能源汽车",
        "内容高度相关（语义相似度 0.62，跨语言可比）",
        "共同关键词：激光雷达、lidar",
    ]
    assert zh_mismatches == [
        "合作方式不一致：项目寻求投资，需求方提供联合研发",
        "阶段：创意，需求方希望中试",
        "预算 100 万元低于所需 500 万元",
    ]
    en_reasons, en_mismatches = messages(e, "en")
    assert en_reasons == [
        "same cluster: Intelligent connected new-energy vehicles",
        "closely related content (semantic similarity 0.62, comparable across languages)",
        "shared terms: 激光雷达, lidar",
    ]
    assert en_mismatches[0].startswith("cooperation modes differ: project seeks investment")
    assert en_mismatches[1:] == [
        "stage: idea, demand wants pilot",
        "budget 1000k CNY is below the 5000k sought",
    ]
    assert [r.signal for r in e.mismatches] == ["modes", "stage", "budget"]
    assert all(r.mismatch for r in e.mismatches)
    assert [r.score for r in e.mismatches] == [0.0, 0.0, pytest.approx(0.2)]
    assert e.lines("zh") == zh_reasons + zh_mismatches
    assert e.lines("en") == en_reasons + en_mismatches


def test_the_explanation_is_the_same_from_either_side() -> None:
    supply, demand = pair(PROJECT_DETAILS, LANDING_DETAILS)
    t = tree()
    from_supply = explain(candidate("d"), supply, demand, t)
    from_demand = explain(candidate("s"), demand, supply, t)
    assert from_demand == from_supply


def test_what_fits_is_a_reason_strongest_first() -> None:
    supply, demand = pair(
        {"stage": "PROTOTYPE", "sought": ["JOINT_RD", "OFFSHORE_RD"], "funding_sought_wan": 100},
        {"wanted_stage": "PILOT", "cooperation_modes": ["OFFSHORE_RD"], "budget_wan": 80},
        codes=("C33-L1", "C33-L2"),
    )
    c = candidate("d", semantic_forward=0.55, semantic_reverse=0.4, shared_terms=())
    e = explain(c, supply, demand, tree())
    assert e.mismatches == ()
    assert [(r.signal, r.score) for r in e.reasons] == [
        ("modes", 1.0),
        ("budget", pytest.approx(0.8)),
        ("taxonomy", 0.6),
        ("semantic", 0.55),
        ("stage", 0.5),  # one stage short: half a point, not a mismatch
    ]
    zh, _ = messages(e, "zh")
    en, _ = messages(e, "en")
    assert zh[0] == "合作方式一致：离岸研发"
    assert en[0] == "cooperation modes agree: offshore R&D"
    assert zh[2] == "同属主导产业集群：智能网联新能源汽车 / 新一代电子信息制造业"
    assert en[2] == (
        "same group (Leading clusters): Intelligent connected new-energy vehicles / "
        "New-generation electronic information manufacturing"
    )
    assert en[3].startswith("related content (semantic similarity 0.62")
    assert zh[4] == "阶段：样机，需求方希望中试"


@pytest.mark.parametrize(
    ("codes", "zh", "en"),
    [
        (
            ("C33-L1", "C33-P2"),
            "同属“33618”现代制造业集群体系",
            'both in the "33618" modern manufacturing cluster system',
        ),
        (("C33-L1", "T416-DI"), None, None),
        (("C33-L1", "MYSTERY"), None, None),
    ],
)
def test_taxonomy_reasons(codes: tuple[str, str], zh: str | None, en: str | None) -> None:
    supply, demand = pair(codes=codes)
    e = explain(candidate("d", semantic_forward=0.3, semantic_reverse=0.2), supply, demand, tree())
    taxonomy = [r for r in e.reasons if r.signal == "taxonomy"]
    if zh is None:
        assert taxonomy == []
    else:
        assert [r.message for r in taxonomy] == [Message(zh, str(en))]
        assert taxonomy[0].score == 0.25
    semantic = next(r for r in e.reasons if r.signal == "semantic")
    assert semantic.message.zh.startswith("内容关联较弱")
    assert semantic.message.en.startswith("weakly related content")


def test_the_capped_note_only_when_capped() -> None:
    supply, demand = pair(capacity=2)
    t = tree()
    assert explain(candidate("d"), supply, demand, t).capped_note is None
    note = explain(candidate("d", capped=True), supply, demand, t).capped_note
    assert note is not None
    assert "上限约 6 次" in note.zh  # three times what it can take on
    assert "cap about 6" in note.en
    # the note is for operators: not one of the reasons or mismatches
    e = explain(candidate("d", capped=True), supply, demand, t)
    assert note.zh not in e.lines("zh")


def test_job_explanations() -> None:
    seeker = profile(
        "j", "JOB_SEEKING", details={"work_mode": "FLEXIBLE"}, degree="PHD", editions=["2025"]
    )
    post = profile(
        "t",
        "TALENT_RECRUITMENT",
        details={"work_mode": "FULL_TIME", "degree_required": "POSTDOC"},
        editions=["2024"],
    )
    e = explain(candidate("t", shared_terms=()), post, seeker, tree())
    assert [(r.signal, r.score) for r in e.reasons] == [("semantic", 0.85), ("work_mode", 0.5)]
    assert [(r.signal, r.score) for r in e.mismatches] == [("degree", 0.0), ("edition", 0.0)]
    assert e.lines("zh")[1:] == [
        "工作方式：希望柔性，岗位为全职",
        "学历：博士，岗位要求博士后",
        "不在同一届洽谈会",
    ]
    assert e.lines("en")[1:] == [
        "work mode: wants flexible, the post is full time",
        "degree: phd, the post requires postdoc",
        "not registered for the same edition of the fair",
    ]


def test_explanations_tell_the_same_story_as_the_ranking() -> None:
    """The structured signals named in an explanation are exactly those the candidate was
    ranked with, with the same scores."""
    rng = np.random.default_rng(8)
    m = matcher()
    centre = random_unit(rng)
    supplies = [
        profile(
            f"s{i}",
            "PROJECT_COOPERATION",
            codes=["C33-L1"],
            details={
                "stage": ("IDEA", "PROTOTYPE", "PILOT", "PRODUCT")[i % 4],
                "sought": [("JOINT_RD", "INVESTMENT", "INCUBATION")[i % 3]],
                "funding_sought_wan": 50 * (i + 1),
            },
            editions=["2025"] if i % 2 else ["2024"],
            criteria=["FINANCING_INTENTION"] if i % 3 == 0 else [],
        )
        for i in range(8)
    ]
    demands = [
        profile(
            f"d{i}",
            "PROJECT_LANDING",
            codes=[("C33-L1", "C33-L2", "C33-P1")[i % 3]],
            details={
                "wanted_stage": ("PILOT", "IDEA", "PRODUCT")[i % 3],
                "cooperation_modes": [("JOINT_RD", "INVESTMENT")[i % 2]],
                "budget_wan": 40 * i,
            },
            editions=["2025"],
            criteria=["INVESTMENT_CAPABILITY"] if i % 2 == 0 else ["KEY_PLATFORMS"],
        )
        for i in range(8)
    ]
    both = supplies + demands
    m.add_many(both, np.stack([near(centre, rng, 1.0) for _ in both]))
    for query in both:
        for c in m.candidates(query.demand_id, k=20):
            other = m.profile(c.demand_id)
            assert other is not None
            e = explain(c, query, other, m.tree)
            told = {r.signal: r.score for r in (*e.reasons, *e.mismatches)}
            structured = {
                k: v for k, v in told.items() if k not in ("semantic", "taxonomy", "lexical")
            }
            assert structured.keys() == c.signals.keys()
            for name, score in structured.items():
                assert score == pytest.approx(c.signals[name], abs=1e-6), name
            assert told.get("taxonomy", 0.0) == pytest.approx(c.taxonomy)
            assert e.score == round(c.score, 4)
