"""One talent or organisation row read and validated: the details it gives, or every
problem of the row at once (cells that cannot be read and the profile's own rules), each
at the field path of the column to fix. Pure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from boyin_registry.imports.cells import Cells, key_of
from boyin_registry.imports.profile_columns import SLOTS
from boyin_registry.imports.spreadsheets import Row
from boyin_registry.profiles.domain import OrganisationDetails, TalentDetails
from boyin_registry.profiles.validation import (
    ContactInput,
    organisation_details,
    talent_details,
)
from boyin_registry.reference.domain import Reference
from boyin_shared.api.registry import Degree, OrganisationKind, PlatformLevel
from boyin_shared.errors import BoyinError, FieldError


@dataclass
class ProfileRow:
    """What a row says, validated (``details`` is None when it has problems)."""

    key: str | None
    details: OrganisationDetails | TalentDetails | None = None
    #: (notice version, purposes): what a new talent agreed to
    consent: tuple[str, tuple[str, ...]] = ("", ())
    problems: list[FieldError] = field(default_factory=list)
    #: per list (``contacts``, ``platforms``, ``team``), the numbered columns of its items
    slots: dict[str, list[int]] = field(default_factory=dict)


def _filled(c: Cells, stem: str, parts: tuple[str, ...]) -> list[int]:
    """The numbered columns of ``stem`` with any cell filled in."""
    return [
        i for i in range(1, SLOTS + 1) if any(c.text(f"{stem}_{i}_{p}") is not None for p in parts)
    ]


def _validated(
    row: ProfileRow, cells: Cells, validate: Callable[[], OrganisationDetails | TalentDetails]
) -> None:
    """Run the profile's validation; its problems join those of the cells."""
    try:
        details = validate()
    except BoyinError as exc:
        row.problems += [FieldError(cells.prefix + e.field, e.code, e.message) for e in exc.fields]
        return
    if not row.problems:
        row.details = details


def read_organisation(row: Row, ref: Reference, prefix: str) -> ProfileRow:
    c = Cells(row, prefix, paths=str)
    out = ProfileRow(key_of(c))
    # A cell that cannot be read stands in as a valid value, so that the rest of the row
    # is still checked and every problem reported at once (the row then fails anyway).
    kind = c.choice("kind", OrganisationKind, required=True) or OrganisationKind.ENTERPRISE
    district = c.required("district_code") or ""
    credit = c.required("credit_code") or ""
    platforms = _filled(c, "platform", ("level", "name"))
    levels = [
        c.choice(f"platform_{i}_level", PlatformLevel, required=True) or PlatformLevel.MUNICIPAL
        for i in platforms
    ]
    names = [c.required(f"platform_{i}_name") or "-" for i in platforms]
    contacts = _filled(c, "contact", ("name", "email", "phone", "role"))
    out.slots = {"platforms": platforms, "contacts": contacts}
    out.problems = c.problems

    def validate() -> OrganisationDetails:
        return organisation_details(
            name_zh=c.text("name_zh"),
            name_en=c.text("name_en"),
            kind=kind,
            district_code=district,
            credit_code_value=credit,
            platforms=list(zip(levels, names, strict=True)),
            taxonomy_codes=c.items("taxonomy_codes"),
            description_zh=c.text("description_zh"),
            description_en=c.text("description_en"),
            contacts=[
                ContactInput(
                    c.text(f"contact_{i}_name") or "",
                    c.text(f"contact_{i}_email"),
                    c.text(f"contact_{i}_phone"),
                    c.text(f"contact_{i}_role"),
                )
                for i in contacts
            ],
            ref=ref,
        )

    _validated(out, c, validate)
    return out


def read_talent(row: Row, ref: Reference, prefix: str, *, new: bool) -> ProfileRow:
    """A talent row; ``new``: it registers a talent, so the consent is checked too."""
    c = Cells(row, prefix, paths=str)
    out = ProfileRow(key_of(c))
    degree = c.choice("degree", Degree, required=True) or Degree.PHD
    country = c.required("country") or "CN"
    timezone = c.required("timezone") or "Asia/Shanghai"
    team = _filled(c, "team", ("name", "role"))
    out.slots = {"team": team}
    out.consent = (c.text("consent_notice_version") or "", c.items("consent_purposes"))
    out.problems = c.problems

    def validate() -> TalentDetails:
        return talent_details(
            name_zh=c.text("name_zh"),
            name_en=c.text("name_en"),
            degree=degree,
            field_zh=c.text("field_zh"),
            field_en=c.text("field_en"),
            institution_zh=c.text("institution_zh"),
            institution_en=c.text("institution_en"),
            country=country,
            location=c.text("location") or "",
            timezone=timezone,
            languages=c.items("languages"),
            contact=ContactInput(
                c.text("contact_name") or "",
                c.text("contact_email"),
                c.text("contact_phone"),
                c.text("contact_role"),
            ),
            team=[(c.text(f"team_{i}_name") or "", c.text(f"team_{i}_role") or "") for i in team],
            taxonomy_codes=c.items("taxonomy_codes"),
            consent=out.consent if new else None,
            ref=ref,
        )

    _validated(out, c, validate)
    return out
