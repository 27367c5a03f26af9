"""The pool's API models (``boyin_shared.api.matching``) from its domain."""

from __future__ import annotations

from boyin_matching.pool.domain import Counterpart, DistrictSupply
from boyin_shared.api.matching import CounterpartOut, DistrictSupplyOut


def counterpart_out(c: Counterpart) -> CounterpartOut:
    return CounterpartOut(
        id=c.id,
        kind=c.kind,
        name_zh=c.name_zh,
        name_en=c.name_en,
        district_code=c.district_code,
        taxonomy_codes=list(c.taxonomy_codes),
        revision=c.revision,
    )


def district_supply_out(s: DistrictSupply) -> DistrictSupplyOut:
    return DistrictSupplyOut(district_code=s.id, organisations=s.organisations)
