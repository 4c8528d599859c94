"""`gatebot images session` and `gatebot images quota` end to end: real gatebot processes against
a sandbox wiki, scripted by answers files or typed at a pseudo-terminal; what reached the wiki
is read from the sandbox's own log of answers."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from bot.sandbox.config import load_config
from bot.sandbox.seed import ARTICLES
from bot.sandbox.server import SandboxServer, serve
from tests.suggestions.terminal import Terminal

TITLES = [title for title, _ in ARTICLES]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def remote_sandbox() -> Iterator[SandboxServer]:
    """A wiki whose suggester is remote (Patch Demo): qualityGateConfig is always []."""
    server = serve(dataclasses.replace(load_config(), suggester="remote"))
    yield server
    server.stop()


def environment(state: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATEBOT_")}
    env.update(
        GATEBOT_USER="Volunteer@gatebot", GATEBOT_PASSWORD="sandbox",
        GATEBOT_STATE_DIR=str(state), PYTHONPATH=str(ROOT), COLUMNS="120",
        TERM="xterm-256color",
    )  # fmt: skip
    return env


def gatebot(
    server: SandboxServer, state: Path, *args: str, stdin: int | None = subprocess.DEVNULL
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args, "--wiki", server.api_url],
        env=environment(state), stdin=stdin, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def answers_file(path: Path, rows: Sequence[str]) -> Path:
    path.write_text("title,answer,reasons,caption\n" + "".join(f"{row}\n" for row in rows))
    return path


def yes_and_no(titles: Sequence[str]) -> list[str]:
    """Alternating yes (with a caption) and no (with a reason) for each title."""
    return [
        f"{title},yes,,{title} seen from above" if n % 2 == 0 else f"{title},no,lowquality,"
        for n, title in enumerate(titles)
    ]


def answers_on_wiki(server: SandboxServer, action: str = "addimage") -> int:
    """How many answers of Volunteer the wiki logged (and so counts)."""
    volunteer = server.wiki.config.account("Volunteer")
    assert volunteer is not None
    return server.wiki.store.count_log_rows(volunteer.user_id, action, "")


def test_the_26th_answer_is_refused_before_anything_is_sent(sandbox, tmp_path):
    answers = answers_file(tmp_path / "answers.csv", yes_and_no(TITLES[:26]))
    run = gatebot(sandbox, tmp_path / "state", "images", "session", "--answers", str(answers),
                  "--task-type", "image-recommendation", "--json")  # fmt: skip
    assert run.returncode == 1, run.stderr  # one row could not be answered
    report = json.loads(run.stdout)
    assert answers_on_wiki(sandbox) == 25
    assert (report["stopped"], report["answered"]) == ("daily-limit", 25)
    assert (report["accepted"], report["rejected"]) == (13, 12)
    (left,) = report["rows_not_answered"]
    assert (left["row"], left["title"]) == (27, TITLES[25])
    assert "not reached" in left["message"] and "daily-limit" in left["message"]
    (quota,) = report["quota"]
    assert (quota["count"], quota["limit"], quota["open"]) == (25, 25, False)
    assert quota["counted_by"] == ["ledger", "wiki"]
    assert quota["reset_text"].startswith("resets at 00:00 Europe/Berlin, in ")
    assert quota["open_task_types"] == ["section-image-recommendation"]


def test_the_closed_gate_says_when_it_reopens_and_what_is_still_open(sandbox, tmp_path):
    answers = answers_file(tmp_path / "answers.csv", yes_and_no(TITLES[:26]))
    run = gatebot(sandbox, tmp_path / "state", "images", "session", "--answers", str(answers),
                  "--task-type", "image-recommendation")  # fmt: skip
    assert "Session over: the daily limit is reached (daily-limit)." in run.stdout
    assert (
        "image-recommendation: 25 of 25 done today, the daily limit; resets at 00:00 "
        "Europe/Berlin, in "
    ) in run.stdout
    assert "Still open: section-image-recommendation." in run.stdout
    assert f"27   {TITLES[25]}" in run.stdout


def test_skips_are_not_counted_and_send_nothing(sandbox, tmp_path):
    rows = [f"{title},skip,," for title in TITLES[:5]] + yes_and_no(TITLES[5:7])
    answers = answers_file(tmp_path / "answers.csv", rows)
    state = tmp_path / "state"
    run = gatebot(sandbox, state, "images", "session", "--answers", str(answers), "--json")
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert (report["stopped"], report["skipped"], report["answered"]) == (
        "answers-exhausted", 5, 2,
    )  # fmt: skip
    assert answers_on_wiki(sandbox) == 2
    quota = json.loads(gatebot(sandbox, state, "images", "quota", "--json").stdout)
    assert (quota["count"], quota["local_count"], quota["remaining"]) == (2, 2, 23)


def test_a_rerun_of_an_answers_file_sends_nothing_already_answered(sandbox, tmp_path):
    answers = answers_file(tmp_path / "answers.csv", yes_and_no(TITLES[:4]))
    state = tmp_path / "state"
    first = gatebot(sandbox, state, "images", "session", "--answers", str(answers), "--json")
    assert first.returncode == 0, first.stderr
    assert answers_on_wiki(sandbox) == 4

    again = gatebot(sandbox, state, "images", "session", "--answers", str(answers), "--json")
    assert again.returncode == 0, again.stderr
    assert answers_on_wiki(sandbox) == 4
    report = json.loads(again.stdout)
    assert report["answered"] == 0
    assert "already answered" in again.stdout


def test_bad_rows_are_named_and_the_other_rows_go_on(sandbox, tmp_path):
    rows = [
        f"{TITLES[0]},yes,,A bridge over the river",
        f"{TITLES[1]},no,notrelevant;unheard-of,",
        f"{TITLES[2]},yes,,abc",
        "Not an article anywhere,no,other,",
        f"{TITLES[3]},no,other,",
    ]
    answers = answers_file(tmp_path / "answers.csv", rows)
    run = gatebot(sandbox, tmp_path / "state", "images", "session", "--answers", str(answers))
    assert run.returncode == 1
    assert f"{answers}, row 3, field 'reasons': unknown reason 'unheard-of'" in run.stderr
    assert "row 4 (" in run.stderr and "'abc' has 3" in run.stderr
    assert "not offered: the wiki has no image suggestion" in run.stdout
    assert answers_on_wiki(sandbox) == 2  # rows 2 and 6


@pytest.fixture
def slow_sandbox() -> Iterator[SandboxServer]:
    """A sandbox answering after 20 ms, so that two sessions surely overlap in time."""
    server = serve(load_config().with_latency(20))
    yield server
    server.stop()


def test_two_sessions_of_one_user_at_once_never_exceed_the_limit(slow_sandbox, tmp_path):
    sandbox, state = slow_sandbox, tmp_path / "state"
    halves = (TITLES[:18], TITLES[18:36])
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bot.cli",
                "images",
                "session",
                "--wiki",
                sandbox.api_url,
                "--task-type",
                "image-recommendation",
                "--json",
                "--answers",
                str(answers_file(tmp_path / f"answers{n}.csv", yes_and_no(half))),
            ],
            env=environment(state),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n, half in enumerate(halves)
    ]
    reports = [json.loads(run.communicate(timeout=120)[0]) for run in runs]
    sent = answers_on_wiki(sandbox)
    # exactly the limit: an answer of the other session in flight as the wiki's count was read
    # is waited for and the count read again, never counted twice nor left out
    assert sent == 25
    assert sum(report["answered"] for report in reports) == sent
    assert "daily-limit" in [report["stopped"] for report in reports]
    # once both have settled, the count is exact again: a slot held back in the race is free
    quota = json.loads(gatebot(sandbox, state, "images", "quota", "--json",
                               "--task-type", "image-recommendation").stdout)  # fmt: skip
    assert (quota["count"], quota["remaining"]) == (sent, 25 - sent)


def test_a_wiki_without_counts_still_stops_at_25_from_the_ledger_alone(remote_sandbox, tmp_path):
    answers = answers_file(tmp_path / "answers.csv", yes_and_no(TITLES[:30]))
    state = tmp_path / "state"
    run = gatebot(remote_sandbox, state, "images", "session", "--answers", str(answers),
                  "--task-type", "image-recommendation")  # fmt: skip
    assert answers_on_wiki(remote_sandbox) == 25
    assert "count from this machine's ledger only: the wiki reports no count" in run.stdout
    quota = json.loads(gatebot(remote_sandbox, state, "images", "quota", "--json").stdout)
    assert (quota["count"], quota["wiki_count"], quota["counted_by"]) == (25, None, ["ledger"])
    assert quota["remaining"] == 0 and quota["resets_at"].endswith("+01:00")


def test_without_a_terminal_or_an_answers_file_it_refuses_instead_of_waiting(sandbox, tmp_path):
    run = gatebot(sandbox, tmp_path / "state", "images", "session")
    assert run.returncode == 2
    assert "no terminal to ask on" in run.stderr and "--answers FILE" in run.stderr
    assert answers_on_wiki(sandbox) == 0


def test_quota_shows_both_counts_and_the_reset_in_the_users_zone(sandbox, tmp_path):
    run = gatebot(sandbox, tmp_path / "state", "images", "quota")
    assert run.returncode == 0, run.stderr
    assert "the wiki's count       0" in run.stdout
    assert "zone                   Europe/Berlin" in run.stdout
    assert "(resets at 00:00 Europe/Berlin, in " in run.stdout


def interactive(server: SandboxServer, state: Path, *args: str) -> Terminal:
    return Terminal(["images", "session", "--wiki", server.api_url, *args], environment(state))


QUESTION = r"\[q\]uit: $"


def test_a_volunteer_answers_at_the_terminal(sandbox, tmp_path):
    term = interactive(sandbox, tmp_path / "state", "--task-type", "image-recommendation",
                       "--max", "2")  # fmt: skip
    screen = term.read_until(QUESTION)
    first = TITLES[0]
    file_name = f"{first.replace(' ', '_')}_2010.jpg"
    assert (
        f"Article    {first}  {sandbox.base_url}/w/index.php?title={first.replace(' ', '_')}"
        in screen
    )
    assert f"Image      {file_name.replace('_', ' ')}" in screen
    assert f"About it   {first}, seen from the south" in screen
    assert "Why        Found in the Wikidata item for this article (strong match)." in screen
    assert f"File page  https://commons.wikimedia.org/wiki/File:{file_name}" in screen
    assert "image-recommendation · 0 of 25 today" in screen
    assert "\x1b]8;id=" in term.raw  # a clickable link (OSC 8)
    term.type("y")
    term.read_until(r"Caption \(at least 5 characters; empty: back\): $")
    term.type("abc")
    term.read_until(r"'abc' has 3\.\s+Caption .*: $")
    term.type("The bridge at dusk")
    screen = term.read_until(QUESTION)
    assert f"✓ Added the image to {first} · 1 of 25 today" in screen
    term.type("n")
    screen = term.read_until(r"Reasons .*: $")
    assert "4. Image is low quality (lowquality)" in screen
    assert "sectionnotappropriate" not in screen  # only for section images
    term.type("1 4")
    assert term.wait() == 0
    assert f"✓ Rejected for {TITLES[1]} · 2 of 25 today" in term.screen
    assert "Session over: --max answers are done (max)." in term.screen
    assert answers_on_wiki(sandbox) == 2
    page = sandbox.wiki.store.page(first)
    assert page is not None
    saved = sandbox.wiki.store.revision(page.latest)
    assert saved is not None and saved.user_name == "Volunteer"
    assert saved.content.startswith(f"[[File:{file_name}|thumb|The bridge at dusk]]\n")


def test_ctrl_c_ends_the_session_cleanly_with_its_report(sandbox, tmp_path):
    term = interactive(sandbox, tmp_path / "state", "--task-type", "image-recommendation")
    term.read_until(QUESTION)
    term.type("s")
    term.read_until(r"Skipped .*\n(.|\n)*" + QUESTION)
    term.interrupt()
    assert term.wait() == 130
    assert "Session over: it was ended at the terminal (interrupted)." in term.screen
    assert "skipped 1" in term.screen
    assert "Traceback" not in term.screen
    assert answers_on_wiki(sandbox) == 0


def test_topics_and_an_answers_file_together_are_refused_before_logging_in(sandbox, tmp_path):
    answers = answers_file(tmp_path / "answers.csv", yes_and_no(TITLES[:1]))
    run = gatebot(sandbox, tmp_path / "state", "images", "session", "--answers", str(answers),
                  "--topics", "africa")  # fmt: skip
    assert run.returncode == 2
    assert "--topics chooses which suggestions to show" in run.stderr
    assert answers_on_wiki(sandbox) == 0
