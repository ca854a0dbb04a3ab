"""Login, sessions and the security model of DESIGN.md, from the outside."""

from __future__ import annotations

import json
import threading
import uuid
from datetime import timedelta

import pyotp
import pytest

from infra.seed import DEMO_USERS
from portal.clock import utcnow
from portal.store.models import Session
from tests.support import browser, dynamodb_calls, outbox

STAFF, BUYER_ADMIN, BUYER_MEMBER, PRODUCER_ADMIN = DEMO_USERS[:4]


def test_login_sets_a_strict_session_cookie_and_me_answers(world):
    answer = world.login(BUYER_ADMIN.email, BUYER_ADMIN.password)
    assert answer.status == 200
    cookie = answer.header("set-cookie")
    assert cookie.startswith("ieh_session=")
    assert {"HttpOnly", "Secure", "SameSite=Strict"} <= {part.strip() for part in cookie.split(";")}
    token = cookie.split(";")[0].split("=", 1)[1]
    assert len(token) >= 43  # 256 bits, base64url
    me = world.get("/me").json()
    assert (me["email"], me["role"], me["organisation"]["name"]) == (
        BUYER_ADMIN.email,
        "admin",
        "Nordlys Dagligvare AS",
    )
    assert token not in json.dumps(me)


def test_the_session_token_is_stored_hashed(world):
    world.login(BUYER_ADMIN.email, BUYER_ADMIN.password)
    token = world.cookie.split("=", 1)[1]
    assert not list(Session.query(f"SESSION#{token}"))


def test_unknown_email_and_wrong_password_get_the_same_answer(world):
    wrong = browser(world).post(
        "/auth/login", {"email": BUYER_ADMIN.email, "password": "not the password at all"}
    )
    unknown = browser(world).post(
        "/auth/login", {"email": "nobody@nowhere.example", "password": "whatever it is"}
    )
    assert (wrong.status, wrong.body) == (unknown.status, unknown.body)
    assert wrong.status == 401
    assert wrong.header("set-cookie") is None


def test_unknown_email_and_wrong_password_cost_the_same_database_work(world):
    """Time must not tell whether an account exists: both refusals make the same DynamoDB calls
    (the argon2id verify runs against a dummy hash for an unknown e-mail)."""
    with dynamodb_calls() as wrong:
        browser(world).post("/auth/login", {"email": BUYER_ADMIN.email, "password": "not the password"})
    with dynamodb_calls() as unknown:
        browser(world).post(
            "/auth/login", {"email": "nobody@nowhere.example", "password": "not the password"}
        )
    assert wrong == unknown


def test_every_members_route_needs_a_session(world):
    assert world.get("/me").status == 401
    assert world.get("/account/sessions").status == 401
    assert world.get("/admin/applications").status == 401


def test_logout_ends_the_session_at_once(world):
    world.login(BUYER_MEMBER.email, BUYER_MEMBER.password)
    assert world.post("/auth/logout").status == 204
    assert world.get("/me").status == 401


def test_state_changes_without_the_anti_csrf_header_are_refused(world):
    world.login(BUYER_ADMIN.email, BUYER_ADMIN.password)
    forged = world.call("POST", "/account/sessions/end-others", {}, headers={"x-csrf-token": "forged"})
    assert forged.status == 403
    missing = world.gateway.handle(
        __import__("infra.local.gateway", fromlist=["HttpRequest"]).HttpRequest(
            "POST", "/api/v1/account/sessions/end-others", "", (("cookie", world.cookie),), b"{}"
        )
    )
    assert missing.status == 403
    assert world.post("/account/sessions/end-others", {}).status == 200


def test_a_session_check_costs_one_get_item(world):
    world.login(BUYER_ADMIN.email, BUYER_ADMIN.password)
    with dynamodb_calls() as calls:
        world.get("/account/sessions")
    assert calls[0] == "GetItem"
    assert calls.count("GetItem") == 1  # the session; the route itself then queries the user's sessions
    assert "Scan" not in calls


def test_idle_sessions_expire(world):
    world.login(BUYER_ADMIN.email, BUYER_ADMIN.password)
    [session] = Session.by_gsi1.query(f"USER#{'user-kari-nordlys'}#SESSIONS")
    session.update(actions=[Session.last_seen_at.set(utcnow() - timedelta(minutes=31))])
    answer = world.get("/me")
    assert (answer.status, answer.json()["error"]["code"]) == (401, "session_expired")


def test_a_new_password_ends_the_other_sessions(world):
    laptop, phone = browser(world), browser(world)
    laptop.login(BUYER_MEMBER.email, BUYER_MEMBER.password)
    phone.login(BUYER_MEMBER.email, BUYER_MEMBER.password)
    changed = laptop.post(
        "/account/password",
        {"current_password": BUYER_MEMBER.password, "new_password": "a brand new fjord phrase"},
    )
    assert changed.status == 204
    assert laptop.get("/me").status == 200
    assert phone.get("/me").status == 401
    assert browser(world).login(BUYER_MEMBER.email, "a brand new fjord phrase").status == 200


@pytest.mark.parametrize(
    ("password", "code"),
    [("short", "field.password_too_short"), ("passwordpassword", "field.password_common")],
)
def test_weak_passwords_are_refused(world, password, code):
    world.login(BUYER_MEMBER.email, BUYER_MEMBER.password)
    answer = world.post(
        "/account/password",
        {"current_password": BUYER_MEMBER.password, "new_password": password},
        language="en",
    )
    assert answer.status == 422
    assert "new_password" in answer.json()["error"]["fields"]


def test_staff_need_their_second_factor(world):
    asked = browser(world).post("/auth/login", {"email": STAFF.email, "password": STAFF.password})
    assert (asked.status, asked.json()["error"]["code"]) == (401, "totp_required")
    wrong = browser(world).post(
        "/auth/login", {"email": STAFF.email, "password": STAFF.password, "totp_code": "000000"}
    )
    assert wrong.status == 401
    ok = world.login(STAFF.email, STAFF.password, totp_code=pyotp.TOTP(STAFF.totp_secret).now())
    assert ok.status == 200
    assert ok.json()["is_staff"] is True
    assert world.get("/admin/applications").status == 200


def test_members_do_not_see_staff_routes(world):
    world.login(BUYER_ADMIN.email, BUYER_ADMIN.password)
    answer = world.get("/admin/applications")
    assert answer.status == 404


def test_repeated_failures_slow_down_the_account(world):
    attacker = browser(world)
    answers = [
        attacker.post("/auth/login", {"email": PRODUCER_ADMIN.email, "password": f"guess number {i}"})
        for i in range(7)
    ]
    assert [a.status for a in answers[:5]] == [401] * 5
    assert answers[-1].status == 429
    assert 1 <= int(answers[-1].header("retry-after")) <= 30


def test_approval_invites_the_contact_who_sets_a_password_once(world, tmp_path):
    applicant = browser(world)
    submitted = applicant.post(
        "/membership-applications",
        {
            "submission_id": str(uuid.uuid4()),
            "organisation_name": "Fjordkaffe AS",
            "organisation_number": "974760673",
            "category": "company",
            "annual_turnover_nok": 12_000_000,
            "contact_name": "Ingrid Fjord",
            "email": "ingrid@fjordkaffe.example",
            "consent": True,
        },
        language="en",
    ).json()
    staff = browser(world)
    staff.login(STAFF.email, STAFF.password, totp_code=pyotp.TOTP(STAFF.totp_secret).now())
    assert [a["id"] for a in staff.get("/admin/applications").json()["items"]] == [submitted["id"]]
    approved = staff.post(f"/admin/applications/{submitted['id']}/approve", {"org_type": "buyer"})
    assert approved.status == 200
    assert staff.post(f"/admin/applications/{submitted['id']}/approve", {"org_type": "buyer"}).status == 409

    receipt, mail = outbox(tmp_path)  # the application's receipt, then the invitation
    assert receipt["template"] == "application_received"
    assert mail["to"] == "ingrid@fjordkaffe.example"
    assert "Welcome" in mail["subject"]  # in the applicant's language
    token = mail["body"].split("#token=")[1].split()[0]
    invitee = browser(world)
    assert invitee.get(f"/auth/invitations/{token}").json()["organisation_name"] == "Fjordkaffe AS"
    accepted = invitee.post(
        "/auth/invitations/accept",
        {"token": token, "name": "Ingrid Fjord", "password": "kaffe fra fjorden hver morgen"},
    )
    assert accepted.status == 200
    invitee.cookie = accepted.header("set-cookie").split(";")[0]
    assert invitee.get("/me").json()["organisation"]["name"] == "Fjordkaffe AS"
    again = browser(world).post(
        "/auth/invitations/accept",
        {"token": token, "name": "Mallory", "password": "another long passphrase here"},
    )
    assert again.status == 404


def test_password_reset_is_silent_about_unknown_emails_and_single_use(world, tmp_path):
    unknown = browser(world).post("/auth/password-reset", {"email": "nobody@nowhere.example"})
    known = browser(world).post("/auth/password-reset", {"email": BUYER_MEMBER.email})
    assert (unknown.status, unknown.body) == (known.status, known.body) == (202, b"")
    [mail] = outbox(tmp_path)
    token = mail["body"].split("#token=")[1].split()[0]
    done = browser(world).post(
        "/auth/password-reset/complete", {"token": token, "password": "glemt passord i Bergen"}
    )
    assert done.status == 204
    reused = browser(world).post(
        "/auth/password-reset/complete", {"token": token, "password": "glemt passord i Oslo"}
    )
    assert reused.status == 404
    assert browser(world).login(BUYER_MEMBER.email, "glemt passord i Bergen").status == 200


def reset_link(world, tmp_path, email: str) -> str:
    assert browser(world).post("/auth/password-reset", {"email": email}).status == 202
    mail = [m for m in outbox(tmp_path) if m["to"] == email][-1]
    return mail["body"].split("#token=")[1].split()[0]


def reset(world, token: str, password: str) -> int:
    answer = browser(world).post("/auth/password-reset/complete", {"token": token, "password": password})
    return answer.status


def test_a_newer_reset_link_ends_the_earlier_ones(world, tmp_path):
    first = reset_link(world, tmp_path, BUYER_MEMBER.email)
    second = reset_link(world, tmp_path, BUYER_MEMBER.email)
    assert reset(world, first, "glemt passord i Bergen") == 404  # a newer link was sent
    assert reset(world, second, "glemt passord i Tromsø") == 204
    assert browser(world).login(BUYER_MEMBER.email, "glemt passord i Tromsø").status == 200


def test_a_password_change_ends_the_reset_links(world, tmp_path):
    token = reset_link(world, tmp_path, BUYER_MEMBER.email)
    owner = browser(world)
    owner.login(BUYER_MEMBER.email, BUYER_MEMBER.password)
    changed = owner.post(
        "/account/password",
        {"current_password": BUYER_MEMBER.password, "new_password": "a brand new fjord phrase"},
    )
    assert changed.status == 204
    assert reset(world, token, "mallory sitt nye passord") == 404
    assert browser(world).login(BUYER_MEMBER.email, "a brand new fjord phrase").status == 200


def test_a_reset_ends_every_session_of_the_user(world, tmp_path):
    laptop = browser(world)
    laptop.login(BUYER_MEMBER.email, BUYER_MEMBER.password)
    token = reset_link(world, tmp_path, BUYER_MEMBER.email)
    assert reset(world, token, "glemt passord i Bergen") == 204
    assert laptop.get("/me").status == 401


# -- the second factor works once per code (RFC 6238 §5.2) ----------------------------------------
def staff_login(world, **factor: str):
    return browser(world).post("/auth/login", {"email": STAFF.email, "password": STAFF.password, **factor})


def test_a_second_factor_code_works_once(world):
    code = pyotp.TOTP(STAFF.totp_secret).now()
    assert staff_login(world, totp_code=code).status == 200
    replayed = staff_login(world, totp_code=code)
    assert (replayed.status, replayed.json()["error"]["code"]) == (401, "totp_invalid")
    assert replayed.header("set-cookie") is None


def test_a_code_in_other_digits_is_a_wrong_code_not_a_crash(world):
    refused = staff_login(world, totp_code="١٢٣٤٥٦")  # Arabic-Indic digits
    assert (refused.status, refused.json()["error"]["code"]) == (401, "totp_invalid")


def test_an_older_code_is_refused_once_a_newer_one_was_used(world):
    totp = pyotp.TOTP(STAFF.totp_secret)
    now = utcnow()
    assert staff_login(world, totp_code=totp.at(now)).status == 200
    assert staff_login(world, totp_code=totp.at(now, counter_offset=-1)).status == 401


def test_two_logins_at_once_with_one_code_let_one_in(world):
    code = pyotp.TOTP(STAFF.totp_secret).now()
    start = threading.Barrier(4)
    statuses: list[int] = []

    def attempt() -> None:
        start.wait()
        statuses.append(staff_login(world, totp_code=code).status)

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 401, 401, 401]


def test_the_code_that_confirmed_the_second_factor_does_not_log_in(world):
    member = browser(world)
    member.login(BUYER_MEMBER.email, BUYER_MEMBER.password)
    secret = member.post("/account/totp").json()["secret"]
    code = pyotp.TOTP(secret).now()
    assert member.post("/account/totp/confirm", {"code": code}).status == 200
    again = browser(world).post(
        "/auth/login", {"email": BUYER_MEMBER.email, "password": BUYER_MEMBER.password, "totp_code": code}
    )
    assert (again.status, again.json()["error"]["code"]) == (401, "totp_invalid")


def test_a_recovery_code_used_twice_at_once_lets_one_in(world):
    member = browser(world)
    member.login(BUYER_MEMBER.email, BUYER_MEMBER.password)
    secret = member.post("/account/totp").json()["secret"]
    confirmed = member.post("/account/totp/confirm", {"code": pyotp.TOTP(secret).now()})
    recovery = confirmed.json()["recovery_codes"][3]
    start = threading.Barrier(3)
    statuses: list[int] = []

    def attempt() -> None:
        start.wait()
        body = {"email": BUYER_MEMBER.email, "password": BUYER_MEMBER.password, "recovery_code": recovery}
        statuses.append(browser(world).post("/auth/login", body).status)

    threads = [threading.Thread(target=attempt) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 401, 401]
    # the other codes still work, each once
    other = confirmed.json()["recovery_codes"][5]
    body = {"email": BUYER_MEMBER.email, "password": BUYER_MEMBER.password, "recovery_code": other}
    assert browser(world).post("/auth/login", body).status == 200
    assert browser(world).post("/auth/login", body).status == 401
