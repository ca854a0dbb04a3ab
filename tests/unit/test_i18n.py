"""Everything people read exists in Norwegian and English."""

import json
from importlib import resources

import pytest

from portal.i18n import language_of, text


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "nb"),
        ("", "nb"),
        ("en", "en"),
        ("en-GB,en;q=0.9", "en"),
        ("nb-NO,nb;q=0.9,en;q=0.8", "nb"),
        ("nn", "nb"),
        ("de-DE,en;q=0.5", "en"),
        ("fr", "nb"),
    ],
)
def test_language_of_a_request(header, language):
    assert language_of(header) == language


def test_every_message_has_both_languages():
    messages = json.loads(resources.files("portal.data").joinpath("messages.json").read_text("utf-8"))
    for key, entry in messages.items():
        assert set(entry) == {"nb", "en"}, key
        assert entry["nb"] != entry["en"], key


def test_unknown_keys_never_leak():
    assert text("field.no_such_thing", "en") == text("error.generic", "en")
