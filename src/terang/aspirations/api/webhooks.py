"""Inbound messages from messaging channels (WhatsApp, SMS, e-mail, social media). The signature
check, the once-per-message rule and the intake live in `terang.aspirations.webhooks`."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from terang.core.schemas import errors

from ..schemas import WebhookMessageIn, WebhookOut
from ..webhooks import receive_message

router = Router()

# The body is read raw (the signature covers its exact bytes), so its schema is declared here.
WEBHOOK_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": WebhookMessageIn.model_json_schema(by_alias=True)}
        },
    }
}


@router.post(
    "/webhooks/{provider}",
    tags=["webhooks"],
    openapi_extra=WEBHOOK_BODY,
    response={201: WebhookOut, **errors(401, 404, 409, 422)},
    summary="Pesan masuk dari kanal perpesanan",
    description="provider: whatsapp, sms, email, instagram, facebook, x. Wajib header "
    "`X-Terang-Signature: sha256=<hex HMAC-SHA256 badan mentah>` (WhatsApp juga "
    "`X-Hub-Signature-256`). Sekali per `message_id`; pengulangan mengembalikan kode "
    "yang sama.",
)
def messaging_webhook(request: HttpRequest, provider: str) -> Status[dict[str, str]]:
    return Status(*receive_message(provider=provider, body=request.body, headers=request.headers))
