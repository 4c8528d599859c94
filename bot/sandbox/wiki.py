"""The state every sandbox module shares: configuration, store, clock, URLs, titles, sessions."""

from __future__ import annotations

import random
import threading
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from bot.sandbox.config import Account, SandboxConfig
from bot.sandbox.store import Store

Clock = Callable[[], datetime]

NAMESPACES: dict[int, str] = {
    -2: "Media", -1: "Special", 0: "", 1: "Talk", 2: "User", 3: "User talk", 4: "Project",
    5: "Project talk", 6: "File", 7: "File talk", 8: "MediaWiki", 9: "MediaWiki talk",
    10: "Template", 11: "Template talk", 12: "Help", 13: "Help talk", 14: "Category",
    15: "Category talk", 1728: "Event", 1729: "Event talk",
}  # fmt: skip
_NAMESPACE_IDS = {name.casefold(): ns for ns, name in NAMESPACES.items() if name}
_NAMESPACE_IDS["image"] = 6
_BAD_TITLE_CHARS = set("<>[]{}|#")


def system_clock() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class Title:
    """A normalised page title: namespace id, prefixed text (spaces) and the text without prefix."""

    ns: int
    prefixed: str
    text: str


def parse_title(raw: str) -> Title | None:
    """MediaWiki's title normalisation (underscores, namespace, first letter); None if bad."""
    text = " ".join(raw.replace("_", " ").split())
    if not text or any(ch in _BAD_TITLE_CHARS for ch in text) or text.startswith(":"):
        return None
    ns = 0
    prefix, colon, rest = text.partition(":")
    if colon and prefix.strip().casefold() in _NAMESPACE_IDS:
        ns = _NAMESPACE_IDS[prefix.strip().casefold()]
        text = rest.strip()
        if not text:
            return None
    text = text[:1].upper() + text[1:]
    prefixed = f"{NAMESPACES[ns]}:{text}" if ns else text
    return Title(ns, prefixed, text)


class RateLimiter:
    """MediaWiki's per-user, per-action limits: at most `hits` in a sliding `seconds` window."""

    def __init__(self, clock: Clock):
        self._clock = clock
        self._lock = threading.Lock()
        self._hits: dict[tuple[int, str], deque[float]] = defaultdict(deque)

    def allow(
        self,
        account: Account | None,
        action: str,
        *,
        default: tuple[int, int] | None = None,
        bypassable: bool = True,
    ) -> bool:
        """Count one hit; False when it would go over the account's limit for `action`.

        `default` applies when the account has no own limit; `bypassable=False` ignores the
        `noratelimit` right (GrowthExperiments' suggestion-data limit is such a limit).
        """
        if account is None or (bypassable and "noratelimit" in account.rights):
            return True
        limit = account.rate_limits.get(action, default)
        if limit is None:
            return True
        hits, seconds = limit
        now = self._clock().timestamp()
        with self._lock:
            window = self._hits[(account.user_id, action)]
            while window and window[0] <= now - seconds:
                window.popleft()
            if len(window) >= hits:
                return False
            window.append(now)
            return True


class RequestTally:
    """How many requests the wiki answered, per kind: `api:<action>` for api.php, the REST route
    as `<METHOD> <template>` (`POST /campaignevents/v0/event_registration`), `503 fault`, or
    `unrouted`. Tests and benchmarks count a client's requests with it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    def count(self, kind: str) -> None:
        with self._lock:
            self._counts[kind] += 1

    def snapshot(self) -> Counter[str]:
        """A copy of the counts so far; subtract two snapshots for what happened in between."""
        with self._lock:
            return Counter(self._counts)

    @property
    def total(self) -> int:
        with self._lock:
            return sum(self._counts.values())


class SandboxWiki:
    """One sandbox wiki: what the request handlers read and change."""

    def __init__(self, config: SandboxConfig, store: Store, clock: Clock | None = None):
        self.config = config
        self.store = store
        self.clock: Clock = clock or system_clock
        self.rate_limiter = RateLimiter(lambda: self.clock())
        self.random = random.Random(config.faults.random_seed)
        self.requests = RequestTally()
        self.server = "http://127.0.0.1"

    def now(self) -> datetime:
        """The wiki's current time, from the injectable clock, in UTC."""
        return self.clock().astimezone(timezone.utc)

    def set_server(self, host: str, port: int) -> None:
        self.server = f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        return f"{self.server}/w/api.php"

    @property
    def rest_url(self) -> str:
        return f"{self.server}/w/rest.php"

    def user_options(self, account: Account) -> dict[str, str]:
        """Options as `meta=userinfo` shows them: defaults, the account's seed, then stored ones."""
        options = {
            "timecorrection": account.timecorrection,
            "language": "en",
            "growthexperiments-homepage-enable": "0",
            "growthexperiments-homepage-suggestededits-activated": "0",
            **account.options,
        }
        options.update(self.store.options(account.user_id))
        return options

    def site_offset_minutes(self) -> int:
        """`general.timeoffset`: the wiki zone's current offset in minutes."""
        offset = self.now().astimezone(ZoneInfo(self.config.timezone)).utcoffset()
        return int(offset.total_seconds() // 60) if offset else 0
