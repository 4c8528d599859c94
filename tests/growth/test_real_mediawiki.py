"""The accepted image edit itself on a real MediaWiki (Debian's, with its bundled VisualEditor
and no GrowthExperiments): placement, caption and summary, the conflict check, and the
configuration fallbacks down to the extension's defaults."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.growth import (
    IMAGE,
    SECTION_IMAGE,
    Accept,
    EditConflict,
    GrowthClient,
    ImageSuggestion,
    Offer,
    Reject,
    Task,
)
from bot.growth.suggestions import open_params, parse_base
from bot.wiki import BotPassword, WikiClient, connect
from tests.mediawiki import LocalMediaWiki

pytestmark = pytest.mark.mediawiki

ARTICLE = (
    "{{Short description|Bridge in Ethiopia}}\n{{About|the 2019 bridge|the old one|Old bridge}}\n"
    "{{Refimprove|date=May 2024}}\n'''{title}''' is a bridge over the Blue Nile.\n\n"
    "== History ==\n{{{{Main|History of Bahir Dar}}}}\nIt opened in 2019.\n"
)


@pytest.fixture
def login(local_mediawiki: LocalMediaWiki, tmp_path: Path) -> Iterator:
    clients: list[WikiClient] = []

    def make(account: tuple[str, str]) -> WikiClient:
        client = connect(
            local_mediawiki.wiki.api_url,
            credentials=BotPassword(*account),
            state_dir=tmp_path / account[0],
            environ={},
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def opened(wiki: WikiClient, title: str, task_type: str = IMAGE) -> Offer:
    """Open a task the way the client does; the suggestion is the contract's example, since a
    wiki without GrowthExperiments has none (it only warns about the unknown prop)."""
    task = Task(title, task_type, 0)
    answer = wiki.api_get(open_params(task))
    base = parse_base(answer["query"]["pages"][0])
    assert base is not None
    section = task_type == SECTION_IMAGE
    suggestion = ImageSuggestion(
        task_type, title, "Tana_bridge_2019.jpg", "Tana bridge 2019.jpg", "wikidata", (),
        None, "https://upload.example/thumb.jpg", "https://commons.example/File:Tana.jpg", "",
        "Found in the Wikidata item.", 1 if section else None, "History" if section else None,
    )  # fmt: skip
    return Offer(task, suggestion, base, answer["curtimestamp"])


def create(wiki: WikiClient) -> str:
    """A new article; returns once the wiki's clock has left the second it was saved in,
    because MediaWiki cannot tell apart two edits of one second by their timestamps."""
    title = f"Tana Bridge {uuid.uuid4().hex[:8]}"
    text = ARTICLE.replace("{title}", title).replace("{{{{", "{{").replace("}}}}", "}}")
    wiki.api_post({"action": "edit", "title": title, "text": text, "createonly": 1})
    time.sleep(1.1)
    return title


def latest(wiki: WikiClient, title: str) -> dict:
    answer = wiki.api_get({"action": "query", "prop": "revisions", "titles": title,
                           "rvprop": "ids|content|comment", "rvslots": "main"})  # fmt: skip
    revision = answer["query"]["pages"][0]["revisions"][0]
    return {"id": revision["revid"], "text": revision["slots"]["main"]["content"],
            "comment": revision["comment"]}  # fmt: skip


def test_an_accepted_image_is_saved_after_the_lead_templates_with_the_ui_summary(
    login, local_mediawiki
) -> None:
    wiki = login(local_mediawiki.admin)
    growth = GrowthClient(wiki)
    title = create(wiki)
    result = growth.submit(opened(wiki, title), Accept("The bridge seen from the east bank"))
    saved = latest(wiki, title)
    assert saved["text"].startswith(
        "{{Short description|Bridge in Ethiopia}}\n{{About|the 2019 bridge|the old one|Old bridge}}"
        "\n{{Refimprove|date=May 2024}}\n[[File:Tana_bridge_2019.jpg|thumb|The bridge seen from "
        f"the east bank]]\n'''{title}''' is"
    )
    assert saved["comment"] == "/* growthexperiments-addimage-summary-summary: 1 */"
    assert result.rev_id == saved["id"]
    assert not result.recorded  # no GrowthExperiments here: nothing logs the answer
    assert growth.limits().source == "defaults"


def test_a_section_image_and_a_null_edit_rejection_on_a_real_wiki(login, local_mediawiki) -> None:
    wiki = login(local_mediawiki.admin)
    growth = GrowthClient(wiki)
    title = create(wiki)
    before = latest(wiki, title)
    growth.submit(opened(wiki, title, SECTION_IMAGE), Reject(("sectionnotappropriate",)))
    assert latest(wiki, title) == before  # a null edit: no new revision
    growth.submit(opened(wiki, title, SECTION_IMAGE), Accept("The bridge in 2019"))
    assert (
        "== History ==\n{{Main|History of Bahir Dar}}\n"
        "[[File:Tana_bridge_2019.jpg|thumb|The bridge in 2019]]\nIt opened in 2019."
    ) in latest(wiki, title)["text"]


def test_an_edit_by_someone_else_is_merged_or_a_conflict_never_overwritten(
    login, local_mediawiki
) -> None:
    wiki = login(local_mediawiki.admin)
    other = login(local_mediawiki.limited)
    growth = GrowthClient(wiki)
    title = create(wiki)
    offer = opened(wiki, title)
    other.api_post({"action": "edit", "title": title, "appendtext": "\nMore.", "nocreate": 1})
    growth.submit(offer, Accept("The bridge seen from the east bank"))
    merged = latest(wiki, title)["text"]  # the wiki's own three-way merge, as in its editor
    assert "|thumb|The bridge seen from the east bank]]" in merged and merged.endswith("More.")

    title = create(wiki)
    offer = opened(wiki, title)
    lead = f"'''{title}''' is a bridge over the Blue Nile."
    text = latest(other, title)["text"].replace(lead, "{{Lead}}\n" + lead)
    other.api_post({"action": "edit", "title": title, "text": text, "nocreate": 1})
    edited = latest(wiki, title)
    with pytest.raises(EditConflict):
        growth.submit(offer, Accept("The bridge seen from the east bank"))
    assert latest(wiki, title) == edited
