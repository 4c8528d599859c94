"""Identity by the wiki's answer, against the real MediaWiki, for both backends: login names
MediaWiki normalises write over REST and reuse their saved session."""

from __future__ import annotations

import uuid

import pytest

from bot.wiki import ApiWarning, AssertUserFailed, OutcomeUnknown, RestError
from tests.integration.conftest import Connect
from tests.mediawiki import LocalMediaWiki

# How a person may type Admin's bot-password login: MediaWiki takes each as Admin@pytest.
TYPED = ["admin@pytest", "Admin_@pytest"]


def new_page(client, title: str) -> dict:
    path = f"/v1/page/{title.replace(' ', '_')}"
    return client.rest("PUT", path, json={"source": "identity", "comment": "gatebot"}).data


def last_author(client, title: str) -> str:
    history = client.api_get(
        {"action": "query", "prop": "revisions", "titles": title, "rvprop": "user"}
    )
    return history["query"]["pages"][0]["revisions"][0]["user"]


@pytest.mark.parametrize("typed", TYPED)
def test_a_login_name_mediawiki_normalises_writes_over_rest(
    connect_as: Connect, local_mediawiki: LocalMediaWiki, typed: str
) -> None:
    client = connect_as((typed, local_mediawiki.admin[1]))
    title = f"Identity {uuid.uuid4().hex[:10]}"

    new_page(client, title)

    assert client.identity_check().name == "Admin"
    assert last_author(client, title) == "Admin"


@pytest.mark.parametrize("typed", TYPED)
def test_a_saved_session_is_reused_for_a_normalised_login_name(
    connect_as: Connect, local_mediawiki: LocalMediaWiki, sent: list[str], typed: str
) -> None:
    connect_as((typed, local_mediawiki.admin[1])).close()
    sent.clear()

    client = connect_as((typed, local_mediawiki.admin[1]))

    assert sent == ["GET /api.php"], "only the userinfo that confirms the saved session"
    assert client.userinfo().name == "Admin"


def test_a_forgotten_session_is_renewed_before_a_rest_write(
    connect_as: Connect, local_mediawiki: LocalMediaWiki
) -> None:
    client = connect_as(local_mediawiki.admin)
    client._cookie_jar().clear()  # what the wiki's session expiry looks like to the client
    title = f"Renewed {uuid.uuid4().hex[:10]}"

    new_page(client, title)

    assert last_author(client, title) == "Admin"


def test_a_refused_rest_write_is_a_refusal_not_an_unknown_outcome(
    connect_as: Connect, local_mediawiki: LocalMediaWiki
) -> None:
    client = connect_as(local_mediawiki.admin)
    client._csrf = "0123456789abcdef0123456789abcdef+\\"  # a token the session never had

    with pytest.raises(RestError) as refused:
        new_page(client, f"Refused {uuid.uuid4().hex[:10]}")

    assert not isinstance(refused.value, OutcomeUnknown)
    assert refused.value.status == 403


def test_the_wikis_warnings_reach_the_caller(
    connect_as: Connect, local_mediawiki: LocalMediaWiki
) -> None:
    client = connect_as(local_mediawiki.admin)

    answer = client.api_get({"action": "query", "meta": "siteinfo", "foo": "bar"})

    assert answer.warnings == (ApiWarning("main", "Unrecognized parameter: foo."),)


def test_a_renewal_on_a_live_session_logs_in_afresh(
    connect_as: Connect, local_mediawiki: LocalMediaWiki
) -> None:
    client = connect_as(local_mediawiki.admin)
    title = f"Renewal {uuid.uuid4().hex[:10]}"

    # the wiki refuses the assertion, gatebot renews the (live) session and asks once more
    with pytest.raises(AssertUserFailed):
        client.api_post({"action": "edit", "title": title, "text": "x", "assertuser": "Nobody"})
    new_page(client, title)

    assert last_author(client, title) == "Admin"
