"""The terms of an agreement, which every party confirms by signing: its title,
cooperation type, amounts, landing district, edition and documents."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from boyin_agreements.agreements.amounts import NO_AMOUNTS, Amounts, checked_amounts
from boyin_agreements.agreements.refusals import error
from boyin_shared.api.agreements import CooperationType, DocumentKind, TermsIn
from boyin_shared.errors import FieldError, invalid
from boyin_shared.text import clean


@dataclass(frozen=True)
class Text:
    """Text in Chinese, English or both."""

    zh: str | None = None
    en: str | None = None

    def best(self, lang: str = "zh") -> str:
        first, second = (self.zh, self.en) if lang == "zh" else (self.en, self.zh)
        return first or second or ""

    def __bool__(self) -> bool:
        return bool(self.zh or self.en)


NO_TEXT = Text()


@dataclass(frozen=True)
class Document:
    """A document of the agreement: its file is in the attachment store."""

    attachment_id: str
    name: str
    kind: DocumentKind


@dataclass(frozen=True)
class Terms:
    """Checked terms (see :func:`checked_terms`)."""

    title: Text = NO_TEXT
    cooperation_type: CooperationType | None = None
    amounts: Amounts = NO_AMOUNTS
    district_code: str | None = None
    edition_id: str | None = None
    #: added and removed one by one (:func:`with_document`), not with the terms
    documents: tuple[Document, ...] = ()


NO_TERMS = Terms()


def checked_terms(raw: TermsIn, out: list[FieldError]) -> Terms:
    """The terms cleaned and checked, without documents (they come and go one by one,
    :func:`with_document`); every problem is added to ``out``."""
    title = Text(
        _line(raw.title.zh, "title.zh", 200, out),
        _line(raw.title.en, "title.en", 200, out),
    )
    return Terms(
        title=title,
        cooperation_type=raw.cooperation_type,
        amounts=checked_amounts(raw.amounts, out),
        district_code=_line(raw.district_code, "district_code", 20, out),
        edition_id=_line(raw.edition_id, "edition_id", 50, out),
    )


def with_document(terms: Terms, document: Document) -> Terms:
    """``terms`` with ``document`` added, cleaned; every problem refused at once."""
    out: list[FieldError] = []
    attachment = _line(document.attachment_id, "attachment_id", 100, out)
    name = _line(document.name, "name", 200, out)
    if not attachment:
        out.append(error("attachment_id", "REQUIRED", "请上传文件", "no file given"))
    elif attachment in (d.attachment_id for d in terms.documents):
        out.append(
            error("attachment_id", "DUPLICATE", "该文件已在协议中", "the file is already attached")
        )
    if not name:
        out.append(error("name", "REQUIRED", "请填写文件名称", "a document needs a name"))
    if out or not (attachment and name):
        raise invalid(out)
    added = Document(attachment, name, document.kind)
    return dataclasses.replace(terms, documents=(*terms.documents, added))


def without_document(terms: Terms, attachment_id: str) -> Terms:
    """``terms`` without the document of ``attachment_id`` (refused when it has none)."""
    kept = tuple(d for d in terms.documents if d.attachment_id != attachment_id)
    if len(kept) == len(terms.documents):
        raise invalid(
            [error("attachment_id", "NOT_ATTACHED", "协议中没有该文件", "no such document")]
        )
    return dataclasses.replace(terms, documents=kept)


def missing_for_draft(terms: Terms) -> list[FieldError]:
    """What a draft must state and these terms do not: the title, the cooperation type,
    the landing district and the edition."""
    out = []
    if not terms.title:
        out.append(error("title", "REQUIRED", "草拟协议须有标题", "a draft needs a title"))
    if terms.cooperation_type is None:
        out.append(
            error("cooperation_type", "REQUIRED", "请选择合作方式", "choose the cooperation type")
        )
    if terms.district_code is None:
        out.append(
            error("district_code", "REQUIRED", "请填写落地区县", "name the district it lands in")
        )
    if terms.edition_id is None:
        out.append(error("edition_id", "REQUIRED", "请选择届次", "choose the fair's edition"))
    return out


def _line(value: str | None, name: str, max_length: int, out: list[FieldError]) -> str | None:
    """One line of text, trimmed (None when empty or refused)."""
    if value is None:
        return None
    cleaned = clean(value, name, max_length=max_length)
    if isinstance(cleaned, FieldError):
        out.append(cleaned)
        return None
    return cleaned or None
