"""Validate the hand-labelled matching evaluation set (``pairs.json``).

The set is data for measuring the matcher; these tests only check that it is well formed
and meets the requirements it was written to (see ``docs/matching-eval.md``).
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from boyin_registry.demands.domain import (
    JobSeeking,
    ProjectCooperation,
    ProjectLanding,
    TalentRecruitment,
)
from boyin_shared.api.registry import CooperationMode, Degree, IpStatus, Stage, WorkMode
from boyin_shared.text import detect_language

HERE = Path(__file__).resolve().parent
PAIRS = HERE / "pairs.json"
TAXONOMY = (
    HERE.parents[2] / "services" / "registry" / "src" / "boyin_registry" / "data" / "taxonomy.json"
)

COUNTERPART = {"PROJECT_COOPERATION": "PROJECT_LANDING", "JOB_SEEKING": "TALENT_RECRUITMENT"}
DEMAND_KINDS = frozenset(COUNTERPART.values())
KINDS = frozenset(COUNTERPART) | DEMAND_KINDS
CLUSTER_GROUPS = frozenset({"C33-L", "C33-P", "C33-F", "C33-N"})
SEEKER_DEGREES = frozenset({"PHD", "POSTDOC", "PHD_CANDIDATE"})
TRL_RANGE = {
    Stage.IDEA: range(1, 4),
    Stage.PROTOTYPE: range(3, 6),
    Stage.PILOT: range(5, 8),
    Stage.PRODUCT: range(7, 10),
}
DETAIL_KEYS = {
    "PROJECT_COOPERATION": {"stage", "trl", "ip_status", "sought", "funding_sought_wan"},
    "PROJECT_LANDING": {"cooperation_modes", "budget_wan", "wanted_stage"},
    "JOB_SEEKING": {"desired_role", "work_mode"},
    "TALENT_RECRUITMENT": {"positions", "degree_required", "work_mode"},
}


@functools.cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(PAIRS.read_text(encoding="utf-8"))
    return data


@functools.cache
def _taxonomy() -> dict[str, str | None]:
    nodes: list[dict[str, Any]] = json.loads(TAXONOMY.read_text(encoding="utf-8"))["nodes"]
    return {n["code"]: n["parent"] for n in nodes}


def _items() -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in _data()["items"]}


def _right() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    items = _items()
    return [(items[li["a"]], items[li["b"]]) for li in _data()["links"] if li["relevance"] == 2]


def _linked() -> set[tuple[str, str]]:
    return {(li["a"], li["b"]) for li in _data()["links"]}


def _cluster(item: dict[str, Any]) -> str:
    code: str = item["taxonomy_codes"][0]
    return code


def _texts(item: dict[str, Any]) -> list[str]:
    texts = [item["title"], item["description"], *item["keywords"]]
    role = item["details"].get("desired_role")
    if role:
        texts.append(role)
    return texts


def _latin_tokens(item: dict[str, Any]) -> set[str]:
    text = " ".join(_texts(item)).lower()
    return {t for t in re.findall(r"[a-z0-9]+", text) if len(t) >= 2}


def _is_cross(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return bool(a["language"] != b["language"])


def test_top_level_shape() -> None:
    data = _data()
    assert set(data) == {"version", "notes", "items", "links", "no_answer"}
    assert data["version"] == 1
    assert isinstance(data["notes"], str) and data["notes"].strip()
    assert isinstance(data["items"], list) and data["items"]
    assert isinstance(data["links"], list) and data["links"]
    assert isinstance(data["no_answer"], list)


def test_ids_are_unique() -> None:
    ids = [item["id"] for item in _data()["items"]]
    duplicates = [i for i, n in Counter(ids).items() if n > 1]
    assert not duplicates


@pytest.mark.parametrize("item", _data()["items"], ids=lambda item: str(item["id"]))
def test_item_fields(item: dict[str, Any]) -> None:
    expected = {"id", "kind", "language", "title", "description", "keywords", "taxonomy_codes"}
    expected |= {"details"} | ({"degree"} if item["kind"] == "JOB_SEEKING" else set())
    assert set(item) == expected
    assert item["kind"] in KINDS
    assert item["language"] in ("zh", "en")
    for text in _texts(item):
        assert isinstance(text, str) and text.strip() == text and text
        # Chinese texts may use Latin acronyms as keywords (MEMS, OLED); English ones no Han.
        if item["language"] == "en":
            assert detect_language(text) in ("en", "und"), text
    assert detect_language(item["title"] + " " + item["description"]) == item["language"]
    assert 2 <= len(item["keywords"]) <= 6
    assert len(set(item["keywords"])) == len(item["keywords"])
    if item["language"] == "zh":
        sentences = [s for s in re.split(r"[。！？]", item["description"]) if s.strip()]
    else:
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", item["description"]) if s.strip()]
    assert 1 <= len(sentences) <= 3, item["description"]


def test_taxonomy_codes_exist_and_first_is_a_cluster() -> None:
    taxonomy = _taxonomy()
    for item in _data()["items"]:
        codes = item["taxonomy_codes"]
        assert codes and len(set(codes)) == len(codes), item["id"]
        assert all(code in taxonomy for code in codes), item["id"]
        assert taxonomy[codes[0]] in CLUSTER_GROUPS, item["id"]


@pytest.mark.parametrize("item", _data()["items"], ids=lambda item: str(item["id"]))
def test_details_match_the_channel(item: dict[str, Any]) -> None:
    details = item["details"]
    kind = item["kind"]
    assert set(details) == DETAIL_KEYS[kind]
    if kind == "PROJECT_COOPERATION":
        pc = ProjectCooperation(
            stage=Stage(details["stage"]),
            trl=details["trl"],
            ip_status=IpStatus(details["ip_status"]),
            sought=tuple(CooperationMode(m) for m in details["sought"]),
            funding_sought_wan=details["funding_sought_wan"],
        )
        assert pc.trl in TRL_RANGE[pc.stage]
        assert pc.sought and len(set(pc.sought)) == len(pc.sought)
        assert pc.funding_sought_wan is None or pc.funding_sought_wan > 0
    elif kind == "PROJECT_LANDING":
        landing = ProjectLanding(
            cooperation_modes=tuple(CooperationMode(m) for m in details["cooperation_modes"]),
            budget_wan=details["budget_wan"],
            wanted_stage=Stage(details["wanted_stage"]),
        )
        assert landing.cooperation_modes
        assert landing.budget_wan is None or landing.budget_wan > 0
    elif kind == "JOB_SEEKING":
        seeking = JobSeeking(
            desired_role=details["desired_role"], work_mode=WorkMode(details["work_mode"])
        )
        assert seeking.desired_role
        assert item["degree"] in SEEKER_DEGREES
    else:
        recruitment = TalentRecruitment(
            positions=details["positions"],
            degree_required=Degree(details["degree_required"]),
            work_mode=WorkMode(details["work_mode"]),
        )
        assert isinstance(recruitment.positions, int) and recruitment.positions >= 1


def test_links_join_a_supply_to_its_counterpart() -> None:
    items = _items()
    seen: set[tuple[str, str]] = set()
    for link in _data()["links"]:
        assert set(link) == {"a", "b", "relevance"}
        assert link["relevance"] in (1, 2)
        a, b = items[link["a"]], items[link["b"]]
        assert a["kind"] in COUNTERPART, link
        assert b["kind"] == COUNTERPART[a["kind"]], link
        assert (link["a"], link["b"]) not in seen, link
        seen.add((link["a"], link["b"]))


def test_right_matches_are_one_to_one() -> None:
    right = _right()
    supplies = Counter(a["id"] for a, _ in right)
    demands = Counter(b["id"] for _, b in right)
    assert max(supplies.values()) == 1
    assert max(demands.values()) == 1


def test_counts() -> None:
    right = _right()
    assert len(right) >= 60
    clusters = {_cluster(a) for a, _ in right}
    assert len(clusters) >= 12
    jobs = [p for p in right if p[0]["kind"] == "JOB_SEEKING"]
    assert len(jobs) >= 15
    cross = [p for p in right if _is_cross(*p)]
    assert 2 * len(cross) >= len(right)
    assert len(_data()["no_answer"]) >= 8


def test_right_pairs_share_their_cluster() -> None:
    for a, b in _right():
        assert _cluster(a) == _cluster(b), (a["id"], b["id"])


def test_cross_lingual_pairs_share_no_latin_tokens() -> None:
    for a, b in _right():
        if _is_cross(a, b):
            shared = _latin_tokens(a) & _latin_tokens(b)
            assert not shared, (a["id"], b["id"], sorted(shared))


def test_no_answer_demands_have_no_right_match() -> None:
    items = _items()
    no_answer = _data()["no_answer"]
    assert len(set(no_answer)) == len(no_answer)
    matched = {b["id"] for _, b in _right()}
    for iid in no_answer:
        assert iid in items, iid
        assert items[iid]["kind"] in DEMAND_KINDS, iid
        assert iid not in matched, iid
    unmatched_demands = {
        i for i, item in items.items() if item["kind"] in DEMAND_KINDS and i not in matched
    }
    assert unmatched_demands == set(no_answer)


def test_hard_negatives_in_every_cluster() -> None:
    """Each right pair competes with 1-3 unlinked items of the same cluster, tagged as well."""
    items = list(_items().values())
    linked = _linked()
    for a, b in _right():
        wrong_demands = [
            d
            for d in items
            if d["kind"] == b["kind"]
            and _cluster(d) == _cluster(b)
            and (a["id"], d["id"]) not in linked
        ]
        assert 1 <= len(wrong_demands) <= 3, (a["id"], [d["id"] for d in wrong_demands])
        overlap = len(set(a["taxonomy_codes"]) & set(b["taxonomy_codes"]))
        assert any(
            len(set(a["taxonomy_codes"]) & set(d["taxonomy_codes"])) >= overlap
            for d in wrong_demands
        ), a["id"]
        wrong_supplies = [
            s
            for s in items
            if s["kind"] == a["kind"]
            and _cluster(s) == _cluster(a)
            and (s["id"], b["id"]) not in linked
        ]
        assert wrong_supplies, b["id"]


def test_right_project_pairs_mostly_fit_structurally() -> None:
    """Realistic details: most right pairs share a cooperation mode, not necessarily all."""
    projects = [(a, b) for a, b in _right() if a["kind"] == "PROJECT_COOPERATION"]
    fitting = [
        (a, b)
        for a, b in projects
        if set(a["details"]["sought"]) & set(b["details"]["cooperation_modes"])
    ]
    assert 5 * len(fitting) >= 4 * len(projects)
