"""The probe for a create whose answer was lost: event ids above the journaled floor, read one
GET at a time on a scripted wiki, until the page's event, 20 missing ids in a row, or 200 reads."""

from __future__ import annotations

from bot.campaignevents.probe import GAP, READS, probe_created
from tests.campaignevents.conftest import CE, contract_get
from tests.wiki.fakewiki import envelope

PAGE = "Event:Lisbon Photo Walk 2027"
FLOOR = 1000
DELETED = envelope(
    404, "campaignevents-rest-get-registration-deleted", "This event registration was deleted."
)


def event(wiki, event_id: int, page: str) -> None:
    """The scripted wiki answers GET of `event_id` with a registration of `page`."""
    wiki.then(f"GET {CE}/event_registration/{event_id}",
              (200, {}, contract_get(id=event_id, event_page=page)))  # fmt: skip


def gets(wiki) -> list[int]:
    """The event ids the probe read, in order."""
    prefix = f"GET {CE}/event_registration/"
    return [int(label[len(prefix) :]) for label in wiki.labels if label.startswith(prefix)]


def test_the_page_is_found_past_other_events_and_a_gap_of_missing_ids(ce, wiki):
    event(wiki, FLOOR + 1, "Event:Someone else's walk")
    event(wiki, FLOOR + 15, "Event:lisbon_Photo_Walk_2027")  # the page, as the wiki names it
    probed = probe_created(ce, PAGE, FLOOR)
    assert probed.found is not None and probed.found.id == FLOOR + 15
    assert (probed.gave_up, probed.reads) == (False, 15)
    assert gets(wiki) == list(range(FLOOR + 1, FLOOR + 16))


def test_twenty_missing_ids_in_a_row_mean_the_create_did_not_land(ce, wiki):
    event(wiki, FLOOR + 3, "Event:Someone else's walk")
    probed = probe_created(ce, PAGE, FLOOR)
    assert (probed.found, probed.gave_up, probed.reads) == (None, False, 3 + GAP)
    assert gets(wiki)[-1] == FLOOR + 3 + GAP


def test_a_deleted_event_exists_so_the_missing_run_starts_again_after_it(ce, wiki):
    wiki.then(f"GET {CE}/event_registration/{FLOOR + GAP}", DELETED)  # after 19 missing
    event(wiki, FLOOR + 2 * GAP, PAGE)  # 19 missing again, then the page
    probed = probe_created(ce, PAGE, FLOOR)
    assert probed.found is not None and probed.found.id == FLOOR + 2 * GAP
    assert probed.reads == 2 * GAP


def test_the_probe_gives_up_after_two_hundred_reads(ce, wiki):
    for event_id in range(FLOOR + 1, FLOOR + READS + 2):
        event(wiki, event_id, f"Event:Walk {event_id}")
    probed = probe_created(ce, PAGE, FLOOR)
    assert (probed.found, probed.gave_up, probed.reads) == (None, True, READS)
    assert gets(wiki) == list(range(FLOOR + 1, FLOOR + READS + 1))
