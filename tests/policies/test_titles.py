"""Event page titles as MediaWiki core reads them: refused where it refuses, one page where it
folds (MediaWikiTitleCodec::splitTitleString)."""

from __future__ import annotations

import pytest

from policies.titles import TitleError, parse_title, title_key

SPACES_MEDIAWIKI_FOLDS = "_\u00a0\u1680\u180e\u2000\u2005\u200a\u2028\u2029\u202f\u205f\u3000"


@pytest.mark.parametrize(
    ("title", "reason"),
    [
        ("Event:../x", "relative path"),
        ("Event:./x", "relative path"),
        ("Event:.", "relative path"),
        ("Event:..", "relative path"),
        ("Event:A/./b", "relative path"),
        ("Event:A/../b", "relative path"),
        ("Event:A/.", "relative path"),
        ("Event:A/..", "relative path"),
        ("Event:A ~~~ B", "magic tilde"),
        ("Event:\u200e", "empty"),
        ("\u200f", "empty"),
        ("Event:\u202a\u202b\u202c\u202d\u202e", "empty"),
        ("Event:", "empty"),
        ("Event: _ ", "empty"),
        ("Event::A", "colon at the beginning"),
        ("Event:A&amp;B", "invalid characters"),
        ("Event:A&eacute;B", "invalid characters"),
        ("Event:A%41", "invalid characters"),
        ("Event:A|B", "invalid characters"),
        ("Event:A[B]", "invalid characters"),
        ("Event:A\nB", "invalid characters"),
        ("Event:A\x1b[2J", "invalid characters"),
        ("Event:A\ufffdB", "invalid UTF-8"),
        ("Talk:Event:X", "talk page that can not exist"),
        ("Event:" + "a" * 256, "too long"),
        ("Event:" + "é" * 128, "too long"),
    ],
)
def test_titles_mediawiki_refuses_are_refused(title, reason):
    with pytest.raises(TitleError, match=reason):
        parse_title(title)


@pytest.mark.parametrize(
    "title",
    [
        "Event:" + "a" * 255,  # 255 bytes after the prefix: the prefix does not count
        "Event:" + "é" * 127 + "a",
        "Event:A.B",
        "Event:...",
        "Event:.hidden",
        "Event:A/.b",
        "Event:A ~~ B",
        "Event:50% off",
        "Event:Fish & chips",
    ],
)
def test_titles_mediawiki_accepts_are_accepted(title):
    assert parse_title(title).namespace == 1728


@pytest.mark.parametrize("space", list(SPACES_MEDIAWIKI_FOLDS))
def test_every_space_mediawiki_folds_names_the_same_page(space):
    assert title_key(f"Event:WikiGap{space}2027") == title_key("Event:WikiGap 2027")
    assert parse_title(f"Event:WikiGap{space}{space}2027").text == "Event:WikiGap 2027"


@pytest.mark.parametrize(
    "title",
    ["Event:A_B", "event:A B", "EVENT : A  B", " Event:A B ", "Event:a B", "Event:A\u200e B",
     ":Event:A B", "Event:A\u00a0B"],
)  # fmt: skip
def test_spellings_of_one_page(title):
    assert title_key(title) == title_key("Event:A B")


def test_the_page_sent_is_the_folded_one_with_the_case_as_written():
    assert parse_title("event:wikiGap_2027/\u200eLisbon").text == "Event:wikiGap 2027/Lisbon"
    assert parse_title("Project:A_B").text == "Project:A B"
    assert parse_title("Unknown:A_B").text == "Unknown:A B"


def test_different_pages_stay_different():
    assert title_key("Event:A B") != title_key("Event:AB")
    assert title_key("Event:A B") != title_key("Event:A b")
    assert title_key("Event:A") != title_key("A")
