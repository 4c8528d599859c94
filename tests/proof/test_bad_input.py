"""Over 1,000 seeded malformed inputs through the real CLI (in this process, a sample in a child):
0 tracebacks, exit 1 or 2 (3 for a broken wiki's answers) with a message naming the file, the
row and the field, and nothing sent to the wiki for a refused row."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
import responses

from bot.sandbox.seed import create_page
from bot.suggestions import read_answers
from policies.errors import InputError
from tests.proof import corpus
from tests.proof.inprocess import Ran, run
from tests.sandbox_fixtures import SANDBOX_PASSWORD

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _no_gatebot_environment(monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith(("GATEBOT_", "PYWIKIBOT")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("GATEBOT_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("HOME", str(tmp_path))


def write(folder: Path, case: corpus.Case) -> Path:
    path = folder / case.name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(case.data)
    return path


def problem(case: corpus.Case, ran: Ran, why: str) -> str:
    return f"{case.kind} [{case.damage}] {why}: exit {ran.status}\n{ran.crash or ran.err[-600:]}"


def checked(case: corpus.Case, path: Path, ran: Ran) -> str | None:
    """What is wrong with how `events check --json` answered a malformed file, if anything."""
    if ran.crash or "Traceback" in ran.err:
        return problem(case, ran, "traceback")
    if ran.status == 2:
        if not ran.one_line_error() or path.name not in ran.err:
            return problem(case, ran, "exit 2 without one line naming the file")
        return None
    if ran.status != 1:
        return problem(case, ran, "not refused")
    rows = json.loads(ran.out)["rows"]
    refused = [row for row in rows if not row["ok"]]
    if not refused:
        return problem(case, ran, "exit 1 without a refused row")
    for row in refused:
        # A problem of the whole row (too many cells, not a mapping) has no one field.
        if not isinstance(row["row"], int) or not all(e["message"] for e in row["errors"]):
            return problem(case, ran, f"a refused row without row and message: {row}")
    return None


def test_a_thousand_malformed_files_and_command_lines_are_refused_cleanly(tmp_path):
    rng = random.Random(corpus.SEED)
    failures: list[str] = []
    total = 0
    for case in corpus.events_cases(rng, 600):
        path = write(tmp_path, case)
        total += 1
        if failure := checked(case, path, run(["--json", "events", "check", str(path)])):
            failures.append(failure)
    for case in corpus.policy_cases(rng, 150):
        path = write(tmp_path, case)
        ran, total = run(["policy", "check", str(path)]), total + 1
        if ran.crash or "Traceback" in ran.err:
            failures.append(problem(case, ran, "traceback"))
        elif ran.status not in (1, 2) or not ran.one_line_error() or path.name not in ran.err:
            failures.append(problem(case, ran, "not one line naming the file, exit 1 or 2"))
    for case in corpus.argv_cases(rng, 250):
        ran, total = run(list(case.argv)), total + 1
        if ran.crash or "Traceback" in ran.err + ran.out:
            failures.append(problem(case, ran, "traceback"))
        elif ran.status not in (0, 1, 2, 3):
            failures.append(problem(case, ran, "an unexpected exit status"))
        elif ran.status and not ran.err.strip():
            failures.append(problem(case, ran, "a failure without a message"))
    assert total >= 1000
    assert not failures, f"{len(failures)} of {total} failed; first:\n" + "\n\n".join(failures[:8])


def test_malformed_answers_files_are_refused_by_row_and_field_or_as_a_file(tmp_path):
    rng = random.Random(corpus.SEED + 1)
    failures = []
    for case in corpus.answers_cases(rng, 200):
        path = write(tmp_path, case)
        try:
            rows, problems = read_answers(path)
        except InputError as error:
            if path.name not in str(error):
                failures.append(f"{case.damage}: {error} does not name the file")
            continue
        except Exception as error:  # any other escape is a traceback
            failures.append(f"{case.damage}: {type(error).__name__}: {error}")
            continue
        for refused in problems:
            if refused.field not in corpus.ANSWER_HEADER or refused.number < 1:
                failures.append(f"{case.damage}: {refused} names no column and row")
        if case.damage.startswith("cell 1") and rows and rows[0].answer is None:
            failures.append(f"{case.damage}: an unreadable answer was taken")
    assert not failures, "\n".join(failures[:8])


def test_refused_rows_send_nothing_to_the_sandbox(tmp_path, sandbox_server, monkeypatch):
    """One good row and one damaged row per file, applied for real: the good row is created
    once (then unchanged), every damaged row is refused before anything is written."""
    create_page(sandbox_server.wiki, "Event:Proof 2099/Good", "Organizer", "Proof.")
    monkeypatch.setenv("GATEBOT_USER", "Organizer@gatebot")
    monkeypatch.setenv("GATEBOT_PASSWORD", SANDBOX_PASSWORD)
    rng = random.Random(corpus.SEED + 2)
    before = sandbox_server.requests.snapshot()
    failures = []
    for number in range(40):
        damage, row = corpus.damaged_row(rng, [*corpus.CHECKED, "wikis"])
        good = list(corpus.GOOD)
        good[0] = "Event:Proof 2099/Good"
        path = tmp_path / f"apply{number}.csv"
        path.write_text(corpus.csv_text([corpus.HEADER, good, row]), encoding="utf-8")
        ran = run(["--json", "--wiki", sandbox_server.api_url, "events", "apply", "--yes",
                   str(path)])  # fmt: skip
        if ran.crash or ran.status not in (1, 2):  # 2: the file as a whole (a NUL byte)
            failures.append(f"{damage}: exit {ran.status} {ran.crash or ran.err[-400:]}")
    sent = sandbox_server.requests.snapshot() - before
    writes = {k: n for k, n in sent.items() if re.match(r"(POST|PUT|DELETE) /campaignevents", k)}
    assert not failures, "\n".join(failures[:5])
    assert writes == {"POST /campaignevents/v0/event_registration": 1}, writes


@pytest.mark.parametrize("number", range(6))
def test_a_sample_in_a_child_process_prints_no_traceback(tmp_path, number):
    """The in-process runs stand for the console script: a sample runs as one, in a child."""
    rng = random.Random(corpus.SEED + 3 + number)
    case = next(corpus.events_cases(rng, 1))
    path = write(tmp_path, case)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATEBOT_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    argv = [sys.executable, "-m", "bot.cli", "events", "check", str(path)]
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60, check=False)
    assert "Traceback" not in done.stderr
    assert done.returncode in (1, 2), (case.damage, done.stderr)


def wiki_failures(cases: list[corpus.Case], command: list[str]) -> list[str]:
    failures = []
    for case in cases:
        with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
            for method in (responses.GET, responses.POST):
                mock.add(method, re.compile(r"https://wiki\.test/.*"), body=case.data,
                         status=int(case.name), content_type=case.argv[0])  # fmt: skip
            ran = run(["--wiki", "https://wiki.test/w/api.php", *command])
        if ran.crash or "Traceback" in ran.err:
            failures.append(problem(case, ran, "traceback"))
        elif ran.status != 3 or not ran.one_line_error():
            failures.append(problem(case, ran, "not one line with exit 3"))
    return failures


def test_broken_wiki_answers_end_in_one_sentence_with_exit_3(monkeypatch):
    """HTML error pages, truncated or mistyped JSON, huge and deep bodies where the API's JSON
    was expected, for the first request of commands that log in."""
    monkeypatch.setenv("GATEBOT_USER", "Organizer@gatebot")
    monkeypatch.setenv("GATEBOT_PASSWORD", "not-used-here")
    rng = random.Random(corpus.SEED + 4)
    cases = list(corpus.wiki_answers(rng, 120))
    failures = wiki_failures(cases[:60], ["whoami"])
    failures += wiki_failures(cases[60:], ["images", "quota"])
    assert not failures, f"{len(failures)} of {len(cases)}; first:\n" + "\n\n".join(failures[:6])
