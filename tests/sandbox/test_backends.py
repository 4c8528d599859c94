"""gatebot's own transport, with either backend, works against the sandbox as against a wiki."""

from __future__ import annotations

import pytest

from bot.wiki import BACKEND_NAMES, BotPassword, connect

# One seeded event page of Organizer per backend, so each run creates its own registration.
EVENT_PAGES = dict(
    zip(BACKEND_NAMES, ("Event:WikiGap 2026/Berlin", "Event:Backlog Drive December"), strict=True)
)


@pytest.mark.parametrize("backend", BACKEND_NAMES)
def test_backend_logs_in_reads_and_creates_an_event(start_sandbox, backend, tmp_path):
    sandbox_server = start_sandbox()
    credentials = BotPassword("Organizer@gatebot", "sandbox")
    with connect(
        sandbox_server.api_url,
        backend=backend,
        credentials=credentials,
        state_dir=tmp_path,
        environ={},
        min_interval=0,
    ) as client:
        assert client.userinfo().name == "Organizer"
        assert client.siteinfo().namespaces[1728] == "Event"
        body = {
            "event_page": EVENT_PAGES[backend],
            "timezone": "Europe/Berlin",
            "start_time": "20271201100000",
            "end_time": "20271201180000",
            "types": ["editing-event"],
            "wikis": ["*"],
            "online_meeting": True,
            "tracks_contributions": True,
            "token": client.csrf_token(),
        }
        created = client.rest("POST", "/campaignevents/v0/event_registration", json=body)
        assert created.status == 201
        event = client.rest("GET", f"/campaignevents/v0/event_registration/{created.data['id']}")
        assert event.data["wikis"] == ["*"]
