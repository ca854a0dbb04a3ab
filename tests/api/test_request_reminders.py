"""The daily reminders of open information requests (InformationRequestReminderFunction), driven
by a fake clock: day 14 and the deadline day, to the handlers and the org admins, each once."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from infra.seed import DEMO_USERS
from portal.usecases import request_reminders
from tests.support import logged_in, outbox

KARI, OLA = DEMO_USERS[1], DEMO_USERS[2]
FORM = {
    "name": "Journalist Jensen",
    "email": None,
    "postal_address": "Storgata 1, 0155 Oslo",
    "question": "Hvor er klærne sydd?",
    "concerns": None,
    "language": "nb",
}


def morning(day: date) -> datetime:
    return datetime.combine(day, time(6, 0), tzinfo=UTC)  # 07:00 or 08:00 in Oslo


def reminders(tmp_path, case: dict) -> list[dict]:
    """The reminders sent about one case (the demo world's own cases have theirs too)."""
    return [
        m
        for m in outbox(tmp_path)
        if m["template"] == "information_request_reminder" and case["case_number"] in m["subject"]
    ]


def test_handlers_and_admins_are_reminded_on_day_14_and_on_the_deadline_day_once(
    world, tmp_path, monkeypatch
):
    kari = logged_in(world, KARI)
    ola_id = next(u["user_id"] for u in kari.get("/org/users").json()["items"] if u["email"] == OLA.email)
    kari.call("PATCH", f"/org/users/{ola_id}", {"handles_information_requests": True})
    received = date.today()
    case = kari.post("/information-requests", {**FORM, "received_on": received.isoformat()}).json()
    answered = kari.post("/information-requests", {**FORM, "received_on": received.isoformat()}).json()
    kari.post(f"/information-requests/{answered['case_id']}/messages", {"kind": "answer", "text": "Svar."})

    request_reminders.run(morning(received + timedelta(days=13)))
    assert reminders(tmp_path, case) == []
    request_reminders.run(morning(received + timedelta(days=14)))
    sent = reminders(tmp_path, case)
    assert sorted(m["to"] for m in sent) == sorted([KARI.email, OLA.email])
    assert reminders(tmp_path, answered) == []  # a closed case is not reminded of
    assert "7 dager igjen" in sent[0]["body"]
    assert f"/members/request/?id={case['case_id']}" in sent[0]["body"]
    # the same day again (or two schedulers at once), and the next days: nobody is told twice
    request_reminders.run(morning(received + timedelta(days=14)))
    request_reminders.run(morning(received + timedelta(days=16)))
    assert len(reminders(tmp_path, case)) == 2
    request_reminders.run(morning(received + timedelta(days=21)))
    last = reminders(tmp_path, case)[2:]
    assert len(last) == 2
    assert "Svarfristen er i dag" in last[0]["subject"]


def test_an_extended_case_is_reminded_on_its_new_deadline_not_the_old_one(world, tmp_path):
    kari = logged_in(world, KARI)
    received = date.today()
    case = kari.post("/information-requests", {**FORM, "received_on": received.isoformat()}).json()
    new_due = received + timedelta(days=40)
    kari.post(
        f"/information-requests/{case['case_id']}/messages",
        {"kind": "extension", "text": "Vi trenger mer tid.", "expected_on": new_due.isoformat()},
    )
    request_reminders.run(morning(received + timedelta(days=14)))
    assert len(reminders(tmp_path, case)) == 2  # day 14: Kari and Ola
    request_reminders.run(morning(received + timedelta(days=21)))
    assert len(reminders(tmp_path, case)) == 2  # not on the old deadline
    request_reminders.run(morning(new_due))
    assert "Svarfristen er i dag" in reminders(tmp_path, case)[-1]["subject"]
    assert len(reminders(tmp_path, case)) == 4
