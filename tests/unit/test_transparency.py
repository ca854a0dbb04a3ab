"""The statutory clock of the Transparency Act (§ 7) on hand-computed cases."""

from datetime import date

import pytest

from portal.domain import transparency as t


def clock(state="received", received=date(2026, 3, 6), extended=False, refused_on=None):
    return t.CaseClock(state, received, t.answer_due(received), extended, refused_on, None)


def test_received_on_a_friday_is_due_three_weeks_later_on_a_friday():
    friday = date(2026, 3, 6)
    assert friday.weekday() == 4
    assert t.answer_due(friday) == date(2026, 3, 27)
    assert t.extension_notice_by(friday) == date(2026, 3, 27)
    assert t.latest_extended_due(friday) == date(2026, 5, 6)
    assert t.reminder_days(friday, t.answer_due(friday)) == (date(2026, 3, 20), date(2026, 3, 27))


def test_across_a_month_end():
    assert t.answer_due(date(2026, 1, 31)) == date(2026, 2, 21)
    assert t.latest_extended_due(date(2026, 1, 31)) == date(2026, 3, 31)
    # two months from 31 December is the last day of February, in a leap year too
    assert t.latest_extended_due(date(2026, 12, 31)) == date(2027, 2, 28)
    assert t.latest_extended_due(date(2027, 12, 31)) == date(2028, 2, 29)
    assert t.latest_extended_due(date(2026, 11, 30)) == date(2027, 1, 30)


def test_an_extension_notice_on_day_22_is_too_late():
    case = clock(state="in_progress")
    day21, day22 = date(2026, 3, 27), date(2026, 3, 28)
    t.check_message(case, "extension", day21, date(2026, 4, 30))
    assert "extension" in t.actions(case, day21)
    with pytest.raises(t.TooLateError):
        t.check_message(case, "extension", day22, date(2026, 4, 30))
    assert "extension" not in t.actions(case, day22)


def test_an_extension_is_at_most_two_months_and_only_once():
    case = clock()
    with pytest.raises(t.WrongDateError):
        t.check_message(case, "extension", date(2026, 3, 10), date(2026, 5, 7))
    with pytest.raises(t.NotAllowedError):
        t.check_message(clock(extended=True), "extension", date(2026, 3, 10), date(2026, 4, 1))


def test_further_reasons_after_a_refusal():
    refused = clock(state="refused", refused_on=date(2026, 3, 20))
    assert t.further_reasons_by(date(2026, 3, 20)) == date(2026, 4, 10)
    assert t.can_ask_further_reasons(refused, date(2026, 4, 10))
    assert not t.can_ask_further_reasons(refused, date(2026, 4, 11))
    assert not t.can_ask_further_reasons(clock(state="answered"), date(2026, 3, 21))
    assert t.further_reasons_due(date(2026, 4, 1)) == date(2026, 4, 22)
    reopened = t.CaseClock("further_reasons_requested", date(2026, 3, 6), date(2026, 3, 27), False,
                           date(2026, 3, 20), date(2026, 4, 1))  # fmt: skip
    assert t.actions(reopened, date(2026, 4, 2)) == ["further_reasons_answer"]
    assert (
        t.state_after("further_reasons_requested", "further_reasons_answer", "partly_refused")
        == "partly_refused"
    )


def test_a_closed_case_takes_no_message():
    with pytest.raises(t.NotAllowedError):
        t.check_message(clock(state="answered"), "answer", date(2026, 3, 10), None)


def test_every_ground_has_a_section():
    assert set(t.grounds()) == {
        "unclear",
        "unreasonable",
        "personal",
        "business_secret",
        "security_act",
        "copyright",
    }
    assert all(rule["section"].startswith("§ 6") for rule in t.law()["grounds"].values())
    # ... and the refusal names it in the requester's language (the catalogues, not the data file)
    from portal.i18n import text

    assert text("transparency.section.business_secret", "nb") == "§ 6 andre ledd bokstav d"
    assert text("transparency.section.business_secret", "en") == "section 6, second paragraph, letter d"


def test_year_statistics():
    c = t.Closed
    stats = t.year_statistics([
        c("answered", date(2026, 1, 5), date(2026, 1, 26), date(2026, 1, 15), False, None),
        c("answered", date(2026, 2, 2), date(2026, 3, 30), date(2026, 3, 2), True, None),
        c("refused", date(2026, 2, 2), date(2026, 2, 23), date(2026, 2, 24), False, "business_secret"),
        c("in_progress", date(2026, 3, 2), date(2026, 3, 23), None, False, None),
    ])  # fmt: skip
    assert (stats["count"], stats["answered"], stats["open"]) == (4, 3, 1)
    assert stats["median_days_to_answer"] == 22  # 10, 22, 28 days
    assert (stats["answered_within_deadline"], stats["extended"]) == (2, 1)
    assert stats["refused_by_ground"] == {"business_secret": 1}
