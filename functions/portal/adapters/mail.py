"""E-mail to people: rendered in their language; sent by SES in AWS, written to the outbox locally."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from aws_lambda_powertools import Logger

from portal.clock import utcnow
from portal.i18n import Language, text
from portal.settings import current

SETTINGS_PATH = "/members/account/#notifications"  # where a person chooses what they are e-mailed about


def link(path: str, language: Language) -> str:
    prefix = "/en" if language == "en" else ""
    return f"{current().site_url}{prefix}{path}"


def with_settings_link(body: str, language: Language) -> str:
    """A notice ends with where its reader chooses what the portal e-mails them about."""
    return f"{body}\n\n{text('mail.settings_link', language, link=link(SETTINGS_PATH, language))}"


def render(template: str, language: Language, **params: object) -> tuple[str, str]:
    """The subject and body of `mail.<template>` in one language."""
    subject = text(f"mail.{template}.subject", language, **params)
    return subject, text(f"mail.{template}.body", language, **params)


def send(to: str, template: str, language: Language, **params: object) -> None:
    deliver(to, *render(template, language, **params), template)


def deliver(to: str, subject: str, body: str, template: str) -> None:
    """One e-mail as written (`template` names it in the outbox and the logs)."""
    settings = current()
    if settings.outbox_dir:
        outbox = Path(settings.outbox_dir)
        outbox.mkdir(parents=True, exist_ok=True)
        sent_at = utcnow()
        message = {
            "to": to,
            "subject": subject,
            "body": body,
            "sent_at": sent_at.isoformat(),
            "template": template,
        }
        name = f"{sent_at.strftime('%Y%m%dT%H%M%S%f')}-{uuid.uuid4().hex[:6]}.json"
        (outbox / name).write_text(json.dumps(message, ensure_ascii=False, indent=2), "utf-8")
        return
    import boto3  # 16 ms at import: paid by the first e-mail sent through SES, not at cold start

    boto3.client("sesv2").send_email(
        FromEmailAddress="post@etiskhandel.no",
        Destination={"ToAddresses": [to]},
        Content={"Simple": {"Subject": {"Data": subject}, "Body": {"Text": {"Data": body}}}},
    )


def notify(to: str, template: str, language: Language, **params: object) -> bool:
    """A notice about something already done (a seat that became free) to a member: sent if it can
    be, with the link to their notice settings. Its failure is logged, not the reader's error: what
    it tells of is stored, and shown on the page. (Receipts, resets and invitations use `send`.)"""
    subject, body = render(template, language, **params)
    return tell(to, subject, with_settings_link(body, language), template)


def tell(to: str, subject: str, body: str, template: str) -> bool:
    """`notify` for an e-mail already written: sent if it can be, a failure logged and False."""
    try:
        deliver(to, subject, body, template)
    except Exception:  # SES refused, throttled or unreachable: the work itself is done
        Logger(child=True).exception("A notice e-mail was not sent", extra={"template": template})
        return False
    return True
