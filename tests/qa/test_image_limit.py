"""`qa image-limit` against the sandbox: through the gate to the limit with answers that change
no article, bounded by --max-writes, and honest where the wiki reports no count."""

from __future__ import annotations

import policies
from bot.qa import image_limit
from bot.qa.checklist import NOT_RUN, PASSED


def _run(server, login, tmp_path, **options):
    wiki = login(server, "Volunteer")
    said: list[str] = []
    checklist = image_limit.run(
        wiki, policies.load(), state_dir=tmp_path / "ledger", announce=said.append, **options
    )
    return checklist, said


def _status(checklist):
    return {item.criterion.split(" (")[0]: item.status for item in checklist.checks}


def test_the_gate_closes_at_the_wikis_limit_and_reopens_at_the_users_midnight(
    sandbox, login, tmp_path
):
    server = sandbox(image_limit=3)
    checklist, said = _run(server, login, tmp_path)
    assert set(_status(checklist).values()) == {PASSED}, checklist.as_json()
    assert len(checklist.checks) == 5
    assert checklist.writes == 3
    assert said[0].startswith("will send up to 3 answers on ")
    close = checklist.checks[2]
    assert close.evidence[0].startswith("closed at gatebot 3 of 3 (wiki 3)")
    assert ": not sent; wiki 3 -> 3" in close.evidence[1]
    assert (
        checklist.checks[4].criterion == "The gate reopens at the user's midnight (Europe/Berlin)"
    )
    # Only "no"s with the undecided reason were sent: no article changed, each logged once.
    assert server.wiki.store.count_log_rows(3, "addimage", "19700101000000") == 3


def test_max_writes_below_the_limit_marks_the_closing_criterion_not_run(sandbox, login, tmp_path):
    checklist, said = _run(sandbox(image_limit=5), login, tmp_path, max_writes=2)
    assert said[0].startswith("will send up to 2 answers")
    close = checklist.checks[2]
    assert close.status == NOT_RUN
    assert "3 more answers are needed, beyond --max-writes 2" in close.todo
    assert "run again with --max-writes 5" in close.todo
    assert checklist.writes == 2
    assert not checklist.ok


def test_a_wiki_without_a_count_says_so_and_the_ledger_still_closes_the_gate(
    sandbox, login, tmp_path
):
    checklist, _ = _run(sandbox(suggester="remote"), login, tmp_path, max_writes=30)
    status = _status(checklist)
    assert status["The wiki's dailyCount agrees with gatebot's count after each answer"] == NOT_RUN
    agree = checklist.checks[3]
    assert "qualityGateConfig: []" in agree.todo
    assert status["The gate closes at the limit and does not send the next answer"] == PASSED
    assert checklist.writes == 25  # the policy's limit, since the wiki's count is unknown


def test_a_second_run_the_same_day_sends_nothing(sandbox, login, tmp_path):
    server = sandbox(image_limit=2)
    _run(server, login, tmp_path)
    checklist, said = _run(server, login, tmp_path)
    assert said[0].startswith("will send up to 0 answers")
    assert checklist.writes == 0
    assert "already reached today" in checklist.checks[0].todo
