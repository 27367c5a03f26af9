"""Importing talent and organisation rows, one row at a time (a district's file holds a
few hundred of them, not the thousands of demands that :mod:`.batches` reads together).

A row's key ``{scope}:{kind}:{key}`` is bound to its profile's id in the imports' store; a
key that is a profile id of the file's kind names that profile (so an export comes back
to itself). A new profile's id is chosen and its key bound to it before the profile is
written: an import that stopped in between leaves the key bound to an id without a
profile, and the next import of the row registers the profile under that very id, so a
row never registers its profile twice (this is what makes a resumed job safe).
"""

from __future__ import annotations

from collections.abc import Sequence

from boyin_registry.imports.domain import CellError, Outcome, RowResult, scope_of
from boyin_registry.imports.profile_cells import ProfileRow, read_organisation, read_talent
from boyin_registry.imports.profile_columns import column_of
from boyin_registry.imports.repository import ImportJobs
from boyin_registry.imports.spreadsheets import Row, Sheet
from boyin_registry.profiles.domain import (
    Organisation,
    OrganisationDetails,
    Talent,
    TalentDetails,
)
from boyin_registry.profiles.service import Profiles
from boyin_registry.reference.domain import Reference
from boyin_shared.api.registry import ImportKind
from boyin_shared.clock import new_id
from boyin_shared.errors import BoyinError, FieldError, Message
from boyin_shared.identity import Actor, Role

_ID_PREFIX = {ImportKind.TALENTS: "tal_", ImportKind.ORGANISATIONS: "org_"}


def _out_of_district(prefix: str, district: str | None) -> FieldError:
    return FieldError(
        prefix + "district_code",
        "OUT_OF_DISTRICT",
        Message(
            f"区县工作人员只能导入本区县（{district}）的单位",
            f"a district officer imports organisations of {district} only",
        ),
    )


class ProfileRowImporter:
    """Imports the talent or organisation rows of one file for one actor."""

    def __init__(
        self,
        profiles: Profiles,
        jobs: ImportJobs,
        reference: Reference,
        actor: Actor,
        sheet: Sheet,
    ) -> None:
        self.profiles = profiles
        self.jobs = jobs
        #: the current reference data (the caller refreshes it between batches)
        self.reference = reference
        self.actor = actor
        self.scope = scope_of(actor)
        self.sheet = sheet
        self.kind = sheet.layout.kind

    async def look_up(self, rows: Sequence[Row]) -> None:
        """Nothing to read ahead: each row is looked up on its own."""

    async def run(self, rows: Sequence[Row]) -> list[RowResult]:
        return [await self._row(row) for row in rows]

    async def _row(self, row: Row) -> RowResult:
        prefix = f"rows.{row.number}."
        read, outcome = ProfileRow(row.key), Outcome.FAILED
        try:
            read, outcome = await self._imported(row, prefix)
        except BoyinError as exc:
            read.problems = exc.fields or [
                FieldError(prefix + "external_ref", exc.code, exc.message)
            ]
        errors = tuple(self._located(p, prefix, read) for p in read.problems)
        return RowResult(row.number, row.key, Outcome.FAILED if errors else outcome, errors)

    def _located(self, problem: FieldError, prefix: str, read: ProfileRow) -> CellError:
        path = problem.field.removeprefix(prefix)
        key = column_of(path, self.sheet.layout, read.slots)
        column = self.sheet.header(key) if key else None
        return CellError(column, prefix + path, problem.code, problem.message)

    async def _existing(
        self, ref: str, key: str
    ) -> tuple[str | None, Talent | Organisation | None]:
        """The id the key is bound to (or names) and its profile, if registered."""
        bound = await self.jobs.bound_profile(ref)
        named = key if key.startswith(_ID_PREFIX[self.kind]) else None
        if bound is None and named and self.kind is ImportKind.TALENTS and not self.actor.is_staff:
            # talents have no district: a district officer changes only those its own
            # district's imports registered, by the keys it used
            raise BoyinError(
                code="FORBIDDEN",
                message=Message(
                    "区县工作人员只能用本区县导入时的外部编号修改人才",
                    "a district officer changes only the talents its district imported, "
                    "by the keys it used",
                ),
                status=403,
            )
        wanted = bound or named
        if wanted is None:
            return None, None
        profile: Talent | Organisation | None = None
        if self.kind is ImportKind.TALENTS:
            talent = await self.profiles.talents.get(wanted)
            profile = talent.aggregate if talent else None
        else:
            org = await self.profiles.organisations.get(wanted)
            profile = org.aggregate if org else None
        if profile is None:
            return bound, None  # a key bound by an import that stopped before registering
        return profile.id, profile

    async def _imported(self, row: Row, prefix: str) -> tuple[ProfileRow, Outcome]:
        if not row.key:
            return self._read(row, prefix, new=True), Outcome.FAILED
        ref = self._ref(row.key)
        profile_id, existing = await self._existing(ref, row.key)
        read = self._read(row, prefix, new=existing is None)
        if isinstance(read.details, OrganisationDetails):
            district = self.actor.district_code
            if self.actor.role is Role.DISTRICT_OFFICER and read.details.district_code != district:
                read.problems.append(_out_of_district(prefix, district))
        if read.problems or read.details is None:
            return read, Outcome.FAILED
        if existing is not None:
            if existing.details == read.details:
                return read, Outcome.UNCHANGED
            await self._update(existing.id, read.details)
            await self.jobs.bind_profile(ref, existing.id)
            return read, Outcome.UPDATED
        chosen = profile_id or new_id(_ID_PREFIX[self.kind])
        chosen = await self.jobs.bind_profile(ref, chosen)
        await self._register(chosen, read)
        # its id is a key of this scope too (exports write it): the scope may re-import it
        await self.jobs.bind_profile(self._ref(chosen), chosen)
        return read, Outcome.CREATED

    def _ref(self, key: str) -> str:
        return f"{self.scope}:{self.kind.value}:{key}"

    def _read(self, row: Row, prefix: str, *, new: bool) -> ProfileRow:
        if self.kind is ImportKind.TALENTS:
            return read_talent(row, self.reference, prefix, new=new)
        return read_organisation(row, self.reference, prefix)

    async def _update(self, profile_id: str, details: OrganisationDetails | TalentDetails) -> None:
        if isinstance(details, TalentDetails):
            await self.profiles.update_talent(self.actor, profile_id, details)
        else:
            await self.profiles.update_organisation(self.actor, profile_id, details)

    async def _register(self, profile_id: str, read: ProfileRow) -> None:
        if isinstance(read.details, TalentDetails):
            await self.profiles.register_talent(
                self.actor, read.details, read.consent, talent_id=profile_id
            )
        elif isinstance(read.details, OrganisationDetails):
            await self.profiles.register_organisation(self.actor, read.details, org_id=profile_id)
