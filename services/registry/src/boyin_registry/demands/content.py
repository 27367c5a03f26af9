"""Validating what a demand's owner writes: every problem is reported at once, with the
field it concerns, in Chinese and English (plain Python, no I/O)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from boyin_registry.attachments.domain import Attachment
from boyin_registry.demands.domain import (
    DETAILS_OF,
    DemandContent,
    Details,
    JobSeeking,
    ProjectCooperation,
    ProjectLanding,
    TalentRecruitment,
    claimant_of,
)
from boyin_registry.demands.eligibility import Claim
from boyin_registry.profiles.validation import Problems
from boyin_registry.reference.domain import Reference
from boyin_shared.api.registry import Channel, Claimant, Criterion
from boyin_shared.api.registry.names import CRITERIA


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
    side = claimant_of(channel)
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
        if CRITERIA[criterion].claimant is not side:
            who_zh = "人才（供给方）" if side is Claimant.SUPPLIER else "单位（需求方）"
            p.add(
                f"{f}claims.{i}.criterion",
                "WRONG_SIDE",
                f"资格条件“{CRITERIA[criterion].zh}”不适用于{who_zh}",
                f"{criterion.value} is not a criterion for this side ({side.value.lower()})",
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
