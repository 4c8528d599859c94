"""Proxy and CA settings from the environment, read once per wiki instead of on every request.

requests re-reads the proxy variables and ~/.netrc for every call of a session that trusts the
environment; that was about a third of gatebot's CPU per request. Credentials only ever come from
gatebot's own sources (DESIGN §3), so a ~/.netrc entry must never be sent to a wiki either.
"""

from __future__ import annotations

import requests


def pin_environment(session: requests.Session, url: str) -> None:
    """Take the proxies (honouring NO_PROXY for `url`) and the CA bundle
    (REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE) from the environment now, then stop reading it."""
    settings = session.merge_environment_settings(url, {}, None, None, None)
    session.proxies.update(settings["proxies"])
    if isinstance(settings["verify"], str):
        session.verify = settings["verify"]
    session.trust_env = False
