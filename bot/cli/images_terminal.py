"""The interactive "Add an image" session on a terminal: one suggestion at a time with its links
(clickable where the terminal supports OSC 8 hyperlinks), the quota always in view, and the
answer asked for by single words or numbers. Wiki text is shown as text (`shown`), never
interpreted as markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.style import Style
from rich.table import Table
from rich.text import Text

from bot.display import shown
from bot.growth import SECTION_IMAGE, Accept, Answer, InvalidAnswer, Reject, Skip
from bot.growth.answers import REASON_LABELS, offered_reasons
from bot.ledger import Verdict
from bot.suggestions import DONE, Handled, Suggestion
from bot.suggestions.session import Check

_TAG = re.compile(r"<[^>]*>")
DONE_TEXT = {"accepted": "Added the image to", "rejected": "Rejected for"}
QUESTION = "Add this image? [y]es / [n]o / [s]kip / [q]uit: "


def quota_line(verdict: Verdict) -> str:
    """ "12 of 25 today" (or the count alone when there is no limit)."""
    if verdict.limit is None:
        return f"{verdict.count} today, no daily limit"
    return f"{verdict.count} of {verdict.limit} today"


def plain(markup: str | None) -> str:
    """The wiki's sanitized HTML (a file description) as one line of safe text."""
    return shown(" ".join(html.unescape(_TAG.sub("", markup or "")).split()))


def _link(label: str, url: str) -> Text:
    return Text(shown(label), style=Style(link=shown(url), underline=True))


def offer_panel(suggestion: Suggestion, verdict: Verdict, article_url: str) -> Panel:
    """Everything needed to decide, on one screen."""
    image = suggestion.offer.suggestion
    rows = Table.grid(padding=(0, 2))
    rows.add_column(style="bold")
    rows.add_column(overflow="fold")
    rows.add_row("Article", Text.assemble(_link(suggestion.title, article_url), f"  {article_url}"))
    if suggestion.task_type == SECTION_IMAGE:
        rows.add_row(
            "Section", Text(f"{shown(image.section_title or '')} (section {image.section_number})")
        )
    rows.add_row("Image", Text(shown(image.display_filename)))
    rows.add_row("About it", Text(plain(image.description) or "(no description)"))
    rows.add_row("Why", Text(shown(image.reason) or "(the wiki gives no reason)"))
    rows.add_row("Thumbnail", _link(image.thumb_url, image.thumb_url))
    rows.add_row("File page", _link(image.file_page_url, image.file_page_url))
    return Panel(
        rows,
        title=Text(f"{suggestion.task_type} · {quota_line(verdict)}"),
        title_align="right",
        subtitle=Text(
            "yes adds the image with your caption; no needs a reason; skip sends nothing"
        ),
    )


class TerminalDecider:
    """Asks the person at the terminal; Ctrl-D or `q` ends the session."""

    def __init__(
        self,
        console: Console,
        *,
        check: Check,
        caption_minimum: Callable[[str], int],
        article_url: Callable[[str], str],
    ):
        self.console = console
        self.check = check
        self.caption_minimum = caption_minimum
        self.article_url = article_url

    def _ask(self, prompt: str) -> str | None:
        try:
            return self.console.input(escape(prompt)).strip()
        except EOFError:
            return None

    def decide(self, suggestion: Suggestion, verdict: Verdict) -> Answer | None:
        self.console.print(offer_panel(suggestion, verdict, self.article_url(suggestion.title)))
        while True:
            key = self._ask(QUESTION)
            if key is None or key.lower() in ("q", "quit"):
                return None
            choice = key.lower()
            answer: Answer | None = None
            if choice in ("y", "yes"):
                answer = self._caption(suggestion)
            elif choice in ("n", "no"):
                answer = self._reasons(suggestion)
            elif choice in ("s", "skip"):
                answer = Skip()
            else:
                self.console.print("Type y, n, s or q.")
            if answer is not None:
                return answer

    def _caption(self, suggestion: Suggestion) -> Accept | None:
        """A caption the wiki will take (checked before sending); empty goes back."""
        minimum = self.caption_minimum(suggestion.task_type)
        while True:
            text = self._ask(f"Caption (at least {minimum} characters; empty: back): ")
            if not text:
                return None
            answer = Accept(text)
            try:
                self.check(suggestion, answer)
            except InvalidAnswer as error:
                self.console.print(Text(shown(str(error)), style="red"))
                continue
            return answer

    def _reasons(self, suggestion: Suggestion) -> Reject | None:
        """Reasons by number, from the contract's list (the section-only one for sections)."""
        codes = offered_reasons(suggestion.task_type)
        for number, code in enumerate(codes, start=1):
            self.console.print(Text(f"  {number}. {REASON_LABELS[code]} ({code})"))
        while True:
            text = self._ask("Reasons (numbers, e.g. 1 3; empty: back): ")
            if not text:
                return None
            parts = text.replace(",", " ").split()
            if not all(p.isdigit() and 1 <= int(p) <= len(codes) for p in parts):
                self.console.print(f"Type numbers from 1 to {len(codes)}, separated by spaces.")
                continue
            chosen = tuple(dict.fromkeys(codes[int(p) - 1] for p in parts))
            return Reject(chosen)

    def handled(self, result: Handled) -> None:
        """One line at once: what became of the answer, and the quota after it."""
        title = shown(result.title)
        if result.status != DONE:
            self.console.print(Text(f"✗ {title}: {shown(result.error or result.status)}", "red"))
            return
        done = DONE_TEXT.get(result.outcome, "Skipped")
        self.console.print(Text(f"✓ {done} {title} · {quota_line(result.verdict)}", "green"))
