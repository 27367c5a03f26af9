"""Explanations in Chinese and English of a constructed pair, and agreement with the
signals the ranking used."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest

from boyin_matching.ranking.explain import Explanation, explain
from boyin_matching.ranking.finishing import Candidate
from boyin_matching.ranking.profiles import Profile
from boyin_shared.errors import Message
from tests.matching.test_ranking_support import matcher, near, profile, random_unit, tree

#: a code as the reports saw them: BOTTLENECK_TECHNOLOGY, bottleneck_technology, phd
RAW_CODE = re.compile(
    r"[A-Z][A-Z0-9]*_[A-Z0-9_]+|\b[a-z]+_[a-z_]+\b|\b(?:phd|postdoc|joint rd|full time)\b"
)
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
    texts: tuple[str, str] = ("激光雷达 lidar 项目", "激光雷达 LiDAR 需求"),
    criteria: tuple[tuple[str, ...], tuple[str, ...]] = ((), ()),
) -> tuple[Profile, Profile]:
    supply = profile(
        "s",
        "PROJECT_COOPERATION",
        codes=[codes[0]],
        details=project or {},
        zh=texts[0],
        criteria=criteria[0],
    )
    demand = profile(
        "d",
        "PROJECT_LANDING",
        codes=[codes[1]],
        details=landing or {},
        capacity=capacity,
        zh=texts[1],
        criteria=criteria[1],
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
        "双方同属“智能网联新能源汽车”产业集群。",
        "两者内容高度相关（语义相似度 0.62，可跨语言比较）。",
        "双方都提到：激光雷达、lidar。",
    ]
    assert zh_mismatches == [
        "合作方式不一致：项目寻求投资，需求方提供联合研发。",
        "项目处于创意阶段，需求方希望达到中试阶段。",
        "需求方预算 100 万元，低于项目所需的 500 万元。",
    ]
    en_reasons, en_mismatches = messages(e, "en")
    assert en_reasons == [
        "Both are in the same industry cluster: Intelligent connected new-energy vehicles.",
        "The two are closely related (semantic similarity 0.62, comparable across languages).",
        "Both mention: 激光雷达, lidar.",
    ]
    assert en_mismatches == [
        "They differ on how to cooperate: the project seeks investment, "
        "the organisation offers joint R&D.",
        "The project is at the idea stage; the organisation wants one at the pilot stage.",
        "The organisation's budget of CNY 1,000,000 is below the CNY 5,000,000 the project seeks.",
    ]
    assert [r.code for r in e.reasons] == ["SAME_CLUSTER", "CONTENT_CLOSE", "SHARED_TERMS"]
    assert [r.code for r in e.mismatches] == ["MODES_DIFFER", "STAGE_BEHIND", "BUDGET_BELOW_SOUGHT"]
    assert [r.signal for r in e.mismatches] == ["modes", "stage", "budget"]
    assert [r.score for r in e.mismatches] == [0.0, 0.0, pytest.approx(0.2)]
    assert e.lines("zh") == zh_reasons + zh_mismatches
    assert e.lines("en") == en_reasons + en_mismatches


def test_the_explanation_is_the_same_from_either_side() -> None:
    supply, demand = pair(PROJECT_DETAILS, LANDING_DETAILS)
    t = tree()
    from_supply = explain(candidate("d"), supply, demand, t)
    from_demand = explain(candidate("s"), demand, supply, t)
    assert from_demand == from_supply


def test_what_fits_is_a_reason_strongest_first_and_what_falls_short_a_mismatch() -> None:
    """A budget at 80% of the funding sought scores 0.8, yet it is a shortfall: a mismatch,
    never a reason; so is a stage one step short."""
    supply, demand = pair(
        {"stage": "PROTOTYPE", "sought": ["JOINT_RD", "OFFSHORE_RD"], "funding_sought_wan": 100},
        {"wanted_stage": "PILOT", "cooperation_modes": ["OFFSHORE_RD"], "budget_wan": 80},
        codes=("C33-L1", "C33-L2"),
    )
    c = candidate("d", semantic_forward=0.55, semantic_reverse=0.4, shared_terms=())
    e = explain(c, supply, demand, tree())
    assert [(r.signal, r.score) for r in e.reasons] == [
        ("modes", 1.0),
        ("taxonomy", 0.6),
        ("semantic", 0.55),
    ]
    assert [(r.code, r.score) for r in e.mismatches] == [
        ("STAGE_BEHIND", 0.5),
        ("BUDGET_BELOW_SOUGHT", pytest.approx(0.8)),
    ]
    zh, zh_mismatches = messages(e, "zh")
    en, en_mismatches = messages(e, "en")
    assert zh[0] == "合作方式一致：双方都考虑离岸研发。"
    assert en[0] == "They agree on how to cooperate: both consider offshore R&D."
    assert zh[1] == "双方同属主导产业集群：智能网联新能源汽车与新一代电子信息制造业。"
    assert en[1] == (
        "Both are in the same group of clusters (Leading clusters): Intelligent connected "
        "new-energy vehicles and New-generation electronic information manufacturing."
    )
    assert en[2].startswith("The two are related (semantic similarity 0.62")
    assert zh_mismatches == [
        "项目处于原型阶段，需求方希望达到中试阶段。",
        "需求方预算 80 万元，低于项目所需的 100 万元。",
    ]
    assert en_mismatches[1] == (
        "The organisation's budget of CNY 800,000 is below the CNY 1,000,000 the project seeks."
    )


def test_a_budget_that_covers_the_funding_is_a_reason() -> None:
    supply, demand = pair({"funding_sought_wan": 300}, {"budget_wan": 300})
    e = explain(candidate("d"), supply, demand, tree())
    budget = [r for r in e.reasons if r.signal == "budget"]
    assert [(r.code, r.message) for r in budget] == [
        (
            "BUDGET_COVERS",
            Message(
                "需求方预算 300 万元，足以覆盖项目所需的 300 万元。",
                "The organisation's budget of CNY 3,000,000 covers the CNY 3,000,000 "
                "the project seeks.",
            ),
        )
    ]


@pytest.mark.parametrize(
    ("codes", "zh", "en"),
    [
        (
            ("C33-L1", "C33-P2"),
            "双方同属“33618”现代制造业集群体系。",
            'Both are in the "33618" modern manufacturing cluster system.',
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
    # a weak relation is a caution, not a reason
    assert "semantic" not in {r.signal for r in e.reasons}
    semantic = next(r for r in e.mismatches if r.signal == "semantic")
    assert semantic.code == "CONTENT_WEAK"
    assert semantic.message.zh.startswith("两者内容关联较弱")
    assert semantic.message.en.startswith("The two are only weakly related")


def test_a_code_matching_has_no_name_for_is_not_shown() -> None:
    supply, demand = pair(codes=("MYSTERY", "MYSTERY"))
    e = explain(candidate("d"), supply, demand, tree())
    taxonomy = next(r for r in e.reasons if r.signal == "taxonomy")
    assert taxonomy.message == Message(
        "双方的产业分类相同。", "Both are in the same industry category."
    )


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
        "j", "JOB_SEEKING", details={"work_mode": "FLEXIBLE"}, degree="PHD", editions=["CQ2026"]
    )
    post = profile(
        "t",
        "TALENT_RECRUITMENT",
        details={"work_mode": "FULL_TIME", "degree_required": "POSTDOC"},
        editions=["CQ2027"],
    )
    e = explain(candidate("t", shared_terms=()), post, seeker, tree())
    assert [(r.signal, r.score) for r in e.reasons] == [("semantic", 0.85)]
    assert [(r.code, r.score) for r in e.mismatches] == [
        ("DEGREE_BELOW", 0.0),
        ("WORK_MODE_DIFFERS", 0.5),  # flexible against full-time: half a point, not a fit
        ("EDITION_DIFFERS", 0.0),
    ]
    assert e.lines("zh")[1:] == [
        "人才的学历（博士）低于岗位要求（博士后）。",
        "工作方式不同：人才希望柔性，岗位为全职。",
        "双方报名的不是同一届洽谈会。",
    ]
    assert e.lines("en")[1:] == [
        "The candidate's degree (PhD) is below what the post requires (postdoctoral researcher).",
        "The ways of working differ: the candidate wants flexible work, the post is full-time.",
        "They are not registered for the same edition of the fair.",
    ]


def test_a_degree_that_fits_is_named_not_coded() -> None:
    """Reported: "degree fits (phd)"."""
    seeker = profile("j", "JOB_SEEKING", details={"work_mode": "PART_TIME"}, degree="PHD")
    post = profile(
        "t",
        "TALENT_RECRUITMENT",
        details={"work_mode": "PART_TIME", "degree_required": "PHD_CANDIDATE"},
    )
    e = explain(candidate("t", shared_terms=()), seeker, post, tree())
    fits = {r.code: r.message for r in e.reasons}
    assert fits["DEGREE_FITS"] == Message(
        "人才的学历（博士）达到岗位要求（在读博士）。",
        "The candidate's degree (PhD) meets what the post requires (PhD candidate).",
    )
    assert fits["WORK_MODE_AGREES"] == Message(
        "工作方式一致：双方都是兼职。", "They agree on the way of working: part-time."
    )


def test_eligibility_is_told_by_the_criteria_names() -> None:
    """Reported: "bottleneck_technology ↔ facilities_scenarios" and
    "资格互补：BOTTLENECK_TECHNOLOGY ↔ …"."""
    supply, demand = pair(
        criteria=(("BOTTLENECK_TECHNOLOGY",), ("FACILITIES_SCENARIOS", "SUPPORT_POLICIES"))
    )
    e = explain(candidate("d"), supply, demand, tree())
    line = next(r for r in e.reasons if r.signal == "eligibility")
    assert line.code == "ELIGIBILITY_COMPLEMENTS"
    assert line.message == Message(
        "资格条件互补：项目方拥有关键核心技术，能解决重庆制造业集群“卡脖子”问题；"
        "需求方具备场地、政策、应用场景和急需解决的问题。",
        "Their confirmed eligibility is complementary: the project side owns key core "
        "technology that solves a bottleneck of Chongqing's manufacturing clusters; "
        "the organisation has facilities, policies, application scenarios and urgent problems.",
    )
    unanswered, _ = pair(criteria=(("FINANCING_INTENTION",), ("KEY_PLATFORMS",)))
    e = explain(candidate("d"), unanswered, demand, tree())
    caution = next(r for r in e.mismatches if r.signal == "eligibility")
    assert caution.code == "ELIGIBILITY_UNANSWERED"


def test_no_line_shows_a_code() -> None:
    """Every line of every signal, fitting or not, in both languages: no UPPER_SNAKE or
    snake_case code, no code of a criterion, stage, mode, degree or way of working."""
    cases = [
        pair(
            {"stage": s, "sought": [m], "funding_sought_wan": 100},
            {"wanted_stage": w, "cooperation_modes": [o], "budget_wan": b},
            criteria=((sc,), (dc,)),
        )
        for s, w, m, o, b, sc, dc in [
            (
                "IDEA",
                "PRODUCT",
                "TECH_TRANSFER",
                "INCUBATION",
                50,
                "OFFSHORE_EXPERIENCE",
                "KEY_PLATFORMS",
            ),
            (
                "PRODUCT",
                "IDEA",
                "JOINT_RD",
                "JOINT_RD",
                150,
                "CHONGQING_INTENTION",
                "INVESTMENT_CAPABILITY",
            ),
            (
                "PILOT",
                "PROTOTYPE",
                "OFFSHORE_RD",
                "INVESTMENT",
                100,
                "TRANSFER_INTENTION",
                "COOPERATION_INTENTION",
            ),
        ]
    ]
    jobs = [
        (
            profile("j", "JOB_SEEKING", details={"work_mode": want}, degree=have),
            profile(
                "t", "TALENT_RECRUITMENT", details={"work_mode": offer, "degree_required": need}
            ),
        )
        for want, offer, have, need in [
            ("FULL_TIME", "PART_TIME", "POSTDOC_IN_STATION", "PHD_CANDIDATE"),
            ("PART_TIME", "FLEXIBLE", "PHD_CANDIDATE", "POSTDOC_IN_STATION"),
        ]
    ]
    lines = [
        line
        for a, b in [*cases, *jobs]
        for lang in ("zh", "en")
        for line in explain(candidate(b.demand_id), a, b, tree()).lines(lang)
    ]
    assert len(lines) > 30
    assert [line for line in lines if RAW_CODE.search(line)] == []


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
            editions=["CQ2027"] if i % 2 else ["CQ2026"],
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
            editions=["CQ2027"],
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
                k: v
                for k, v in told.items()
                if k not in ("semantic", "taxonomy", "lexical", "language")
            }
            assert structured.keys() == c.signals.keys()
            for name, score in structured.items():
                assert score == pytest.approx(c.signals[name], abs=1e-6), name
            assert told.get("taxonomy", 0.0) == pytest.approx(c.taxonomy)
            assert e.score == round(c.score, 4)
