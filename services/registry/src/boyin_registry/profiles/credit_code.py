"""China's unified social credit code (统一社会信用代码, GB 32100-2015).

18 characters: registration authority, organisation type, 6-digit administrative
division, 9-character organisation code, and a check character over the first 17.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def problem(code: str) -> str | None:
    """Why ``code`` is not a valid credit code (English), or None if it is."""
    if len(code) != 18:
        return f"must be 18 characters, got {len(code)}"
    bad = sorted({c for c in code if c not in ALPHABET})
    if bad:
        return f"characters not allowed: {''.join(bad)} (I, O, S, V and Z are never used)"
    if not code[2:8].isdigit():
        return "characters 3 to 8 must be the administrative division code (digits)"
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"check character should be {expected}, got {code[17]}"
    return None


def normalise(code: str) -> str:
    return code.strip().upper()
