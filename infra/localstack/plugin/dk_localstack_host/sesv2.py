"""SES v2 for LocalStack's community edition, on top of its SES v1 store.

``SendEmail`` (raw or simple content) goes through the same moto SES backend as v1's
``SendRawEmail`` / ``SendEmail`` (so the sender must be a verified identity, as in the SES sandbox:
``CreateEmailIdentity`` here or v1's ``VerifyEmailIdentity``), and is recorded exactly like a v1
mail, so it is listed at ``GET /_aws/ses``. ``ConfigurationSetName`` is accepted and not checked.
``GetAccount`` answers as a production account. Every other operation falls through to moto's
SES v2 (identities, configuration sets, contact lists, ...), or answers "not implemented".

Faults for the tests (loopback only): with LocalStack's config endpoint on
(``ENABLE_CONFIG_UPDATES=1``), ``POST /_localstack/config`` with ``{"variable":
"DK_SES_ERROR_PROBABILITY", "value": 0.5}`` makes that share of ``SendEmail`` calls fail as SES's
throttling does (``TooManyRequestsException``, 429, which the SDK retries); 0 stops it.
"""

from __future__ import annotations

import base64
import logging
import random
from typing import Any

from localstack import config
from localstack.aws.api import CommonServiceException, RequestContext, handler
from localstack.aws.skeleton import DispatchTable
from localstack.aws.spec import load_service
from localstack.services.moto import MotoFallbackDispatcher, call_moto
from localstack.services.plugins import ServiceLifecycleHook
from localstack.services.ses.models import SentEmail, SentEmailBody
from localstack.services.ses.provider import (
    get_ses_backend,
    register_ses_api_resource,
    save_for_retrospection,
)
from localstack.utils.strings import to_str

LOG = logging.getLogger(__name__)


class MessageRejected(CommonServiceException):
    def __init__(self, message: str):
        super().__init__("MessageRejected", message, status_code=400, sender_fault=True)


class TooManyRequests(CommonServiceException):
    def __init__(self, message: str):
        super().__init__("TooManyRequestsException", message, status_code=429, sender_fault=True)


def _injected_failure() -> bool:
    """Whether this call fails on purpose (``DK_SES_ERROR_PROBABILITY``, 0 unless a test sets it)."""
    try:
        probability = float(getattr(config, "DK_SES_ERROR_PROBABILITY", 0) or 0)
    except (TypeError, ValueError):
        return False
    return probability > 0 and random.random() < probability


class BadRequest(CommonServiceException):
    def __init__(self, message: str):
        super().__init__("BadRequestException", message, status_code=400, sender_fault=True)


def _recipients(destination: dict[str, Any] | None) -> list[str]:
    destination = destination or {}
    return (
        list(destination.get("ToAddresses") or [])
        + list(destination.get("CcAddresses") or [])
        + list(destination.get("BccAddresses") or [])
    )


def _forward_to_moto(context: RequestContext, request: dict[str, Any]):
    return call_moto(context)


def dispatch_table(provider: "SesV2Provider") -> DispatchTable:
    """The provider's own operations, and moto's SES v2 for every other operation of the API
    (moto answers "not implemented" itself where it has nothing)."""
    table = MotoFallbackDispatcher(provider)
    for operation in load_service("sesv2").operation_names:
        table.setdefault(operation, _forward_to_moto)
    return table


class SesV2Provider(ServiceLifecycleHook):
    service = "sesv2"

    def on_after_init(self):
        # The mail list endpoint belongs to the v1 provider, which may never be loaded here.
        register_ses_api_resource()

    @handler("SendEmail", expand=False)
    def send_email(self, context: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        if _injected_failure():
            raise TooManyRequests("Maximum sending rate exceeded (injected by the tests).")
        content = request.get("Content") or {}
        source = request.get("FromEmailAddress")
        destination = request.get("Destination") or {}
        backend = get_ses_backend(context)
        try:
            if "Raw" in content:
                data = content["Raw"].get("Data")
                if isinstance(data, str):  # parsers hand blobs over decoded; be lenient
                    try:
                        data = base64.b64decode(data, validate=True)
                    except ValueError:
                        data = data.encode("utf-8")
                raw = to_str(data or b"")
                message = backend.send_raw_email(source, _recipients(destination), raw)
                sent = SentEmail(
                    Id=message.id, Region=context.region, Source=source or message.source, RawData=raw
                )
            elif "Simple" in content:
                simple = content["Simple"]
                if not source:
                    raise BadRequest("FromEmailAddress is required for simple content")
                body = simple.get("Body") or {}
                text = (body.get("Text") or {}).get("Data")
                html = (body.get("Html") or {}).get("Data")
                subject = (simple.get("Subject") or {}).get("Data") or ""
                message = backend.send_email(
                    source=source,
                    subject=subject,
                    body=html if html is not None else (text or ""),
                    destinations={
                        "ToAddresses": list(destination.get("ToAddresses") or []),
                        "CcAddresses": list(destination.get("CcAddresses") or []),
                        "BccAddresses": list(destination.get("BccAddresses") or []),
                    },
                )
                sent = SentEmail(
                    Id=message.id,
                    Region=context.region,
                    Source=source,
                    Destination=destination,
                    Subject=subject,
                    Body=SentEmailBody(text_part=text, html_part=html),
                )
            else:
                raise BadRequest("Only Raw and Simple content are supported here")
        except CommonServiceException:
            raise
        except Exception as e:  # moto's MessageRejectedError and address validation
            name = type(e).__name__
            if name == "MessageRejectedError":
                raise MessageRejected(getattr(e, "message", None) or str(e)) from e
            if name == "InvalidParameterValue":
                raise BadRequest(getattr(e, "message", None) or str(e)) from e
            raise
        if name := request.get("ConfigurationSetName"):
            LOG.debug("SES v2 mail %s sent with configuration set %s", message.id, name)
        save_for_retrospection(sent)
        return {"MessageId": message.id}

    @handler("GetAccount", expand=False)
    def get_account(self, context: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        return {
            "DedicatedIpAutoWarmupEnabled": False,
            "EnforcementStatus": "HEALTHY",
            "ProductionAccessEnabled": True,
            "SendQuota": {"Max24HourSend": 200.0, "MaxSendRate": 1.0, "SentLast24Hours": 0.0},
            "SendingEnabled": True,
        }
