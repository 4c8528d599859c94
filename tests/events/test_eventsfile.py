"""Reading events files: what a person sees when a file is fine, and when it is not."""

from __future__ import annotations

import json
import os
import time

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.eventsfile import read_events
from policies.errors import InputError


def write(tmp_path, name: str, content: str | bytes):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def rows(path):
    return list(read_events(path))


def error_of(path) -> str:
    with pytest.raises(InputError) as caught:
        rows(path)
    return str(caught.value)


def test_csv_rows_are_numbered_by_the_line_they_start_on(tmp_path):
    path = write(
        tmp_path, "e.csv", 'event_page,address\nEvent:A,"Line 1\nLine 2\nLine 3"\n\nEvent:B,\n'
    )
    found = rows(path)
    assert [(r.number, r.values["event_page"]) for r in found] == [(2, "Event:A"), (6, "Event:B")]
    assert found[0].values["address"] == "Line 1\nLine 2\nLine 3"
    assert found[1].values.get("address", "") == ""


def test_csv_header_is_case_and_space_insensitive_and_bom_is_ignored(tmp_path):
    path = write(tmp_path, "e.csv", "\ufeffEvent Page, Types \nEvent:A,contest\n")
    assert rows(path)[0].values == {"event_page": "Event:A", "types": "contest"}


def test_semicolon_separated_header_says_to_use_commas(tmp_path):
    message = error_of(write(tmp_path, "e.csv", "event_page;types\nEvent:A;contest\n"))
    assert message.endswith(
        "e.csv, row 1: the header row is separated by semicolons, but gatebot reads "
        "comma-separated CSV; save the file as CSV with commas (use ';' only inside list cells "
        "such as types)."
    )


def test_tab_separated_header_says_to_use_commas(tmp_path):
    assert "separated by tabs" in error_of(write(tmp_path, "e.csv", "event_page\ttypes\nA\tb\n"))


def test_unknown_column_suggests_the_close_match(tmp_path):
    message = error_of(write(tmp_path, "e.csv", "event_page,timezon\nEvent:A,UTC\n"))
    assert "row 1, field 'timezon': unknown column 'timezon' (did you mean 'timezone'?)" in message


def test_missing_event_page_column_is_named(tmp_path):
    message = error_of(write(tmp_path, "e.csv", "timezone,types\nUTC,contest\n"))
    assert "row 1: there is no 'event_page' column; add it" in message


def test_duplicate_column_is_refused(tmp_path):
    message = error_of(write(tmp_path, "e.csv", "event_page,types,Types\nA,b,c\n"))
    assert "column 'types' appears twice" in message


@pytest.mark.parametrize("content", ["", "\n\n  \n"])
def test_empty_file_asks_for_a_header(tmp_path, content):
    message = error_of(write(tmp_path, "e.csv", content))
    assert "empty" in message or "no header row" in message


def test_bad_encoding_names_line_and_byte_and_suggests_utf8(tmp_path):
    content = "event_page,address\nEvent:A,ok\nEvent:B,Pra\xe7a\n".encode("latin-1")
    message = error_of(write(tmp_path, "e.csv", content))
    assert "line 3: byte 0xe7 (byte offset 41) is not UTF-8; save the file as UTF-8" in message


def test_bad_encoding_is_reported_before_any_row(tmp_path):
    content = b"event_page\n" + b"Event:A\n" * 10_000 + b"Event:\xff\n"
    with pytest.raises(InputError, match="line 10002"):
        next(read_events(write(tmp_path, "e.csv", content)))


def test_utf16_file_says_so(tmp_path):
    path = write(tmp_path, "e.csv", "event_page\nA\n".encode("utf-16"))
    assert "the file is UTF-16; save it as UTF-8" in error_of(path)


def test_unknown_file_type_names_the_choices(tmp_path):
    assert "name the file .csv, .json or .yaml" in error_of(write(tmp_path, "e.xlsx", "x"))


def test_missing_file_is_an_input_error(tmp_path):
    assert "nope.csv: no such file; check the path." in error_of(tmp_path / "nope.csv")


def test_duplicate_event_pages_name_both_rows_and_other_rows_go_on(tmp_path):
    path = write(
        tmp_path, "e.csv", "event_page\nEvent:WikiGap 2027\nEvent:Other\nEvent:WikiGap_2027\n"
    )
    found = rows(path)
    assert [r.number for r in found] == [2, 3, 4]
    assert found[0].problems == () and found[1].problems == ()
    [duplicate] = found[2].problems
    assert duplicate.code == "gatebot-duplicate-event-page"
    assert duplicate.message == (
        "event page 'Event:WikiGap_2027' is also on row 2; each event page may appear once, so "
        "merge the two rows or remove one."
    )


def test_row_with_extra_cells_is_a_row_problem(tmp_path):
    found = rows(write(tmp_path, "e.csv", "event_page,types\nEvent:A,x,y\nEvent:B,z\n"))
    assert [p.code for p in found[0].problems] == ["gatebot-extra-cells"]
    assert found[1].problems == ()


def test_unterminated_quote_is_an_input_error_with_a_line(tmp_path):
    path = write(tmp_path, "e.csv", 'event_page,address\nEvent:A,"open\n')
    assert "the row starting on line 2 is not valid CSV (unexpected end of data)" in error_of(path)


def test_json_defaults_apply_to_every_event_and_events_override_them(tmp_path):
    document = {
        "defaults": {"timezone": "Europe/Lisbon", "wikis": ["ptwiki"]},
        "events": [{"event_page": "Event:A"}, {"event_page": "Event:B", "wikis": ["*"]}],
    }
    found = rows(write(tmp_path, "e.json", json.dumps(document)))
    assert [r.number for r in found] == [1, 2]
    assert found[0].values == {
        "timezone": "Europe/Lisbon",
        "wikis": ["ptwiki"],
        "event_page": "Event:A",
    }
    assert found[1].values["wikis"] == ["*"]


def test_json_is_streamed_across_buffer_boundaries(tmp_path):
    events = [
        {"event_page": f"Event:E{i}", "goal_target": 10**i % 99991, "address": "é" * (i % 50)}
        for i in range(5000)
    ]
    found = rows(write(tmp_path, "e.json", json.dumps({"events": events}, indent=1)))
    assert [dict(r.values) for r in found] == [
        {k: v for k, v in e.items() if v != ""} for e in events
    ]


def test_json_bare_list_is_accepted(tmp_path):
    assert rows(write(tmp_path, "e.json", '[{"event_page": "Event:A"}]'))[0].number == 1


def test_json_defaults_after_events_are_refused(tmp_path):
    path = write(tmp_path, "e.json", '{"events": [], "defaults": {"timezone": "UTC"}}')
    assert "'defaults' must come before 'events'" in error_of(path)


def test_json_syntax_error_names_the_line(tmp_path):
    path = write(tmp_path, "e.json", '{"events": [\n{"event_page": "A"},\n{"event_page": }\n]}')
    with pytest.raises(InputError, match=r"line 3: expecting value; fix the JSON"):
        rows(path)


def test_json_unknown_keys_and_non_objects_are_row_problems(tmp_path):
    path = write(tmp_path, "e.json", '{"events": [{"event_page": "A", "tipes": ["x"]}, 7]}')
    first, second = rows(path)
    assert first.problems[0].message == "unknown key 'tipes' (did you mean 'types'?)."
    assert second.problems[0].code == "gatebot-not-an-object"


def test_json_unknown_top_level_key_suggests_events(tmp_path):
    assert "did you mean 'events'?" in error_of(write(tmp_path, "e.json", '{"evnts": []}'))


def test_yaml_keeps_norway_and_on_as_text(tmp_path):
    path = write(
        tmp_path,
        "e.yaml",
        "events:\n  - event_page: Event:Oslo\n    country: NO\n"
        "    contribution_statistics: on\n    start: 2027-03-06T10:00:00\n",
    )
    [row] = rows(path)
    assert row.values["country"] == "NO"
    assert row.values["contribution_statistics"] == "on"
    assert row.values["start"] == "2027-03-06T10:00:00"


def test_yaml_syntax_error_names_line_and_column(tmp_path):
    path = write(tmp_path, "e.yaml", "events:\n  - event_page: [unclosed\n")
    assert "not valid YAML" in error_of(path)


def test_yaml_unknown_default_is_refused(tmp_path):
    path = write(tmp_path, "e.yaml", "defaults:\n  timezon: UTC\nevents: []\n")
    assert "unknown default 'timezon' (did you mean 'timezone'?)" in error_of(path)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=300), suffix=st.sampled_from([".csv", ".json", ".yaml"]))
def test_no_input_makes_the_readers_crash(tmp_path, content, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(content)
    try:
        for row in read_events(path):
            assert row.number >= 1
    except InputError as error:
        assert str(error)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=200), suffix=st.sampled_from([".csv", ".json", ".yaml"]))
def test_no_text_makes_the_readers_crash(tmp_path, text, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_text("event_page,types\n" + text if suffix == ".csv" else text, encoding="utf-8")
    try:
        for row in read_events(path):
            assert row.number >= 1
    except InputError as error:
        assert str(error)


def test_duplicates_are_found_among_many_rows(tmp_path):
    pages = "".join(f"Event:Campaign/{n}\n" for n in range(20_000))
    path = write(tmp_path, "e.csv", "event_page\n" + pages + "Event:Campaign/7\n")
    found = rows(path)
    assert sum(bool(r.problems) for r in found) == 1
    assert "is also on row 9;" in found[-1].problems[0].message


def test_yaml_reads_offsets_and_colon_numbers_as_text_not_base_60(tmp_path):
    path = write(
        tmp_path,
        "e.yaml",
        "events:\n  - event_page: Event:A\n    timezone: +10:00\n    event_id: 1:30\n"
        "    goal_target: 1_000\n  - event_page: Event:B\n    event_id: 42\n"
        "    test_event: yes\n    goal_target: !!str 30\n",
    )
    first, second = rows(path)
    assert first.values["timezone"] == "+10:00"
    assert first.values["event_id"] == "1:30"
    assert first.values["goal_target"] == "1_000"
    assert second.values == {
        "event_page": "Event:B", "event_id": 42, "test_event": "yes", "goal_target": "30",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("e.yaml", "events:\n  - event_page: Event:A\n  - event_page: Event:B\n"
                   "    timezone: UTC\n    timezone: Europe/Lisbon\n"),
        ("e.json", '{"events": [{"event_page": "Event:A"},\n'
                   '{"event_page": "Event:B", "timezone": "UTC", "timezone": "Europe/Lisbon"}]}'),
    ],
)  # fmt: skip
def test_a_key_given_twice_in_an_event_names_the_row_and_key(tmp_path, name, content):
    with pytest.raises(InputError) as caught:
        rows(write(tmp_path, name, content))
    assert (caught.value.row, caught.value.field) == (2, "timezone")
    assert "'timezone' appears twice" in str(caught.value)


@pytest.mark.parametrize(
    "content",
    ["events: []\nevents: []\n", "defaults: {}\ndefaults: {}\nevents: []\n",
     "events:\n  - event_page: A\ndefaults:\n  timezone: UTC\n"],
)  # fmt: skip
def test_yaml_top_level_keys_once_and_defaults_first(tmp_path, content):
    message = error_of(write(tmp_path, "e.yaml", content))
    assert "appears twice" in message or "'defaults' must come before 'events'" in message


@pytest.mark.parametrize("content", ["# only a comment\n", "\n   \n", "\ufeff"])
def test_a_yaml_file_without_events_is_an_error_like_empty_csv_and_json(tmp_path, content):
    message = error_of(write(tmp_path, "e.yaml", content))
    assert "empty" in message or "holds no events" in message


BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 10)}]\n" for n in range(8)
)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("e.yaml", "events:\n  - " + "[" * 1000 + "]" * 1000 + "\n", "nest"),
        ("e.yaml", "events:\n  - " + "[" * 40 + "]" * 40 + "\n", "nested more than 32"),
        ("e.json", '{"events": [' + "[" * 1000 + "]" * 1000 + "]}", "nested too deeply"),
        ("e.json", '{"events": [' + "[" * 40 + "]" * 40 + "]}", "nested more than 32"),
        ("e.yaml", "events:\n  - event_page: A\n    event_id: " + "7" * 5000 + "\n",
         "a number is too long"),
        ("e.json", '[{"event_page": "A", "event_id": ' + "7" * 5000 + "}]",
         "digits is longer than any field allows"),
        ("e.yaml", "events:\n  - event_page: A\n    topics: &t [x]\n  - topics: *t\n",
         "anchors and aliases"),
        ("e.yaml", "events:\n  - " + BILLION_LAUGHS.replace("\n", "\n    "), "anchors and aliases"),
        ("e.yaml", "events:\n  - !!python/object:os.system {}\n", "tag"),
        ("e.yaml", "events:\n  - event_page: !!binary aGk=\n", "tag"),
        ("e.yaml", "events:\n  - {[a]: b}\n", "a key must be a plain name"),
    ],
)  # fmt: skip
def test_hostile_json_and_yaml_are_input_errors_not_crashes_or_hangs(
    tmp_path, name, content, expected
):
    started = time.monotonic()
    assert expected in error_of(write(tmp_path, name, content))
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("name", ["e.csv", "e.json", "e.yaml"])
def test_a_fifo_or_device_is_refused_at_once(tmp_path, name):
    fifo = tmp_path / name
    os.mkfifo(fifo)
    device = tmp_path / f"device{fifo.suffix}"
    device.symlink_to("/dev/zero")
    for path in (fifo, device):
        started = time.monotonic()
        assert "not a regular file" in error_of(path)
        assert time.monotonic() - started < 2


@pytest.mark.parametrize("name", ["e.csv", "e.json", "e.yaml"])
def test_a_binary_file_is_refused_as_binary(tmp_path, name):
    message = error_of(write(tmp_path, name, b"event_page\nEvent:A\x00\x01\x02\n"))
    assert "line 2: a NUL byte (byte offset 18); this is a binary file" in message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("e.csv", "event_page,address\nEvent:A," + "x" * (2 << 20) + "\n"),
        ("e.json", '[{"event_page": "Event:A", "address": "' + "x" * (2 << 20) + '"}]'),
        ("e.yaml", "events:\n  - event_page: Event:A\n    address: " + "x" * (2 << 20) + "\n"),
    ],
)
def test_one_row_longer_than_a_mebibyte_is_refused_before_it_fills_memory(tmp_path, name, content):
    assert "characters, far more than an event needs" in error_of(write(tmp_path, name, content))


def test_a_one_document_yaml_file_is_streamed(tmp_path):
    events = "".join(f"  - event_page: Event:E{n}\n    event_id: {n}\n" for n in range(20_000))
    path = write(tmp_path, "e.yaml", "events:\n" + events + "  - event_page: [unclosed\n")
    found = read_events(path)
    assert next(found).values == {"event_page": "Event:E0", "event_id": 0}
    with pytest.raises(InputError, match=r"row 20001: line 4000\d, column \d+: not valid YAML"):
        list(found)


def test_without_libyaml_the_pure_python_parser_gives_the_same_rows(tmp_path, monkeypatch):
    content = (
        "defaults: {timezone: +10:00}\nevents:\n  - event_page: Event:A\n    event_id: 1:30\n"
        "    types: [contest]\n  - event_page: Event:B\n    event_id: 0x1f\n"
    )
    path = write(tmp_path, "e.yaml", content)
    fast = [(r.number, dict(r.values)) for r in rows(path)]
    monkeypatch.setattr("bot.yamlrows._PARSER", yaml.BaseLoader)
    assert [(r.number, dict(r.values)) for r in rows(path)] == fast
    assert fast[1][1]["event_id"] == 31
    bad = write(tmp_path, "bad.yaml", "events:\n  - event_page: A\n    x: &a 1\n")
    assert "anchors and aliases" in error_of(bad)
