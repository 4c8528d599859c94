"""Sessions, bot-password login and tokens, as MediaWiki's session manager and ApiLogin do.

A session lives behind one cookie. Anonymous visitors have no session until they ask for a login
token; their CSRF token is `+\\`. Logging in rotates the session id and issues a new CSRF token.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from bot.sandbox.config import Account
from bot.sandbox.names import canonical_user_name
from bot.sandbox.web import Request
from bot.sandbox.wiki import SandboxWiki

SESSION_COOKIE = "sandboxwiki_session"
ANON_CSRF = "+\\"
WRONG_PASSWORD = "Incorrect username or password entered. Please try again."
SESSION_LOST = "Unable to continue login. Your session most likely timed out."


@dataclass(frozen=True)
class Session:
    """The caller's session; `id` None means no persistent session (a plain anonymous visit)."""

    id: str | None
    account: Account | None
    csrf: str
    login_token: str | None


def new_token() -> str:
    """A token in MediaWiki's form: 32 hex digits followed by `+\\`."""
    return secrets.token_hex(16) + ANON_CSRF


def _cookie(name: str, value: str) -> tuple[str, str]:
    return ("Set-Cookie", f"{name}={value}; path=/; HttpOnly; SameSite=Lax")


def current_session(wiki: SandboxWiki, request: Request) -> Session:
    """The session named by the request's cookie, or an anonymous one without persistence."""
    session_id = request.cookies.get(SESSION_COOKIE)
    row = wiki.store.session(session_id) if session_id else None
    if row is None:
        return Session(None, None, ANON_CSRF, None)
    account = wiki.config.account_by_id(row["user_id"]) if row["user_id"] else None
    return Session(
        row["id"], account, row["csrf"] if account else ANON_CSRF, row["login_token"] or None
    )


def with_login_token(
    wiki: SandboxWiki, session: Session, headers: list[tuple[str, str]]
) -> Session:
    """Persist the session (anonymous ones too) and give it a login token, as `type=login` does."""
    if session.id is not None and session.login_token:
        return session
    session_id = session.id or secrets.token_hex(16)
    token = new_token()
    user_id = session.account.user_id if session.account else 0
    csrf = session.csrf if session.account else ANON_CSRF
    wiki.store.put_session(session_id, user_id, csrf, token)
    if session.id is None:
        headers.append(_cookie(SESSION_COOKIE, session_id))
    return Session(session_id, session.account, csrf, token)


def token_matches(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison; a missing or empty token never matches."""
    return bool(expected and given) and hmac.compare_digest(str(expected), str(given))


def login(
    wiki: SandboxWiki,
    session: Session,
    name: str,
    password: str,
    token: str | None,
    headers: list[tuple[str, str]],
) -> dict[str, object]:
    """`action=login` for bot passwords: the `login` object of the answer (ApiLogin's shapes)."""
    if not token:
        fresh = with_login_token(wiki, session, headers)
        return {"result": "NeedToken", "token": fresh.login_token}
    if session.id is None or not session.login_token:
        return {"result": "Failed", "reason": SESSION_LOST}
    if not token_matches(session.login_token, token):
        return {"result": "WrongToken"}
    user_name, at, appid = name.partition("@")
    account = wiki.config.account(canonical_user_name(user_name)) if at else None
    if at and account is None:
        return {
            "result": "Failed",
            "reason": f'There is no user by the name "{user_name}". User names are case '
            "sensitive. Check your spelling, or create a new account.",
        }
    if account is not None and appid != account.appid:
        return {
            "result": "Failed",
            "reason": f'The user "{account.name}" does not have a bot password named "{appid}".',
        }
    if account is None or not hmac.compare_digest(account.password, password):
        return {"result": "Failed", "reason": WRONG_PASSWORD}
    wiki.store.drop_session(session.id)
    session_id = secrets.token_hex(16)
    wiki.store.put_session(session_id, account.user_id, new_token(), "")
    headers.extend(
        [
            _cookie(SESSION_COOKIE, session_id),
            _cookie("sandboxwikiUserID", str(account.user_id)),
            _cookie("sandboxwikiUserName", account.name),
        ]
    )
    return {"result": "Success", "lguserid": account.user_id, "lgusername": account.name}


def logout(wiki: SandboxWiki, session: Session, headers: list[tuple[str, str]]) -> None:
    """End the session and expire its cookie."""
    if session.id:
        wiki.store.drop_session(session.id)
    headers.append(("Set-Cookie", f"{SESSION_COOKIE}=deleted; path=/; Max-Age=0"))
