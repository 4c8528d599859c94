"""One review: the session loop in a thread of its own, the page served beside it, until the
session ends (daily limit, no more suggestions, the gate closed by another session) or is
stopped (Ctrl-C, SIGTERM)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from bot.review.desk import Desk
from bot.review.security import image_origins
from bot.review.server import ReviewServer
from bot.suggestions import SessionReport, run_session
from bot.suggestions.wiring import Session


class Review:
    """The page for `session` on 127.0.0.1:`port` (0: a free one); `wiki_url` names the wiki
    whose hosts the page may load images from. When the session ends before the page has been
    told (e.g. the quota was used up before it was opened), the page is served `linger` more
    seconds so that it can say why."""

    def __init__(self, session: Session, *, wiki_url: str, port: int = 0, linger: float = 10.0):
        self.session = session
        images = image_origins(wiki_url)
        self.desk = Desk(
            session.gate,
            check=session.check,
            caption_minimum=session.caption_minimum,
            article_url=session.article_url,
            images=images,
        )
        self.server = ReviewServer(self.desk, images=images, port=port)
        self.interrupted = False
        self.linger = linger

    @property
    def url(self) -> str:
        return self.server.url

    def _loop(self) -> None:
        gate, source = self.session.gate, self.session.source
        self.desk.finish(run_session(gate, source, self.desk, check=self.session.check))

    def stop(self) -> None:
        """End the session from outside (SIGTERM); the answer being sent is finished first."""
        self.interrupted = True
        self.desk.stop()

    def run(self, ready: Callable[[str], None]) -> SessionReport:
        """Serve until the session ends; `ready(url)` is called once the page can be opened."""
        self.server.start()
        loop = threading.Thread(target=self._loop, name="gatebot-review-session", daemon=True)
        loop.start()
        try:
            ready(self.url)
            while not self.desk.ended.wait(0.2):
                pass
            if not self.interrupted:
                self.desk.end_shown.wait(self.linger)
        except KeyboardInterrupt:
            self.stop()
            self.desk.ended.wait()
        finally:
            self.server.stop()
        report = self.desk.report
        report.keyboard_interrupt = report.keyboard_interrupt or self.interrupted
        return report
