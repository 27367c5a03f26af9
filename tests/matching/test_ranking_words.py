"""Shared terms shown as whole words: the fragments reported from outside ("…固态, 储能,
态电") become the words they are pieces of, or go."""

from __future__ import annotations

from boyin_matching.ranking import lexical
from boyin_matching.ranking.words import common_spans, shown, whole_words


def counted(a: str, b: str) -> list[str]:
    """The shared terms as the lexical signal counts them (the strongest first)."""
    vocabulary = lexical.Vocabulary()
    ta, tb = lexical.tokens(a), lexical.tokens(b)
    vocabulary.add(ta)
    vocabulary.add(tb)
    return lexical.shared_terms(vocabulary.weights(ta), vocabulary.weights(tb))


def test_the_reported_fragments_become_whole_words() -> None:
    a = "半固态电池储能系统，循环寿命超过8000次。"
    b = "园区建设固态电池和储能电站，寻求合作。"
    terms = counted(a, b)
    assert "态电" in terms  # the lexical signal counts the piece ...
    out = shown(terms, a, b)
    assert set(out) == {"固态电池", "储能"}  # ... a person reads the words
    assert shown(terms, b, a) == out


def test_overlapping_pieces_merge_into_the_longest_span_both_texts_have() -> None:
    a = "退役动力电池梯次利用快速检测"
    b = "对退役动力电池进行梯次利用与快速检测评估"
    out = shown(counted(a, b), a, b)
    assert "退役动力电池" in out
    assert "梯次利用" in out
    assert not any(piece in out for piece in ("役动", "次利", "力电", "动力", "电池"))


def test_a_piece_of_a_word_in_no_common_word_is_not_shown() -> None:
    """态电 of 固态电池 against 液态电解质: both texts have the characters, neither the word."""
    assert shown(["态电"], "固态电池", "液态电解质") == ()
    assert shown(["态电", "电池"], "固态电池", "液态电解质锂电池") == ("电池",)


def test_a_one_character_word_must_be_whole_in_both_texts() -> None:
    """口服/缓/控释 against 口服/缓释: 口服缓 is in both, but cuts 缓释 in two."""
    a, b = "难溶药物口服缓释制剂", "口服缓控释制剂的一致性评价"
    assert shown(["口服", "服缓"], a, b) == ("口服",)
    assert "口服缓" not in common_spans(b, a)


def test_function_words_are_left_out_at_the_ends() -> None:
    a, b = "固态电池的储能", "固态电池的测试"
    assert shown(["固态", "池的"], a, b) == ("固态电池",)


def test_whole_words_follow_the_segmentation() -> None:
    assert whole_words("固态电池", "半固态电池储能")  # 半 / 固态 / 电池 / 储能
    assert not whole_words("态电", "半固态电池储能")
    assert not whole_words("储能", "没有")


def test_latin_terms_are_whole_words_as_written() -> None:
    a = "4D imaging radar with LiDAR fusion, 12 channels"
    b = "We need lidar and radar fusion for 12 trucks"
    terms = counted(a, b)
    assert {"lidar", "radar", "fusion", "12"} <= set(terms)
    out = shown(terms, a, b)
    assert set(out) == {"LiDAR", "radar", "fusion"}  # a bare number is no term
    assert shown(terms, b, a)[0] in {"lidar", "radar", "fusion"}  # the first text's spelling


def test_no_term_is_part_of_another() -> None:
    a = "激光雷达与雷达标定"
    b = "车载激光雷达和雷达标定"
    out = shown(counted(a, b), a, b)
    assert out
    assert not [x for x in out for y in out if x != y and x in y]
