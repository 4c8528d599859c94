"""`action=paraminfo` for the core modules, as pywikibot reads them before its first token or
save: the actions, the query submodules with their prefixes, and which actions must be POSTed."""

from __future__ import annotations

from typing import Any

import pytest

from tests.sandbox.helpers import session_of


@pytest.fixture
def organizer(sandbox_server):
    return session_of(sandbox_server, "Organizer")


def modules(session, names: str) -> dict[str, dict[str, Any]]:
    answer = session.get(action="paraminfo", modules=names).json()
    assert "warnings" not in answer, answer
    return {module["path"]: module for module in answer["paraminfo"]["modules"]}


def parameter(module: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in module["parameters"] if p["name"] == name)


def test_main_lists_every_action_and_query_every_submodule(organizer):
    described = modules(organizer, "main|paraminfo|query")
    actions = parameter(described["main"], "action")
    assert {"edit", "login", "query", "paraminfo", "visualeditoredit"} <= set(actions["type"])
    query = described["query"]
    assert parameter(query, "meta")["submodules"]["tokens"] == "query+tokens"
    assert parameter(query, "prop")["submodules"]["revisions"] == "query+revisions"
    assert parameter(query, "list")["submodules"]["growthtasks"] == "query+growthtasks"
    submodules = {
        name for group in ("prop", "list", "meta") for name in parameter(query, group)["type"]
    }
    assert set(parameter(query, "generator")["type"]) <= submodules


def test_core_submodules_have_their_prefixes_and_token_types(organizer):
    described = modules(organizer, "query+tokens|query+revisions|query+userinfo")
    assert described["query+revisions"]["prefix"] == "rv"
    assert described["query+userinfo"]["prefix"] == "ui"
    assert {"csrf", "login"} <= set(parameter(described["query+tokens"], "type")["type"])


def test_writes_and_login_must_be_posted_and_edit_takes_a_csrf_token(organizer):
    described = modules(organizer, "edit|login")
    assert described["edit"]["mustbeposted"] and described["login"]["mustbeposted"]
    assert parameter(described["edit"], "token")["tokentype"] == "csrf"
    assert "mustbeposted" not in modules(organizer, "query")["query"]
