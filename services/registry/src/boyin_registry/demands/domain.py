"""Demands: the four channels, their content rules and the review workflow.

Talents supply (project cooperation offers, job seeking); organisations demand (project
landing, talent recruitment). Every transition records who, when and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from boyin_registry.domain.common import Bilingual, Problems
from boyin_registry.domain.eligibility import CRITERIA, Claim, Claimant, ClaimReview, Criterion
from boyin_registry.domain.profiles import Degree
from boyin_registry.reference import Reference
from boyin_shared.errors import BoyinError, FieldError, Message, invalid
from boyin_shared.identity import Actor, Role
from boyin_shared.text import detect_language


class Channel(StrEnum):
    PROJECT_COOPERATION = "PROJECT_COOPERATION"
    JOB_SEEKING = "JOB_SEEKING"
    PROJECT_LANDING = "PROJECT_LANDING"
    TALENT_RECRUITMENT = "TALENT_RECRUITMENT"

    @property
    def claimant(self) -> Claimant:
        if self in (Channel.PROJECT_COOPERATION, Channel.JOB_SEEKING):
            return Claimant.SUPPLIER
        return Claimant.DEMANDER

    @property
    def owner_kind(self) -> str:
        return "talent" if self.claimant is Claimant.SUPPLIER else "organisation"


class Stage(StrEnum):
    IDEA = "IDEA"
    PROTOTYPE = "PROTOTYPE"
    PILOT = "PILOT"
    PRODUCT = "PRODUCT"


class IpStatus(StrEnum):
    NONE = "NONE"
    FILED = "FILED"
    GRANTED = "GRANTED"
    LICENSED = "LICENSED"


class CooperationMode(StrEnum):
    TECH_TRANSFER = "TECH_TRANSFER"
    JOINT_RD = "JOINT_RD"
    INVESTMENT = "INVESTMENT"
    INCUBATION = "INCUBATION"
    OFFSHORE_RD = "OFFSHORE_RD"


class WorkMode(StrEnum):
    FULL_TIME = "FULL_TIME"
    PART_TIME = "PART_TIME"
    FLEXIBLE = "FLEXIBLE"  # 柔性引才


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
class Attachment:
    id: str
    name: str
    content_type: str
    size: int
    sha256: str


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


class Status(StrEnum):
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    UNDER_REVIEW = "UNDER_REVIEW"
    PUBLISHED = "PUBLISHED"
    RETURNED = "RETURNED"
    REJECTED = "REJECTED"
    WITHDRAWN = "WITHDRAWN"
    EXPIRED = "EXPIRED"


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


def _illegal(action: str, status: Status) -> BoyinError:
    return BoyinError(
        code="ILLEGAL_TRANSITION",
        message=Message(
            f"当前状态（{status.value}）不能执行“{action}”",
            f"cannot {action} a demand that is {status.value}",
        ),
        status=409,
    )


def _forbidden(zh: str, en: str) -> BoyinError:
    return BoyinError(code="FORBIDDEN", message=Message(zh, en), status=403)


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
            raise _forbidden("无权修改此需求", "you may not edit this demand")
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
            raise _forbidden("无权提交此需求", "you may not submit this demand")
        if self.status not in (Status.DRAFT, Status.RETURNED):
            raise _illegal("submit", self.status)
        return self._moved(Status.SUBMITTED, actor, at, None)

    def start_review(self, actor: Actor, at: datetime) -> Demand:
        if not self.may_review(actor):
            raise _forbidden("无权审核此需求", "you may not review this demand")
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
            raise _forbidden("无权审核此需求", "you may not review this demand")
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
            raise _forbidden("无权审核此需求", "you may not review this demand")
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
            raise _forbidden("无权审核此需求", "you may not review this demand")
        if self.status is not Status.UNDER_REVIEW:
            raise _illegal("return", self.status)
        return self._moved(Status.RETURNED, actor, at, comments)

    def reject(self, actor: Actor, at: datetime, reason: str) -> Demand:
        if not self.may_review(actor):
            raise _forbidden("无权审核此需求", "you may not review this demand")
        if self.status is not Status.UNDER_REVIEW:
            raise _illegal("reject", self.status)
        return self._moved(Status.REJECTED, actor, at, reason)

    def withdraw(self, actor: Actor, at: datetime, reason: str | None) -> Demand:
        if not self.may_edit(actor):
            raise _forbidden("无权撤回此需求", "you may not withdraw this demand")
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
            raise _forbidden("无权重新启用此需求", "you may not reactivate this demand")
        if self.status not in (Status.EXPIRED, Status.WITHDRAWN, Status.PUBLISHED):
            raise _illegal("reactivate", self.status)
        editions = tuple(dict.fromkeys((*self.content.editions, edition)))
        moved = replace(self, content=replace(self.content, editions=editions, expires_on=None))
        return moved._moved(Status.SUBMITTED, actor, at, f"reactivated for {edition}")

    def is_due(self, today: date) -> bool:
        expires = self.content.expires_on
        return self.status is Status.PUBLISHED and expires is not None and expires < today


@dataclass(frozen=True)
class ClaimInput:
    criterion: str
    evidence: str | None = None
    evidence_file: str | None = None


def demand_content(
    *,
    channel: Channel,
    title_zh: str | None,
    title_en: str | None,
    description_zh: str | None,
    description_en: str | None,
    taxonomy_codes: Sequence[str],
    keywords: Sequence[str],
    editions: Sequence[str],
    claims: Sequence[ClaimInput],
    details: Details,
    attachments: Sequence[Attachment] = (),
    expires_on: date | None = None,
    ref: Reference,
    known_editions: Sequence[str],
    today: date,
    prefix: str = "",
) -> DemandContent:
    """Validate a demand's content; every problem is reported at once (field paths get ``prefix``)."""
    p = Problems()
    f = prefix
    title = p.bilingual(title_zh, title_en, f"{f}title", max_length=200)
    description = p.bilingual(description_zh, description_en, f"{f}description", max_length=8000)
    codes = []
    for i, code in enumerate(taxonomy_codes):
        if code not in ref.taxonomy:
            p.add(
                f"{f}taxonomy_codes.{i}",
                "UNKNOWN_TAXONOMY",
                f"未知的产业分类代码：{code}",
                f"unknown taxonomy code: {code}",
            )
        elif ref.taxonomy[code].kind == "retired":
            p.add(
                f"{f}taxonomy_codes.{i}",
                "RETIRED_TAXONOMY",
                f"产业分类 {code} 已停用",
                f"taxonomy code {code} is retired",
            )
        else:
            codes.append(code)
    if not taxonomy_codes:
        p.add(
            f"{f}taxonomy_codes",
            "REQUIRED",
            "请至少选择一个产业分类",
            "choose at least one taxonomy code",
        )
    words = []
    for i, word in enumerate(keywords):
        cleaned = p.text(word, f"{f}keywords.{i}", max_length=50)
        if cleaned:
            words.append(cleaned)
    for i, edition in enumerate(editions):
        if edition not in known_editions:
            p.add(
                f"{f}editions.{i}",
                "UNKNOWN_EDITION",
                f"未知的洽谈会届次：{edition}",
                f"unknown fair edition: {edition}",
            )
    if not editions:
        p.add(
            f"{f}editions",
            "REQUIRED",
            "请选择参加的洽谈会届次",
            "choose the edition(s) of the fair",
        )
    kept_claims = []
    if not claims:
        p.add(
            f"{f}claims",
            "NO_ELIGIBILITY",
            "请至少声明一项资格条件并提供依据",
            "claim at least one eligibility criterion, with evidence",
        )
    seen: set[Criterion] = set()
    for i, claim in enumerate(claims):
        try:
            criterion = Criterion(claim.criterion)
        except ValueError:
            p.add(
                f"{f}claims.{i}.criterion",
                "UNKNOWN_CRITERION",
                f"未知的资格条件：{claim.criterion}",
                f"unknown criterion: {claim.criterion}",
            )
            continue
        if CRITERIA[criterion].claimant is not channel.claimant:
            who_zh = "人才（供给方）" if channel.claimant is Claimant.SUPPLIER else "单位（需求方）"
            p.add(
                f"{f}claims.{i}.criterion",
                "WRONG_SIDE",
                f"{criterion.value} 不适用于{who_zh}",
                f"{criterion.value} is not a criterion for this side ({channel.claimant.value.lower()})",
            )
            continue
        if criterion in seen:
            p.add(f"{f}claims.{i}.criterion", "DUPLICATE", "重复的资格条件", "claimed twice")
            continue
        seen.add(criterion)
        evidence = p.text(
            claim.evidence, f"{f}claims.{i}.evidence", max_length=2000, multiline=True
        )
        if not evidence and not claim.evidence_file:
            p.add(
                f"{f}claims.{i}.evidence",
                "EVIDENCE_REQUIRED",
                "请提供依据说明或证明文件",
                "give evidence text or a file",
            )
            continue
        if claim.evidence_file and claim.evidence_file not in {a.id for a in attachments}:
            p.add(
                f"{f}claims.{i}.evidence_file",
                "NOT_ATTACHED",
                "证明文件须同时列入附件",
                "the evidence file must be one of the demand's attachments",
            )
            continue
        kept_claims.append(Claim(criterion, evidence, claim.evidence_file))
    _check_details(p, f, channel, details, ref)
    if expires_on is not None and expires_on < today:
        p.add(
            f"{f}expires_on", "IN_THE_PAST", "截止日期不能早于今天", "the deadline is in the past"
        )
    content = DemandContent(
        title=title,
        description=description,
        taxonomy_codes=tuple(dict.fromkeys(codes)),
        keywords=tuple(dict.fromkeys(words)),
        editions=tuple(dict.fromkeys(editions)),
        claims=tuple(kept_claims),
        details=details,
        attachments=tuple(attachments),
        expires_on=expires_on,
    )
    p.raise_if_any()
    return content


def _check_details(p: Problems, f: str, channel: Channel, details: Details, ref: Reference) -> None:
    expected = DETAILS_OF[channel]
    if not isinstance(details, expected):
        p.add(
            f"{f}details",
            "WRONG_DETAILS",
            "需求详情与渠道不符",
            f"details must be {expected.__name__} for {channel.value}",
        )
        return
    d = f + "details."
    if isinstance(details, ProjectCooperation):
        if not 1 <= details.trl <= 9:
            p.add(d + "trl", "RANGE", "技术成熟度应在 1 至 9 之间", "TRL must be between 1 and 9")
        if not details.sought:
            p.add(d + "sought", "REQUIRED", "请选择希望的合作方式", "choose what you seek")
        if details.funding_sought_wan is not None and details.funding_sought_wan < 0:
            p.add(d + "funding_sought_wan", "RANGE", "金额不能为负数", "must not be negative")
        if details.team_size < 1:
            p.add(d + "team_size", "RANGE", "团队人数至少为 1", "at least 1")
    elif isinstance(details, JobSeeking):
        if not details.desired_role.strip():
            p.add(d + "desired_role", "REQUIRED", "请填写期望岗位", "give the desired role")
        lo, hi = details.salary_min_wan, details.salary_max_wan
        if lo is not None and hi is not None and lo > hi:
            p.add(
                d + "salary_max_wan", "RANGE", "最高薪酬不能低于最低薪酬", "maximum below minimum"
            )
    elif isinstance(details, ProjectLanding):
        if not details.cooperation_modes:
            p.add(d + "cooperation_modes", "REQUIRED", "请选择合作方式", "choose cooperation modes")
        if details.budget_wan is not None and details.budget_wan < 0:
            p.add(d + "budget_wan", "RANGE", "金额不能为负数", "must not be negative")
    elif isinstance(details, TalentRecruitment):
        if details.positions < 1:
            p.add(d + "positions", "RANGE", "招聘人数至少为 1", "at least one position")
        if details.location_district and details.location_district not in ref.districts:
            p.add(
                d + "location_district",
                "UNKNOWN_DISTRICT",
                "未知的区县代码",
                "unknown district code",
            )
