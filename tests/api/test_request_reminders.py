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


def reminders(tmp_path) -> list[dict]:
    return [m for m in outbox(tmp_path) if m["template"] == "information_request_reminder"]


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
    before = len(reminders(tmp_path))

    assert request_reminders.run(morning(received + timedelta(days=13))).told == 0
    day14 = request_reminders.run(morning(received + timedelta(days=14)))
    sent = reminders(tmp_path)[before:]
    assert {m["to"] for m in sent} == {KARI.email, OLA.email}
    assert all(case["case_number"] in m["subject"] for m in sent)  # not the answered case
    assert day14.told == 2
    assert "7 dager igjen" in sent[0]["body"]
    assert f"/members/request/?id={case['case_id']}" in sent[0]["body"]
    # the same day again (or two schedulers at once), and the next days: nobody is told twice
    assert request_reminders.run(morning(received + timedelta(days=14))).told == 0
    assert request_reminders.run(morning(received + timedelta(days=16))).told == 0
    deadline = request_reminders.run(morning(received + timedelta(days=21)))
    assert deadline.told == 2
    last = reminders(tmp_path)[-1]
    assert "Svarfristen er i dag" in last["subject"]


def test_an_extended_case_is_reminded_on_its_new_deadline_not_the_old_one(world, tmp_path):
    kari = logged_in(world, KARI)
    received = date.today()
    case = kari.post("/information-requests", {**FORM, "received_on": received.isoformat()}).json()
    new_due = received + timedelta(days=40)
    kari.post(
        f"/information-requests/{case['case_id']}/messages",
        {"kind": "extension", "text": "Vi trenger mer tid.", "expected_on": new_due.isoformat()},
    )
    before = len(reminders(tmp_path))
    assert request_reminders.run(morning(received + timedelta(days=21))).told == 0
    assert request_reminders.run(morning(new_due)).told == 1  # Kari, the only handler
    assert reminders(tmp_path)[before]["to"] == KARI.email
