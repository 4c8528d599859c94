"""The local review page of "Add an image" (issue 10): the same session, ledger and gate as
`gatebot images session`, answered in the browser, served on 127.0.0.1 behind a secret token.

`server` and `security`: the loopback web app and its checks; `desk`: where the page meets the
session loop; `view` and `lead`: what the page shows; `runner`: one review from start to end.
"""

from bot.review.desk import Desk
from bot.review.runner import Review
from bot.review.server import ReviewServer

__all__ = ["Desk", "Review", "ReviewServer"]
