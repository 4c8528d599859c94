"""`WikiClient`: the Action API and REST on one logged-in session, with tokens, retries,
pacing, identity checks and typed errors. Backends supply only the raw HTTP session."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any, ClassVar

import requests

from bot import __version__
from bot.wiki.credentials import BotPassword, Credentials, OAuth1
from bot.wiki.errors import (
    ApiError,
    AssertUserFailed,
    LoginFailed,
    MissingRight,
    OutcomeUnknown,
    RestError,
)
from bot.wiki.failures import (
    RETRYABLE_API_CODES,
    RETRYABLE_STATUSES,
    UNPROCESSED_STATUSES,
    api_error,
    decode_body,
    error_code,
    never_sent,
    not_api_json,
    rest_error,
    status_error,
    unreachable,
)
from bot.wiki.models import USERINFO_PROPS, RestResponse, SiteInfo, UserInfo
from bot.wiki.retry import RetryPolicy, TryAgain, parse_retry_after, run_with_retries
from bot.wiki.session import load_cookies, save_cookies, wiki_state_dir
from bot.wiki.targets import WikiTarget

DEFAULT_CONTACT = "https://www.mediawiki.org/wiki/User:Gatebot"
WRITE_MAXLAG = 5
# Seconds after which a REST write re-checks who the session is (see identity_check).
IDENTITY_TTL = 300.0
_LOCKS: dict[str, threading.RLock] = {}
_LOCKS_GUARD = threading.Lock()


def user_agent(contact: str | None, library: str) -> str:
    """`gatebot/<version> (<contact>) <library> python-requests/<version>` (UA policy)."""
    return (
        f"gatebot/{__version__} ({contact or DEFAULT_CONTACT}) {library} "
        f"python-requests/{requests.__version__}"
    )


def _wiki_lock(api_url: str) -> threading.RLock:
    """One lock per wiki in this process: one request at a time per wiki."""
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(api_url, threading.RLock())


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
        self.user_agent_contact = user_agent_contact
        self.retry_policy = retry_policy or RetryPolicy()
        self.min_interval = min_interval
        self.timeout = timeout
        self._sleep = sleep
        self._clock = clock
        self._lock = _wiki_lock(target.api_url)
        self._csrf: str | None = None
        self._userinfo: UserInfo | None = None
        self._userinfo_at = float("-inf")
        self._siteinfo: SiteInfo | None = None
        self._last_write_at: float | None = None

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

        With `reuse_session`, saved cookies that still belong to the same user spare the login
        requests; without it the password itself is checked (what `whoami` is for).
        """
        creds = self.credentials
        if (
            reuse_session
            and isinstance(creds, BotPassword)
            and load_cookies(self._cookie_jar(), self.cookie_file)
            and self.userinfo(refresh=True).name == creds.user_name
        ):
            return self.userinfo()
        if isinstance(creds, BotPassword):
            self._login_with_bot_password(creds)
        info = self.userinfo(refresh=True)
        if isinstance(creds, OAuth1) and info.anonymous:
            raise LoginFailed(
                f"{self.target.api_url} did not accept the OAuth consumer and "
                "token; check the four GATEBOT_OAUTH_* variables and that the "
                "consumer is approved for this wiki."
            )
        return info

    def _login_with_bot_password(self, creds: BotPassword) -> None:
        query = self.api_get({"action": "query", "meta": "tokens", "type": "login"})
        token = query["query"]["tokens"]["logintoken"]
        answer = self.api_post(
            {
                "action": "login",
                "lgname": creds.login_name,
                "lgpassword": creds.password,
                "lgtoken": token,
            },
            write=False,
        )
        result = answer.get("login", {})
        if result.get("result") != "Success":
            reason = result.get("reason") or result.get("result") or "no reason given"
            if isinstance(reason, dict):
                reason = reason.get("text") or reason.get("code") or "no reason given"
            raise LoginFailed(
                f"Login to {self.target.api_url} as {creds.login_name} failed: "
                f"{str(reason).rstrip('.')}. Check the bot password "
                "(Special:BotPasswords) in GATEBOT_PASSWORD or the password "
                "file.",
                url=self.target.api_url,
                method="POST",
            )
        self._csrf = None
        self._userinfo = None
        save_cookies(self._cookie_jar(), self.cookie_file)

    def _renew_session(self) -> bool:
        """Log in again after the wiki forgot the session; False when that is not possible."""
        if not isinstance(self.credentials, BotPassword):
            return False
        self._login_with_bot_password(self.credentials)
        return not self.userinfo(refresh=True).anonymous

    def close(self) -> None:
        """Save a logged-in session's cookies for the next run; the client is done after."""
        logged_in = self._userinfo is not None and not self._userinfo.anonymous
        if isinstance(self.credentials, BotPassword) and logged_in:
            save_cookies(self._cookie_jar(), self.cookie_file)

    def __enter__(self) -> WikiClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- Action API ---------------------------------------------------------------------

    def api_get(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """A read through api.php (GET); returns the decoded JSON, raises typed errors."""
        return self._api("GET", dict(params), write=False)

    def api_post(self, params: Mapping[str, Any], *, write: bool = True) -> dict[str, Any]:
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
            params["token"] = self.csrf_token()
        try:
            return self._api("POST", params, write=True)
        except ApiError as error:
            if not (own_token and error.code == "badtoken"):
                raise
        except AssertUserFailed:
            if not (own_token and self._renew_session()):
                raise
        params["token"] = self.csrf_token(refresh=True)
        return self._api("POST", params, write=True)

    def _api(self, method: str, params: dict[str, Any], *, write: bool) -> dict[str, Any]:
        params.update(format="json", formatversion=2)
        options: dict[str, Any] = {"params": params} if method == "GET" else {"data": params}
        action = str(params.get("action", ""))

        def check(response: requests.Response, request: dict[str, Any]) -> dict[str, Any]:
            payload = decode_body(response)
            if not isinstance(payload, dict):
                raise not_api_json(response.status_code, request, write=write)
            error = api_error(payload, request)
            if error is None:
                return payload
            code = error_code(payload)
            if code in RETRYABLE_API_CODES:
                wait = parse_retry_after(response.headers.get("Retry-After"))
                if wait is None and code == "ratelimited":
                    wait = self._ratelimit_wait(action)
                raise TryAgain(error, wait)
            raise error

        return self._request(method, self.target.api_url, write=write, check=check, **options)

    def csrf_token(self, refresh: bool = False) -> str:
        """The session's CSRF token, fetched once and cached."""
        if self._csrf is None or refresh:
            answer = self.api_get({"action": "query", "meta": "tokens", "type": "csrf"})
            self._csrf = answer["query"]["tokens"]["csrftoken"]
        return self._csrf

    def userinfo(self, refresh: bool = False) -> UserInfo:
        """Who the session is: name, ids, groups, rights, options, rate limits, block."""
        if self._userinfo is None or refresh:
            answer = self.api_get({"action": "query", "meta": "userinfo", "uiprop": USERINFO_PROPS})
            self._userinfo = UserInfo.from_api(answer["query"]["userinfo"])
            self._userinfo_at = self._clock()
        return self._userinfo

    def siteinfo(self) -> SiteInfo:
        """The wiki's id, server, script path, version, time zone and namespaces (cached)."""
        if self._siteinfo is None:
            answer = self.api_get(
                {"action": "query", "meta": "siteinfo", "siprop": "general|namespaces"}
            )
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
        """Confirm the session is the logged-in user before a REST write (REST has no assert).

        The userinfo fetched on this session after the login is reused for IDENTITY_TTL
        seconds: only a login changes a session's user, and a cookie session that expired
        fails the CSRF check, so a stale session cannot write as somebody else. A session the
        wiki forgot (idle expiry) is renewed by logging in again once."""
        wanted = self.credentials.user_name if self.credentials else None
        wanted = wanted or (self._userinfo.name if self._userinfo else None)
        info = self.userinfo(refresh=self._clock() - self._userinfo_at >= IDENTITY_TTL)
        if info.anonymous and self._renew_session():
            info = self.userinfo()
        if info.anonymous or (wanted and info.name != wanted):
            raise AssertUserFailed(
                f"{self.target.api_url} says this session is "
                f"{info.name or 'anonymous'}, not {wanted or 'a named user'}; "
                "gatebot will not write as another user. Run again to log "
                "in afresh."
            )
        return info

    # -- REST ---------------------------------------------------------------------------

    def rest(
        self, method: str, path: str, *, json: Any = None, params: Mapping[str, Any] | None = None
    ) -> RestResponse:
        """A call to rest.php (`path` like `/campaignevents/v0/event_registration/7`).
        Cookie-session writes carry the CSRF token in the JSON body; a bad token is
        refetched and the call retried once. 4xx/5xx raise `RestError` or a subtype."""
        method = method.upper()
        write = method not in ("GET", "HEAD")
        if write:
            self.identity_check()
        try:
            return self._rest_once(method, path, json, params, write)
        except RestError as error:
            if not (write and str(error.error_key).startswith("rest-badtoken")):
                raise
        self.csrf_token(refresh=True)
        return self._rest_once(method, path, json, params, write)

    def _rest_once(
        self, method: str, path: str, body: Any, params: Mapping[str, Any] | None, write: bool
    ) -> RestResponse:
        if write and not isinstance(self.credentials, OAuth1):
            body = {**(body or {}), "token": self.csrf_token()}
        options: dict[str, Any] = {"params": dict(params or {})}
        if body is not None:
            options["json"] = body

        def check(response: requests.Response, request: dict[str, Any]) -> RestResponse:
            data = decode_body(response)
            if response.status_code >= 400:
                raise rest_error(response.status_code, data, request)
            return RestResponse(response.status_code, dict(response.headers), data)

        url = self.target.rest_url + "/" + path.lstrip("/")
        return self._request(method, url, write=write, check=check, **options)

    # -- one request, with retries -------------------------------------------------------

    def _request(
        self,
        method: str,
        url: str,
        *,
        write: bool,
        check: Callable[[requests.Response, dict[str, Any]], Any],
        **options: Any,
    ) -> Any:
        """Send under the wiki's lock, retrying what the wiki asked to retry."""
        request = {"method": method, "url": url}

        def attempt() -> Any:
            if write:
                self._pace()
            try:
                response = self._send(method, url, **options)
            except requests.RequestException as error:
                failure = unreachable(error, request)
                if write and not never_sent(error):
                    raise OutcomeUnknown(
                        f"{method} {url} was sent but no answer came back "
                        f"({type(error).__name__}); gatebot will not send it "
                        "again blindly: check the wiki's state, then re-run.",
                        **request,
                    ) from None
                raise TryAgain(failure) from None
            finally:
                if write:
                    self._last_write_at = self._clock()
            status = response.status_code
            if status in RETRYABLE_STATUSES:
                if write and status not in UNPROCESSED_STATUSES:
                    raise OutcomeUnknown(
                        f"{method} {url} got HTTP {status} from a gateway, so "
                        "it may or may not have been carried out; check the "
                        "wiki's state, then re-run.",
                        status=status,
                        **request,
                    )
                wait = parse_retry_after(response.headers.get("Retry-After"))
                raise TryAgain(status_error(status, request), wait)
            return check(response, request)

        with self._lock:
            return run_with_retries(attempt, policy=self.retry_policy, sleep=self._sleep)

    def _pace(self) -> None:
        """Space writes by `min_interval`, or by the user's advertised edit rate limit."""
        interval = self.min_interval
        if interval is None and self._userinfo is not None:
            interval = self._userinfo.seconds_per_hit("edit")
        if not interval or self._last_write_at is None:
            return
        remaining = self._last_write_at + interval - self._clock()
        if remaining > 0:
            self._sleep(remaining)

    def _ratelimit_wait(self, action: str) -> float | None:
        """After `ratelimited` without Retry-After: one window of the limit that applies."""
        if self._userinfo is None:
            return None
        for key in (action, "edit"):
            limit = self._userinfo.binding_ratelimit(key)
            if limit:
                return float(limit["seconds"])
        return None
