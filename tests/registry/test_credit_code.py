"""The unified social credit code (GB 32100-2015) check, against an independent reference."""

from __future__ import annotations

import random

import pytest

from boyin_registry.profiles.credit_code import ALPHABET, check_character, normalise, problem

# GB 32100-2015, table of code characters and their values (I, O, S, V, Z are not used).
_VALUES = {str(d): d for d in range(10)} | {
    letter: value for value, letter in enumerate("ABCDEFGHJKLMNPQRTUWXY", start=10)
}
_CHARACTERS = {value: letter for letter, value in _VALUES.items()}


def reference_check(first17: str) -> str:
    """Independent check character: weights are 3**i mod 31, C18 = 31 - (sum mod 31)."""
    total = sum(_VALUES[c] * pow(3, i, 31) for i, c in enumerate(first17))
    return _CHARACTERS[(31 - total % 31) % 31]


# Published codes; each check character below was recomputed with reference_check.
PUBLIC = [
    "91350100M000100Y43",  # the worked example of GB 32100-2015
    "914403001922038216",  # Huawei Technologies Co., Ltd. (Shenzhen)
    "91440300708461136T",  # Shenzhen Tencent Computer Systems Co., Ltd.
]


def built(division: str = "500103", organisation: str = "MA5U12345") -> str:
    body = "91" + division + organisation
    assert len(body) == 17
    return body + check_character(body)


def test_the_code_alphabet_is_the_standard_one() -> None:
    assert len(ALPHABET) == 31
    assert {c: i for i, c in enumerate(ALPHABET)} == _VALUES
    assert not set("IOSVZ") & set(ALPHABET)


@pytest.mark.parametrize("code", PUBLIC)
def test_published_codes_are_valid(code: str) -> None:
    assert reference_check(code[:17]) == code[17]
    assert check_character(code[:17]) == code[17]
    assert problem(code) is None


def test_check_character_agrees_with_the_reference_on_random_codes() -> None:
    rng = random.Random(32100)
    for _ in range(2000):
        body = (
            rng.choice("159ABCDEFGNY")
            + rng.choice("0123456789")
            + "".join(rng.choice("0123456789") for _ in range(6))
            + "".join(rng.choice(ALPHABET) for _ in range(9))
        )
        expected = reference_check(body)
        assert check_character(body) == expected
        assert problem(body + expected) is None


@pytest.mark.parametrize(
    ("division", "organisation"),
    [
        ("500103", "MA5U12345"),  # 渝中区
        ("500112", "MA60ABCDE"),  # 渝北区
        ("500243", "202863201"),  # 彭水县, an old-style nine-digit organisation code
        ("500000", "MA00000XY"),
    ],
)
def test_codes_built_with_check_character_are_valid(division: str, organisation: str) -> None:
    code = built(division, organisation)
    assert code[17] == reference_check(code[:17])
    assert problem(code) is None


@pytest.mark.parametrize("length", [0, 1, 17, 19, 36])
def test_wrong_length_is_refused(length: int) -> None:
    code = (PUBLIC[0] * 2)[:length]
    assert problem(code) == f"must be 18 characters, got {length}"


@pytest.mark.parametrize("letter", list("IOSVZ"))
@pytest.mark.parametrize("position", [0, 9, 12, 17])
def test_letters_never_used_are_refused(letter: str, position: int) -> None:
    code = built()
    code = code[:position] + letter + code[position + 1 :]
    why = problem(code)
    assert why is not None
    assert why.startswith(f"characters not allowed: {letter}")


def test_every_refused_character_is_listed_once() -> None:
    why = problem("91500103MA5U1SOO-Z")
    assert why is not None
    assert why.startswith("characters not allowed: -OSZ ")


def test_lower_case_is_refused_until_normalised() -> None:
    lower = PUBLIC[0].lower()
    assert problem(lower) is not None
    assert problem(normalise(f"  {lower}\t")) is None


@pytest.mark.parametrize("position", range(2, 8))
def test_division_code_must_be_digits(position: int) -> None:
    body = list("91500103MA5U12345")
    body[position] = "A"
    first17 = "".join(body)
    code = first17 + check_character(first17)  # the check character itself is right
    assert problem(code) == "characters 3 to 8 must be the administrative division code (digits)"


def test_wrong_check_character_is_refused_with_the_expected_one() -> None:
    code = built()
    right = code[17]
    wrong = [c for c in ALPHABET if c != right]
    assert len(wrong) == 30
    for c in wrong:
        assert problem(code[:17] + c) == f"check character should be {right}, got {c}"


def test_any_single_substitution_is_detected() -> None:
    code = PUBLIC[0]
    for position in range(17):
        choices = "0123456789" if 2 <= position < 8 else ALPHABET
        for c in choices:
            if c == code[position]:
                continue
            altered = code[:position] + c + code[position + 1 :]
            assert problem(altered) is not None, altered


def test_check_character_needs_exactly_17_characters() -> None:
    with pytest.raises(ValueError, match="zip"):
        check_character(PUBLIC[0][:16])
    with pytest.raises(ValueError, match="zip"):
        check_character(PUBLIC[0])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("91350100m000100y43", "91350100M000100Y43"),
        ("  91350100M000100Y43\n", "91350100M000100Y43"),
        ("\t914403001922038216 ", "914403001922038216"),
        ("9144 0300", "9144 0300"),  # inner spaces are kept, so the length check refuses them
        ("", ""),
    ],
)
def test_normalise_trims_and_upper_cases(raw: str, expected: str) -> None:
    assert normalise(raw) == expected
