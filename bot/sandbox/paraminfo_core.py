"""`action=paraminfo` for the core modules: `main` (the actions), `paraminfo`, `query` (its
prop, list, meta and generator submodules) and the core query submodules and actions the
sandbox serves. pywikibot reads these before its first token, page read or save, so with them
a plain pywikibot script (`Page.save()`) runs against the sandbox (bench/peer.py does)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.sandbox.action_api import MODULES, Call
from bot.sandbox.core_modules import PARAMINFO
from bot.sandbox.query import GENERATORS, LIST, META, PROP, TOKEN_TYPES

Describe = Callable[[Call], dict[str, Any]]
# Core's query submodules the sandbox serves, with their parameter prefixes as in MediaWiki.
CORE_QUERY = {"tokens": ("meta", ""), "userinfo": ("meta", "ui"), "siteinfo": ("meta", "si"),
              "info": ("prop", "in"), "revisions": ("prop", "rv"), "templates": ("prop", "tl"),
              "logevents": ("list", "le"), "users": ("list", "us")}  # fmt: skip
CORE_ACTIONS = ("delete", "edit", "login", "logout", "options")
GROUPS: tuple[tuple[str, dict[str, Any]], ...] = (("prop", PROP), ("list", LIST), ("meta", META))


def _main(call: Call) -> dict[str, Any]:
    actions = sorted(MODULES)
    return {"name": "main", "path": "main", "prefix": "", "parameters": [
        {"index": 1, "name": "action", "type": actions, "submodules": {a: a for a in actions}},
        {"index": 2, "name": "format", "type": ["json"], "submodules": {"json": "json"}},
    ]}  # fmt: skip


def _paraminfo(call: Call) -> dict[str, Any]:
    return {"name": "paraminfo", "path": "paraminfo", "prefix": "", "parameters": [
        {"index": 1, "name": "modules", "type": "string", "multi": True, "limit": 50},
    ]}  # fmt: skip


def _query(call: Call) -> dict[str, Any]:
    """Every registered submodule, extensions' included; `generator` as a subset of them."""
    parameters: list[dict[str, Any]] = [
        {"index": index, "name": group, "type": sorted(registry), "multi": True, "limit": 50,
         "submodules": {name: f"query+{name}" for name in registry}}
        for index, (group, registry) in enumerate(GROUPS, start=1)
    ]  # fmt: skip
    parameters.append({"index": 4, "name": "generator", "type": sorted(GENERATORS),
                       "submodules": {name: f"query+{name}" for name in GENERATORS}})  # fmt: skip
    return {"name": "query", "path": "query", "prefix": "", "parameters": parameters}


def _query_submodule(name: str, group: str, prefix: str) -> Describe:
    def describe(call: Call) -> dict[str, Any]:
        parameters = []
        if name == "tokens":
            parameters.append({"index": 1, "name": "type", "type": list(TOKEN_TYPES),
                               "multi": True, "default": "csrf"})  # fmt: skip
        return {"name": name, "path": f"query+{name}", "group": group, "prefix": prefix,
                "parameters": parameters}  # fmt: skip

    return describe


def _action(name: str) -> Describe:
    def describe(call: Call) -> dict[str, Any]:
        module = MODULES[name]
        described: dict[str, Any] = {"name": name, "path": name, "prefix": "", "parameters": []}
        if module.must_post:
            described["mustbeposted"] = True
        if module.needs_token:
            described["parameters"].append({"index": 1, "name": "token", "type": "string",
                                            "tokentype": "csrf", "required": True})  # fmt: skip
        return described

    return describe


PARAMINFO.update(main=_main, paraminfo=_paraminfo, query=_query)
PARAMINFO.update({f"query+{name}": _query_submodule(name, *where)
                  for name, where in CORE_QUERY.items()})  # fmt: skip
PARAMINFO.update({name: _action(name) for name in CORE_ACTIONS})
