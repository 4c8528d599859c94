"""The mwclient backend: mwclient's `Site` supplies the session (cookies, OAuth signing);
every request goes through `site.connection` so gatebot's own retry layer sees each answer
(mwclient sends no maxlag to api.php and raises on `ratelimited`)."""

from __future__ import annotations

from http.cookiejar import CookieJar
from typing import Any

import mwclient
import requests

from bot.wiki.client import WikiClient, user_agent
from bot.wiki.credentials import OAuth1
from bot.wiki.environment import pin_environment


class MwclientClient(WikiClient):
    """A `WikiClient` on an `mwclient.Site` that is never asked to call the API itself."""

    backend_name = "mwclient"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        oauth: dict[str, str] = {}
        if isinstance(self.credentials, OAuth1):
            oauth = {
                "consumer_token": self.credentials.consumer_key,
                "consumer_secret": self.credentials.consumer_secret,
                "access_token": self.credentials.access_token,
                "access_secret": self.credentials.access_secret,
            }
        self.site = mwclient.Site(
            self.target.host,
            path=self.target.script_path,
            scheme=self.target.scheme,
            do_init=False,
            force_login=False,
            **oauth,
        )
        pin_environment(self.site.connection, self.target.api_url)
        self.site.connection.headers["User-Agent"] = user_agent(
            self.user_agent_contact, f"mwclient/{mwclient.__version__}"
        )

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        return self.site.connection.request(method, url, timeout=self.timeout, **kwargs)

    def _cookie_jar(self) -> CookieJar:
        return self.site.connection.cookies

    def close(self) -> None:
        super().close()
        self.site.connection.close()
