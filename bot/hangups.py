"""For gatebot's local HTTP servers (the sandbox, the review page): a client that hangs up
mid-request (a killed gatebot, a closed browser tab) is no error to print a traceback for."""

from __future__ import annotations

import logging
import sys
from typing import Any

LOG = logging.getLogger(__name__)


class QuietHangups:
    """Mix in before `socketserver.BaseServer`: a reset or broken connection is noted at debug
    level; any other error of a request is logged with its traceback."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionResetError, BrokenPipeError)):
            LOG.debug("client %s hung up: %s", client_address, error)
        else:
            LOG.exception("request from %s failed", client_address)
