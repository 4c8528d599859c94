"""`WikiClient`: the Action API and REST on one logged-in session, with tokens, identity
checks and typed errors. The request loop (`requestloop`), the identity rule (`identity`)
and the reading of REST answers (`rest`) have modules of their own; backends supply only
the raw HTTP session."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any, ClassVar

import requests

from bot import __version__
from bot.wiki.actionapi import api_answer
from bot.wiki.credentials import BotPassword, Credentials, OAuth1
from bot.wiki.errors import (
    ApiError,
    AssertUserFailed,
    LoginFailed,
    MissingRight,
    RestError,
    is_secret_name,
    redact_url,
)
from bot.wiki.failures import answer_shape
from bot.wiki.identity import Identity, IdentityGuard
from bot.wiki.models import USERINFO_PROPS, ApiAnswer, RestResponse, SiteInfo, UserInfo
from bot.wiki.requestloop import RequestLoop, Write
from bot.wiki.rest import fingerprint, is_badtoken, rest_answer
from bot.wiki.retry import RetryPolicy
from bot.wiki.session import (
    SessionRecord,
    load_cookies,
    load_session_record,
    save_cookies,
    save_session_record,
    wiki_state_dir,
)
from bot.wiki.targets import WikiTarget

DEFAULT_CONTACT = "https://www.mediawiki.org/wiki/User:Gatebot"
WRITE_MAXLAG = 5
# The CSRF token MediaWiki gives a session without a user: writing with it is never wanted.
ANONYMOUS_TOKEN = "+\\"


def user_agent(contact: str | None, library: str) -> str:
    """`gatebot/<version> (<contact>) <library> python-requests/<version>` (UA policy)."""
    return (
        f"gatebot/{__version__} ({contact or DEFAULT_CONTACT}) {library} "
        f"python-requests/{requests.__version__}"
    )


class WikiClient:
    """A logged-in session with one wiki. Subclasses implement `_send` and `_cookie_jar`."""

    backend_name: ClassVar[str] = ""

    def __init__(
        self,
        target: WikiTarget,
        *,
        credentials: Credentials | None,
        state_dir: Path,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        user_agent_contact: str | None = None,
        retry_policy: RetryPolicy | None = None,
        min_interval: float | None = None,
        timeout: tuple[float, float] = (10.0, 60.0),
    ):
        self.target = target
        self.credentials = credentials
        self.state_root = Path(state_dir)
        self.state_dir = wiki_state_dir(state_dir, target)
        self.cookie_file = self.state_dir / "cookies.lwp"
        self.session_file = self.state_dir / "session.json"
        self.user_agent_contact = user_agent_contact
        self.retry_policy = retry_policy or RetryPolicy()
        self.min_interval = min_interval
        self.timeout = timeout
        self._loop = RequestLoop(
            self._send,
            lock_key=target.api_url,
            retry_policy=self.retry_policy,
            sleep=sleep,
            clock=clock,
        )
        self._identity = IdentityGuard(clock)
        self._csrf: str | None = None
        self._userinfo: UserInfo | None = None
        self._siteinfo: SiteInfo | None = None

    # -- what a backend provides -------------------------------------------------------

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """One raw HTTP request on the backend's session; never raises on a status."""
        raise NotImplementedError

    def _cookie_jar(self) -> CookieJar:
        """The jar of this wiki's session cookies."""
        raise NotImplementedError

    # -- session ------------------------------------------------------------------------

    def login(self, *, reuse_session: bool = True) -> UserInfo:
        """Log in (bot password) or confirm the OAuth token; returns who the session is.

        With `reuse_session`, saved cookies that the wiki still takes for the same login
        spare the login requests; without it the password itself is checked (`whoami`).
        """
        creds = self.credentials
        if isinstance(creds, BotPassword):
            if not (reuse_session and self._resume(creds)):
                self._login_with_bot_password(creds)
            return self.userinfo()
        info = self.userinfo(refresh=True)
        if isinstance(creds, OAuth1) and info.anonymous:
            raise LoginFailed(
                f"{self.target.api_url} did not accept the OAuth consumer and "
                "token; check the four GATEBOT_OAUTH_* variables and that the "
                "consumer is approved for this wiki."
            )
        self._identity.bind(info, self._cookie_jar(), self.target.api_url)
        return info

    def _resume(self, creds: BotPassword) -> bool:
        """Take up the saved session when the wiki still says it is the user it was saved for."""
        record = load_session_record(self.session_file)
        jar = self._cookie_jar()
        if record is None or record.login_name != creds.login_name:
            return False
        if not load_cookies(jar, self.cookie_file):
            return False
        if Identity.of(self.userinfo(refresh=True)) != Identity(record.user_id, record.name):
            jar.clear()
            return False
        self._identity.bind(self.userinfo(), jar, self.target.api_url)
        return True

    def _login_with_bot_password(self, creds: BotPassword) -> None:
        query = self.api_get({"action": "query", "meta": "tokens", "type": "login"})
        with answer_shape(self.target.api_url, "a login token"):
            token = str(query["query"]["tokens"]["logintoken"])
        answer = self.api_post(
            {
                "action": "login",
                "lgname": creds.login_name,
                "lgpassword": creds.password,
                "lgtoken": token,
            },
            write=False,
        )
        with answer_shape(self.target.api_url, "the login"):
            result = answer.get("login", {})
            reason = result.get("reason") or result.get("result") or "no reason given"
            if isinstance(reason, dict):
                reason = reason.get("text") or reason.get("code") or "no reason given"
            user_id = int(result.get("lguserid") or 0)
        if result.get("result") != "Success":
            raise LoginFailed(
                f"Login to {self.target.api_url} as {creds.login_name} failed: "
                f"{str(reason).rstrip('.')}. Check the bot password "
                "(Special:BotPasswords) in GATEBOT_PASSWORD or the password "
                "file.",
                url=self.target.api_url,
                method="POST",
            )
        self._csrf = None
        info = self.userinfo(refresh=True)
        if info.anonymous or info.user_id != (user_id or info.user_id):
            raise LoginFailed(
                f"{self.target.api_url} accepted the login as {creds.login_name} but the "
                f"session is {'anonymous' if info.anonymous else info.name} right after; "
                "check that the wiki keeps cookies for this address, then try again.",
                url=self.target.api_url,
                method="POST",
            )
        self._identity.bind(info, self._cookie_jar(), self.target.api_url)
        self._save_session(creds)

    def _save_session(self, creds: BotPassword) -> None:
        """Keep the cookies, and whose session they hold, for the next run."""
        identity = self._identity.expected
        if identity is None:
            return
        save_cookies(self._cookie_jar(), self.cookie_file)
        record = SessionRecord(creds.login_name, identity.user_id, identity.name)
        save_session_record(record, self.session_file)

    def _renew_session(self) -> bool:
        """Log in afresh after the wiki forgot or refused the session; False when that is not
        possible. The jar is emptied first (MediaWiki refuses a login sent on a live
        bot-password session), and the renewed session must be the same user."""
        self._identity.forget()
        if not isinstance(self.credentials, BotPassword):
            return False
        self._cookie_jar().clear()
        self._login_with_bot_password(self.credentials)
        return True

    def close(self) -> None:
        """Save a logged-in session's cookies for the next run; the client is done after."""
        logged_in = self._userinfo is not None and not self._userinfo.anonymous
        if isinstance(self.credentials, BotPassword) and logged_in:
            self._save_session(self.credentials)

    def __enter__(self) -> WikiClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- Action API ---------------------------------------------------------------------

    def api_get(self, params: Mapping[str, Any]) -> ApiAnswer:
        """A read through api.php (GET); returns the decoded JSON, raises typed errors."""
        return self._api("GET", dict(params), write=False)

    def api_post(self, params: Mapping[str, Any], *, write: bool = True) -> ApiAnswer:
        """A POST to api.php. Writes get `maxlag=5`, `assertuser` and the CSRF token (unless
        given), refetched once on `badtoken` (after a fresh login when the wiki forgot the
        session); a write that may have landed is never re-sent."""
        params = dict(params)
        if not write:
            return self._api("POST", params, write=False)
        params.setdefault("maxlag", WRITE_MAXLAG)
        info = self.userinfo()
        if not info.anonymous:
            params.setdefault("assertuser", info.name)
        own_token = "token" not in params
        if own_token:
            params["token"] = self._write_token()
        try:
            return self._api("POST", params, write=True)
        except ApiError as error:
            if not (own_token and error.code == "badtoken"):
                raise
        except AssertUserFailed:
            self._identity.forget()
            if not (own_token and self._renew_session()):
                raise
        params["token"] = self._write_token(refresh=True)
        return self._api("POST", params, write=True)

    def _api(self, method: str, params: dict[str, Any], *, write: bool) -> ApiAnswer:
        params.update(format="json", formatversion=2)
        options: dict[str, Any] = {"params": params} if method == "GET" else {"data": params}
        action = str(params.get("action", ""))
        secrets = [str(value) for key, value in params.items() if is_secret_name(key)]
        facts = None
        if write:
            facts = Write(f"api.php?action={action}", fingerprint(params), self._write_interval())

        def check(response: requests.Response, request: dict[str, Any]) -> ApiAnswer:
            return api_answer(
                response,
                request,
                write=facts,
                secrets=secrets,
                ratelimit_wait=lambda: self._ratelimit_wait(action),
            )

        return self._loop.run(method, self.target.api_url, check=check, write=facts, **options)

    def csrf_token(self, refresh: bool = False) -> str:
        """The session's CSRF token, fetched once and cached."""
        if self._csrf is None or refresh:
            answer = self.api_get({"action": "query", "meta": "tokens", "type": "csrf"})
            with answer_shape(self.target.api_url, "a CSRF token"):
                self._csrf = str(answer["query"]["tokens"]["csrftoken"])
        return self._csrf

    def _write_token(self, refresh: bool = False) -> str:
        """The CSRF token for a write; a logged-in client never writes with the anonymous one."""
        token = self.csrf_token(refresh)
        if token == ANONYMOUS_TOKEN and self.credentials is not None:
            self._identity.forget()
            raise AssertUserFailed(
                f"{self.target.api_url} gave this session the anonymous CSRF token, so the "
                "login is lost; gatebot will not write anonymously. Run again to log in "
                "afresh."
            )
        return token

    def userinfo(self, refresh: bool = False) -> UserInfo:
        """Who the session is: name, ids, groups, rights, options, rate limits, block."""
        if self._userinfo is None or refresh:
            answer = self.api_get({"action": "query", "meta": "userinfo", "uiprop": USERINFO_PROPS})
            with answer_shape(self.target.api_url, "the user's information"):
                self._userinfo = UserInfo.from_api(answer["query"]["userinfo"])
        return self._userinfo

    def siteinfo(self) -> SiteInfo:
        """The wiki's id, server, script path, version, time zone and namespaces (cached)."""
        if self._siteinfo is None:
            answer = self.api_get(
                {"action": "query", "meta": "siteinfo", "siprop": "general|namespaces"}
            )
            with answer_shape(self.target.api_url, "the site's information"):
                self._siteinfo = SiteInfo.from_api(answer["query"])
        return self._siteinfo

    def require_rights(self, *rights: str) -> None:
        """Raise `MissingRight` naming every right in `rights` the user does not have."""
        missing = tuple(r for r in rights if r not in self.userinfo().rights)
        if missing:
            raise MissingRight(
                f"{self.userinfo().name or 'This user'} lacks the right(s) "
                f"{', '.join(missing)} on {self.target.api_url}; ask a wiki "
                "administrator, or check the bot password's grants.",
                rights=missing,
            )

    def identity_check(self) -> UserInfo:
        """Confirm the session is still the user the wiki named at login (REST has no assert).

        Asks `meta=userinfo` unless the last answer still stands (`IdentityGuard.needs_check`);
        a session the wiki forgot is renewed by logging in again once."""
        jar = self._cookie_jar()
        if self._identity.needs_check(jar):
            info = self.userinfo(refresh=True)
            if info.anonymous and self._renew_session():
                info = self.userinfo()
            self._identity.confirm(info, jar, self.target.api_url)
        return self.userinfo()

    # -- REST ---------------------------------------------------------------------------

    def rest(
        self, method: str, path: str, *, json: Any = None, params: Mapping[str, Any] | None = None
    ) -> RestResponse:
        """A call to rest.php (`path` like `/campaignevents/v0/event_registration/7`).

        Writes are made only after `identity_check`; cookie-session writes carry the CSRF
        token in the JSON body. On `rest-badtoken` (bad token, or no session at all) the
        session is renewed, the identity confirmed and the call sent once more with a fresh
        token. A 4xx error envelope raises `RestError` (or a subtype); a write answered
        otherwise than with the wiki's JSON raises `OutcomeUnknown`."""
        method = method.upper()
        if method in ("GET", "HEAD"):
            return self._rest_once(method, path, json, params, write=False)
        self.identity_check()
        try:
            return self._rest_once(method, path, json, params, write=True)
        except RestError as error:
            if not (is_badtoken(error) and isinstance(self.credentials, BotPassword)):
                raise
        self._renew_session()
        self._write_token(refresh=True)
        return self._rest_once(method, path, json, params, write=True)

    def _rest_once(
        self, method: str, path: str, body: Any, params: Mapping[str, Any] | None, write: bool
    ) -> RestResponse:
        url = self.target.rest_url + "/" + path.lstrip("/")
        route = redact_url("/" + path.lstrip("/"))
        secrets: list[str] = []
        if write and not isinstance(self.credentials, OAuth1):
            secrets.append(self._write_token())
            body = {**(body or {}), "token": secrets[0]}
        options: dict[str, Any] = {"params": dict(params or {})}
        if body is not None:
            options["json"] = body
        facts = Write(route, fingerprint(body), self._write_interval()) if write else None

        def check(response: requests.Response, request: dict[str, Any]) -> RestResponse:
            sent = facts.fingerprint if facts else None
            return rest_answer(response, request, route=route, sent=sent, secrets=secrets)

        return self._loop.run(method, url, check=check, write=facts, **options)

    # -- pacing -------------------------------------------------------------------------

    def _write_interval(self) -> float | None:
        """`min_interval`, or the spacing of the user's advertised edit rate limit."""
        if self.min_interval is not None or self._userinfo is None:
            return self.min_interval
        return self._userinfo.seconds_per_hit("edit")

    def _ratelimit_wait(self, action: str) -> float | None:
        """After `ratelimited` without Retry-After: one window of the limit that applies."""
        if self._userinfo is None:
            return None
        for key in (action, "edit"):
            limit = self._userinfo.binding_ratelimit(key)
            if limit:
                return float(limit["seconds"])
        return None
