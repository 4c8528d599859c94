"""`events apply` against a private sandbox wiki: the writes, what they cost in requests, and
what happens when the wiki refuses, answers "already registered", or its answer is lost."""

from __future__ import annotations

import csv
import json
import math
from collections import Counter
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

import bot.sandbox.server as sandbox_server
import policies
from bot.campaignevents import CampaignEventsClient, Registration
from bot.cli import main
from bot.events.batch import Batch
from bot.events.pages import PageState, page_states
from bot.events.plan import PlannedRow
from bot.journal import Journal
from bot.sandbox.config import load_config
from bot.sandbox.seed import create_page
from bot.sandbox.server import SandboxServer, serve
from bot.sandbox.web import Response
from bot.wiki import BotPassword, WikiClient, connect

HEADER = ["event_page", "timezone", "start", "end", "types", "wikis", "participation"]


def row(title: str, **cells: str) -> dict[str, str]:
    base = {"event_page": title, "timezone": "Europe/Lisbon", "start": "2027-03-06T10:00",
            "end": "2027-03-06T18:00", "types": "Editing event", "wikis": "commonswiki",
            "participation": "online"}  # fmt: skip
    return {**base, **cells}


def events_file(path: Path, rows: list[dict[str, str]]) -> Path:
    columns = list(dict.fromkeys(key for r in rows for key in [*HEADER, *r]))
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def cli(sandbox: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    """`cli(*args)` runs `gatebot --wiki SANDBOX *args` as Organizer; returns (status, stdout)."""
    monkeypatch.setenv("GATEBOT_USER", "Organizer@gatebot")
    monkeypatch.setenv("GATEBOT_PASSWORD", "sandbox")
    monkeypatch.setenv("GATEBOT_STATE_DIR", str(tmp_path / "state"))

    def run(*args: str) -> tuple[int, str]:
        status = main(["--wiki", sandbox.api_url, *args])
        return status, capsys.readouterr().out

    return run


@pytest.fixture
def served(sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every request the sandbox answers, as (method, path-or-action)."""
    seen: list[tuple[str, str]] = []
    real = sandbox_server.dispatch

    def counting(wiki, request):
        params = {**request.query, **request.form}
        what = params.get("action", "") if request.path.endswith("api.php") else request.path
        seen.append((request.method, what))
        return real(wiki, request)

    monkeypatch.setattr(sandbox_server, "dispatch", counting)
    return seen


def pages(sandbox: SandboxServer, titles: list[str], author: str = "Organizer") -> None:
    for title in titles:
        create_page(sandbox.wiki, title, author, f"The page of {title}.")


def registrations(sandbox: SandboxServer, organizer: WikiClient) -> Counter[str]:
    """How many live registrations each page has, read from the wiki."""
    client = CampaignEventsClient(organizer)
    listing = client.events_by_organizer(client.own_central_id())
    return Counter(client.get(e.event_id).event_page for e in listing.events if not e.deleted)


def login(sandbox: SandboxServer, tmp_path: Path, user: str = "Organizer") -> WikiClient:
    return connect(sandbox.api_url, credentials=BotPassword(f"{user}@gatebot", "sandbox"),
                   state_dir=tmp_path / f"client-{user}", environ={}, min_interval=0)  # fmt: skip


def report(out: str) -> dict:
    return json.loads(out)


def test_requests_are_one_per_create_one_per_unchanged_two_per_update(
    cli, sandbox, served, tmp_path
):
    titles = [f"Event:Batch {n}" for n in range(60)]
    pages(sandbox, titles)
    path = events_file(tmp_path / "events.csv", [row(t) for t in titles])
    # login token, login, userinfo, siteinfo, the organizer's events, csrf token; page batches
    constant = 6 + math.ceil(len(titles) / 50)
    status, out = cli("events", "apply", str(path), "--json")
    assert status == 0
    assert report(out)["summary"]["actions"]["create"] == 60
    assert Counter(m for m, _ in served)["POST"] == 60 + 1  # the creates and the login
    assert len(served) == 60 + constant
    served.clear()
    status, out = cli("events", "apply", str(path), "--json")
    assert report(out)["summary"]["actions"]["unchanged"] == 60
    assert len(served) == 60 + 1 + math.ceil(60 / 50) + 1  # the GETs, userinfo, pages, siteinfo
    served.clear()
    edited = [row(t, end="2027-03-06T19:00") if n < 10 else row(t) for n, t in enumerate(titles)]
    events_file(path, edited)
    status, out = cli("events", "apply", str(path), "--json")
    assert report(out)["summary"]["actions"] == {"create": 0, "update": 10, "unchanged": 50,
                                                 "refused": 0}  # fmt: skip
    assert Counter(m for m, _ in served)["PUT"] == 10
    assert len(served) == 2 * 10 + 50 + 1 + math.ceil(60 / 50) + 1 + 1  # and the csrf token


def test_page_states_cost_one_request_per_fifty_rows_and_pages_are_created_by_the_caller(
    cli, sandbox, served, tmp_path
):
    titles = [f"Event:New page {n}" for n in range(51)]
    path = events_file(tmp_path / "events.csv", [row(t) for t in titles])
    status, out = cli("events", "plan", str(path), "--json")
    assert status == 1
    assert {r["errors"][0]["code"] for r in report(out)["rows"]} == {
        "campaignevents-error-page-not-found"
    }
    # two batches of titles, besides the login token, userinfo and siteinfo
    assert [what for _, what in served] == ["query", "login", "query", "query", "query", "query"]
    status, out = cli("events", "apply", str(path), "--create-pages", "--json")
    assert status == 0
    first = sandbox.wiki.store.first_revision(sandbox.wiki.store.page(titles[0]).id)
    assert first.user_name == "Organizer"
    assert "'''New page 0''' is an event from 2027-03-06 10:00 to 2027-03-06 18:00" in (
        sandbox.wiki.store.revision(sandbox.wiki.store.page(titles[0]).latest).content
    )


def test_create_pages_never_overwrites_a_page_and_takes_a_template(cli, sandbox, tmp_path):
    pages(sandbox, ["Event:Someone elses"], author="Admin")
    template = tmp_path / "page.wiki"
    template.write_text("{{Event|name=$name|start=$start|by=$user}} costs $$5\n")
    path = events_file(tmp_path / "e.csv", [row("Event:Someone elses"), row("Event:Mine")])
    status, out = cli("events", "apply", str(path), "--create-pages", "--page-template",
                      str(template), "--json")  # fmt: skip
    rows = report(out)["rows"]
    assert status == 1
    assert rows[0]["status"] == "failed"
    assert rows[0]["errors"][0]["code"] == "campaignevents-enable-registration-not-allowed-page"
    store = sandbox.wiki.store
    assert store.revision(store.page("Event:Someone elses").latest).content == (
        "The page of Event:Someone elses."
    )
    assert store.revision(store.page("Event:Mine").latest).content == (
        "{{Event|name=Mine|start=2027-03-06 10:00|by=Organizer}} costs $5\n"
    )
    assert rows[1]["status"] == "done"


def test_a_template_with_an_unknown_placeholder_is_bad_usage(cli, tmp_path, capsys):
    template = tmp_path / "page.wiki"
    template.write_text("$nmae starts $start")
    path = events_file(tmp_path / "e.csv", [row("Event:X")])
    status = main(["events", "plan", str(path), "--create-pages", "--page-template", str(template)])
    assert status == 2
    err = capsys.readouterr().err
    assert f"gatebot: {template}: unknown placeholder $nmae; use the placeholders $page" in err


def test_a_page_template_without_create_pages_is_bad_usage(cli, tmp_path, capsys):
    template = tmp_path / "page.wiki"
    template.write_text("$name")
    path = events_file(tmp_path / "e.csv", [row("Event:X")])
    assert main(["events", "plan", str(path), "--page-template", str(template)]) == 2
    assert "--page-template is for --create-pages" in capsys.readouterr().err


def test_a_refused_row_does_not_stop_the_others(cli, sandbox, tmp_path):
    titles = ["Event:A", "Event:B", "Event:C"]
    pages(sandbox, titles)
    path = events_file(tmp_path / "e.csv", [row("Event:A"), row("Event:B", wikis="ptwiki"),
                                            row("Event:C")])  # fmt: skip
    status, out = cli("events", "apply", str(path), "--json")
    rows = report(out)["rows"]
    assert status == 1
    assert [r["status"] for r in rows] == ["done", "failed", "done"]
    assert rows[1]["errors"][0]["field"] == "wikis"


def test_without_the_right_to_enable_registrations_nothing_is_read_or_written(
    cli, sandbox, tmp_path, monkeypatch, capsys
):
    pages(sandbox, ["Event:A"], author="Volunteer")
    monkeypatch.setenv("GATEBOT_USER", "Volunteer@gatebot")
    path = events_file(tmp_path / "e.csv", [row("Event:A")])
    assert main(["--wiki", sandbox.api_url, "events", "apply", str(path)]) == 3
    assert "lacks the right(s) campaignevents-enable-registration" in capsys.readouterr().err
    assert sandbox.wiki.store.event_for_page("Event:A") is None


def test_a_failed_login_stops_before_anything_is_read(cli, sandbox, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GATEBOT_PASSWORD", "not the password")
    path = events_file(tmp_path / "e.csv", [row("Event:A")])
    assert main(["--wiki", sandbox.api_url, "events", "plan", str(path)]) == 3
    captured = capsys.readouterr()
    assert "Login to" in captured.err and captured.out == ""


def batch(sandbox: SandboxServer, tmp_path: Path, client: WikiClient) -> Batch:
    journal = Journal.open(tmp_path / "state")
    now = datetime.now(timezone.utc)
    return Batch(client, policies.load(), journal, now=now)


def sent(planned: PlannedRow) -> tuple[Registration, dict[str, Any]]:
    """What a planned write sends: the registration and its body."""
    assert planned.wanted is not None and planned.body is not None
    return planned.wanted, planned.body


def test_a_page_registered_after_the_plan_is_updated_never_registered_twice(sandbox, tmp_path):
    pages(sandbox, ["Event:Race"])
    path = events_file(tmp_path / "e.csv", [row("Event:Race", end="2027-03-06T19:00")])
    organizer = login(sandbox, tmp_path)
    work = batch(sandbox, tmp_path, organizer)
    with work.applying(str(path)) as applier:
        (planned,) = work.plan(work.checked(path))
        assert planned.action == "create"
        other = login(sandbox, tmp_path / "other")  # the same organizer, from the web UI
        reg = replace(sent(planned)[0], end_time="20270306180000")
        CampaignEventsClient(other).create(reg)
        done = applier.execute(planned)
    assert (done.action, done.status) == ("update", "done")
    assert "the page had a registration already" in done.notes[0]
    assert registrations(sandbox, organizer)["Event:Race"] == 1


def test_a_lost_answer_is_read_back_not_sent_again(tmp_path):
    config = load_config()
    config = replace(config, faults=replace(config.faults, drop_after_write_rate=1.0))
    with serve(config) as lossy:
        pages(lossy, ["Event:Lossy"])
        client = login(lossy, tmp_path)
        work = batch(lossy, tmp_path, client)
        path = events_file(tmp_path / "e.csv", [row("Event:Lossy")])
        with work.applying(str(path)) as applier:
            (planned,) = work.plan(work.checked(path))
            done = applier.execute(planned)
        assert done.status == "done"
        assert "reading back shows the write was done" in done.notes[-1]
        assert [w.state for w in work.journal.writes(work.identity)] == ["done"]
        assert lossy.wiki.store.event_for_page("Event:Lossy") is not None


def refuse_writes(monkeypatch: pytest.MonkeyPatch, count: int) -> list[str]:
    """The first `count` CampaignEvents writes are answered 502 before the wiki acts (a proxy
    that lost them); the methods of all writes that reached the sandbox, in order."""
    real, writes = sandbox_server.dispatch, list[str]()

    def dispatch(wiki, request):
        if request.method in ("POST", "PUT") and "campaignevents" in request.path:
            writes.append(request.method)
            if len(writes) <= count:
                return Response(status=502, body=b"Bad Gateway\n", content_type="text/plain"), False
        return real(wiki, request)

    monkeypatch.setattr(sandbox_server, "dispatch", dispatch)
    return writes


def test_a_write_read_back_as_not_done_is_sent_again_in_the_same_run(
    sandbox, tmp_path, monkeypatch
):
    pages(sandbox, ["Event:Lost"])
    path = events_file(tmp_path / "e.csv", [row("Event:Lost")])
    client = login(sandbox, tmp_path)
    work = batch(sandbox, tmp_path, client)
    writes = refuse_writes(monkeypatch, 2)
    with work.applying(str(path)) as applier:
        (planned,) = work.plan(work.checked(path))
        done = applier.execute(planned)
    assert (done.action, done.status) == ("create", "done")
    assert writes == ["POST"] * 3 and registrations(sandbox, client)["Event:Lost"] == 1
    assert sum("so it was sent again" in note for note in done.notes) == 2
    states = [w.state for w in work.journal.writes(work.identity)]
    assert states == ["failed", "failed", "done"] and work.journal.pending(work.identity) == []

    events_file(path, [row("Event:Lost", types="Contest;Editing event")])
    writes.clear()  # the next two are lost again: now updates
    with work.applying(str(path)) as applier:
        (edited,) = work.plan(work.checked(path))
        done = applier.execute(edited)
    assert (done.action, done.status, writes) == ("update", "done", ["PUT"] * 3)
    event = CampaignEventsClient(client).get(done.event_id or 0)
    assert set(event.types) == {"contest", "editing-event"}


def test_a_write_lost_every_time_is_sent_a_bounded_number_of_times_then_reported(
    sandbox, tmp_path, monkeypatch
):
    pages(sandbox, ["Event:Lost"])
    path = events_file(tmp_path / "e.csv", [row("Event:Lost")])
    work = batch(sandbox, tmp_path, login(sandbox, tmp_path))
    writes = refuse_writes(monkeypatch, 100)
    with work.applying(str(path)) as applier:
        (planned,) = work.plan(work.checked(path))
        done = applier.execute(planned)
    assert done.status == "failed" and len(writes) == 4
    (problem,) = done.errors
    assert problem.code == "gatebot-outcome-unknown"
    assert "lost 4 times" in problem.message and "run apply again" in problem.message
    assert sandbox.wiki.store.event_for_page("Event:Lost") is None


def test_a_create_cut_off_before_the_journal_heard_of_it_is_settled_by_reading_back(
    sandbox, tmp_path
):
    pages(sandbox, ["Event:Cut"])
    path = events_file(tmp_path / "e.csv", [row("Event:Cut")])
    client = login(sandbox, tmp_path)
    work = batch(sandbox, tmp_path, client)
    with work.journal.run(work.identity) as run:  # what a run killed after its POST leaves
        (planned,) = work.plan(work.checked(path))
        wanted, body = sent(planned)
        write = run.begin("Event:Cut", "create", body, row=2)
        created = work.client.create(wanted)
    with work.applying(str(path)) as applier:
        assert work.journal.pending(work.identity) == []
        (again,) = work.plan(work.checked(path))
        applier.execute(again)
    assert (again.action, again.event_id, again.status) == ("unchanged", created.id, "done")
    settled = work.journal.writes(work.identity)[0]
    assert (settled.id, settled.state, settled.event_id) == (write.id, "done", created.id)
    assert registrations(sandbox, client)["Event:Cut"] == 1


def test_an_update_cut_off_before_the_journal_heard_of_it_is_settled_by_its_content(
    sandbox, tmp_path
):
    pages(sandbox, ["Event:Cut"])
    path = events_file(tmp_path / "e.csv", [row("Event:Cut")])
    client = login(sandbox, tmp_path)
    work = batch(sandbox, tmp_path, client)
    with work.applying(str(path)) as applier:
        (planned,) = work.plan(work.checked(path))
        applier.execute(planned)
    events_file(path, [row("Event:Cut", types="Contest;Editing event", wikis="*")])
    with work.journal.run(work.identity) as run:  # killed after its PUT
        (edited,) = work.plan(work.checked(path))
        wanted, body = sent(edited)
        assert edited.event_id is not None
        write = run.begin("Event:Cut", "update", body, event_id=edited.event_id)
        work.client.update(edited.event_id, wanted)
    with work.applying(str(path)):
        settled = work.journal.writes(work.identity)[-1]
        assert (settled.id, settled.state) == (write.id, "done")
        (again,) = work.plan(work.checked(path))
    assert again.action == "unchanged"


def test_page_states_find_a_title_the_wiki_normalises_and_say_which_are_missing(
    sandbox, tmp_path, served
):
    pages(sandbox, ["Event:Lower start", "Project:Art+Feminism 2099"])
    client = login(sandbox, tmp_path)
    served.clear()
    asked = ["Event:lower_start", "Project:Art+Feminism 2099", "Event:Nowhere",
             *(f"Event:Filler {n}" for n in range(48))]  # fmt: skip
    states = page_states(client, asked)
    assert served == [("GET", "query"), ("GET", "query")]  # 51 titles: two requests
    assert states["Event:lower_start"] == PageState("Event:Lower start", True, 1728)
    assert states["Project:Art+Feminism 2099"].namespace == 4
    assert states["Event:Nowhere"] == PageState("Event:Nowhere", False, 1728)


def test_an_update_moving_a_registration_onto_a_registered_page_fails_and_touches_neither(
    cli, sandbox, tmp_path
):
    pages(sandbox, ["Event:First", "Event:Second"])
    path = events_file(tmp_path / "e.csv", [row("Event:First"), row("Event:Second")])
    status, out = cli("events", "apply", str(path), "--json")
    first, second = (r["event_id"] for r in report(out)["rows"])
    events_file(path, [row("Event:Second", event_id=str(first), end="2027-03-06T20:00")])
    status, out = cli("events", "apply", str(path), "--json")
    (moved,) = report(out)["rows"]
    assert (status, moved["action"], moved["status"]) == (1, "update", "failed")
    assert moved["errors"][0]["code"] == "campaignevents-error-page-already-registered"
    assert sandbox.wiki.store.event(second)[0]["end_time"] == "20270306180000"
    assert sandbox.wiki.store.event(first)[0]["event_page"] == "Event:First"
