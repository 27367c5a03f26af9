"""The taxonomy tree: closeness of codes, the best pair across two sets, groups and systems,
and the chain cache."""

from __future__ import annotations

import pytest

from boyin_matching.ranking.taxonomy import TaxonomyTree
from tests.matching.test_ranking_support import tree


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("C33-L1", "C33-L1", 1.0),  # same code
        ("C33-L1", "C33-L2", 0.6),  # both leading clusters
        ("C33-L", "C33-L1", 0.6),  # a group-level code is in its own group
        ("C33-L1", "C33-P2", 0.25),  # leading vs pillar: same "33618" system only
        ("C33-N02", "C33-F5", 0.25),
        ("C33", "C33-L1", 0.25),  # the system root itself
        ("T416-DI", "T416-LH", 0.25),  # two groups of the "416" layout
        ("C33-L1", "T416-DI", 0.0),  # different systems
        ("C33", "T416", 0.0),
        ("UNKNOWN-1", "UNKNOWN-1", 1.0),  # unknown codes match themselves
        ("UNKNOWN-1", "UNKNOWN-2", 0.0),
        ("UNKNOWN-1", "C33-L1", 0.0),
        ("C33-L1", "UNKNOWN-1", 0.0),
    ],
)
def test_closeness(a: str, b: str, expected: float) -> None:
    t = tree()
    assert t.closeness(a, b) == expected
    assert t.closeness(b, a) == expected


def test_a_parent_never_announced_acts_as_the_system_root() -> None:
    t = TaxonomyTree()
    t.set("child", "ghost-parent", "子", "child")
    t.set("sibling", "ghost-parent", "兄", "sibling")
    assert t.root_of("child") == "ghost-parent"
    assert t.closeness("child", "sibling") == 0.25
    # the ghost itself is an unknown code: it only matches itself
    assert t.closeness("child", "ghost-parent") == 0.0
    assert t.closeness("ghost-parent", "ghost-parent") == 1.0


def test_best_picks_the_closest_pair_across_the_sets() -> None:
    t = tree()
    assert t.best(["C33-P2", "C33-L1"], ["T416-DI", "C33-L3"]) == (0.6, "C33-L1", "C33-L3")
    assert t.best(["C33-P2", "C33-L1"], ["C33-F5", "C33-L1"]) == (1.0, "C33-L1", "C33-L1")
    assert t.best(["C33-P2"], ["C33-F5"]) == (0.25, "C33-P2", "C33-F5")
    # generators are fine on both sides (the right one is consumed once per left code)
    assert t.best(iter(["C33-L1", "C33-L2"]), iter(["C33-L2"])) == (1.0, "C33-L2", "C33-L2")


def test_best_keeps_the_first_of_equally_close_pairs() -> None:
    t = tree()
    assert t.best(["C33-L1", "C33-L2"], ["C33-L3", "C33-L1"]) == (1.0, "C33-L1", "C33-L1")
    assert t.best(["C33-L1"], ["C33-L2", "C33-L3"]) == (0.6, "C33-L1", "C33-L2")


@pytest.mark.parametrize(
    ("left", "right"),
    [([], ["C33-L1"]), (["C33-L1"], []), (["C33-L1"], ["T416-GL"]), (["X"], ["Y"])],
)
def test_best_without_any_closeness_names_no_codes(left: list[str], right: list[str]) -> None:
    assert tree().best(left, right) == (0.0, None, None)


@pytest.mark.parametrize(
    ("code", "group", "root"),
    [
        ("C33-L1", "C33-L", "C33"),
        ("C33-N18", "C33-N", "C33"),
        ("C33-F", "C33-F", "C33"),
        ("C33", "C33", "C33"),
        ("T416-NM", "T416-NM", "T416"),
        ("NOT-A-CODE", "NOT-A-CODE", "NOT-A-CODE"),
    ],
)
def test_group_of_and_root_of(code: str, group: str, root: str) -> None:
    t = tree()
    assert t.group_of(code) == group
    assert t.root_of(code) == root


def test_chain_is_nearest_first_and_survives_a_cycle() -> None:
    t = tree()
    assert t.chain("C33-L1") == ["C33-L1", "C33-L", "C33"]
    t.set("a", "b", "甲", "a")
    t.set("b", "a", "乙", "b")
    assert t.chain("a") == ["a", "b"]


def test_set_invalidates_the_chain_cache() -> None:
    t = TaxonomyTree()
    t.set("sys", None, "体系", "system")
    t.set("g1", "sys", "组一", "group one")
    t.set("g2", "sys", "组二", "group two")
    t.set("leaf", "g1", "叶", "leaf")
    t.set("other", "g2", "另", "other")
    assert t.chain("leaf") == ["leaf", "g1", "sys"]
    assert t.group_of("leaf") == "g1"
    assert t.closeness("leaf", "other") == 0.25
    # move the leaf to the other group: cached chains must not survive
    t.set("leaf", "g2", "叶", "leaf")
    assert t.chain("leaf") == ["leaf", "g2", "sys"]
    assert t.group_of("leaf") == "g2"
    assert t.closeness("leaf", "other") == 0.6
    # re-parenting an ancestor changes the chains of its descendants too
    t.set("top", None, "顶", "top")
    t.set("sys", "top", "体系", "system")
    assert t.chain("other") == ["other", "g2", "sys", "top"]
    assert t.root_of("other") == "top"
    assert t.group_of("other") == "sys"


def test_names_fall_back_to_the_code() -> None:
    t = tree()
    assert t.name("C33-L1", "zh") == "智能网联新能源汽车"
    assert t.name("C33-L1", "en") == "Intelligent connected new-energy vehicles"
    assert t.name("NOPE", "zh") == "NOPE"
    assert t.name("NOPE", "en") == "NOPE"
