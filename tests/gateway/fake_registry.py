"""The in-memory fakes of the registry and of matching (see ``fakes.py``)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import httpx

from boyin_gateway.clients import FilePart, ServiceUnavailable
from boyin_shared.api.matching import (
    DistrictSupplyOut,
    JobOut,
    JobState,
    MatchOut,
    NoGoodMatchOut,
)
from boyin_shared.api.registry import (
    AttachmentOut,
    AuditEntryOut,
    CriterionOut,
    DemandOut,
    DemandScreeningOut,
    ImportKind,
    ImportOut,
    MailLanguage,
    MailOut,
    NamedOut,
    NoticeOut,
    NotificationKind,
    OrganisationOut,
    Page,
    PreferencesIn,
    PreferencesOut,
    Status,
    TalentOut,
    TaxonomyOut,
    UnsubscribeOut,
)
from boyin_shared.identity import Actor, Role
from tests.gateway.fake_records import (
    MatchingData,
    RegistryData,
    demand,
    forbidden,
    match_mutual,
    matched,
    new_id,
    not_found,
    not_matchable,
    organisation,
    refusal,
    sign_in_required,
    talent,
    text,
)

#: where a fake writes down each call: (method, arguments)
Log = Callable[[str, dict[str, Any]], None]


class _Fake:
    def __init__(
        self, registry: RegistryData, matching: MatchingData, actor: Actor, log: Log
    ) -> None:
        self.registry_data = registry
        self.matching_data = matching
        self.actor = actor
        self.calls = 0
        self._log = log

    def _called(self, method: str, **args: Any) -> None:
        self.calls += 1
        self._log(method, args)

    async def stream(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        self._called("stream", path=path)
        raise not_found(path)  # the fakes hold no files

    @property
    def staff(self) -> bool:
        return self.actor.is_staff

    def officer_of(self, district_code: str | None) -> bool:
        a = self.actor
        return a.role is Role.DISTRICT_OFFICER and district_code == a.district_code


class FakeRegistry(_Fake):
    """The registry's rules: staff and the district officer of an organisation's district
    act for it, a party acts for itself; an unpublished demand is seen by those who may
    change it; talents' profiles are for signed-in people; a district officer sees the
    organisations of their district only."""

    @property
    def data(self) -> RegistryData:
        return self.registry_data

    def _sees_organisation(self, o: OrganisationOut) -> bool:
        return self.actor.role is not Role.DISTRICT_OFFICER or self.officer_of(o.district_code)

    def _acts_for(self, party_id: str, district_code: str | None) -> bool:
        return self.staff or self.actor.party_id == party_id or self.officer_of(district_code)

    def _sees_demand(self, d: DemandOut) -> bool:
        return d.status == "PUBLISHED" or self._acts_for(d.owner_id, d.district_code)

    def _demand(self, demand_id: str) -> DemandOut:
        found = self.data.demands.get(demand_id)
        if found is None or not self._sees_demand(found):
            raise not_found(demand_id)
        return found

    async def organisation(self, org_id: str) -> OrganisationOut | None:
        self._called("organisation", id=org_id)
        found = self.data.organisations.get(org_id)
        return found if found and self._sees_organisation(found) else None

    async def organisations(
        self, *, district_code: str | None, after: str | None, limit: int
    ) -> Page[OrganisationOut]:
        self._called("organisations", district_code=district_code, after=after, limit=limit)
        items = [
            o
            for o in self.data.organisations.values()
            if self._sees_organisation(o) and district_code in (None, o.district_code)
        ]
        return Page[OrganisationOut](items=items[:limit], next_after=None)

    async def register_organisation(self, body: dict[str, Any]) -> OrganisationOut:
        self._called("register_organisation", body=body)
        district = body["district_code"]
        self_registering = self.actor.role is Role.ORGANISATION and self.actor.party_id is None
        if not (self.staff or self.officer_of(district) or self_registering):
            raise forbidden()
        made = organisation(new_id("org_"), district, credit_code=body["credit_code"])
        self.data.add(made)
        return made

    def _sees_contacts(self, party_id: str, district_code: str | None) -> bool:
        """The registry's disclosure rule: the party, staff, the officer of an
        organisation's district, and a counterpart after a mutual match."""
        viewer = self.actor.party_id
        return (
            self.staff
            or viewer == party_id
            or self.officer_of(district_code)
            or (viewer, party_id) in self.data.disclosed
        )

    async def organisations_by_id(
        self, ids: list[str], *, contacts: bool = False
    ) -> list[OrganisationOut]:
        self._called("organisations_by_id", ids=ids, contacts=contacts)
        found = (self.data.organisations.get(i) for i in ids)
        return [
            o.model_copy(update={"contacts": self.data.contacts.get(o.id)})
            if contacts and self._sees_contacts(o.id, o.district_code)
            else o
            for o in found
            if o is not None and self._sees_organisation(o)
        ]

    async def talents_by_id(self, ids: list[str], *, contacts: bool = False) -> list[TalentOut]:
        self._called("talents_by_id", ids=ids, contacts=contacts)
        if self.actor.role is Role.PUBLIC:
            return []
        return [
            t.model_copy(update={"contact": self.data.contacts[t.id][0]})
            if contacts and self._sees_contacts(t.id, None) and self.data.contacts.get(t.id)
            else t
            for i in ids
            if (t := self.data.talents.get(i)) is not None
        ]

    async def register_talent(self, body: dict[str, Any]) -> TalentOut:
        self._called("register_talent", body=body)
        collects = self.staff or self.actor.role is Role.DISTRICT_OFFICER
        if not (collects or (self.actor.role is Role.TALENT and self.actor.party_id is None)):
            raise forbidden()
        made = talent(new_id("tal_"))
        self.data.add(made)
        return made

    async def demand(self, demand_id: str) -> DemandOut | None:
        self._called("demand", id=demand_id)
        found = self.data.demands.get(demand_id)
        return found if found and self._sees_demand(found) else None

    async def demand_screening(self, demand_id: str) -> DemandScreeningOut | None:
        """The registry's rule: its owner, district officers of its district and staff."""
        self._called("demand_screening", id=demand_id)
        found = self.data.demands.get(demand_id)
        if found is None or not self._acts_for(found.owner_id, found.district_code):
            return None
        return self.data.screenings.get(demand_id)

    async def demands(self, params: dict[str, Any]) -> Page[DemandOut]:
        self._called("demands", params={k: v for k, v in params.items() if v is not None})
        wanted = {k: params.get(k) for k in ("channel", "status", "owner_id")}
        items = [
            d
            for d in self.data.demands.values()
            if self._sees_demand(d)
            and all(v is None or getattr(d, k) == v for k, v in wanted.items())
        ]
        limit = int(params.get("limit") or 20)
        return Page[DemandOut](items=items[:limit], next_after=None)

    async def create_demand(self, body: dict[str, Any]) -> DemandOut:
        self._called("create_demand", body=body)
        owner_id = body["owner_id"]
        org = self.data.organisations.get(owner_id)
        if org is None and owner_id not in self.data.talents:
            raise not_found(owner_id)
        district = org.district_code if org else None
        if not self._acts_for(owner_id, district):
            raise forbidden()
        channel = "PROJECT_LANDING" if org else "PROJECT_COOPERATION"
        status = "SUBMITTED" if body.get("submit") else "DRAFT"
        made = demand(
            new_id("dem_"),
            owner_id,
            channel=channel,
            status=status,
            district_code=district,
            claims=tuple(c["criterion"] for c in body.get("claims", [])),
            details=body.get("details"),
        )
        self.data.add(made)
        return made

    async def edit_demand(self, demand_id: str, body: dict[str, Any]) -> DemandOut:
        self._called("edit_demand", id=demand_id, body=body)
        found = self._demand(demand_id)
        if not self._acts_for(found.owner_id, found.district_code):
            raise forbidden()
        return found

    async def demand_action(
        self, demand_id: str, action: str, body: dict[str, Any] | None = None
    ) -> DemandOut:
        self._called("demand_action", id=demand_id, action=action, body=body)
        found = self._demand(demand_id)
        reviewing = action in ("start-review", "publish", "return", "reject")
        reviewing = reviewing or action.startswith("claims/")
        if reviewing and not (self.staff or self.officer_of(found.district_code)):
            raise forbidden()
        if not reviewing and not self._acts_for(found.owner_id, found.district_code):
            raise forbidden()
        status = {
            "submit": Status.SUBMITTED,
            "start-review": Status.UNDER_REVIEW,
            "publish": Status.PUBLISHED,
            "return": Status.RETURNED,
            "reject": Status.REJECTED,
            "withdraw": Status.WITHDRAWN,
        }.get(action, found.status)
        changed = found.model_copy(update={"status": status, "revision": found.revision + 1})
        self.data.add(changed)
        return changed

    async def talent(self, talent_id: str) -> TalentOut | None:
        self._called("talent", id=talent_id)
        return None if self.actor.role is Role.PUBLIC else self.data.talents.get(talent_id)

    async def update_organisation(self, org_id: str, body: dict[str, Any]) -> OrganisationOut:
        self._called("update_organisation", id=org_id, body=body)
        found = self.data.organisations.get(org_id)
        if found is None:
            raise not_found(org_id)
        if not self._acts_for(org_id, found.district_code):
            raise forbidden()
        changed = found.model_copy(update={"revision": found.revision + 1})
        self.data.add(changed)
        return changed

    async def expire_due(self) -> int:
        self._called("expire_due")
        if not self.staff:
            raise forbidden()
        return 0

    # -- reference data ------------------------------------------------------------

    async def districts(self) -> list[NamedOut]:
        self._called("districts")
        return [NamedOut(code="500103", zh="渝中区", en="Yuzhong District", kind="district")]

    async def editions(self) -> list[NamedOut]:
        self._called("editions")
        return [NamedOut(code="CQ2026", zh="2026 年", en="2026", kind="edition")]

    async def criteria(self) -> list[CriterionOut]:
        self._called("criteria")
        return [CriterionOut(code="KEY_PLATFORMS", side="SUPPLIER", zh="重点平台", en="Key")]

    async def taxonomy(self) -> TaxonomyOut:
        self._called("taxonomy")
        return self.data.taxonomy

    async def add_taxonomy_code(self, body: dict[str, Any]) -> None:
        self._called("add_taxonomy_code", body=body)
        if not self.staff:
            raise forbidden()
        t = self.data.taxonomy
        node = NamedOut(
            code=body["code"],
            zh=body["name_zh"],
            en=body["name_en"],
            kind="active",
            parent=body["parent"],
        )
        self.data.taxonomy = TaxonomyOut(version=t.version + 1, nodes=[*t.nodes, node])

    async def rename_taxonomy_code(self, code: str, body: dict[str, Any]) -> None:
        self._called("rename_taxonomy_code", code=code, body=body)
        raise forbidden() if not self.staff else ServiceUnavailable("not in the fake")

    async def retire_taxonomy_code(self, code: str) -> None:
        self._called("retire_taxonomy_code", code=code)
        raise forbidden() if not self.staff else ServiceUnavailable("not in the fake")

    # -- privacy -------------------------------------------------------------------

    async def privacy_notice(self) -> NoticeOut:
        self._called("privacy_notice")
        return NoticeOut(version="2026-01", text={"zh": "通知", "en": "Notice"}, purposes={})

    def _person(self, talent_id: str, *, allowed: bool) -> TalentOut:
        found = self.data.talents.get(talent_id)
        if found is None:
            raise not_found(talent_id)
        if not allowed:
            raise forbidden()
        return found

    async def personal_data(self, talent_id: str) -> dict[str, Any]:
        self._called("personal_data", id=talent_id)
        own = self.actor.party_id == talent_id
        person = self._person(talent_id, allowed=self.staff or own)
        return {"profile": person.model_dump(mode="json")}

    async def erase_talent(self, talent_id: str) -> TalentOut:
        self._called("erase_talent", id=talent_id)
        own = self.actor.party_id == talent_id
        person = self._person(talent_id, allowed=self.actor.role is Role.ADMIN or own)
        erased = person.model_copy(update={"name": text("已删除用户", "Deleted user")})
        self.data.add(erased)
        return erased

    async def audit_of(self, party_id: str) -> list[AuditEntryOut]:
        self._called("audit_of", party_id=party_id)
        if not (self.staff or self.actor.party_id == party_id):
            raise forbidden()
        return []

    # -- notifications -----------------------------------------------------------------

    def _preferences(self, party_id: str) -> PreferencesOut:
        default = PreferencesOut(
            party_id=party_id, kinds=list(NotificationKind), language=MailLanguage.BOTH
        )
        return self.data.preferences.get(party_id, default)

    def _may_manage(self, party_id: str) -> None:
        if self.actor.role is Role.PUBLIC:
            raise sign_in_required()
        if not (self.actor.role in (Role.OPERATOR, Role.ADMIN) or self.actor.party_id == party_id):
            raise forbidden()

    async def notification_preferences(self, party_id: str) -> PreferencesOut:
        self._called("notification_preferences", party_id=party_id)
        self._may_manage(party_id)
        return self._preferences(party_id)

    async def set_notification_preferences(
        self, party_id: str, body: dict[str, Any]
    ) -> PreferencesOut:
        self._called("set_notification_preferences", party_id=party_id, body=body)
        self._may_manage(party_id)
        chosen = PreferencesIn.model_validate(body)
        prefs = PreferencesOut(party_id=party_id, kinds=chosen.kinds, language=chosen.language)
        self.data.preferences[party_id] = prefs
        return prefs

    async def unsubscribe(self, token: str) -> UnsubscribeOut:
        """The fake's tokens are ``unsub:<party>:<kind or ALL>`` (the registry signs its own)."""
        self._called("unsubscribe", token=token)
        tag, party_id, kind_name = [*token.split(":"), "", ""][:3]
        if tag != "unsub" or not party_id or kind_name not in {*NotificationKind, "ALL"}:
            raise refusal(400, "INVALID_UNSUBSCRIBE_LINK", "退订链接无效", "not a valid link")
        kind = None if kind_name == "ALL" else NotificationKind(kind_name)
        before = self._preferences(party_id)
        kinds = [] if kind is None else [k for k in before.kinds if k is not kind]
        prefs = before.model_copy(update={"kinds": kinds})
        self.data.preferences[party_id] = prefs
        return UnsubscribeOut(party_id=party_id, kind=kind, preferences=prefs)

    async def notification_mailbox(self, limit: int) -> list[MailOut]:
        self._called("notification_mailbox", limit=limit)
        if self.actor.role not in (Role.OPERATOR, Role.ADMIN):
            raise forbidden()
        return self.data.mailbox[:limit]

    # -- files and imports -----------------------------------------------------------

    async def upload_attachment(self, file: FilePart) -> AttachmentOut:
        name, content, content_type = file
        self._called("upload_attachment", name=name)
        if self.actor.role is Role.PUBLIC:
            raise sign_in_required()
        data = content.read()
        return AttachmentOut(
            id=new_id("att_"),
            name=name,
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
        )

    async def start_import(self, file: FilePart, kind: ImportKind) -> ImportOut:
        self._called("start_import", name=file[0], kind=kind.value)
        raise forbidden() if not self.staff else ServiceUnavailable("not in the fake")

    async def import_job(self, job_id: str, *, errors_offset: int, errors_limit: int) -> ImportOut:
        self._called("import_job", id=job_id)
        raise not_found(job_id)

    async def resume_import(self, job_id: str) -> ImportOut:
        self._called("resume_import", id=job_id)
        raise not_found(job_id)


class FakeMatching(_Fake):
    """Matching's rules: a demand's matches are its owner's and staff's business (others
    are told the demand is not found); the review queue is for staff."""

    async def district_supply(self) -> list[DistrictSupplyOut]:
        self._called("district_supply")
        return []

    def _owns(self, demand_id: str) -> bool:
        found = self.registry_data.demands.get(demand_id)
        return found is not None and found.owner_id == self.actor.party_id

    async def matches(self, demand_id: str, limit: int) -> list[MatchOut]:
        self._called("matches", demand_id=demand_id, limit=limit)
        if not (self.staff or self._owns(demand_id)):
            raise not_found(demand_id)
        return self.matching_data.matches.get(demand_id, [])[:limit]

    async def respond(self, match_id: str, interested: bool) -> dict[str, Any]:
        self._called("respond", match_id=match_id, interested=interested)
        for demand_id, listed in self.matching_data.matches.items():
            if any(m.match_id == match_id for m in listed) and self._owns(demand_id):
                return {"match_id": match_id, "status": "ACCEPTED" if interested else "DECLINED"}
        raise not_found(match_id)

    async def review_queue(self) -> list[MatchOut]:
        self._called("review_queue")
        if not self.staff:
            raise forbidden()
        return list(self.matching_data.queue)

    def _listed(self, match_id: str) -> MatchOut:
        for listed in self.matching_data.matches.values():
            for m in listed:
                if m.match_id == match_id:
                    return m
        raise not_found(match_id)

    async def review(self, match_id: str, *, note: str | None, withdraw: bool) -> MatchOut:
        """Operators review; a mutual match is never withdrawn; it leaves the queue."""
        self._called("review", match_id=match_id, note=note, withdraw=withdraw)
        if self.actor.role not in (Role.OPERATOR, Role.ADMIN):
            raise forbidden()
        found = self._listed(match_id)
        if withdraw and found.status == "MUTUAL":
            raise match_mutual()
        self.matching_data.queue = [m for m in self.matching_data.queue if m.match_id != match_id]
        return found.model_copy(update={"status": "WITHDRAWN"}) if withdraw else found

    async def add_by_hand(self, demand_id: str, counterpart_demand_id: str, note: str) -> MatchOut:
        """Operators add a match between two published demands of different parties."""
        self._called("add_by_hand", demand_id=demand_id, counterpart=counterpart_demand_id)
        if self.actor.role not in (Role.OPERATOR, Role.ADMIN):
            raise forbidden()
        ours = self.registry_data.demands.get(demand_id)
        theirs = self.registry_data.demands.get(counterpart_demand_id)
        if not (ours and theirs and ours.status == theirs.status == "PUBLISHED"):
            raise not_matchable()
        added = matched(ours, theirs, source="operator")
        self.matching_data.matches.setdefault(demand_id, []).append(added)
        return added

    async def start_rematch(self) -> JobOut:
        """Operators and administrators start the job (matching refuses everyone else);
        one running is not started again."""
        self._called("start_rematch")
        if self.actor.role not in (Role.OPERATOR, Role.ADMIN):
            raise forbidden()
        job = self.matching_data.job
        if job.state != JobState.RUNNING:
            self.matching_data.job = JobOut(state=JobState.RUNNING, total=0, done=0, error=None)
        return self.matching_data.job.model_copy(update={"state": JobState.RUNNING})

    async def demands_without_good_match(self) -> list[NoGoodMatchOut]:
        """Operators and administrators only, as matching answers."""
        self._called("demands_without_good_match")
        if self.actor.role not in (Role.OPERATOR, Role.ADMIN):
            raise forbidden()
        return list(self.matching_data.without_good_match)

    async def rematch_job(self) -> JobOut:
        """Anyone signed in may follow the job at matching: the gateway keeps it to staff."""
        self._called("rematch_job")
        return self.matching_data.job
