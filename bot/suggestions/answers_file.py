"""Answers files (DESIGN §3.2): a CSV of decisions, `title`, `answer` (yes/no/skip), `reasons`
(`;`-separated reason codes, for no) and `caption` (for yes), read through `policies.reading`.

A file that cannot be read at all (not a regular file, too large, bad UTF-8, a bad header) is
an `InputError`; a bad row is a `RowProblem` naming its line and field, and the other rows go
on. What needs the wiki (the caption minimum, a reason only for section images, whether the
article is suggested at all) is checked when the row's turn comes.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from bot.growth import REJECTION_REASONS, Accept, Answer, Reject, Skip
from bot.growth.errors import InvalidAnswer
from bot.growth.placement import check_caption
from policies.errors import InputError
from policies.reading import read_text
from policies.titles import TitleError, capitalize, parse_title

COLUMNS = ("title", "answer", "reasons", "caption")
REQUIRED = ("title", "answer")
ANSWERS = ("yes", "no", "skip")


@dataclass(frozen=True)
class AnswerRow:
    """One decision: `number` is the line the row starts on (the header is line 1)."""

    number: int
    title: str
    answer: Answer


@dataclass(frozen=True)
class RowProblem:
    """A row that is not answered, and why: `field` names the column at fault (None: the row's
    fate, e.g. the wiki does not suggest the article); `done` when an earlier run answered it,
    which is no failure."""

    number: int
    title: str | None
    field: str | None
    message: str
    done: bool = False

    def text(self, path: str) -> str:
        where = f"{path}, row {self.number}" + (f", field {self.field!r}" if self.field else "")
        return f"{where}: {self.message}"


class RowRefused(ValueError):
    """One cell of a row is wrong: the column and what to write instead."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def _header(path: str, cells: list[str]) -> list[str]:
    names = [cell.strip().lower() for cell in cells]
    for position, name in enumerate(names):
        if name not in COLUMNS:
            raise InputError(
                f"unknown column {cells[position].strip()!r}; the columns are: "
                f"{', '.join(COLUMNS)}.",
                path=path, row=1, field=cells[position].strip(),
            )  # fmt: skip
        if name in names[:position]:
            raise InputError(f"column {name!r} appears twice.", path=path, row=1, field=name)
    for name in REQUIRED:
        if name not in names:
            raise InputError(
                f"there is no {name!r} column; an answers file has the columns "
                f"{', '.join(COLUMNS)} (reasons for no, caption for yes).",
                path=path, row=1,
            )  # fmt: skip
    return names


def _title(text: str) -> str:
    if not text.strip():
        raise RowRefused("title", "the title is empty; write the article's title.")
    try:
        title = parse_title(text.strip())
    except TitleError as error:
        raise RowRefused("title", f"{text.strip()!r} is not a valid title: {error}") from None
    if title.namespace != 0:
        raise RowRefused(
            "title", f"{title.text!r} is not an article; image suggestions are for articles."
        )
    if title.fragment:
        raise RowRefused("title", f"{text.strip()!r} names a section; write the article alone.")
    return capitalize(title.dbkey).replace("_", " ")


def _reasons(text: str) -> tuple[str, ...]:
    reasons = tuple(part.strip().lower() for part in text.split(";") if part.strip())
    if not reasons:
        raise RowRefused(
            "reasons", f"a no needs at least one reason: {', '.join(REJECTION_REASONS)}."
        )
    for reason in reasons:
        if reason not in REJECTION_REASONS:
            raise RowRefused(
                "reasons",
                f"unknown reason {reason!r}; use codes from: {', '.join(REJECTION_REASONS)}.",
            )
    if len(set(reasons)) != len(reasons):
        raise RowRefused("reasons", "each reason may be given only once.")
    return reasons


def _answer(values: dict[str, str]) -> Answer:
    answer = values.get("answer", "").strip().lower()
    reasons, caption = values.get("reasons", "").strip(), values.get("caption", "").strip()
    if answer not in ANSWERS:
        raise RowRefused("answer", f"{answer or '(empty)'!r} is not yes, no or skip.")
    if answer != "no" and reasons:
        raise RowRefused("reasons", f"reasons are only for no; this row says {answer}.")
    if answer != "yes" and caption:
        raise RowRefused("caption", f"a caption is only for yes; this row says {answer}.")
    if answer == "no":
        return Reject(_reasons(reasons))
    if answer == "skip":
        return Skip()
    if not caption:
        raise RowRefused("caption", "a yes needs a caption for the image.")
    try:
        check_caption(caption, None)
    except InvalidAnswer as error:
        raise RowRefused("caption", str(error)) from None
    return Accept(caption)


def read_answers(path: str | Path) -> tuple[list[AnswerRow], list[RowProblem]]:
    """The file's rows that read well, in order, and a problem for each one that does not."""
    where = str(path)
    text = read_text(path).lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    names: list[str] | None = None
    rows: list[AnswerRow] = []
    problems: list[RowProblem] = []
    first_row: dict[str, int] = {}
    line = 0
    try:
        for cells in reader:
            number, line = line + 1, reader.line_num
            if not "".join(cells).strip():
                continue
            if names is None:
                names = _header(where, cells)
                continue
            values = dict(zip(names, cells, strict=False))
            try:
                if len(cells) > len(names) and "".join(cells[len(names) :]).strip():
                    raise RowRefused(
                        names[-1], f"the row has {len(cells)} cells for {len(names)} columns; "
                        "quote a cell that holds a comma.",
                    )  # fmt: skip
                title = _title(values.get("title", ""))
                if title in first_row:
                    raise RowRefused("title", f"{title} is answered in row {first_row[title]}.")
                answer = _answer(values)
            except RowRefused as refused:
                problems.append(
                    RowProblem(number, values.get("title"), refused.field, refused.message)
                )
                continue
            first_row[title] = number
            rows.append(AnswerRow(number, title, answer))
    except csv.Error as error:
        raise InputError(
            f"the row starting on line {line + 1} is not valid CSV ({error}); a cell that "
            'starts with " must end with " (write "" for a quote inside).',
            path=where,
        ) from None
    if names is None:
        raise InputError(f"the file is empty; write the header {','.join(COLUMNS)}.", path=where)
    return rows, problems
