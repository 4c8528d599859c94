"""An iterator's items made in a background thread, a bounded number ahead of the consumer.

`events apply` checks its rows (reading the file, the policy's checks) while the wiki is
answering the previous row's request, instead of between requests: the CPU work overlaps the
round trip, and the order of the rows, of the requests and of the journal's records does not
change. The producer must not share state with the consumer (checking a row reads only the
file and the policy).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from queue import Full, Queue
from typing import TypeVar, cast

T = TypeVar("T")
AHEAD = 64  # items made ahead of the consumer at most
_END = object()


class _Raised:
    """What the producer raised, carried to the consumer at its place in the sequence."""

    def __init__(self, error: BaseException):
        self.error = error


def read_ahead(items: Iterable[T], ahead: int = AHEAD) -> Iterator[T]:
    """The items of `items`, in order, made up to `ahead` in advance by a daemon thread; what
    the iteration raises is raised here after the items before it. Closing the iterator early
    stops the producer at its next item."""
    queue: Queue[object] = Queue(ahead)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                queue.put(item, timeout=0.1)
                return True
            except Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(item):
                    return
        except BaseException as error:  # handed over, raised in the consumer
            put(_Raised(error))
            return
        put(_END)

    threading.Thread(target=produce, name="gatebot-read-ahead", daemon=True).start()
    try:
        while (item := queue.get()) is not _END:
            if isinstance(item, _Raised):
                raise item.error
            yield cast(T, item)
    finally:
        stop.set()
