"""`/w/api.php`: ApiMain's order of checks, its error and warning shapes, and the core modules.

Order as in MediaWiki: unknown action → token (missing, in the query string, wrong) → maxlag →
POST required → assert/assertuser → the module. Errors are HTTP 200 with a
`MediaWiki-API-Error` header; unused parameters give an "Unrecognized parameter" warning.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, overload

from bot.sandbox import auth
from bot.sandbox.names import canonical_user_name
from bot.sandbox.store import mw_iso
from bot.sandbox.web import Request, Response, int64, json_response
from bot.sandbox.wiki import SandboxWiki, Title, parse_title

MAIN_PARAMS = frozenset({
    "action", "format", "formatversion", "maxlag", "assert", "assertuser", "errorformat",
    "uselang", "utf8", "ascii", "servedby", "curtimestamp", "origin", "smaxage", "maxage",
    "requestid", "responselanginfo", "errorlang", "errorsuselocal", "continue", "callback",
})  # fmt: skip
ASSERT_USER = "You are no longer logged in, so the action could not be completed."


class ApiError(Exception):
    """An Action API error: `code`, `info`, extra keys and HTTP headers to add."""

    def __init__(
        self,
        code: str,
        info: str,
        extra: dict[str, Any] | None = None,
        headers: list[tuple[str, str]] | None = None,
    ):
        super().__init__(f"{code}: {info}")
        self.code, self.info = code, info
        self.extra = extra or {}
        self.headers = headers or []


def missing(name: str) -> ApiError:
    return ApiError("missingparam", f'The "{name}" parameter must be set.')


class Params:
    """Request parameters that remember which ones a module read (the rest get a warning)."""

    def __init__(self, values: dict[str, str]):
        self.values = values
        self.used: set[str] = set()

    def get(self, name: str, default: str | None = None) -> str | None:
        self.used.add(name)
        return self.values.get(name, default)

    def has(self, name: str) -> bool:
        self.used.add(name)
        return name in self.values

    def flag(self, name: str) -> bool:
        """A boolean parameter: true when present, whatever its value (as in MediaWiki)."""
        return self.has(name)

    def require(self, name: str) -> str:
        value = self.get(name)
        if value is None or value == "":
            raise missing(name)
        return value

    def multi(self, name: str) -> list[str]:
        """A multi-value parameter: `a|b`, or `\\x1fa\\x1fb` when values contain pipes."""
        value = self.get(name)
        if not value:
            return []
        return value[1:].split("\x1f") if value.startswith("\x1f") else value.split("|")

    @overload
    def integer(self, name: str, default: int) -> int: ...

    @overload
    def integer(self, name: str, default: None = None) -> int | None: ...

    def integer(self, name: str, default: int | None = None) -> int | None:
        """An integer parameter as IntegerDef reads it (ASCII digits, 64 bits), else badinteger."""
        value = self.get(name)
        if value is None or value == "":
            return default
        number = int64(value)
        if number is None:
            raise ApiError("badinteger", f'Invalid value "{value}" for integer parameter "{name}".')
        return number

    def limit(self, name: str, default: int, maximum: int) -> int:
        """A limit parameter as LimitDef reads it: `max` or an integer, capped at `maximum`."""
        if self.get(name) == "max":
            return maximum
        return min(self.integer(name, default), maximum)

    def unused(self) -> list[str]:
        return [k for k in self.values if k not in self.used and k not in MAIN_PARAMS]


@dataclass
class Call:
    """One Action API request as the modules see it."""

    wiki: SandboxWiki
    request: Request
    params: Params
    session: auth.Session
    formatversion: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    warnings: dict[str, list[str]] = field(default_factory=dict)
    wrote: bool = False

    def warn(self, module: str, text: str) -> None:
        self.warnings.setdefault(module, []).append(text)

    @property
    def account(self):
        return self.session.account


@dataclass(frozen=True)
class Module:
    """An action: its handler and what ApiMain checks before calling it."""

    handler: Callable[[Call], dict[str, Any]]
    needs_token: bool = False
    must_post: bool = False


MODULES: dict[str, Module] = {}


def register(name: str, *, needs_token: bool = False, must_post: bool = False):
    """Decorator adding an action module to the dispatcher."""

    def add(handler: Callable[[Call], dict[str, Any]]) -> Callable[[Call], dict[str, Any]]:
        MODULES[name] = Module(handler, needs_token, must_post or needs_token)
        return handler

    return add


def handle(wiki: SandboxWiki, request: Request) -> tuple[Response, bool]:
    """Answer one api.php request; the flag says whether it changed the wiki."""
    params = Params({**request.query, **request.form})
    wiki.requests.count(f"api:{params.values.get('action') or 'help'}")
    fv = 2 if params.values.get("formatversion") in ("2", "latest") else 1
    call = Call(wiki, request, params, auth.current_session(wiki, request), fv)
    try:
        result = _execute(call)
    except ApiError as error:
        body: dict[str, Any] = {"error": {"code": error.code, "info": error.info, **error.extra}}
        docref = (
            f"See {wiki.api_url} for API usage. Subscribe to the mediawiki-api-announce "
            "mailing list at &lt;https://lists.wikimedia.org/postorius/lists/"
            "mediawiki-api-announce.lists.wikimedia.org/&gt; for notice of API "
            "deprecations and breaking changes."
        )
        body["error"]["docref" if fv == 2 else "*"] = docref
        body["servedby"] = "sandbox"
        headers = [*call.headers, *error.headers, ("MediaWiki-API-Error", error.code)]
        return json_response(body, headers=headers), False
    for name in call.params.unused():
        call.warn("main", f"Unrecognized parameter: {name}.")
    payload: dict[str, Any] = {}
    if call.warnings:
        key = "warnings" if fv == 2 else "*"
        payload["warnings"] = {m: {key: "\n".join(t)} for m, t in call.warnings.items()}
    payload.update(result)
    if params.values.get("curtimestamp") is not None:
        payload["curtimestamp"] = mw_iso(wiki.now())
    return json_response(
        payload if fv == 2 else to_formatversion1(payload), headers=call.headers
    ), call.wrote


def _execute(call: Call) -> dict[str, Any]:
    action = call.params.get("action") or "help"
    module = MODULES.get(action)
    if module is None:
        raise ApiError("badvalue", f'Unrecognized value for parameter "action": {action}.')
    if module.needs_token:
        token = call.params.get("token")
        if token is None:
            raise missing("token")
        if "token" in call.request.query:
            raise ApiError(
                "mustpostparams",
                "The following parameter was found in the query "
                "string, but must be in the POST body: token.",
            )
        if not auth.token_matches(call.session.csrf, token):
            raise ApiError("badtoken", "Invalid CSRF token.")
    _check_maxlag(call)
    if module.must_post and call.request.method != "POST":
        raise ApiError("mustbeposted", f'The "{action}" module requires a POST request.')
    _check_asserts(call)
    return module.handler(call)


def _check_maxlag(call: Call) -> None:
    """MediaWiki's maxlag refusal: for the configured lag, or as an injected fault (a share of
    the requests that carry maxlag see the replicas lagged, and are told the fault's wait)."""
    maxlag = call.params.integer("maxlag")
    if maxlag is None:
        return
    lag, wait = call.wiki.config.lag, 5
    faults = call.wiki.config.faults
    if faults.maxlag_rate and call.wiki.random.random() < faults.maxlag_rate:
        lag, wait = max(lag, maxlag + 1), faults.retry_after
        call.wiki.requests.count("maxlag fault")
    if lag > maxlag:
        raise ApiError(
            "maxlag",
            f"Waiting for 127.0.0.1: {lag} seconds lagged.",
            {"host": "127.0.0.1", "lag": lag, "type": "db"},
            [("Retry-After", str(wait)), ("X-Database-Lag", str(lag))],
        )


def _check_asserts(call: Call) -> None:
    wanted = call.params.get("assert")
    account = call.account
    if wanted == "user" and account is None:
        raise ApiError("assertuserfailed", ASSERT_USER)
    if wanted == "bot" and (account is None or "bot" not in account.rights):
        raise ApiError(
            "assertbotfailed",
            'You do not have the "bot" right, so the action could not be completed.',
        )
    if wanted == "anon" and account is not None:
        raise ApiError(
            "assertanonfailed",
            "You are no longer logged out, so the action could not be completed.",
        )
    name = call.params.get("assertuser")
    if name is not None and (account is None or account.name != canonical_user_name(name)):
        raise ApiError(
            "assertnameduserfailed",
            f'You are no longer logged in as "{name}", so the action could not be completed.',
        )


def to_formatversion1(value: Any) -> Any:
    """formatversion=1's booleans: true becomes `""`, false disappears."""
    if isinstance(value, dict):
        return {
            k: "" if v is True else to_formatversion1(v) for k, v in value.items() if v is not False
        }
    if isinstance(value, list):
        return [to_formatversion1(v) for v in value]
    return value


def page_title(call: Call, name: str = "title") -> Title:
    raw = call.params.require(name)
    title = parse_title(raw)
    if title is None or title.ns < 0:
        raise ApiError("invalidtitle", f'Bad title "{raw}".')
    return title
