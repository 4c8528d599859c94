"""Event types as a coordinator writes them in a file, and as the server words them."""

import pytest

from policies.event_types import (
    CONTRIBUTION_TYPE_IDS,
    EVENT_TYPE_IDS,
    canonical_order,
    english_list,
    id_for,
    is_event_type,
    label_for,
)


@pytest.mark.parametrize(
    ("written", "type_id"),
    [
        ("meetup", "meetup"),
        ("Meetup", "meetup"),
        ("EDITING-EVENT", "editing-event"),
        ("Editing event", "editing-event"),
        ("training / seminar", "training-seminar"),
        ("  Backlog drive ", "backlog-drive"),
    ],
)
def test_type_accepted_as_api_id_or_english_label_in_any_case(written, type_id):
    assert id_for(written) == type_id
    assert is_event_type(written)


def test_unknown_type_is_not_silently_accepted():
    assert not is_event_type("picnic")
    with pytest.raises(KeyError):
        id_for("picnic")


def test_labels_match_the_server():
    assert label_for("training-seminar") == "Training / seminar"
    assert label_for("media-upload-event") == "Media upload event"


def test_only_the_four_contribution_types_allow_statistics():
    assert CONTRIBUTION_TYPE_IDS == (
        "editing-event",
        "media-upload-event",
        "backlog-drive",
        "contest",
    )


def test_types_come_back_in_registry_order_without_duplicates():
    assert canonical_order(["other", "meetup", "contest", "meetup"]) == [
        "contest",
        "meetup",
        "other",
    ]
    assert canonical_order(reversed(EVENT_TYPE_IDS)) == list(EVENT_TYPE_IDS)


@pytest.mark.parametrize(
    ("items", "text"),
    [
        ([], ""),
        (["A"], "A"),
        (["A", "B"], "A and B"),
        (["A", "B", "C"], "A, B and C"),
        (
            ["Editing event", "Media upload event", "Backlog drive", "Contest"],
            "Editing event, Media upload event, Backlog drive and Contest",
        ),
    ],
)
def test_lists_read_like_mediawiki_english(items, text):
    assert english_list(items) == text
