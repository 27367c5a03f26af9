"""GraphQL of an agreement's documents: the file goes into the registry's attachment store
through the gateway's upload path (a GraphQL multipart request, as ``uploadAttachment``),
then the agreements service records it on the agreement by its attachment id. Downloads
are ``GET /files/agreements/{id}/documents/{attachmentId}`` (``boyin_gateway.files``)."""

from __future__ import annotations

import strawberry
from strawberry.file_uploads import Upload

from boyin_gateway.agreement_enums import DocumentKind
from boyin_gateway.agreement_types import Agreement, AgreementResult
from boyin_gateway.clients import ServiceError, sent
from boyin_gateway.context import Context
from boyin_gateway.derived import showing
from boyin_gateway.errors import answered, problem
from boyin_gateway.permissions import SignedIn, guarded_mutation
from boyin_gateway.schema.agreements import sign_in_first
from boyin_gateway.schema.uploads import upload_part
from boyin_gateway.types import InvalidInput
from boyin_shared.api.agreements import DocumentIn

Info = strawberry.Info[Context, None]


@strawberry.type
class AgreementDocumentMutation:
    @guarded_mutation(
        SignedIn(sign_in_first),
        "Add a document to an agreement (its parties and staff): the file (PDF, PNG, JPEG or "
        "an Office document, in a multipart request) is stored as an attachment and "
        "recorded on the agreement with its kind and name (the file's name by default). "
        "Before signing the confirmations are cleared.",
    )
    async def add_agreement_document(
        self,
        info: Info,
        id: strawberry.ID,
        file: Upload,
        kind: DocumentKind = DocumentKind.OTHER,
        name: str | None = None,
    ) -> AgreementResult:
        part = upload_part(file)
        if isinstance(part, InvalidInput):
            return part
        agreements = info.context.agreements
        try:
            # an agreement the caller cannot see stores no file
            await agreements.agreement(str(id))
            stored = await info.context.registry.upload_attachment(part)
        except ServiceError as exc:
            return problem(exc)
        body = DocumentIn.model_construct(
            attachment_id=stored.id, name=name or stored.name, kind=kind
        )
        return await answered(
            agreements.agreement_action(str(id), "documents", sent(body)), showing(Agreement)
        )

    @guarded_mutation(
        SignedIn(sign_in_first),
        "Remove a document from an agreement before it is signed (its parties and staff); "
        "the confirmations are cleared.",
    )
    async def remove_agreement_document(
        self, info: Info, id: strawberry.ID, attachment_id: strawberry.ID
    ) -> AgreementResult:
        return await answered(
            info.context.agreements.remove_document(str(id), str(attachment_id)),
            showing(Agreement),
        )
