"""From privacy's domain objects to the registry's API models."""

from __future__ import annotations

from boyin_registry.reference.domain import PrivacyNotice
from boyin_shared.api.registry import AuditEntryOut, NoticeOut


def notice_out(n: PrivacyNotice) -> NoticeOut:
    return NoticeOut(
        version=n.version,
        text={"zh": n.text_zh, "en": n.text_en},
        purposes={k: {"zh": zh, "en": en} for k, (zh, en) in n.purposes.items()},
    )


def audit_entry_out(entry: dict[str, str]) -> AuditEntryOut:
    """One entry of the audit log (:meth:`AuditLog.of_subject`) as the API answers it."""
    return AuditEntryOut.model_validate(entry)
