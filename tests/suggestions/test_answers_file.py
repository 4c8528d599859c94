"""Answers files: rows read in order, each bad row named by line and field, the file refused as
a whole only when it cannot be read at all."""

from __future__ import annotations

import os

import pytest

from bot.growth import Accept, Reject, Skip
from bot.suggestions import read_answers
from policies.errors import InputError


def write(tmp_path, text: str, name: str = "answers.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_rows_are_answers_numbered_by_the_line_they_start_on(tmp_path):
    path = write(
        tmp_path,
        "\ufefftitle,answer,reasons,caption\n"
        'lake_tana Bridge,YES,,"The bridge, from the east"\n'
        "\n"
        "Oskar Brenner, no ,notrelevant; lowquality,\n"
        "Praia da Ursa,skip,,\n",
    )
    rows, problems = read_answers(path)
    assert problems == []
    assert [(r.number, r.title, r.answer) for r in rows] == [
        (2, "Lake tana Bridge", Accept("The bridge, from the east")),
        (4, "Oskar Brenner", Reject(("notrelevant", "lowquality"))),
        (5, "Praia da Ursa", Skip()),
    ]


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ("A,maybe,,", "answer", "'maybe' is not yes, no or skip"),
        ("A,no,,", "reasons", "a no needs at least one reason"),
        ("A,no,notrelevant;dunno,", "reasons", "unknown reason 'dunno'"),
        ("A,no,other;other,", "reasons", "only once"),
        ("A,yes,,", "caption", "a yes needs a caption"),
        ("A,yes,other,Nice caption", "reasons", "reasons are only for no"),
        ("A,no,other,Nice caption", "caption", "a caption is only for yes"),
        ("A,yes,,Pipe | in it", "caption", "Cannot use this caption"),
        (",yes,,Nice caption", "title", "the title is empty"),
        ("Talk:A,skip,,", "title", "is not an article"),
        ("A#History,skip,,", "title", "names a section"),
        ("A[1],skip,,", "title", "is not a valid title"),
    ],
)
def test_a_bad_row_is_named_by_row_and_field_and_the_next_row_goes_on(
    tmp_path, row, field, message
):
    path = write(tmp_path, f"title,answer,reasons,caption\n{row}\nB,skip,,\n")
    rows, problems = read_answers(path)
    assert [r.title for r in rows] == ["B"]
    (problem,) = problems
    assert (problem.number, problem.field) == (2, field)
    assert message in problem.message
    assert problem.text(str(path)).startswith(f"{path}, row 2, field '{field}': ")


def test_a_title_answered_twice_is_refused_the_second_time(tmp_path):
    path = write(tmp_path, "title,answer\nLake Tana Bridge,skip\nlake_Tana_Bridge,skip\n")
    rows, problems = read_answers(path)
    assert [r.number for r in rows] == [2]
    assert problems[0].message == "Lake Tana Bridge is answered in row 2."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title,answer,verdict\n", "unknown column 'verdict'"),
        ("title,reasons\n", "there is no 'answer' column"),
        ("title,answer,answer\n", "column 'answer' appears twice"),
        ("", "the file is empty"),
        ('title,answer\n"A,yes\n', "not valid CSV"),
    ],
)
def test_a_file_that_cannot_be_read_as_answers_is_refused_whole(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(InputError, match=message) as error:
        read_answers(path)
    assert str(error.value).startswith(str(path))
    assert error.value.exit_status == 2


def test_only_regular_files_are_read(tmp_path):
    fifo = tmp_path / "answers.csv"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        read_answers(fifo)


def test_bad_utf8_is_named_where_it_is(tmp_path):
    path = tmp_path / "answers.csv"
    path.write_bytes(b"title,answer\nCaf\xe9,skip\n")
    with pytest.raises(InputError, match="UTF-8"):
        read_answers(path)
