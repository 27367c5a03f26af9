"""An agreement's documents (pure): added and removed one by one by its parties and staff,
their files in the attachment store. Before signing a change clears the confirmations;
after signing documents are added as a record and none is removed; amended terms keep
them; bad ones are refused naming every field at once."""

from __future__ import annotations

from boyin_agreements.agreements.terms import Document, Text
from boyin_shared.api.agreements import DocumentKind, TextIn
from boyin_shared.contracts.attachments import AttachmentHeld, AttachmentReleased
from tests.agreements.support import (
    DRAFT_CONTRACT,
    OFFICER,
    ORG,
    STRANGER,
    TALENT,
    TERMS,
    S,
    drafted,
    later,
    negotiating,
    refused,
    signed,
)

ANNEX = Document("att_2", "  附件一.pdf ", DocumentKind.ANNEX)


def test_a_party_adds_a_document_and_a_draft_is_confirmed_again() -> None:
    a, _ = drafted().confirm_signature(ORG, "org_1", later(4))
    a, events = a.attach_document(TALENT, ANNEX, later(5))
    # the registry learns that the agreement holds the file (it must not remove it)
    assert [(type(e), e.subject, e.data.model_dump()["holder_id"]) for e in events] == [
        (AttachmentHeld, "att_2", a.id)
    ]
    assert a.terms.documents == (DRAFT_CONTRACT, Document("att_2", "附件一.pdf", ANNEX.kind))
    assert a.confirmations == () and a.confirmations_reset is not None
    assert a.confirmations_reset.parties == ("org_1",)


def test_amended_terms_keep_the_documents() -> None:
    a, _ = negotiating().amend(
        ORG, TERMS.model_copy(update={"title": TextIn(zh="新", en="New")}), later(4)
    )
    assert a.terms.title == Text("新", "New")
    assert a.terms.documents == (DRAFT_CONTRACT,)


def test_a_terminated_agreement_takes_no_document() -> None:
    ended, _ = negotiating().terminate(ORG, later(4), "withdrawn")
    with refused("AGREEMENT_CLOSED", 409, "stage"):
        ended.attach_document(ORG, ANNEX, later(5))


def test_a_signed_agreement_takes_the_signed_contract_as_a_record() -> None:
    done = signed()
    contract = Document("att_9", "合同定稿.pdf", DocumentKind.SIGNED_CONTRACT)
    a, _ = done.attach_document(ORG, contract, later(10))
    assert a.terms.documents[-1] == contract
    assert a.stage is S.SIGNED and a.confirmations == done.confirmations
    with refused("TERMS_SIGNED", 409, "stage"):
        a.detach_document(ORG, "att_9", later(11))


def test_a_document_is_removed_before_signing() -> None:
    a, events = negotiating().detach_document(ORG, "att_1", later(4))
    assert [(type(e), e.subject, e.data.model_dump()["holder_id"]) for e in events] == [
        (AttachmentReleased, "att_1", a.id)
    ]
    assert a.terms.documents == ()
    with refused("VALIDATION_FAILED", 422, "attachment_id"):
        a.detach_document(ORG, "att_1", later(5))


def test_bad_documents_are_refused_naming_every_field() -> None:
    with refused("VALIDATION_FAILED", 422, "attachment_id", "name"):
        negotiating().attach_document(TALENT, Document(" ", "\n", DocumentKind.OTHER), later(4))
    with refused("VALIDATION_FAILED", 422, "attachment_id", "name"):
        negotiating().attach_document(TALENT, Document("att_1", "", DocumentKind.OTHER), later(4))


def test_only_parties_and_staff_change_documents() -> None:
    for actor in (STRANGER, OFFICER):
        with refused("FORBIDDEN", 403):
            negotiating().attach_document(actor, ANNEX, later(4))
        with refused("FORBIDDEN", 403):
            negotiating().detach_document(actor, "att_1", later(4))
