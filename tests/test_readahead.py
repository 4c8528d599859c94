"""read_ahead: the items in order, made ahead in another thread; an error arrives at its place."""

from __future__ import annotations

import threading

import pytest

from bot.readahead import read_ahead
from policies.errors import InputError


def test_every_item_comes_in_order_even_when_far_more_than_fit_ahead():
    assert list(read_ahead(iter(range(1000)), ahead=8)) == list(range(1000))


def test_the_items_are_made_in_another_thread():
    made_in = []

    def items():
        for number in range(3):
            made_in.append(threading.current_thread())
            yield number

    assert list(read_ahead(items())) == [0, 1, 2]
    assert threading.current_thread() not in made_in


def test_an_error_is_raised_after_the_items_before_it():
    def rows():
        yield "row 1"
        yield "row 2"
        raise InputError("events.csv: line 4 cannot be read")

    got = []
    with pytest.raises(InputError, match="line 4"):
        for row in read_ahead(rows()):
            got.append(row)
    assert got == ["row 1", "row 2"]


def test_stopping_early_stops_the_producer():
    made = []
    done = threading.Event()

    def items():
        try:
            for number in range(10_000):
                made.append(number)
                yield number
        finally:
            done.set()

    ahead = read_ahead(items(), ahead=4)
    assert next(ahead) == 0
    ahead.close()
    assert done.wait(5)
    assert len(made) < 10
