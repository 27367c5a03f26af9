"""Small integer and bit encodings of the categorical facts, shared by the vectorised
scorer and the per-pair explanations."""

from __future__ import annotations

from collections.abc import Iterable

STAGES = ("IDEA", "PROTOTYPE", "PILOT", "PRODUCT")
MODES = ("TECH_TRANSFER", "JOINT_RD", "INVESTMENT", "INCUBATION", "OFFSHORE_RD")
WORK_MODES = ("FULL_TIME", "PART_TIME", "FLEXIBLE")
DEGREES = {"PHD_CANDIDATE": 1, "PHD": 2, "POSTDOC": 3, "POSTDOC_IN_STATION": 3}
SUPPLIER_CRITERIA = (
    "BOTTLENECK_TECHNOLOGY",
    "TRANSFER_INTENTION",
    "INNOVATION_PROJECT",
    "FINANCING_INTENTION",
    "OFFSHORE_EXPERIENCE",
    "CHONGQING_INTENTION",
)
DEMANDER_CRITERIA = (
    "FACILITIES_SCENARIOS",
    "KEY_PLATFORMS",
    "INCUBATION_CAPABILITY",
    "INVESTMENT_CAPABILITY",
    "SUPPORT_POLICIES",
    "COOPERATION_INTENTION",
)
LANGUAGES = ("zh", "en")


def index_of(value: object, options: tuple[str, ...]) -> int:
    """Position of ``value`` in ``options``; -1 when absent or unknown."""
    return options.index(value) if isinstance(value, str) and value in options else -1


def bits(values: Iterable[object], options: tuple[str, ...]) -> int:
    out = 0
    for v in values:
        if isinstance(v, str) and v in options:
            out |= 1 << options.index(v)
    return out


def edition_bits(editions: Iterable[str], known: dict[str, int]) -> int:
    out = 0
    for e in editions:
        if e not in known:
            known[e] = len(known)
        out |= 1 << (known[e] % 63)
    return out
