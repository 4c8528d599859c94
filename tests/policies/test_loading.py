"""Policy files: the shipped defaults, a user's folder or file, and errors that show the fix."""

import os
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import policies
from policies import PolicyError
from policies.loading import parse_contribution_stats, parse_daily_limits

PRODUCTION_COUNTRIES = {
    "BH", "BY", "CN", "CU", "EG", "ER", "HK", "IR", "KP", "MM", "MO", "RU", "SA", "SY", "TM",
    "TR", "VN",
}  # fmt: skip


def test_shipped_policy_mirrors_wikimedia_production():
    policy = policies.load()
    assert set(policy.disallowed_countries) == PRODUCTION_COUNTRIES
    assert policy.disallowed_countries["TR"] == "Turkey"
    assert policy.disallowed_reviewed == date(2026, 8, 21)
    assert "T402353" in policy.disallowed_source
    assert policy.contribution_types == (
        "editing-event", "media-upload-event", "backlog-drive", "contest",
    )  # fmt: skip
    for task_type in ("image-recommendation", "section-image-recommendation",
                      "link-recommendation"):  # fmt: skip
        assert policy.daily_limit(task_type) == 25
    assert policy.daily_limit("copyedit") is None
    assert policy.counts("accepted") and policy.counts("no") and not policy.counts("skipped")


def test_design_example_works_as_documented():
    policy = policies.load()
    verdict = policy.contribution_stats(
        types=["meetup"], participation="hybrid", country="BY", wikis=["enwiki"], requested="auto"
    )
    assert verdict.enabled is False and verdict.errors == [] and len(verdict.notes) == 1
    assert policy.daily_limit("image-recommendation", wiki_max=10) == 10
    now = datetime(2026, 7, 1, 12, tzinfo=timezone.utc)
    day = policy.user_day(timecorrection="ZoneInfo|60|Europe/Berlin", site_timezone="UTC", now=now)
    assert day.zone == "Europe/Berlin" and day.start <= now < day.end


def test_naive_now_is_refused():
    with pytest.raises(ValueError, match="no time zone"):
        policies.load().user_day(timecorrection=None, site_timezone="UTC", now=datetime(2026, 1, 1))


def write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_folder_with_both_files_replaces_the_defaults(tmp_path):
    write(
        tmp_path,
        "contribution_stats.toml",
        'contribution_types = ["contest"]\n[disallowed_countries]\nDE = "x"\n',
    )
    write(tmp_path, "daily_limits.toml", "[max_per_day]\nimage-recommendation = 10\n")
    policy = policies.load(tmp_path)
    assert policy.disallowed_countries == {"DE": "x"}
    assert policy.contribution_types == ("contest",)
    assert policy.daily_limit("image-recommendation") == 10
    assert policy.daily_limit("link-recommendation") is None
    assert policy.sources == (str(tmp_path / "contribution_stats.toml"),
                              str(tmp_path / "daily_limits.toml"))  # fmt: skip


def test_one_file_takes_the_other_from_defaults_and_keeps_missing_keys(tmp_path):
    path = write(tmp_path, "contribution_stats.toml", '[disallowed_countries]\nDE = "Germany"\n')
    policy = policies.load(path)
    assert policy.disallowed_countries == {"DE": "Germany"}
    assert policy.contribution_types[0] == "editing-event"
    assert policy.disallowed_reviewed is None  # the shipped review date is not the user's
    assert policy.daily_limit("image-recommendation") == 25
    assert policy.sources[1] == "built-in default daily_limits.toml"


def test_empty_table_disallows_nothing(tmp_path):
    policy = policies.load(write(tmp_path, "contribution_stats.toml", "[disallowed_countries]\n"))
    assert policy.contribution_stats(types=["contest"], participation="hybrid", country="BY",
                                     wikis=["x"], requested="on").enabled is True  # fmt: skip


@pytest.mark.parametrize(
    ("name", "text", "key", "expected"),
    [
        ("contribution_stats.toml", 'disallowed_countries = ["BY", "Turkey"]',
         "disallowed_countries", 'not a list (the server uses only the codes); write a '
         '[disallowed_countries] table with one CODE = "Name" line each, e.g. BY = "Belarus"; '
         'TR = "Turkey".'),
        ("contribution_stats.toml", '[disallowed_countries]\nTurkey = "Turkey"',
         "disallowed_countries.Turkey", "'Turkey' is a country name, not a two-letter code; write "
         'TR = "Turkey".'),
        ("contribution_stats.toml", '[disallowed_countries]\nDEU = "Germany"',
         "disallowed_countries.DEU", "'DEU' is a three-letter code, not a two-letter code; "
         'write DE = "Germany".'),
        ("contribution_stats.toml", '[disallowed_countries]\nZZ = "Nowhere"',
         "disallowed_countries.ZZ", "'ZZ' is not a country code CampaignEvents knows"),
        ("contribution_stats.toml", "[disallowed_countries]\nBY = 1",
         "disallowed_countries.BY", "the name must be text in quotes"),
        ("contribution_stats.toml", 'disallowed_countries = "BY"', "disallowed_countries",
         "must be a table"),
        ("contribution_stats.toml", 'contribution_types = ["editing-event", "picnic"]',
         "contribution_types", "'picnic' is not a CampaignEvents event type id; use one of "
         "editing-event, "),
        ("contribution_stats.toml", 'contribution_types = ["Editing event"]',
         "contribution_types", "write its id 'editing-event'"),
        ("contribution_stats.toml", "contribution_types = []", "contribution_types",
         "must be a non-empty list"),
        ("contribution_stats.toml", "reviewed = \"last week\"", "reviewed",
         "must be a date such as reviewed = 2026-08-21."),
        ("contribution_stats.toml", "disallowed_country = {}", "disallowed_country",
         "unknown key; this file may contain source, reviewed, contribution_types, "
         "disallowed_countries."),
        ("daily_limits.toml", "[max_per_day]\nimage_recommendation = 25",
         "max_per_day.image_recommendation", "write it with hyphens, as the API does: "
         "image-recommendation."),
        ("daily_limits.toml", "[max_per_day]\nkitten-recommendation = 25",
         "max_per_day.kitten-recommendation", "unknown task type; use one of copyedit"),
        ("daily_limits.toml", "[max_per_day]\nimage-recommendation = 0",
         "max_per_day.image-recommendation", "0 is not a limit; write a whole number from 1 "
         "to 1,000,000, e.g. image-recommendation = 25."),
        ("daily_limits.toml", '[max_per_day]\nimage-recommendation = "25"',
         "max_per_day.image-recommendation", "'25' is not a limit"),
        ("daily_limits.toml", "[max_per_day]\nimage-recommendation = true",
         "max_per_day.image-recommendation", "True is not a limit"),
        ("daily_limits.toml", 'counted_outcomes = ["accepted", "maybe"]', "counted_outcomes",
         "'maybe' is not one of"),
        ("daily_limits.toml", "max_per_day = 25", "max_per_day", "must be a table"),
    ],
)  # fmt: skip
def test_bad_policy_files_name_file_and_key_and_show_the_right_form(
    tmp_path, name, text, key, expected
):
    path = write(tmp_path, name, text + "\n")
    with pytest.raises(PolicyError) as caught:
        policies.load(path)
    message = str(caught.value)
    assert message.startswith(f"{path}, key {key!r}: ")
    assert expected in message
    assert caught.value.path == str(path) and caught.value.key == key


def test_invalid_toml_says_where(tmp_path):
    path = write(tmp_path, "daily_limits.toml", "[max_per_day\n")
    with pytest.raises(PolicyError, match=r"is not valid TOML: .*line 1"):
        policies.load(path)


def test_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(PolicyError, match="no such file"):
        policies.load(tmp_path / "nope.toml")


def test_folder_with_a_misnamed_file_is_refused(tmp_path):
    write(tmp_path, "daily_limit.toml", "[max_per_day]\nimage-recommendation = 5\n")
    with pytest.raises(PolicyError, match="unexpected policy file"):
        policies.load(tmp_path)


def test_empty_folder_is_refused(tmp_path):
    with pytest.raises(PolicyError, match=r"holds no contribution_stats\.toml"):
        policies.load(tmp_path)


@pytest.mark.parametrize("name", ["policy.toml", "daily_limits.TOML", "Contribution_stats.toml"])
def test_a_file_not_named_as_documented_is_refused_even_if_its_keys_fit(tmp_path, name):
    with pytest.raises(PolicyError, match="unexpected policy file name") as caught:
        policies.load(write(tmp_path, name, "counted_outcomes = ['accepted', 'rejected']\n"))
    assert caught.value.path == str(tmp_path / name)


def test_a_folder_with_any_other_file_is_refused_so_a_typo_is_not_ignored(tmp_path):
    write(tmp_path, "contribution_stats.toml", "[disallowed_countries]\n")
    write(tmp_path, "daily_limits.yaml", "max_per_day: 1\n")
    write(tmp_path, ".hidden", "ignored\n")
    with pytest.raises(PolicyError, match="unexpected policy file name") as caught:
        policies.load(tmp_path)
    assert caught.value.path == str(tmp_path / "daily_limits.yaml")


def test_lower_case_code_keys_are_refused_with_the_line_to_write(tmp_path):
    with pytest.raises(PolicyError) as caught:
        policies.load(write(tmp_path, "contribution_stats.toml",
                            '[disallowed_countries]\nby = "Belarus"\n'))  # fmt: skip
    assert caught.value.key == "disallowed_countries.by"
    assert 'write BY = "Belarus"' in str(caught.value)


@pytest.mark.parametrize(
    ("outcomes", "missing"),
    [("[]", "accepted and rejected"), ('["accepted"]', "rejected"),
     ('["no", "skipped"]', "accepted")],
)  # fmt: skip
def test_counted_outcomes_that_would_loosen_the_gate_are_refused(tmp_path, outcomes, missing):
    path = write(tmp_path, "daily_limits.toml", f"counted_outcomes = {outcomes}\n")
    with pytest.raises(PolicyError) as caught:
        policies.load(path)
    assert caught.value.key == "counted_outcomes"
    assert f"must count {missing}:" in str(caught.value)


def test_counting_skips_too_is_stricter_and_allowed(tmp_path):
    path = write(tmp_path, "daily_limits.toml", 'counted_outcomes = ["yes", "no", "skip"]\n')
    assert policies.load(path).counts("skipped")


def test_contribution_types_the_wiki_never_allows_are_refused(tmp_path):
    path = write(tmp_path, "contribution_stats.toml",
                 'contribution_types = ["contest", "meetup"]\n')  # fmt: skip
    with pytest.raises(PolicyError) as caught:
        policies.load(path)
    assert caught.value.key == "contribution_types"
    assert "'meetup' cannot have contribution statistics on the wiki" in str(caught.value)


def test_a_fifo_or_device_is_refused_at_once_not_waited_on(tmp_path):
    fifo = tmp_path / "daily_limits.toml"
    os.mkfifo(fifo)
    device = tmp_path / "folder" / "contribution_stats.toml"
    device.parent.mkdir()
    device.symlink_to("/dev/zero")
    for path in (fifo, device, device.parent):
        started = time.monotonic()
        with pytest.raises(PolicyError, match="not a regular file"):
            policies.load(path)
        assert time.monotonic() - started < 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("counted_outcomes = " + "[" * 1000 + "]" * 1000 + "\n", "nested too deeply"),
        ("counted_outcomes = " + "[" * 40 + "]" * 40 + "\n", "nested more than 32 levels"),
        ("[max_per_day]\nimage-recommendation = " + "9" * 5000 + "\n", "a number is too long"),
        ('counted_outcomes = ["accepted", "rejected"]\n\0\n', "NUL byte"),
        ("# \udcff\n", "is not UTF-8"),
        ("#" * (2 << 20) + "\n", "larger than 1024 KiB"),
    ],
)
def test_unreadable_policy_text_is_a_policy_error_naming_the_file(tmp_path, text, expected):
    path = tmp_path / "daily_limits.toml"
    path.write_bytes(text.encode("utf-8", errors="surrogateescape"))
    with pytest.raises(PolicyError, match=expected) as caught:
        policies.load(path)
    assert caught.value.path == str(path)


def test_policy_as_dict_for_policy_show():
    shown = policies.load().as_dict()
    assert shown["contribution_statistics"]["reviewed"] == "2026-08-21"
    assert shown["daily_limits"]["counted_outcomes"] == ["accepted", "rejected"]


toml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12) | st.dates(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)


STATS_KEYS = ["source", "reviewed", "contribution_types", "disallowed_countries", "extra"]


@given(st.dictionaries(st.sampled_from(STATS_KEYS), toml_values))
def test_any_contribution_stats_content_loads_or_is_a_policy_error(data):
    try:
        parse_contribution_stats(data, "x.toml")
    except PolicyError as error:
        assert str(error).startswith("x.toml")


@given(st.dictionaries(st.sampled_from(["max_per_day", "counted_outcomes", "extra"]), toml_values))
def test_any_daily_limits_content_loads_or_is_a_policy_error(data):
    try:
        parse_daily_limits(data, "x.toml")
    except PolicyError as error:
        assert str(error).startswith("x.toml")


@given(st.text(max_size=200))
def test_any_file_text_loads_or_is_a_policy_error(text):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "daily_limits.toml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            policies.load(path)
        except PolicyError as error:
            assert str(error).startswith(str(path))
