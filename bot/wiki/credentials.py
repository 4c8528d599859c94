"""Login secrets: a bot password or an owner-only OAuth 1.0a consumer.

They come from the environment or pywikibot's password file, never from the command line,
and no repr, message or log line ever shows them.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from policies.errors import InputError
from policies.reading import read_text

OAUTH_VARIABLES = (
    "GATEBOT_OAUTH_CONSUMER_KEY",
    "GATEBOT_OAUTH_CONSUMER_SECRET",
    "GATEBOT_OAUTH_ACCESS_TOKEN",
    "GATEBOT_OAUTH_ACCESS_SECRET",
)


@dataclass(frozen=True)
class BotPassword:
    """A bot password login: `login_name` is `NAME@BOTNAME` (Special:BotPasswords)."""

    login_name: str
    password: str = field(repr=False)

    @property
    def user_name(self) -> str:
        """The account the login acts as (the part before `@`)."""
        return self.login_name.split("@", 1)[0]


@dataclass(frozen=True)
class OAuth1:
    """An owner-only OAuth 1.0a consumer and its access token
    (Special:OAuthConsumerRegistration)."""

    consumer_key: str
    consumer_secret: str = field(repr=False)
    access_token: str = field(repr=False)
    access_secret: str = field(repr=False)

    @property
    def user_name(self) -> None:
        """Unknown until the wiki says whose token it is."""
        return None


Credentials = BotPassword | OAuth1


def credentials_from_env(
    user: str | None, environ: Mapping[str, str] | None = None, password_file: Path | None = None
) -> Credentials | None:
    """Credentials for `user` (`NAME@BOTNAME` or `NAME`): OAuth variables first, then
    GATEBOT_PASSWORD, then pywikibot's password file; None means log in anonymously."""
    environ = os.environ if environ is None else environ
    oauth = [environ.get(name, "") for name in OAUTH_VARIABLES]
    if all(oauth):
        return OAuth1(*oauth)
    if any(oauth):
        missing = ", ".join(n for n, v in zip(OAUTH_VARIABLES, oauth, strict=True) if not v)
        raise InputError(f"OAuth needs all four variables; set {missing} as well.")
    password = environ.get("GATEBOT_PASSWORD")
    if password:
        if not user or "@" not in user:
            raise InputError(
                "GATEBOT_PASSWORD is set but no bot password login name is; pass "
                "--user NAME@BOTNAME or set GATEBOT_USER."
            )
        return BotPassword(user, password)
    path = password_file or default_password_file(environ)
    if path is not None and path.is_file():
        return lookup_password_file(path, user)
    return None


def default_password_file(environ: Mapping[str, str]) -> Path | None:
    """GATEBOT_PASSWORD_FILE, else `passwords` in $PYWIKIBOT_DIR or ~/.pywikibot."""
    if environ.get("GATEBOT_PASSWORD_FILE"):
        return Path(environ["GATEBOT_PASSWORD_FILE"]).expanduser()
    for folder in (environ.get("PYWIKIBOT_DIR"), Path.home() / ".pywikibot"):
        if folder and (Path(folder) / "passwords").is_file():
            return Path(folder) / "passwords"
    return None


def lookup_password_file(path: Path, user: str | None) -> BotPassword | None:
    """The bot password for `user` from a pywikibot password file (read, never executed)."""
    entries = parse_password_file(path)
    for entry in entries:
        if user is None or user in (entry.login_name, entry.user_name):
            return entry
    return None


def parse_password_file(path: Path) -> list[BotPassword]:
    """Every bot password in a pywikibot password file, parsed as literals only."""
    try:
        lines = read_text(path).splitlines()
    except InputError as error:
        # Never repeat what the file holds (a byte of it may be a secret): say what is wrong.
        reason = "is not UTF-8 text." if "0x" in error.reason else error.reason
        raise InputError(
            f"cannot be read as a pywikibot password file: {reason} (It is a text file "
            "with one ('User', BotPassword('app', 'secret')) line per login.)",
            path=str(path),
        ) from None
    entries = []
    for number, line in enumerate(lines, start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            entries.append(_parse_password_line(line, path, number))
    return entries


def _parse_password_line(line: str, path: Path, number: int) -> BotPassword:
    """`('User', BotPassword('app', 'secret'))` or `('code', 'family', 'User', ...)`."""
    problem = InputError(
        "expected ('User', BotPassword('app', 'secret')); gatebot logs in with bot passwords only.",
        path=str(path),
        row=number,
    )
    try:
        node = ast.parse(line.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise problem from None
    if not isinstance(node, ast.Tuple) or len(node.elts) not in (2, 4):
        raise problem
    user_node, secret_node = node.elts[-2], node.elts[-1]
    user = _literal_text(user_node)
    if (
        user is None
        or not isinstance(secret_node, ast.Call)
        or not isinstance(secret_node.func, ast.Name)
        or secret_node.func.id != "BotPassword"
        or len(secret_node.args) != 2
        or secret_node.keywords
    ):
        raise problem
    app, secret = (_literal_text(arg) for arg in secret_node.args)
    if app is None or secret is None:
        raise problem
    return BotPassword(f"{user}@{app}", secret)


def _literal_text(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None
