"""Demands: the four channels, their details and the review workflow (plain Python).

Talents supply (project cooperation offers, job seeking); organisations demand (project
landing, talent recruitment). Every transition records who, when and why. Validating what
an owner writes is :mod:`boyin_registry.demands.content`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from enum import Enum
from typing import Any

from boyin_registry.attachments.domain import Attachment
from boyin_registry.demands.eligibility import Claim
from boyin_registry.profiles.domain import Bilingual
from boyin_shared.api.registry import (
    Channel,
    Claimant,
    ClaimReview,
    CooperationMode,
    Criterion,
    Degree,
    IpStatus,
    Stage,
    Status,
    WorkMode,
)
from boyin_shared.errors import BoyinError, FieldError, Message, forbidden, invalid
from boyin_shared.identity import Actor, Role
from boyin_shared.text import detect_language


def claimant_of(channel: Channel) -> Claimant:
    """Which side of the fair a channel's demands come from."""
    if channel in (Channel.PROJECT_COOPERATION, Channel.JOB_SEEKING):
        return Claimant.SUPPLIER
    return Claimant.DEMANDER


def owner_kind(channel: Channel) -> str:
    """``talent`` or ``organisation``: who owns a demand of ``channel``."""
    return "talent" if claimant_of(channel) is Claimant.SUPPLIER else "organisation"


@dataclass(frozen=True)
class ProjectCooperation:
    stage: Stage
    trl: int
    ip_status: IpStatus
    sought: tuple[CooperationMode, ...]
    funding_sought_wan: int | None = None  # in 10,000 CNY
    team_size: int = 1


@dataclass(frozen=True)
class JobSeeking:
    desired_role: str
    work_mode: WorkMode
    earliest_start: date | None = None
    salary_min_wan: int | None = None
    salary_max_wan: int | None = None


@dataclass(frozen=True)
class ProjectLanding:
    cooperation_modes: tuple[CooperationMode, ...]
    budget_wan: int | None = None
    facilities: str | None = None
    policies: str | None = None
    wanted_stage: Stage | None = None


@dataclass(frozen=True)
class TalentRecruitment:
    positions: int
    degree_required: Degree
    work_mode: WorkMode
    package: str | None = None
    location_district: str | None = None


Details = ProjectCooperation | JobSeeking | ProjectLanding | TalentRecruitment
DETAILS_OF: dict[Channel, type[Details]] = {
    Channel.PROJECT_COOPERATION: ProjectCooperation,
    Channel.JOB_SEEKING: JobSeeking,
    Channel.PROJECT_LANDING: ProjectLanding,
    Channel.TALENT_RECRUITMENT: TalentRecruitment,
}


@dataclass(frozen=True)
class DemandContent:
    """Everything the owner says; validated by :func:`demand_content`."""

    title: Bilingual
    description: Bilingual
    taxonomy_codes: tuple[str, ...]
    keywords: tuple[str, ...]
    editions: tuple[str, ...]
    claims: tuple[Claim, ...]
    details: Details
    attachments: tuple[Attachment, ...] = ()
    expires_on: date | None = None

    @property
    def language(self) -> str:
        """``zh``, ``en`` or ``zh+en``: which languages the demand is written in."""
        langs = set()
        for text in (self.title.zh, self.description.zh, self.title.en, self.description.en):
            if text:
                lang = detect_language(text)
                if lang != "und":
                    langs.add(lang)
        return "+".join(sorted(langs, key=lambda x: x != "zh")) or "und"


@dataclass(frozen=True)
class Transition:
    to: Status
    by: str
    role: str
    at: datetime
    reason: str | None = None


EDITABLE = (Status.DRAFT, Status.RETURNED, Status.PUBLISHED, Status.SUBMITTED)
WITHDRAWABLE = (
    Status.DRAFT,
    Status.SUBMITTED,
    Status.UNDER_REVIEW,
    Status.RETURNED,
    Status.PUBLISHED,
)


#: The Chinese name of each demand status, for messages (the one mapping; imports use it too).
STATUS_ZH: dict[Status, str] = {
    Status.DRAFT: "草稿",
    Status.SUBMITTED: "已提交",
    Status.UNDER_REVIEW: "审核中",
    Status.PUBLISHED: "已发布",
    Status.RETURNED: "已退回",
    Status.REJECTED: "已驳回",
    Status.WITHDRAWN: "已撤回",
    Status.EXPIRED: "已过期",
}

#: What a demand's owner or reviewer may try to do, in English (as in messages) and Chinese.
ACTION_ZH: dict[str, str] = {
    "edit": "修改",
    "submit": "提交审核",
    "start review of": "开始审核",
    "review claims of": "审核声明",
    "publish": "发布",
    "return": "退回",
    "reject": "驳回",
    "withdraw": "撤回",
    "expire": "设为过期",
    "reactivate": "重新启用",
}


def _illegal(action: str, status: Status) -> BoyinError:
    return BoyinError(
        code="ILLEGAL_TRANSITION",
        message=Message(
            f"需求当前为“{STATUS_ZH[status]}”状态，不能{ACTION_ZH[action]}",
            f"cannot {action} a demand that is {status.value}",
        ),
        status=409,
    )


@dataclass(frozen=True)
class Demand:
    id: str
    channel: Channel
    owner_id: str
    #: the reviewing district: the organisation's; None for talents (operators review)
    district_code: str | None
    content: DemandContent
    status: Status
    history: tuple[Transition, ...]
    revision: int
    created_at: datetime
    updated_at: datetime
    #: the key of the spreadsheet row it was imported from (re-imports update, never duplicate)
    external_ref: str | None = None
    published_revision: int | None = field(default=None)

    # -- who may do what ------------------------------------------------------------

    def is_owner(self, actor: Actor) -> bool:
        return actor.party_id == self.owner_id and actor.role in (Role.TALENT, Role.ORGANISATION)

    def serves_district(self, actor: Actor) -> bool:
        return (
            actor.role is Role.DISTRICT_OFFICER
            and self.district_code is not None
            and actor.district_code == self.district_code
        )

    def may_edit(self, actor: Actor) -> bool:
        return actor.is_staff or self.is_owner(actor) or self.serves_district(actor)

    def may_review(self, actor: Actor) -> bool:
        if actor.role in (Role.OPERATOR, Role.ADMIN):
            return True
        return self.serves_district(actor)

    def may_view(self, actor: Actor) -> bool:
        return self.status is Status.PUBLISHED or self.may_edit(actor)

    def shown_to(self, actor: Actor) -> Demand:
        """The demand as ``actor`` may read it. The review's notes (each claim's review note,
        the reasons given for returning, rejecting or withdrawing) are written for the owner
        and the reviewers: the owner, staff and the district's officers read them, anyone
        else who may read a published demand does not."""
        if self.may_edit(actor):
            return self
        claims = tuple(replace(c, review_note=None) for c in self.content.claims)
        return replace(
            self,
            content=replace(self.content, claims=claims),
            history=tuple(replace(t, reason=None) for t in self.history),
        )

    # -- transitions ----------------------------------------------------------------

    def _moved(self, to: Status, actor: Actor, at: datetime, reason: str | None) -> Demand:
        step = Transition(to, actor.account_id, actor.role.value, at, reason)
        return replace(
            self,
            status=to,
            history=(*self.history, step),
            revision=self.revision + 1,
            updated_at=at,
            published_revision=self.revision + 1
            if to is Status.PUBLISHED
            else self.published_revision,
        )

    def edit(self, content: DemandContent, actor: Actor, at: datetime) -> Demand:
        if not self.may_edit(actor):
            raise forbidden(Message("无权修改此需求", "you may not edit this demand"))
        if self.status not in EDITABLE:
            raise _illegal("edit", self.status)
        expected = DETAILS_OF[self.channel]
        if not isinstance(content.details, expected):
            # The channel is fixed at creation; details of another channel would corrupt it.
            raise invalid(
                [
                    FieldError(
                        "details",
                        "WRONG_DETAILS",
                        Message(
                            "需求详情与渠道不符",
                            f"details must be {expected.__name__} for {self.channel.value}",
                        ),
                    )
                ]
            )
        # Reviewers' decisions on claims survive an edit that keeps the same claim.
        kept = {c.criterion: c for c in self.content.claims}
        claims = tuple(
            kept[c.criterion]
            if c.criterion in kept
            and (kept[c.criterion].evidence, kept[c.criterion].evidence_file)
            == (c.evidence, c.evidence_file)
            else c
            for c in content.claims
        )
        edited = replace(self, content=replace(content, claims=claims))
        if self.status in (Status.PUBLISHED, Status.SUBMITTED):
            # A published demand that changes is reviewed again before it is shown again.
            return edited._moved(Status.SUBMITTED, actor, at, "edited")
        return replace(edited, revision=self.revision + 1, updated_at=at)

    def submit(self, actor: Actor, at: datetime) -> Demand:
        if not self.may_edit(actor):
            raise forbidden(Message("无权提交此需求", "you may not submit this demand"))
        if self.status not in (Status.DRAFT, Status.RETURNED):
            raise _illegal("submit", self.status)
        return self._moved(Status.SUBMITTED, actor, at, None)

    def start_review(self, actor: Actor, at: datetime) -> Demand:
        if not self.may_review(actor):
            raise forbidden(Message("无权审核此需求", "you may not review this demand"))
        if self.status is not Status.SUBMITTED:
            raise _illegal("start review of", self.status)
        return self._moved(Status.UNDER_REVIEW, actor, at, None)

    def review_claim(
        self,
        criterion: Criterion,
        outcome: ClaimReview,
        actor: Actor,
        at: datetime,
        note: str | None,
    ) -> Demand:
        if not self.may_review(actor):
            raise forbidden(Message("无权审核此需求", "you may not review this demand"))
        if self.status is not Status.UNDER_REVIEW:
            raise _illegal("review claims of", self.status)
        if criterion not in {c.criterion for c in self.content.claims}:
            raise BoyinError(
                code="NO_SUCH_CLAIM",
                message=Message(
                    f"该需求未声明条件 {criterion.value}", f"no claim {criterion.value}"
                ),
                status=404,
            )
        claims = tuple(
            c.reviewed(outcome, actor.account_id, at, note) if c.criterion is criterion else c
            for c in self.content.claims
        )
        return replace(
            self,
            content=replace(self.content, claims=claims),
            revision=self.revision + 1,
            updated_at=at,
        )

    def publish(self, actor: Actor, at: datetime) -> Demand:
        if not self.may_review(actor):
            raise forbidden(Message("无权审核此需求", "you may not review this demand"))
        if self.status is not Status.UNDER_REVIEW:
            raise _illegal("publish", self.status)
        claims = self.content.claims
        if any(c.review is ClaimReview.PENDING for c in claims):
            raise BoyinError(
                code="CLAIMS_NOT_REVIEWED",
                message=Message(
                    "请先逐项确认或驳回资格条件", "confirm or reject every claim first"
                ),
                status=409,
            )
        if not any(c.review is ClaimReview.CONFIRMED for c in claims):
            raise BoyinError(
                code="NO_CONFIRMED_CLAIM",
                message=Message(
                    "至少需确认一项资格条件才能发布", "at least one claim must be confirmed"
                ),
                status=409,
            )
        return self._moved(Status.PUBLISHED, actor, at, None)

    def send_back(self, actor: Actor, at: datetime, comments: str) -> Demand:
        if not self.may_review(actor):
            raise forbidden(Message("无权审核此需求", "you may not review this demand"))
        if self.status is not Status.UNDER_REVIEW:
            raise _illegal("return", self.status)
        return self._moved(Status.RETURNED, actor, at, comments)

    def reject(self, actor: Actor, at: datetime, reason: str) -> Demand:
        if not self.may_review(actor):
            raise forbidden(Message("无权审核此需求", "you may not review this demand"))
        if self.status is not Status.UNDER_REVIEW:
            raise _illegal("reject", self.status)
        return self._moved(Status.REJECTED, actor, at, reason)

    def withdraw(self, actor: Actor, at: datetime, reason: str | None) -> Demand:
        if not self.may_edit(actor):
            raise forbidden(Message("无权撤回此需求", "you may not withdraw this demand"))
        if self.status not in WITHDRAWABLE:
            raise _illegal("withdraw", self.status)
        return self._moved(Status.WITHDRAWN, actor, at, reason)

    def expire(self, actor: Actor, at: datetime) -> Demand:
        if self.status is not Status.PUBLISHED:
            raise _illegal("expire", self.status)
        return self._moved(Status.EXPIRED, actor, at, "deadline passed")

    def reactivate(self, edition: str, actor: Actor, at: datetime) -> Demand:
        """Carry the demand into another edition of the fair; it is reviewed again."""
        if not self.may_edit(actor):
            raise forbidden(Message("无权重新启用此需求", "you may not reactivate this demand"))
        if self.status not in (Status.EXPIRED, Status.WITHDRAWN, Status.PUBLISHED):
            raise _illegal("reactivate", self.status)
        editions = tuple(dict.fromkeys((*self.content.editions, edition)))
        moved = replace(self, content=replace(self.content, editions=editions, expires_on=None))
        return moved._moved(Status.SUBMITTED, actor, at, f"reactivated for {edition}")

    def is_due(self, today: date) -> bool:
        expires = self.content.expires_on
        return self.status is Status.PUBLISHED and expires is not None and expires < today


def details_state(details: Details) -> dict[str, Any]:
    """The details as plain values (enums by value, dates in ISO format): how they are
    stored, published, answered and exported."""
    out: dict[str, Any] = {}
    for f in fields(details):
        value = getattr(details, f.name)
        if isinstance(value, tuple):
            value = [v.value if isinstance(v, Enum) else v for v in value]
        elif isinstance(value, Enum):
            value = value.value
        elif isinstance(value, date):
            value = value.isoformat()
        out[f.name] = value
    return out
