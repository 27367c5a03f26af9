"""The errors agreements raise (pure): every one in Chinese and English, naming the
field it is about where there is one."""

from __future__ import annotations

from boyin_shared.api.agreements import AgreementStage
from boyin_shared.errors import BoyinError, FieldError, Message, forbidden

#: each stage in Chinese (for messages; the enum's values are English)
STAGE_ZH: dict[AgreementStage, str] = {
    AgreementStage.INTENTION: "意向",
    AgreementStage.NEGOTIATING: "洽谈中",
    AgreementStage.DRAFTED: "已起草",
    AgreementStage.SIGNED: "已签约",
    AgreementStage.IMPLEMENTING: "实施中",
    AgreementStage.LANDED: "已落地",
    AgreementStage.TERMINATED: "已终止",
}


def error(field: str, code: str, zh: str, en: str) -> FieldError:
    return FieldError(field, code, Message(zh, en))


def refuse(code: str, zh: str, en: str, *fields: FieldError) -> BoyinError:
    """A change the agreement's state does not allow (HTTP 409), with the fields it is
    about."""
    return BoyinError(code=code, message=Message(zh, en), fields=list(fields), status=409)


def not_yours(zh: str, en: str) -> BoyinError:
    return forbidden(Message(zh, en))


def closed(stage: AgreementStage) -> BoyinError:
    """Nothing changes a landed or terminated agreement any more."""
    return refuse(
        "AGREEMENT_CLOSED",
        f"协议{STAGE_ZH[stage]}，不能再更改",
        f"the agreement is {stage.value.lower()}: it cannot change any more",
        error("stage", "CLOSED", f"当前阶段：{STAGE_ZH[stage]}", f"current stage: {stage.value}"),
    )


def wrong_stage(
    stage: AgreementStage, allowed: tuple[AgreementStage, ...], zh: str, en: str
) -> BoyinError:
    """``zh``/``en`` say what was attempted; the message adds in which stages it can be."""
    zh_allowed = "、".join(STAGE_ZH[s] for s in allowed)
    en_allowed = ", ".join(s.value for s in allowed)
    return refuse(
        "WRONG_STAGE",
        f"{zh}只能在以下阶段进行：{zh_allowed}（当前：{STAGE_ZH[stage]}）",
        f"{en} only in these stages: {en_allowed} (now {stage.value})",
        error(
            "stage", "WRONG_STAGE", f"当前阶段：{STAGE_ZH[stage]}", f"current stage: {stage.value}"
        ),
    )


def signatures_missing(waiting: tuple[str, ...]) -> BoyinError:
    """Signing before every party confirmed (``waiting``: those that did not)."""
    return refuse(
        "SIGNATURES_MISSING",
        f"须各方均确认签字后才能签约（尚未确认：{'、'.join(waiting)}）",
        f"signing needs every party's confirmation (not yet: {', '.join(waiting)})",
        *(
            error(f"confirmations.{p}", "NOT_CONFIRMED", "尚未确认签字", "not confirmed yet")
            for p in waiting
        ),
    )
