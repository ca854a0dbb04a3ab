"""Corrective actions: which findings get one, their deadline, when they are overdue, what needs evidence."""

from datetime import date

from portal.domain import actions


def test_only_non_compliances_get_an_action_due_by_their_grade():
    assert [g for g in actions.GRADE_ORDER if actions.has_action(g)] == ["critical", "major", "minor"]
    assert actions.due_date("critical", "2026-09-15") == "2026-10-15"
    assert actions.due_date("minor", "2026-09-15") == "2026-12-14"


def test_an_action_is_overdue_after_its_date_until_it_is_done():
    today = date(2026, 12, 1)
    assert actions.is_overdue("2026-11-30", "in_progress", today)
    assert not actions.is_overdue("2026-12-01", "open", today)  # due today is not late
    assert not actions.is_overdue("2026-11-30", "awaiting_verification", today)
    assert not actions.is_overdue("2026-11-30", "closed", today)
    assert not actions.is_overdue(None, "open", today)


def test_findings_sort_critical_first_and_unknown_grades_last():
    grades = ["good_example", "unknown", "minor", "critical"]
    assert sorted(grades, key=actions.grade_rank) == ["critical", "minor", "good_example", "unknown"]
