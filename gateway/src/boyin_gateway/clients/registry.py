"""The registry's client: organisations, talents, demands, reference data, privacy, files
and imports (:class:`Registry`, and its HTTP implementation :class:`RegistryClient`)."""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import TypeAdapter

from boyin_gateway.clients.base import Downstream, FilePart, ServiceClient, ServiceError, seg
from boyin_gateway.dto import (
    AttachmentDto,
    AuditEntryDto,
    CriterionDto,
    DemandDto,
    DemandPageDto,
    ImportDto,
    NamedDto,
    NoticeDto,
    OrganisationDto,
    OrganisationPageDto,
    TalentDto,
    TalentPageDto,
    TaxonomyDto,
)


class Registry(Downstream, Protocol):
    """The registry service as resolvers use it: profiles, demands, reference data, privacy, files."""

    async def organisation(self, org_id: str) -> OrganisationDto | None: ...

    async def organisations(
        self, *, district_code: str | None, after: str | None, limit: int
    ) -> OrganisationPageDto: ...

    async def register_organisation(self, body: dict[str, Any]) -> OrganisationDto: ...

    async def organisations_by_id(self, ids: list[str]) -> list[OrganisationDto]: ...

    async def talents_by_id(self, ids: list[str]) -> list[TalentDto]: ...

    async def register_talent(self, body: dict[str, Any]) -> TalentDto: ...

    async def demand(self, demand_id: str) -> DemandDto | None: ...

    async def demands(self, params: dict[str, Any]) -> DemandPageDto: ...

    async def create_demand(self, body: dict[str, Any]) -> DemandDto: ...

    async def edit_demand(self, demand_id: str, body: dict[str, Any]) -> DemandDto: ...

    async def demand_action(
        self, demand_id: str, action: str, body: dict[str, Any] | None = None
    ) -> DemandDto: ...

    async def talent(self, talent_id: str) -> TalentDto | None: ...

    async def update_organisation(self, org_id: str, body: dict[str, Any]) -> OrganisationDto: ...

    async def expire_due(self) -> int: ...

    # -- reference data ------------------------------------------------------------------

    async def districts(self) -> list[NamedDto]: ...

    async def editions(self) -> list[NamedDto]: ...

    async def criteria(self) -> list[CriterionDto]: ...

    async def taxonomy(self) -> TaxonomyDto: ...

    async def add_taxonomy_code(self, body: dict[str, Any]) -> None: ...

    async def rename_taxonomy_code(self, code: str, body: dict[str, Any]) -> None: ...

    async def retire_taxonomy_code(self, code: str) -> None: ...

    # -- privacy -------------------------------------------------------------------------

    async def privacy_notice(self) -> NoticeDto: ...

    async def personal_data(self, talent_id: str) -> dict[str, Any]: ...

    async def erase_talent(self, talent_id: str) -> TalentDto: ...

    async def audit_of(self, party_id: str) -> list[AuditEntryDto]: ...

    # -- files and imports ---------------------------------------------------------------

    async def upload_attachment(self, file: FilePart) -> AttachmentDto: ...

    async def start_import(self, file: FilePart) -> ImportDto: ...

    async def import_job(
        self, job_id: str, *, errors_offset: int, errors_limit: int
    ) -> ImportDto: ...

    async def resume_import(self, job_id: str) -> ImportDto: ...


_NAMED_LIST = TypeAdapter(list[NamedDto])
_CRITERIA = TypeAdapter(list[CriterionDto])
_AUDIT = TypeAdapter(list[AuditEntryDto])


class RegistryClient(ServiceClient):
    """:class:`Registry` over HTTP."""

    async def organisation(self, org_id: str) -> OrganisationDto | None:
        try:
            return OrganisationDto.model_validate(
                await self.request("GET", f"/organisations/{seg(org_id)}")
            )
        except ServiceError as exc:
            if exc.status == 404:
                return None
            raise

    async def organisations(
        self, *, district_code: str | None, after: str | None, limit: int
    ) -> OrganisationPageDto:
        params: dict[str, str | int] = {"limit": limit}
        if district_code:
            params["district_code"] = district_code
        if after:
            params["after"] = after
        return OrganisationPageDto.model_validate(
            await self.request("GET", "/organisations", params=params)
        )

    async def register_organisation(self, body: dict[str, Any]) -> OrganisationDto:
        return OrganisationDto.model_validate(
            await self.request("POST", "/organisations", json=body)
        )

    async def organisations_by_id(self, ids: list[str]) -> list[OrganisationDto]:
        body = await self.request("GET", "/organisations", params={"ids": ids})
        return OrganisationPageDto.model_validate(body).items

    async def talents_by_id(self, ids: list[str]) -> list[TalentDto]:
        return TalentPageDto.model_validate(
            await self.request("GET", "/talents", params={"ids": ids})
        ).items

    async def register_talent(self, body: dict[str, Any]) -> TalentDto:
        return TalentDto.model_validate(await self.request("POST", "/talents", json=body))

    async def demand(self, demand_id: str) -> DemandDto | None:
        try:
            return DemandDto.model_validate(await self.request("GET", f"/demands/{seg(demand_id)}"))
        except ServiceError as exc:
            if exc.status == 404:
                return None
            raise

    async def demands(self, params: dict[str, Any]) -> DemandPageDto:
        clean = {k: v for k, v in params.items() if v is not None}
        return DemandPageDto.model_validate(await self.request("GET", "/demands", params=clean))

    async def create_demand(self, body: dict[str, Any]) -> DemandDto:
        return DemandDto.model_validate(await self.request("POST", "/demands", json=body))

    async def edit_demand(self, demand_id: str, body: dict[str, Any]) -> DemandDto:
        return DemandDto.model_validate(
            await self.request("PUT", f"/demands/{seg(demand_id)}", json=body)
        )

    async def demand_action(
        self, demand_id: str, action: str, body: dict[str, Any] | None = None
    ) -> DemandDto:
        return DemandDto.model_validate(
            await self.request("POST", f"/demands/{seg(demand_id)}/{action}", json=body or {})
        )

    async def talent(self, talent_id: str) -> TalentDto | None:
        try:
            return TalentDto.model_validate(await self.request("GET", f"/talents/{seg(talent_id)}"))
        except ServiceError as exc:
            if exc.status == 404:
                return None
            raise

    async def update_organisation(self, org_id: str, body: dict[str, Any]) -> OrganisationDto:
        return OrganisationDto.model_validate(
            await self.request("PUT", f"/organisations/{seg(org_id)}", json=body)
        )

    async def expire_due(self) -> int:
        body = await self.request("POST", "/demands/expire-due")
        return int(body["expired"])

    # -- reference data ------------------------------------------------------------------

    async def districts(self) -> list[NamedDto]:
        return _NAMED_LIST.validate_python(await self.request("GET", "/reference/districts"))

    async def editions(self) -> list[NamedDto]:
        return _NAMED_LIST.validate_python(await self.request("GET", "/reference/editions"))

    async def criteria(self) -> list[CriterionDto]:
        return _CRITERIA.validate_python(await self.request("GET", "/reference/criteria"))

    async def taxonomy(self) -> TaxonomyDto:
        return TaxonomyDto.model_validate(await self.request("GET", "/reference/taxonomy"))

    async def add_taxonomy_code(self, body: dict[str, Any]) -> None:
        await self.request("POST", "/reference/taxonomy", json=body)

    async def rename_taxonomy_code(self, code: str, body: dict[str, Any]) -> None:
        await self.request("PUT", f"/reference/taxonomy/{seg(code)}", json=body)

    async def retire_taxonomy_code(self, code: str) -> None:
        await self.request("POST", f"/reference/taxonomy/{seg(code)}/retire")

    # -- privacy -------------------------------------------------------------------------

    async def privacy_notice(self) -> NoticeDto:
        return NoticeDto.model_validate(await self.request("GET", "/privacy/notice"))

    async def personal_data(self, talent_id: str) -> dict[str, Any]:
        body: dict[str, Any] = await self.request("GET", f"/talents/{seg(talent_id)}/personal-data")
        return body

    async def erase_talent(self, talent_id: str) -> TalentDto:
        return TalentDto.model_validate(await self.request("DELETE", f"/talents/{seg(talent_id)}"))

    async def audit_of(self, party_id: str) -> list[AuditEntryDto]:
        body = await self.request("GET", f"/parties/{seg(party_id)}/audit")
        return _AUDIT.validate_python(body)

    # -- files and imports ---------------------------------------------------------------

    async def upload_attachment(self, file: FilePart) -> AttachmentDto:
        return AttachmentDto.model_validate(
            await self.request("POST", "/attachments", files={"file": file})
        )

    async def start_import(self, file: FilePart) -> ImportDto:
        return ImportDto.model_validate(
            await self.request("POST", "/imports", files={"file": file})
        )

    async def import_job(self, job_id: str, *, errors_offset: int, errors_limit: int) -> ImportDto:
        params = {"errors_offset": errors_offset, "errors_limit": errors_limit}
        return ImportDto.model_validate(
            await self.request("GET", f"/imports/{seg(job_id)}", params=params)
        )

    async def resume_import(self, job_id: str) -> ImportDto:
        return ImportDto.model_validate(
            await self.request("POST", f"/imports/{seg(job_id)}/resume")
        )
