"""Demands in the domain: content validation, the review workflow, its events and who may act."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from boyin_registry.attachments.domain import Attachment
from boyin_registry.demands.content import ClaimInput, demand_content
from boyin_registry.demands.domain import (
    STATUS_ZH,
    Demand,
    DemandContent,
    Details,
    JobSeeking,
    ProjectCooperation,
    ProjectLanding,
    TalentRecruitment,
    Transition,
    owner_kind,
)
from boyin_registry.demands.eligibility import Claim
from boyin_registry.demands.events import demand_events
from boyin_registry.profiles.domain import Bilingual
from boyin_registry.reference.shipped import shipped
from boyin_shared.api.registry import (
    Channel,
    ClaimReview,
    CooperationMode,
    Criterion,
    Degree,
    IpStatus,
    Stage,
    Status,
    WorkMode,
)
from boyin_shared.contracts.registry import (
    DemandExpired,
    DemandPublished,
    DemandRejected,
    DemandReturned,
    DemandSubmitted,
    DemandTransition,
    DemandUpdated,
    DemandWithdrawn,
)
from boyin_shared.errors import BoyinError, FieldError
from boyin_shared.events import Event
from boyin_shared.identity import Actor, Role
from tests.apps import OPERATOR
from tests.registry.support import (
    ADMIN,
    INVESTOR,
    LIANGJIANG,
    PUBLIC,
    YUZHONG,
    has_cjk,
    officer,
    organisation_member,
    talent_member,
)

REF = shipped()
TODAY = date(2026, 6, 1)
T0 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


ORG_ID = "org_here"
TALENT_ID = "tal_here"
ORG_OWNER = organisation_member(ORG_ID, "acc_org_owner")
TALENT_OWNER = talent_member(TALENT_ID, "acc_talent_owner")
OTHER_ORG = organisation_member("org_elsewhere", "acc_other_org")
OTHER_TALENT = talent_member("tal_elsewhere", "acc_other_talent")
OFFICER_HERE = officer(YUZHONG)
OFFICER_THERE = officer(LIANGJIANG)
SERVICE = Actor(account_id="svc_importer", role=Role.SERVICE)

COOPERATION = ProjectCooperation(
    Stage.PROTOTYPE, 5, IpStatus.GRANTED, (CooperationMode.JOINT_RD,), 300, 4
)
DETAILS: dict[Channel, Details] = {
    Channel.PROJECT_COOPERATION: COOPERATION,
    Channel.JOB_SEEKING: JobSeeking("研发总监", WorkMode.FLEXIBLE, None, 40, 80),
    Channel.PROJECT_LANDING: ProjectLanding((CooperationMode.TECH_TRANSFER,), 500),
    Channel.TALENT_RECRUITMENT: TalentRecruitment(3, Degree.PHD, WorkMode.FULL_TIME),
}
CLAIMS: dict[Channel, list[ClaimInput]] = {
    Channel.PROJECT_COOPERATION: [
        ClaimInput("BOTTLENECK_TECHNOLOGY", "高纯靶材制备工艺"),
        ClaimInput("CHONGQING_INTENTION", "计划回渝创业"),
    ],
    Channel.JOB_SEEKING: [ClaimInput("OFFSHORE_EXPERIENCE", "德国研发经历五年")],
    Channel.PROJECT_LANDING: [
        ClaimInput("KEY_PLATFORMS", "重庆市工程技术研究中心"),
        ClaimInput("COOPERATION_INTENTION", "愿与海外团队合作"),
    ],
    Channel.TALENT_RECRUITMENT: [ClaimInput("SUPPORT_POLICIES", "区级引才补贴")],
}


def content(channel: Channel = Channel.PROJECT_LANDING, **overrides: Any) -> DemandContent:
    kwargs: dict[str, Any] = {
        "channel": channel,
        "title_zh": "新型传感器材料联合研发",
        "title_en": "Joint R&D of new sensor materials",
        "description_zh": "面向智能网联汽车。",
        "description_en": "For connected vehicles.",
        "taxonomy_codes": ["C33-L3"],
        "keywords": ["传感器"],
        "editions": ["CQ2026"],
        "claims": CLAIMS[channel],
        "details": DETAILS[channel],
        "ref": REF,
        "known_editions": list(REF.editions),
        "today": TODAY,
    }
    kwargs.update(overrides)
    return demand_content(**kwargs)


def demand(
    channel: Channel = Channel.PROJECT_LANDING,
    status: Status = Status.DRAFT,
    *,
    confirmed: bool = False,
    **content_overrides: Any,
) -> Demand:
    """A demand in ``status`` (its claims confirmed by an operator when ``confirmed``)."""
    c = content(channel, **content_overrides)
    if confirmed:
        claims = tuple(
            x.reviewed(ClaimReview.CONFIRMED, "acc_operator", T0, None) for x in c.claims
        )
        c = replace(c, claims=claims)
    talent = owner_kind(channel) == "talent"
    return Demand(
        id="dem_1",
        channel=channel,
        owner_id=TALENT_ID if talent else ORG_ID,
        district_code=None if talent else YUZHONG,
        content=c,
        status=status,
        history=(),
        revision=1,
        created_at=T0,
        updated_at=T0,
    )


def problems(**overrides: Any) -> list[FieldError]:
    """The field errors of :func:`content` with ``overrides`` (it must refuse them)."""
    channel = overrides.pop("channel", Channel.PROJECT_LANDING)
    with pytest.raises(BoyinError) as caught:
        content(channel, **overrides)
    error = caught.value
    assert (error.code, error.status) == ("VALIDATION_FAILED", 422)
    assert has_cjk(error.message.zh) and error.message.en
    for f in error.fields:
        assert has_cjk(f.message.zh), f
        assert f.message.en and f.message.en.isascii(), f
    return error.fields


def where(fields: list[FieldError]) -> list[tuple[str, str]]:
    return [(f.field, f.code) for f in fields]


def refused(call: Callable[[], object], code: str, status: int) -> BoyinError:
    with pytest.raises(BoyinError) as caught:
        call()
    error = caught.value
    assert (error.code, error.status) == (code, status), error
    assert has_cjk(error.message.zh), error
    assert error.message.en, error
    return error


# -- content ------------------------------------------------------------------------------


def test_valid_content_is_cleaned_deduplicated_and_its_language_detected() -> None:
    c = content(
        title_zh="  新型传感器材料 ",
        title_en="",
        description_en=None,
        taxonomy_codes=["C33-L3", "C33-L2", "C33-L3"],
        keywords=[" 传感器 ", "传感器", "MEMS"],
        editions=["CQ2026", "CQ2027", "CQ2026"],
        expires_on=TODAY,
    )
    assert c.title == Bilingual(zh="新型传感器材料", en=None)
    assert c.description == Bilingual(zh="面向智能网联汽车。", en=None)
    assert c.taxonomy_codes == ("C33-L3", "C33-L2")
    assert c.keywords == ("传感器", "MEMS")
    assert c.editions == ("CQ2026", "CQ2027")
    assert c.claims == (
        Claim(Criterion.KEY_PLATFORMS, "重庆市工程技术研究中心"),
        Claim(Criterion.COOPERATION_INTENTION, "愿与海外团队合作"),
    )
    assert all(x.review is ClaimReview.PENDING for x in c.claims)
    assert c.expires_on == TODAY  # today is still allowed
    assert c.language == "zh"
    assert content().language == "zh+en"
    english = content(title_zh=None, description_zh=None)
    assert english.language == "en"


def test_a_claim_may_rest_on_a_file_instead_of_text() -> None:
    files = tuple(
        Attachment(f"att_{i}", f"evidence{i}.pdf", "application/pdf", 10, "0" * 64) for i in (1, 2)
    )
    c = content(
        claims=[
            ClaimInput("KEY_PLATFORMS", None, "att_1"),
            ClaimInput("SUPPORT_POLICIES", "  ", "att_2"),
        ],
        attachments=files,
    )
    assert [(x.criterion, x.evidence, x.evidence_file) for x in c.claims] == [
        (Criterion.KEY_PLATFORMS, None, "att_1"),
        (Criterion.SUPPORT_POLICIES, None, "att_2"),
    ]


def test_an_evidence_file_must_be_among_the_attachments() -> None:
    fields = problems(claims=[ClaimInput("KEY_PLATFORMS", None, "att_elsewhere")])
    assert [(f.field, f.code) for f in fields] == [("claims.0.evidence_file", "NOT_ATTACHED")]


def test_every_problem_is_reported_at_once_with_its_field_path() -> None:
    fields = problems(
        channel=Channel.JOB_SEEKING,
        title_zh="求职\x07意向",
        taxonomy_codes=["C33-L3", "X99"],
        editions=["CQ2026", "CQ1999"],
        claims=[
            ClaimInput("KEY_PLATFORMS", "demander's criterion on a talent's channel"),
            ClaimInput("OFFSHORE_EXPERIENCE", "五年"),
            ClaimInput("OFFSHORE_EXPERIENCE", "again"),
            ClaimInput("TRANSFER_INTENTION", None),
            ClaimInput("TELEPATHY", "x"),
        ],
        details=JobSeeking("研发总监", WorkMode.FULL_TIME, None, 80, 40),
        expires_on=TODAY - timedelta(days=1),
    )
    assert where(fields) == [
        ("title.zh", "CONTROL_CHARACTER"),
        ("taxonomy_codes.1", "UNKNOWN_TAXONOMY"),
        ("editions.1", "UNKNOWN_EDITION"),
        ("claims.0.criterion", "WRONG_SIDE"),
        ("claims.2.criterion", "DUPLICATE"),
        ("claims.3.evidence", "EVIDENCE_REQUIRED"),
        ("claims.4.criterion", "UNKNOWN_CRITERION"),
        ("details.salary_max_wan", "RANGE"),
        ("expires_on", "IN_THE_PAST"),
    ]
    by_field = {f.field: f.message for f in fields}
    assert "U+0007" in by_field["title.zh"].zh and "U+0007" in by_field["title.zh"].en
    assert "X99" in by_field["taxonomy_codes.1"].zh and "X99" in by_field["taxonomy_codes.1"].en
    assert "CQ1999" in by_field["editions.1"].zh and "CQ1999" in by_field["editions.1"].en
    wrong_side = by_field["claims.0.criterion"]
    assert wrong_side.zh == "资格条件“拥有国家级或省级平台、重点实验室”不适用于人才（供给方）"
    assert wrong_side.en == "KEY_PLATFORMS is not a criterion for this side (supplier)"
    assert by_field["claims.4.criterion"].en == "unknown criterion: TELEPATHY"


def test_a_demand_without_any_claim_is_refused_with_the_other_problems() -> None:
    fields = problems(
        channel=Channel.PROJECT_COOPERATION,
        claims=[],
        title_zh=None,
        title_en=" ",
        taxonomy_codes=[],
        editions=[],
        details=ProjectCooperation(Stage.IDEA, 10, IpStatus.NONE, ()),
    )
    assert where(fields) == [
        ("title", "REQUIRED"),
        ("taxonomy_codes", "REQUIRED"),
        ("editions", "REQUIRED"),
        ("claims", "NO_ELIGIBILITY"),
        ("details.trl", "RANGE"),
        ("details.sought", "REQUIRED"),
    ]
    no_claims = {f.field: f.message for f in fields}["claims"]
    assert no_claims.zh == "请至少声明一项资格条件并提供依据"
    assert no_claims.en == "claim at least one eligibility criterion, with evidence"


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"claims": []}, [("claims", "NO_ELIGIBILITY")]),
        (
            {
                "channel": Channel.PROJECT_COOPERATION,
                "claims": [ClaimInput("INVESTMENT_CAPABILITY", "有基金")],
            },
            [("claims.0.criterion", "WRONG_SIDE")],
        ),
        (
            {"claims": [ClaimInput("BOTTLENECK_TECHNOLOGY", "talent's criterion")]},
            [("claims.0.criterion", "WRONG_SIDE")],
        ),
        (
            {"claims": [ClaimInput("KEY_PLATFORMS", "a"), ClaimInput("KEY_PLATFORMS", "b")]},
            [("claims.1.criterion", "DUPLICATE")],
        ),
        ({"claims": [ClaimInput("KEY_PLATFORMS")]}, [("claims.0.evidence", "EVIDENCE_REQUIRED")]),
        (
            {"claims": [ClaimInput("KEY_PLATFORMS", " \t ")]},
            [("claims.0.evidence", "EVIDENCE_REQUIRED")],
        ),
        ({"taxonomy_codes": ["C99-NOPE"]}, [("taxonomy_codes.0", "UNKNOWN_TAXONOMY")]),
        ({"editions": ["CQ2025"]}, [("editions.0", "UNKNOWN_EDITION")]),
        (
            {
                "channel": Channel.PROJECT_COOPERATION,
                "details": replace(COOPERATION, trl=0),
            },
            [("details.trl", "RANGE")],
        ),
        (
            {
                "channel": Channel.PROJECT_COOPERATION,
                "details": replace(COOPERATION, trl=10),
            },
            [("details.trl", "RANGE")],
        ),
        (
            {
                "channel": Channel.JOB_SEEKING,
                "details": JobSeeking("工程师", WorkMode.PART_TIME, None, 50, 49),
            },
            [("details.salary_max_wan", "RANGE")],
        ),
        ({"details": DETAILS[Channel.TALENT_RECRUITMENT]}, [("details", "WRONG_DETAILS")]),
        (
            {"channel": Channel.JOB_SEEKING, "details": DETAILS[Channel.PROJECT_COOPERATION]},
            [("details", "WRONG_DETAILS")],
        ),
        ({"expires_on": TODAY - timedelta(days=1)}, [("expires_on", "IN_THE_PAST")]),
        ({"title_zh": "标题\x1b[31m"}, [("title.zh", "CONTROL_CHARACTER")]),
        ({"title_en": "Title\u202eevil"}, [("title.en", "CONTROL_CHARACTER")]),
        ({"title_en": "Two\nlines"}, [("title.en", "LINE_BREAK")]),
        ({"title_zh": "渝" * 201}, [("title.zh", "TOO_LONG")]),
        (
            {
                "channel": Channel.TALENT_RECRUITMENT,
                "details": TalentRecruitment(0, Degree.PHD, WorkMode.FULL_TIME, None, "999999"),
            },
            [("details.positions", "RANGE"), ("details.location_district", "UNKNOWN_DISTRICT")],
        ),
    ],
    ids=[
        "no-claims",
        "demander-criterion-on-talent-channel",
        "supplier-criterion-on-organisation-channel",
        "duplicate-claim",
        "claim-without-evidence",
        "claim-with-blank-evidence",
        "unknown-taxonomy",
        "unknown-edition",
        "trl-0",
        "trl-10",
        "salary-max-below-min",
        "recruitment-details-on-landing",
        "cooperation-details-on-job-seeking",
        "expiry-in-the-past",
        "escape-in-title",
        "bidi-override-in-title",
        "line-break-in-title",
        "title-too-long",
        "no-positions-and-unknown-district",
    ],
)
def test_each_problem_is_named_by_field_and_code(
    overrides: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    assert where(problems(**overrides)) == expected


@pytest.mark.parametrize("trl", [1, 9])
def test_the_trl_bounds_are_inclusive(trl: int) -> None:
    details = replace(COOPERATION, trl=trl)
    c = content(Channel.PROJECT_COOPERATION, details=details)
    assert isinstance(c.details, ProjectCooperation) and c.details.trl == trl


def test_an_equal_salary_range_is_fine() -> None:
    details = JobSeeking("工程师", WorkMode.PART_TIME, None, 50, 50)
    assert content(Channel.JOB_SEEKING, details=details).details == details


def test_field_paths_get_the_prefix() -> None:
    fields = problems(claims=[], editions=["X"], prefix="rows.7.")
    assert where(fields) == [
        ("rows.7.editions.0", "UNKNOWN_EDITION"),
        ("rows.7.claims", "NO_ELIGIBILITY"),
    ]


# -- the state machine ----------------------------------------------------------------------

LATER = at(30)

ACTIONS: dict[str, Callable[[Demand, Actor], Demand]] = {
    "edit": lambda d, a: d.edit(d.content, a, LATER),
    "submit": lambda d, a: d.submit(a, LATER),
    "start_review": lambda d, a: d.start_review(a, LATER),
    "review_claim": lambda d, a: d.review_claim(
        d.content.claims[0].criterion, ClaimReview.CONFIRMED, a, LATER, None
    ),
    "publish": lambda d, a: d.publish(a, LATER),
    "send_back": lambda d, a: d.send_back(a, LATER, "请补充证明材料"),
    "reject": lambda d, a: d.reject(a, LATER, "不符合条件"),
    "withdraw": lambda d, a: d.withdraw(a, LATER, None),
    "expire": lambda d, a: d.expire(a, LATER),
    "reactivate": lambda d, a: d.reactivate("CQ2027", a, LATER),
}

#: every legal (status, action) and where it leads; everything else is ILLEGAL_TRANSITION
LEGAL: dict[tuple[Status, str], Status] = {
    (Status.DRAFT, "edit"): Status.DRAFT,
    (Status.DRAFT, "submit"): Status.SUBMITTED,
    (Status.DRAFT, "withdraw"): Status.WITHDRAWN,
    (Status.SUBMITTED, "edit"): Status.SUBMITTED,
    (Status.SUBMITTED, "start_review"): Status.UNDER_REVIEW,
    (Status.SUBMITTED, "withdraw"): Status.WITHDRAWN,
    (Status.UNDER_REVIEW, "review_claim"): Status.UNDER_REVIEW,
    (Status.UNDER_REVIEW, "publish"): Status.PUBLISHED,
    (Status.UNDER_REVIEW, "send_back"): Status.RETURNED,
    (Status.UNDER_REVIEW, "reject"): Status.REJECTED,
    (Status.UNDER_REVIEW, "withdraw"): Status.WITHDRAWN,
    (Status.RETURNED, "edit"): Status.RETURNED,
    (Status.RETURNED, "submit"): Status.SUBMITTED,
    (Status.RETURNED, "withdraw"): Status.WITHDRAWN,
    (Status.PUBLISHED, "edit"): Status.SUBMITTED,
    (Status.PUBLISHED, "withdraw"): Status.WITHDRAWN,
    (Status.PUBLISHED, "expire"): Status.EXPIRED,
    (Status.PUBLISHED, "reactivate"): Status.SUBMITTED,
    (Status.WITHDRAWN, "reactivate"): Status.SUBMITTED,
    (Status.EXPIRED, "reactivate"): Status.SUBMITTED,
}


@pytest.mark.parametrize(
    ("status", "action"),
    list(itertools.product(Status, ACTIONS)),
    ids=[f"{s.value}-{a}" for s, a in itertools.product(Status, ACTIONS)],
)
def test_every_status_and_action(status: Status, action: str) -> None:
    """Operators may do everything, so only the status decides here."""
    before = demand(status=status, confirmed=True)
    expected = LEGAL.get((status, action))
    if expected is None:
        error = refused(lambda: ACTIONS[action](before, OPERATOR), "ILLEGAL_TRANSITION", 409)
        # Chinese names the status and the action in Chinese: no English word in it.
        assert STATUS_ZH[status] in error.message.zh
        assert not re.search("[A-Za-z]", error.message.zh), error.message.zh
        assert error.message.en.startswith("cannot ")
        assert error.message.en.endswith(f"a demand that is {status.value}")
        return
    after = ACTIONS[action](before, OPERATOR)
    assert after.status is expected
    assert after.revision == before.revision + 1
    assert after.updated_at == LATER
    in_place = action == "review_claim" or (
        action == "edit" and status in (Status.DRAFT, Status.RETURNED)
    )
    if in_place:
        assert after.history == ()
    else:
        assert after.history == (
            Transition(expected, "acc_operator", "OPERATOR", LATER, REASONS.get(action)),
        )


REASONS = {
    "edit": "edited",
    "send_back": "请补充证明材料",
    "reject": "不符合条件",
    "expire": "deadline passed",
    "reactivate": "reactivated for CQ2027",
}


def test_the_review_path_from_draft_to_published_records_who_when_and_why() -> None:
    d = demand()
    d = d.submit(ORG_OWNER, at(1))
    d = d.start_review(OFFICER_HERE, at(2))
    d = d.review_claim(
        Criterion.KEY_PLATFORMS, ClaimReview.CONFIRMED, OFFICER_HERE, at(3), "证书已核"
    )
    d = d.review_claim(
        Criterion.COOPERATION_INTENTION, ClaimReview.REJECTED, OFFICER_HERE, at(4), "无依据"
    )
    assert d.status is Status.UNDER_REVIEW
    d = d.publish(OFFICER_HERE, at(5))

    assert d.status is Status.PUBLISHED
    assert d.history == (
        Transition(Status.SUBMITTED, "acc_org_owner", "ORGANISATION", at(1), None),
        Transition(Status.UNDER_REVIEW, OFFICER_HERE.account_id, "DISTRICT_OFFICER", at(2), None),
        Transition(Status.PUBLISHED, OFFICER_HERE.account_id, "DISTRICT_OFFICER", at(5), None),
    )
    assert d.revision == 6
    assert d.published_revision == 6
    assert d.updated_at == at(5)
    platforms, intention = d.content.claims
    assert (
        platforms.review,
        platforms.reviewed_by,
        platforms.reviewed_at,
        platforms.review_note,
    ) == (
        ClaimReview.CONFIRMED,
        OFFICER_HERE.account_id,
        at(3),
        "证书已核",
    )
    assert (intention.review, intention.review_note) == (ClaimReview.REJECTED, "无依据")


def test_returned_edited_and_resubmitted() -> None:
    d = demand(status=Status.UNDER_REVIEW)
    d = d.send_back(OFFICER_HERE, at(1), "请补充平台证书")
    assert d.status is Status.RETURNED
    assert d.history[-1] == Transition(
        Status.RETURNED, OFFICER_HERE.account_id, "DISTRICT_OFFICER", at(1), "请补充平台证书"
    )
    edited = d.edit(
        content(claims=[ClaimInput("KEY_PLATFORMS", "证书编号 CQ-2024-001")]), ORG_OWNER, at(2)
    )
    assert edited.status is Status.RETURNED
    assert edited.history == d.history  # an edit in place is not a transition
    assert edited.revision == d.revision + 1
    assert edited.content.claims[0].evidence == "证书编号 CQ-2024-001"
    resubmitted = edited.submit(ORG_OWNER, at(3))
    assert resubmitted.status is Status.SUBMITTED
    assert resubmitted.history[-1] == Transition(
        Status.SUBMITTED, "acc_org_owner", "ORGANISATION", at(3), None
    )


def test_published_then_withdrawn_with_a_reason() -> None:
    d = demand(status=Status.PUBLISHED).withdraw(ORG_OWNER, at(1), "项目已落地")
    assert d.status is Status.WITHDRAWN
    assert d.history[-1] == Transition(
        Status.WITHDRAWN, "acc_org_owner", "ORGANISATION", at(1), "项目已落地"
    )


def test_a_published_demand_is_due_the_day_after_its_deadline() -> None:
    deadline = date(2026, 7, 1)
    d = demand(status=Status.PUBLISHED, expires_on=deadline)
    assert not d.is_due(deadline - timedelta(days=1))
    assert not d.is_due(deadline)
    assert d.is_due(deadline + timedelta(days=1))
    assert not demand(status=Status.PUBLISHED).is_due(date(2099, 1, 1))  # no deadline
    for status in Status:
        if status is not Status.PUBLISHED:
            assert not replace(d, status=status).is_due(deadline + timedelta(days=1)), status

    expired = d.expire(SERVICE, at(1))
    assert expired.status is Status.EXPIRED
    assert expired.history[-1] == Transition(
        Status.EXPIRED, "svc_importer", "SERVICE", at(1), "deadline passed"
    )
    assert not expired.is_due(deadline + timedelta(days=1))


def test_an_expired_demand_is_reactivated_for_a_new_edition_and_reviewed_again() -> None:
    d = demand(status=Status.EXPIRED, confirmed=True, expires_on=TODAY)
    again = d.reactivate("CQ2027", ORG_OWNER, at(1))
    assert again.status is Status.SUBMITTED
    assert again.content.editions == ("CQ2026", "CQ2027")
    assert again.content.expires_on is None
    assert again.history[-1] == Transition(
        Status.SUBMITTED, "acc_org_owner", "ORGANISATION", at(1), "reactivated for CQ2027"
    )
    twice = again.start_review(OPERATOR, at(2)).publish(OPERATOR, at(3))
    assert twice.reactivate("CQ2027", ORG_OWNER, at(4)).content.editions == ("CQ2026", "CQ2027")
    events = demand_events(d, again)
    assert [type(e) for e in events] == [DemandUpdated, DemandSubmitted]
    submitted = events[1]
    assert isinstance(submitted, DemandSubmitted)
    assert submitted.data.demand.editions == ("CQ2026", "CQ2027")
    assert submitted.data.reason == "reactivated for CQ2027"


def test_publishing_needs_every_claim_reviewed_and_one_confirmed() -> None:
    d = demand(status=Status.UNDER_REVIEW)
    error = refused(lambda: d.publish(OPERATOR, at(1)), "CLAIMS_NOT_REVIEWED", 409)
    assert error.message.en == "confirm or reject every claim first"

    one = d.review_claim(Criterion.KEY_PLATFORMS, ClaimReview.CONFIRMED, OPERATOR, at(1), None)
    refused(lambda: one.publish(OPERATOR, at(2)), "CLAIMS_NOT_REVIEWED", 409)

    rejected = d
    for criterion in (Criterion.KEY_PLATFORMS, Criterion.COOPERATION_INTENTION):
        rejected = rejected.review_claim(criterion, ClaimReview.REJECTED, OPERATOR, at(2), "否")
    error = refused(lambda: rejected.publish(OPERATOR, at(3)), "NO_CONFIRMED_CLAIM", 409)
    assert error.message.en == "at least one claim must be confirmed"

    mixed = one.review_claim(
        Criterion.COOPERATION_INTENTION, ClaimReview.REJECTED, OPERATOR, at(3), None
    )
    assert mixed.publish(OPERATOR, at(4)).status is Status.PUBLISHED


def test_a_review_of_a_criterion_not_claimed_is_404() -> None:
    d = demand(status=Status.UNDER_REVIEW)
    error = refused(
        lambda: d.review_claim(
            Criterion.SUPPORT_POLICIES, ClaimReview.CONFIRMED, OPERATOR, T0, None
        ),
        "NO_SUCH_CLAIM",
        404,
    )
    assert "SUPPORT_POLICIES" in error.message.zh and "SUPPORT_POLICIES" in error.message.en


def test_editing_a_published_demand_sends_it_back_to_review_with_two_events() -> None:
    before = demand(status=Status.PUBLISHED, confirmed=True)
    after = before.edit(content(title_en="Joint R&D, revised"), ORG_OWNER, at(1))
    assert after.status is Status.SUBMITTED
    assert after.history[-1] == Transition(
        Status.SUBMITTED, "acc_org_owner", "ORGANISATION", at(1), "edited"
    )
    events = demand_events(before, after)
    assert [type(e) for e in events] == [DemandUpdated, DemandSubmitted]
    for event in events:
        assert isinstance(event, DemandUpdated | DemandSubmitted)
        assert event.subject == "dem_1"
        assert event.sequence == after.revision
        assert event.data.demand.status == "SUBMITTED"
        assert event.data.demand.title.en == "Joint R&D, revised"
        assert (event.data.by_role, event.data.reason) == ("ORGANISATION", "edited")

    unchanged = before.edit(before.content, ORG_OWNER, at(1))
    assert [type(e) for e in demand_events(before, unchanged)] == [DemandSubmitted]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Status.DRAFT, Status.DRAFT),
        (Status.RETURNED, Status.RETURNED),
        (Status.SUBMITTED, Status.SUBMITTED),
    ],
)
def test_editing_before_publication_only_announces_the_update(
    status: Status, expected: Status
) -> None:
    before = demand(status=status)
    after = before.edit(content(title_en="Revised"), ORG_OWNER, at(1))
    assert after.status is expected
    assert [type(e) for e in demand_events(before, after)] == [DemandUpdated]


@pytest.mark.parametrize(
    ("status", "action", "event"),
    [
        (Status.DRAFT, "submit", DemandSubmitted),
        (Status.UNDER_REVIEW, "publish", DemandPublished),
        (Status.UNDER_REVIEW, "send_back", DemandReturned),
        (Status.UNDER_REVIEW, "reject", DemandRejected),
        (Status.PUBLISHED, "withdraw", DemandWithdrawn),
        (Status.PUBLISHED, "expire", DemandExpired),
        (Status.SUBMITTED, "start_review", None),
    ],
)
def test_each_transition_announces_itself(
    status: Status, action: str, event: type[Event] | None
) -> None:
    before = demand(status=status, confirmed=True)
    after = ACTIONS[action](before, OPERATOR)
    events = demand_events(before, after)
    assert [type(e) for e in events] == ([event] if event else [])
    for e in events:
        assert e.subject == "dem_1"
        assert e.sequence == after.revision
        assert isinstance(e.data, DemandTransition)
        assert e.data.demand.status == after.status.value
        assert e.data.reason == after.history[-1].reason
        assert e.data.by_role == "OPERATOR"


def test_a_new_draft_announces_nothing_and_a_new_submission_announces_itself() -> None:
    draft = demand()
    assert demand_events(None, draft) == []
    submitted = draft.submit(ORG_OWNER, T0)
    [event] = demand_events(None, submitted)
    assert isinstance(event, DemandSubmitted)


def test_review_decisions_survive_an_edit_that_keeps_the_evidence() -> None:
    d = demand(status=Status.UNDER_REVIEW)
    d = d.review_claim(Criterion.KEY_PLATFORMS, ClaimReview.CONFIRMED, OFFICER_HERE, at(1), "核实")
    d = d.review_claim(
        Criterion.COOPERATION_INTENTION, ClaimReview.REJECTED, OFFICER_HERE, at(2), None
    )
    d = d.publish(OFFICER_HERE, at(3))

    edited = d.edit(
        content(
            title_zh="新标题",
            claims=[
                ClaimInput("KEY_PLATFORMS", "重庆市工程技术研究中心"),  # same evidence
                ClaimInput("COOPERATION_INTENTION", "已签署合作备忘录"),  # new evidence
                ClaimInput("SUPPORT_POLICIES", "区级落地补贴"),  # new claim
            ],
        ),
        ORG_OWNER,
        at(4),
    )
    kept, changed, added = edited.content.claims
    assert (kept.criterion, kept.review, kept.reviewed_by, kept.reviewed_at, kept.review_note) == (
        Criterion.KEY_PLATFORMS,
        ClaimReview.CONFIRMED,
        OFFICER_HERE.account_id,
        at(1),
        "核实",
    )
    assert (changed.criterion, changed.review, changed.evidence) == (
        Criterion.COOPERATION_INTENTION,
        ClaimReview.PENDING,
        "已签署合作备忘录",
    )
    assert changed.reviewed_by is None
    assert (added.criterion, added.review) == (Criterion.SUPPORT_POLICIES, ClaimReview.PENDING)
    assert edited.content.title.zh == "新标题"


def test_a_new_evidence_file_is_kept_and_reviewed_again() -> None:
    old, new = (
        Attachment(f"att_{x}", f"{x}.pdf", "application/pdf", 10, "0" * 64) for x in ("old", "new")
    )
    d = demand(
        status=Status.PUBLISHED,
        confirmed=True,
        claims=[ClaimInput("KEY_PLATFORMS", "证书", "att_old")],
        attachments=(old,),
    )
    edited = d.edit(
        content(claims=[ClaimInput("KEY_PLATFORMS", "证书", "att_new")], attachments=(new,)),
        ORG_OWNER,
        at(1),
    )
    [claim] = edited.content.claims
    assert claim.evidence_file == "att_new"
    assert claim.review is ClaimReview.PENDING


def test_an_edit_cannot_change_the_channel() -> None:
    d = demand(Channel.PROJECT_LANDING, Status.DRAFT)
    other = content(Channel.TALENT_RECRUITMENT)
    error = refused(lambda: d.edit(other, ORG_OWNER, at(1)), "VALIDATION_FAILED", 422)
    assert [(f.field, f.code) for f in error.fields] == [("details", "WRONG_DETAILS")]


# -- who may do what ---------------------------------------------------------------------

ACTORS: dict[str, Actor] = {
    "org-owner": ORG_OWNER,
    "talent-owner": TALENT_OWNER,
    "other-org": OTHER_ORG,
    "other-talent": OTHER_TALENT,
    "officer-here": OFFICER_HERE,
    "officer-there": OFFICER_THERE,
    "operator": OPERATOR,
    "admin": ADMIN,
    "service": SERVICE,
    "investor": INVESTOR,
    "public": PUBLIC,
}

#: (may edit, may review) an organisation's demand in YUZHONG
ON_ORG_DEMAND = {
    "org-owner": (True, False),
    "officer-here": (True, True),
    "operator": (True, True),
    "admin": (True, True),
    "service": (True, False),
}
#: (may edit, may review) a talent's demand (no district: operators review)
ON_TALENT_DEMAND = {
    "talent-owner": (True, False),
    "operator": (True, True),
    "admin": (True, True),
    "service": (True, False),
}


@pytest.mark.parametrize("name", list(ACTORS))
@pytest.mark.parametrize("channel", [Channel.PROJECT_LANDING, Channel.JOB_SEEKING])
def test_who_may_edit_review_and_view(channel: Channel, name: str) -> None:
    actor = ACTORS[name]
    table = ON_ORG_DEMAND if owner_kind(channel) == "organisation" else ON_TALENT_DEMAND
    may_edit, may_review = table.get(name, (False, False))
    draft = demand(channel)
    assert draft.may_edit(actor) is may_edit
    assert draft.may_review(actor) is may_review
    assert draft.may_view(actor) is may_edit
    owner = "org-owner" if owner_kind(channel) == "organisation" else "talent-owner"
    assert draft.is_owner(actor) is (name == owner)
    for status in Status:
        assert replace(draft, status=status).may_view(actor) is (
            may_edit or status is Status.PUBLISHED
        ), status


#: the status in which each action would be legal
LEGAL_IN = {
    "edit": Status.DRAFT,
    "submit": Status.DRAFT,
    "withdraw": Status.DRAFT,
    "reactivate": Status.EXPIRED,
    "start_review": Status.SUBMITTED,
    "review_claim": Status.UNDER_REVIEW,
    "publish": Status.UNDER_REVIEW,
    "send_back": Status.UNDER_REVIEW,
    "reject": Status.UNDER_REVIEW,
}
REVIEWING = {"start_review", "review_claim", "publish", "send_back", "reject"}


@pytest.mark.parametrize("action", list(LEGAL_IN))
@pytest.mark.parametrize("name", list(ACTORS))
def test_an_action_is_allowed_exactly_to_those_who_may(name: str, action: str) -> None:
    actor = ACTORS[name]
    may_edit, may_review = ON_ORG_DEMAND.get(name, (False, False))
    allowed = may_review if action in REVIEWING else may_edit
    before = demand(status=LEGAL_IN[action], confirmed=True)
    if allowed:
        after = ACTIONS[action](before, actor)
        assert after.revision == before.revision + 1
        return
    error = refused(lambda: ACTIONS[action](before, actor), "FORBIDDEN", 403)
    assert error.message.en.startswith("you may not ")


@pytest.mark.parametrize("action", list(LEGAL_IN))
@pytest.mark.parametrize("name", list(ACTORS))
def test_on_a_talents_demand_only_the_talent_and_the_staff_may_act(name: str, action: str) -> None:
    actor = ACTORS[name]
    may_edit, may_review = ON_TALENT_DEMAND.get(name, (False, False))
    allowed = may_review if action in REVIEWING else may_edit
    before = demand(Channel.PROJECT_COOPERATION, LEGAL_IN[action], confirmed=True)
    if allowed:
        assert ACTIONS[action](before, actor).revision == before.revision + 1
    else:
        refused(lambda: ACTIONS[action](before, actor), "FORBIDDEN", 403)


@pytest.mark.parametrize("action", ["withdraw", "publish", "edit", "reactivate"])
@pytest.mark.parametrize("name", [n for n in ACTORS if n not in ON_ORG_DEMAND])
def test_permission_is_checked_before_the_status(name: str, action: str) -> None:
    """Someone who may not act learns nothing about where the demand stands."""
    rejected = demand(status=Status.REJECTED)
    refused(lambda: ACTIONS[action](rejected, ACTORS[name]), "FORBIDDEN", 403)
