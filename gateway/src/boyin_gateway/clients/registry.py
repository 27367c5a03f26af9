"""The registry's client: organisations, talents, demands, reference data, privacy,
notifications, files and imports (:class:`Registry`, and its HTTP implementation :class:`RegistryClient`)."""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import TypeAdapter

from boyin_gateway.clients.base import Downstream, FilePart, ServiceClient, ServiceError, seg
from boyin_shared.api.registry import (
    AttachmentOut,
    AuditEntryOut,
    CriterionOut,
    DemandOut,
    DemandScreeningOut,
    ImportKind,
    ImportOut,
    MailOut,
    NamedOut,
    NoticeOut,
    OrganisationOut,
    Page,
    PreferencesOut,
    TalentOut,
    TaxonomyOut,
    UnsubscribeOut,
)


class Registry(Downstream, Protocol):
    """The registry service as resolvers use it: profiles, demands, reference data, privacy, files."""

    async def organisation(self, org_id: str) -> OrganisationOut | None: ...

    async def organisations(
        self, *, district_code: str | None, after: str | None, limit: int
    ) -> Page[OrganisationOut]: ...

    async def register_organisation(self, body: dict[str, Any]) -> OrganisationOut: ...

    async def organisations_by_id(
        self, ids: list[str], *, contacts: bool = False
    ) -> list[OrganisationOut]:
        """Those of ``ids`` the caller may see; with ``contacts``, their contact details
        where the caller may see them (the registry logs each disclosure)."""
        ...

    async def talents_by_id(self, ids: list[str], *, contacts: bool = False) -> list[TalentOut]:
        """As :meth:`organisations_by_id`, of talents."""
        ...

    async def register_talent(self, body: dict[str, Any]) -> TalentOut: ...

    async def demand(self, demand_id: str) -> DemandOut | None: ...

    async def demands(self, params: dict[str, Any]) -> Page[DemandOut]: ...

    async def demand_screening(self, demand_id: str) -> DemandScreeningOut | None:
        """The mentors' aggregated screening beside a demand (None: none, or not shown to
        the caller)."""
        ...

    async def create_demand(self, body: dict[str, Any]) -> DemandOut: ...

    async def edit_demand(self, demand_id: str, body: dict[str, Any]) -> DemandOut: ...

    async def demand_action(
        self, demand_id: str, action: str, body: dict[str, Any] | None = None
    ) -> DemandOut: ...

    async def talent(self, talent_id: str) -> TalentOut | None: ...

    async def update_organisation(self, org_id: str, body: dict[str, Any]) -> OrganisationOut: ...

    async def expire_due(self) -> int: ...

    # -- reference data ------------------------------------------------------------------

    async def districts(self) -> list[NamedOut]: ...

    async def editions(self) -> list[NamedOut]: ...

    async def criteria(self) -> list[CriterionOut]: ...

    async def taxonomy(self) -> TaxonomyOut: ...

    async def add_taxonomy_code(self, body: dict[str, Any]) -> None: ...

    async def rename_taxonomy_code(self, code: str, body: dict[str, Any]) -> None: ...

    async def retire_taxonomy_code(self, code: str) -> None: ...

    # -- privacy -------------------------------------------------------------------------

    async def privacy_notice(self) -> NoticeOut: ...

    async def personal_data(self, talent_id: str) -> dict[str, Any]: ...

    async def erase_talent(self, talent_id: str) -> TalentOut: ...

    async def audit_of(self, party_id: str) -> list[AuditEntryOut]: ...

    # -- notifications -------------------------------------------------------------------

    async def notification_preferences(self, party_id: str) -> PreferencesOut: ...

    async def set_notification_preferences(
        self, party_id: str, body: dict[str, Any]
    ) -> PreferencesOut: ...

    async def unsubscribe(self, token: str) -> UnsubscribeOut: ...

    async def notification_mailbox(self, limit: int) -> list[MailOut]: ...

    # -- files and imports ---------------------------------------------------------------

    async def upload_attachment(self, file: FilePart) -> AttachmentOut: ...

    async def start_import(self, file: FilePart, kind: ImportKind) -> ImportOut: ...

    async def import_job(
        self, job_id: str, *, errors_offset: int, errors_limit: int
    ) -> ImportOut: ...

    async def resume_import(self, job_id: str) -> ImportOut: ...


_NAMED_LIST = TypeAdapter(list[NamedOut])
_CRITERIA = TypeAdapter(list[CriterionOut])
_TALENT_PAGE = TypeAdapter(Page[TalentOut])
_DEMAND_PAGE = TypeAdapter(Page[DemandOut])
_TAXONOMY = TypeAdapter(TaxonomyOut)
_AUDIT = TypeAdapter(list[AuditEntryOut])
_MAILBOX = TypeAdapter(list[MailOut])


def _by_id(ids: list[str], contacts: bool) -> dict[str, list[str] | bool]:
    """The query of a batch read: contact details only when asked for (each disclosed one
    is audited, so a read that does not show them must not ask)."""
    return {"ids": ids, "include_contacts": True} if contacts else {"ids": ids}


class RegistryClient(ServiceClient):
    """:class:`Registry` over HTTP."""

    async def organisation(self, org_id: str) -> OrganisationOut | None:
        try:
            return OrganisationOut.model_validate(
                await self.request("GET", f"/organisations/{seg(org_id)}")
            )
        except ServiceError as exc:
            if exc.status == 404:
                return None
            raise

    async def organisations(
        self, *, district_code: str | None, after: str | None, limit: int
    ) -> Page[OrganisationOut]:
        params: dict[str, str | int] = {"limit": limit}
        if district_code:
            params["district_code"] = district_code
        if after:
            params["after"] = after
        return Page[OrganisationOut].model_validate(
            await self.request("GET", "/organisations", params=params)
        )

    async def register_organisation(self, body: dict[str, Any]) -> OrganisationOut:
        return OrganisationOut.model_validate(
            await self.request("POST", "/organisations", json=body)
        )

    async def organisations_by_id(
        self, ids: list[str], *, contacts: bool = False
    ) -> list[OrganisationOut]:
        body = await self.request("GET", "/organisations", params=_by_id(ids, contacts))
        return Page[OrganisationOut].model_validate(body).items

    async def talents_by_id(self, ids: list[str], *, contacts: bool = False) -> list[TalentOut]:
        return (
            await self.read(_TALENT_PAGE, "GET", "/talents", params=_by_id(ids, contacts))
        ).items

    async def register_talent(self, body: dict[str, Any]) -> TalentOut:
        return TalentOut.model_validate(await self.request("POST", "/talents", json=body))

    async def demand_screening(self, demand_id: str) -> DemandScreeningOut | None:
        path = f"/demands/{seg(demand_id)}/screening"
        try:
            return DemandScreeningOut.model_validate(await self.request("GET", path))
        except ServiceError as exc:
            if exc.status == 404:
                return None
            raise

    async def demand(self, demand_id: str) -> DemandOut | None:
        try:
            return DemandOut.model_validate(await self.request("GET", f"/demands/{seg(demand_id)}"))
        except ServiceError as exc:
            if exc.status == 404:
                return None
            raise

    async def demands(self, params: dict[str, Any]) -> Page[DemandOut]:
        clean = {k: v for k, v in params.items() if v is not None}
        return await self.read(_DEMAND_PAGE, "GET", "/demands", params=clean)

    async def create_demand(self, body: dict[str, Any]) -> DemandOut:
        return DemandOut.model_validate(await self.request("POST", "/demands", json=body))

    async def edit_demand(self, demand_id: str, body: dict[str, Any]) -> DemandOut:
        return DemandOut.model_validate(
            await self.request("PUT", f"/demands/{seg(demand_id)}", json=body)
        )

    async def demand_action(
        self, demand_id: str, action: str, body: dict[str, Any] | None = None
    ) -> DemandOut:
        return DemandOut.model_validate(
            await self.request("POST", f"/demands/{seg(demand_id)}/{action}", json=body or {})
        )

    async def talent(self, talent_id: str) -> TalentOut | None:
        try:
            return TalentOut.model_validate(await self.request("GET", f"/talents/{seg(talent_id)}"))
        except ServiceError as exc:
            if exc.status == 404:
                return None
            raise

    async def update_organisation(self, org_id: str, body: dict[str, Any]) -> OrganisationOut:
        return OrganisationOut.model_validate(
            await self.request("PUT", f"/organisations/{seg(org_id)}", json=body)
        )

    async def expire_due(self) -> int:
        body = await self.request("POST", "/demands/expire-due")
        return int(body["expired"])

    # -- reference data ------------------------------------------------------------------

    async def districts(self) -> list[NamedOut]:
        return await self.read(_NAMED_LIST, "GET", "/reference/districts")

    async def editions(self) -> list[NamedOut]:
        return await self.read(_NAMED_LIST, "GET", "/reference/editions")

    async def criteria(self) -> list[CriterionOut]:
        return await self.read(_CRITERIA, "GET", "/reference/criteria")

    async def taxonomy(self) -> TaxonomyOut:
        return await self.read(_TAXONOMY, "GET", "/reference/taxonomy")

    async def add_taxonomy_code(self, body: dict[str, Any]) -> None:
        await self.request("POST", "/reference/taxonomy", json=body)

    async def rename_taxonomy_code(self, code: str, body: dict[str, Any]) -> None:
        await self.request("PUT", f"/reference/taxonomy/{seg(code)}", json=body)

    async def retire_taxonomy_code(self, code: str) -> None:
        await self.request("POST", f"/reference/taxonomy/{seg(code)}/retire")

    # -- privacy -------------------------------------------------------------------------

    async def privacy_notice(self) -> NoticeOut:
        return NoticeOut.model_validate(await self.request("GET", "/privacy/notice"))

    async def personal_data(self, talent_id: str) -> dict[str, Any]:
        body: dict[str, Any] = await self.request("GET", f"/talents/{seg(talent_id)}/personal-data")
        return body

    async def erase_talent(self, talent_id: str) -> TalentOut:
        return TalentOut.model_validate(await self.request("DELETE", f"/talents/{seg(talent_id)}"))

    async def audit_of(self, party_id: str) -> list[AuditEntryOut]:
        body = await self.request("GET", f"/parties/{seg(party_id)}/audit")
        return _AUDIT.validate_python(body)

    # -- notifications -------------------------------------------------------------------

    async def notification_preferences(self, party_id: str) -> PreferencesOut:
        path = f"/parties/{seg(party_id)}/notification-preferences"
        return PreferencesOut.model_validate(await self.request("GET", path))

    async def set_notification_preferences(
        self, party_id: str, body: dict[str, Any]
    ) -> PreferencesOut:
        path = f"/parties/{seg(party_id)}/notification-preferences"
        return PreferencesOut.model_validate(await self.request("PUT", path, json=body))

    async def unsubscribe(self, token: str) -> UnsubscribeOut:
        body = {"token": token}
        return UnsubscribeOut.model_validate(
            await self.request("POST", "/notifications/unsubscribe", json=body)
        )

    async def notification_mailbox(self, limit: int) -> list[MailOut]:
        body = await self.request("GET", "/notifications/mailbox", params={"limit": limit})
        return _MAILBOX.validate_python(body)

    # -- files and imports ---------------------------------------------------------------

    async def upload_attachment(self, file: FilePart) -> AttachmentOut:
        return AttachmentOut.model_validate(
            await self.request("POST", "/attachments", files={"file": file})
        )

    async def start_import(self, file: FilePart, kind: ImportKind) -> ImportOut:
        params = {"kind": kind.value}
        return ImportOut.model_validate(
            await self.request("POST", "/imports", files={"file": file}, params=params)
        )

    async def import_job(self, job_id: str, *, errors_offset: int, errors_limit: int) -> ImportOut:
        params = {"errors_offset": errors_offset, "errors_limit": errors_limit}
        return ImportOut.model_validate(
            await self.request("GET", f"/imports/{seg(job_id)}", params=params)
        )

    async def resume_import(self, job_id: str) -> ImportOut:
        return ImportOut.model_validate(
            await self.request("POST", f"/imports/{seg(job_id)}/resume")
        )
