"""Every notice, of every kind and in every language, reads whole (no argument left unfilled) and
ends with the link to the reader's notice settings, sent at once or in the digest."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from portal.domain.notifications import KINDS
from portal.i18n import languages
from portal.store import accounts as account_store
from portal.store.models import QueuedNotice
from portal.usecases import notice_run, notifications
from tests.usecases.world import Member

# What each kind's callers hand in (the course change's caller is still to come: tell_participants)
PARAMS = {
    "access_request": {
        "buyer": "Nordlys Dagligvare AS",
        "producer": "Anatolia",
        "path": "/members/customers/",
    },
    "access_decision": {
        "producer": "Anatolia",
        "organisation": "Nordlys Dagligvare AS",
        "outcome": "granted",
        "level": "audits",
        "path": "/members/supplier/?id=org-anatolia",
    },
    "verification_request": {
        "producer": "Anatolia",
        "action": "Unlock the exits",
        "path": "/members/supplier/?id=org-anatolia",
    },
    "verification_decision": {
        "organisation": "Nordlys Dagligvare AS",
        "outcome": "sent_back",
        "action": "Unlock the exits",
        "path": "/members/audit/?id=a1",
    },
    "company_verification_request": {
        "producer": "Anatolia",
        "site": "Denizli weaving",
        "action": "Unlock the exits",
        "path": "/members/auditor-audit/?site=ZS-4KQ7-TR1&id=a1",
    },
    "action_overdue": {
        "audience": "supplier",
        "site": "Denizli weaving",
        "producer": "Anatolia",
        "action": "Unlock the exits",
        "due": "2026-11-30",
        "path": "/members/supplier/?id=org-anatolia",
    },
    "profile_stale": {"what": "site", "name": "Denizli weaving", "path": "/members/site/?id=ZS-4KQ7-TR1"},
    "course_change": {
        "course_nb": "Åpenhetsloven i praksis",
        "course_en": "The Transparency Act in practice",
        "change": "cancelled",
        "path": "/members/courses/",
    },
    "new_application": {
        "organisation": "Fjordkaffe AS",
        "contact": "Solveig Strand",
        "path": "/members/admin/",
    },
}


def sent() -> list[dict]:
    folder = Path(os.environ["OUTBOX_DIR"])
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))] if folder.exists() else []


@pytest.mark.parametrize("language", languages())
def test_every_notice_at_once_reads_whole_and_links_to_the_settings(producer: Member, language):
    notifications.save_preferences(producer.actor, {}, language)
    user = account_store.user_by_id(producer.actor.user_id)
    assert user is not None
    user.notifications = dict.fromkeys(KINDS, "instant")  # every kind, whoever could get it
    for kind in KINDS:
        assert notifications.notify(user, kind, PARAMS[kind]) == "instant"
    mails = sent()
    assert [m["template"] for m in mails] == [f"notice.{kind}" for kind in KINDS]
    prefix = "/en" if language == "en" else ""
    for mail, kind in zip(mails, KINDS, strict=True):
        assert "{" not in mail["subject"] + mail["body"], mail
        assert mail["body"].endswith(f"http://portal.test{prefix}/members/account/#notifications"), kind
        assert f"http://portal.test{prefix}{PARAMS[kind]['path']}" in mail["body"], kind
    course = mails[KINDS.index("course_change")]
    title = "The Transparency Act in practice" if language == "en" else "Åpenhetsloven i praksis"
    assert title in course["subject"]


@pytest.mark.parametrize("language", languages())
def test_a_digest_of_every_kind_reads_whole_and_links_to_the_settings(producer: Member, language):
    notifications.save_preferences(producer.actor, {}, language)
    user = account_store.user_by_id(producer.actor.user_id)
    assert user is not None
    user.notifications = dict.fromkeys(KINDS, "digest")
    for kind in KINDS:
        assert notifications.notify(user, kind, PARAMS[kind]) == "digest"
    assert len(list(QueuedNotice.query(QueuedNotice.of_user(user.user_id)))) == len(KINDS)
    account_store.save_user(user)
    assert notice_run.run().digests_sent == 1
    [digest] = sent()
    assert "{" not in digest["subject"] + digest["body"]
    prefix = "/en" if language == "en" else ""
    assert digest["body"].endswith(f"http://portal.test{prefix}/members/account/#notifications")
    for kind in KINDS:
        assert f"http://portal.test{prefix}{PARAMS[kind]['path']}" in digest["body"], kind
