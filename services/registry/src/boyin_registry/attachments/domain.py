"""What an attachment is and which files are accepted (plain Python).

A file is accepted only when its bytes are what its type claims (PDF, PNG, JPEG, or an
Office Open XML document).
"""

from __future__ import annotations

from dataclasses import dataclass

from boyin_shared.errors import BoyinError, FieldError, Message, invalid
from boyin_shared.text import clean

#: content type -> the leading bytes every such file starts with
ALLOWED: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (b"PK\x03\x04",),
}


@dataclass(frozen=True)
class Attachment:
    id: str
    name: str
    content_type: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Uploaded:
    """An attachment and who uploaded it (the uploader and staff may always use it)."""

    attachment: Attachment
    uploaded_by: str


def too_large(limit: int) -> BoyinError:
    mb = limit // (1024 * 1024)
    return BoyinError(
        code="FILE_TOO_LARGE",
        message=Message(f"文件超过 {mb} MB 上限", f"the file is larger than {mb} MB"),
        fields=[FieldError("file", "FILE_TOO_LARGE", Message(f"最大 {mb} MB", f"at most {mb} MB"))],
        status=413,
    )


def over_quota(quota: int) -> BoyinError:
    mb = quota // (1024 * 1024)
    return BoyinError(
        code="UPLOAD_QUOTA_EXCEEDED",
        message=Message(
            f"24 小时内上传的文件已达 {mb} MB 上限，请稍后再传",
            f"you have uploaded {mb} MB in 24 hours, the most allowed; try again later",
        ),
        fields=[
            FieldError(
                "file",
                "UPLOAD_QUOTA_EXCEEDED",
                Message(f"每 24 小时最多 {mb} MB", f"at most {mb} MB in 24 hours"),
            )
        ],
        status=429,
    )


def checked_name(name: str, content_type: str, data: bytes) -> str:
    """The cleaned file name, if the file is acceptable; every problem raised at once."""
    problems = []
    cleaned = clean(name or "", "file.name", max_length=200)
    if isinstance(cleaned, FieldError):
        problems.append(cleaned)
    elif not cleaned:
        problems.append(
            FieldError("file.name", "REQUIRED", Message("文件名不能为空", "the file needs a name"))
        )
    if not data:
        problems.append(FieldError("file", "EMPTY", Message("文件为空", "the file is empty")))
    signatures = ALLOWED.get(content_type)
    if signatures is None:
        problems.append(
            FieldError(
                "file.content_type",
                "FILE_TYPE",
                Message(
                    "仅接受 PDF、PNG、JPEG 和 Office 文档",
                    "only PDF, PNG, JPEG and Office documents",
                ),
            )
        )
    elif data and not data.startswith(signatures):
        problems.append(
            FieldError(
                "file",
                "FILE_CONTENT",
                Message("文件内容与其类型不符", f"the content is not a {content_type} file"),
            )
        )
    if problems:
        raise invalid(problems)
    assert isinstance(cleaned, str)
    return cleaned
