"""Answers whose reply was lost: the wiki's public log settles those it took (done, counted once,
never sent again); one it shows no row for stays of unknown outcome and counted, until a later
session or quota finds it in the log, or still not there ten minutes after it was sent (then it
never arrived, and its slot is free)."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import bot.sandbox.server as sandbox_server
import policies
from bot.growth import IMAGE
from bot.ledger import Ledger
from bot.sandbox.seed import ARTICLES
from bot.sandbox.server import SandboxServer
from bot.sandbox.web import Request, Response
from bot.suggestions.wiring import read_quota
from bot.wiki import BotPassword, connect
from tests.faults.conftest import finished, gatebot

TITLES = [title for title, _ in ARTICLES][:3]


class Wire:
    """Between gatebot and the sandbox: `lose(request)` says whether to drop the reply to a
    request the wiki acted on, `garble(request)` whether to answer it in a shape the contract
    does not describe; `refuse(request)` answers 502 before the wiki acts."""

    def __init__(self) -> None:
        self.lose: Callable[[Request], bool] = lambda request: False
        self.refuse: Callable[[Request], bool] = lambda request: False
        self.garble: Callable[[Request], bool] = lambda request: False
        self.saves: Counter[str] = Counter()


@pytest.fixture
def wire(monkeypatch: pytest.MonkeyPatch) -> Wire:
    between = Wire()
    real = sandbox_server.dispatch

    def dispatch(wiki, request: Request):
        if is_save(request):
            between.saves[saved_page(request)] += 1
        if between.refuse(request):
            return bad_gateway(), False
        response, wrote = real(wiki, request)
        if between.lose(request):
            response.drop = True
        if between.garble(request):
            response.body = b'{"batchcomplete": true}'  # no visualeditoredit object
        return response, wrote

    monkeypatch.setattr(sandbox_server, "dispatch", dispatch)
    return between


def bad_gateway() -> Response:
    return Response(status=502, body=b"Bad Gateway\n", content_type="text/plain",
                    headers=[("Retry-After", "0")])  # fmt: skip


def is_save(request: Request) -> bool:
    return request.method == "POST" and request.form.get("action") == "visualeditoredit"


def saved_page(request: Request) -> str:
    return request.form.get("page", "").replace("_", " ")


def is_log_read(request: Request) -> bool:
    return request.query.get("list") == "logevents"


def session(server: SandboxServer, state: Path, answers: Path) -> tuple[int, dict, str]:
    child = gatebot(server, state, "Volunteer", "images", "session", "--answers", str(answers),
                    "--task-type", "image-recommendation", "--json")  # fmt: skip
    return finished(child)


def answers_file(path: Path) -> Path:
    path.write_text("title,answer,reasons,caption\n" + "".join(
        f"{t},yes,,{t} seen from above\n" if n % 2 == 0 else f"{t},no,lowquality,\n"
        for n, t in enumerate(TITLES)
    ))  # fmt: skip
    return path


def logged(server: SandboxServer) -> Counter[str]:
    rows = server.wiki.store.log_rows(user_name="Volunteer", actions=["addimage"],
                                      newest_first=False, start=None, end=None, limit=500,
                                      offset=0)  # fmt: skip
    return Counter(row["title"] for row in rows)


def ledger(state: Path) -> Counter[tuple[str, int]]:
    """(state, outcome_unknown) of the ledger's yes/no answers."""
    with sqlite3.connect(f"file:{state / 'ledger.sqlite3'}?mode=ro", uri=True) as db:
        query = "SELECT state, outcome_unknown FROM answers WHERE outcome != 'skipped'"
        return Counter(db.execute(query).fetchall())


def statuses(report: dict) -> dict[str, str]:
    return {row["title"]: row["status"] for row in report["suggestions"]}


def test_answers_the_wiki_took_whose_replies_were_lost_are_done_and_counted_once(
    wire, start_wiki, tmp_path
):
    server, state = start_wiki(), tmp_path / "state"
    answers = answers_file(tmp_path / "answers.csv")
    wire.lose = is_save
    status, report, err = session(server, state, answers)
    assert status == 0, err
    assert statuses(report) == dict.fromkeys(TITLES, "done")
    assert report["answered"] == 3 and report["quota"][0]["unsettled"] == 0
    assert logged(server) == dict.fromkeys(TITLES, 1)
    assert ledger(state) == {("committed", 0): 3}
    assert "the wiki's log shows the answer arrived" in err

    wire.lose = lambda request: False
    status, report, err = session(server, state, answers)
    assert (status, report["answered"]) == (0, 0), err
    assert wire.saves == dict.fromkeys(TITLES, 1)  # nothing sent twice


def test_a_saved_answer_whose_reply_cannot_be_read_is_settled_by_the_log_not_freed(
    wire, start_wiki, tmp_path
):
    server, state = start_wiki(), tmp_path / "state"
    wire.garble = is_save
    status, report, err = session(server, state, answers_file(tmp_path / "answers.csv"))
    assert status == 0, err
    assert statuses(report) == dict.fromkeys(TITLES, "done")
    assert ledger(state) == {("committed", 0): 3}  # counted, as the wiki counts them
    assert "no visualeditoredit object" in err and "may or may not have been saved" in err


def first_reply_lost(
    wire: Wire, server: SandboxServer, tmp_path: Path
) -> tuple[SandboxServer, Path, Path]:
    """A session whose first answer is lost before the wiki got it (a proxy's 502): that row is
    of unknown outcome and counted, the others done. The server, state folder, answers file."""
    state, answers = tmp_path / "state", answers_file(tmp_path / "answers.csv")
    wire.refuse = lambda request: is_save(request) and saved_page(request) == TITLES[0]
    status, report, err = session(server, state, answers)
    assert status == 1, err
    assert statuses(report) == {TITLES[0]: "unknown", TITLES[1]: "done", TITLES[2]: "done"}
    assert report["quota"][0]["unsettled"] == 1  # may have arrived: counted all day
    assert logged(server) == {TITLES[1]: 1, TITLES[2]: 1}
    return server, state, answers


def test_an_answer_not_in_the_log_stays_counted_and_a_rerun_sends_only_that_one(
    wire, start_wiki, tmp_path
):
    server, state, answers = first_reply_lost(wire, start_wiki(), tmp_path)

    wire.refuse = lambda request: False
    status, report, err = session(server, state, answers)
    assert status == 0, err
    assert statuses(report) == {TITLES[0]: "done"}
    assert logged(server) == dict.fromkeys(TITLES, 1)
    # the lost one's slot is never freed on a guess: it stays counted beside the answer sent now
    assert report["quota"][0]["unsettled"] == 1
    assert ledger(state) == {("committed", 0): 3, ("reserved", 1): 1}
    # the log's one row for that article is the answer sent again, not the lost one's
    status, report, err = session(server, state, answers)
    assert (status, report["answered"], report["quota"][0]["unsettled"]) == (0, 0, 1), err
    assert ledger(state) == {("committed", 0): 3, ("reserved", 1): 1}


def test_a_rerun_finds_in_the_log_an_answer_it_could_not_check_and_sends_it_not_again(
    wire, start_wiki, tmp_path
):
    server, state = start_wiki(), tmp_path / "state"
    answers = answers_file(tmp_path / "answers.csv")
    wire.lose = is_save
    wire.refuse = is_log_read  # the log cannot be read during the first run
    status, report, err = session(server, state, answers)
    assert status == 1, err
    assert statuses(report) == dict.fromkeys(TITLES, "unknown")
    assert report["quota"][0]["unsettled"] == 3

    wire.lose = wire.refuse = lambda request: False
    status, report, err = session(server, state, answers)
    assert (status, report["answered"]) == (0, 0), err
    assert report["rows_not_answered"] and all(
        "already answered" in row["message"] for row in report["rows_not_answered"]
    ), report["rows_not_answered"]
    assert wire.saves == dict.fromkeys(TITLES, 1)
    assert ledger(state) == {("committed", 1): 3}  # taken, and once of unknown outcome
    assert report["quota"][0]["unsettled"] == 0


def test_an_answer_still_not_in_the_log_ten_minutes_after_it_was_sent_frees_its_slot(
    wire, start_wiki, tmp_path
):
    server, state, _ = first_reply_lost(wire, start_wiki(), tmp_path)
    sent = datetime.now(timezone.utc)
    wiki = connect(server.api_url, credentials=BotPassword("Volunteer@gatebot", "sandbox"),
                   state_dir=tmp_path / "client", environ={}, min_interval=0)  # fmt: skip
    with Ledger.open(state) as book:

        def quota(minutes_later: int) -> dict:
            moment = sent + timedelta(minutes=minutes_later)
            return read_quota(wiki, policies.load(), book, IMAGE, clock=lambda: moment).as_json()

        assert quota(5)["unsettled"] == 1  # the wiki might still be saving it: counted
        assert ledger(state) == {("committed", 0): 2, ("reserved", 1): 1}
        assert quota(11)["unsettled"] == 0
    assert ledger(state) == {("committed", 0): 2, ("released", 1): 1}
    with sqlite3.connect(state / "ledger.sqlite3") as db:
        (note,) = db.execute("SELECT note FROM answers WHERE state = 'released'").fetchone()
    assert note == "not in the wiki's log 10 minutes after it was sent: it never arrived"
    wiki.close()
