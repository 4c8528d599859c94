"""Where an accepted image lands in real-looking articles, as the web editor places it."""

from __future__ import annotations

import pytest

from bot.growth import ImageLink, PlacementError, place_image
from bot.growth.placement import caption_problem

LINK = ImageLink("Tana_bridge_2019.jpg", "The bridge seen from the east bank")
IMAGE = "[[File:Tana_bridge_2019.jpg|thumb|The bridge seen from the east bank]]"


def test_a_plain_article_gets_the_image_on_the_first_line() -> None:
    text = "'''Lake Tana Bridge''' is a bridge.\n\n== History ==\nBuilt in 2019.\n"
    assert place_image(text, LINK) == f"{IMAGE}\n{text}"


def test_the_image_goes_after_hatnotes_and_maintenance_templates() -> None:
    text = (
        "{{Short description|Bridge in Ethiopia}}\n"
        "{{About|the 2019 bridge|the old bridge|Old Tana Bridge}}\n"
        "{{Refimprove|date=May 2024}}\n"
        "<!-- please keep the lead short -->\n"
        "__NOTOC__\n"
        "'''Lake Tana Bridge''' is a bridge over the [[Blue Nile]].\n"
    )
    placed = place_image(text, LINK)
    head, _, lead = placed.partition(IMAGE + "\n")
    assert head.endswith("__NOTOC__\n") and head.startswith("{{Short description")
    assert lead == "'''Lake Tana Bridge''' is a bridge over the [[Blue Nile]].\n"


def test_an_infobox_is_skipped_like_every_leading_template() -> None:
    text = "{{Infobox bridge\n| name = Lake Tana Bridge\n}}\n'''Lake Tana Bridge''' is a bridge.\n"
    assert place_image(text, LINK) == text.replace("}}\n'''", "}}\n" + IMAGE + "\n'''")


def test_a_template_on_the_first_lines_text_stays_with_its_paragraph() -> None:
    text = "{{Short description|Bridge}}\n{{Lang|am|ጣና}} '''Lake Tana Bridge''' is a bridge.\n"
    assert place_image(text, LINK) == (
        "{{Short description|Bridge}}\n" + IMAGE + "\n{{Lang|am|ጣና}} '''Lake Tana Bridge''' is"
        " a bridge.\n"
    )


def test_an_article_that_already_shows_an_image_is_no_longer_a_task() -> None:
    for text in ("Intro.\n\n== Gallery ==\n[[Image:Other.jpg|thumb|Other]]\n",
                 "Intro.\n<gallery>\nOther.jpg\n</gallery>\n",
                 "Intro.\n[[Datei:Other.jpg|mini|Other]]\n"):  # fmt: skip
        with pytest.raises(PlacementError, match="already has an image"):
            place_image(text, LINK, file_namespaces=("File", "Image", "Datei"))
    linked = "Intro, see [[:File:Other.jpg]].\n"  # a link to the file page shows no image
    assert place_image(linked, LINK).startswith(IMAGE)


SECTIONED = (
    "'''Old Mill''' is a tide mill.\n\n"
    "== Location ==\nOn the Tagus.\n\n"
    "== History ==\n{{Main|History of tide mills}}\n{{See also|Tagus}}\n"
    "The mill was built in 1910.\n\n=== Closure ===\nIt closed in 1960.\n\n"
    "== References ==\n<references />\n"
)
MILL = ImageLink("Old_mill_1910.jpg", "The mill in 1910")
MILL_IMAGE = "[[File:Old_mill_1910.jpg|thumb|The mill in 1910]]"


def test_a_section_image_goes_at_the_start_of_its_section_after_its_hatnotes() -> None:
    placed = place_image(SECTIONED, MILL, section_number=2, section_title="History")
    assert placed == SECTIONED.replace(
        "{{See also|Tagus}}\nThe mill", "{{See also|Tagus}}\n" + MILL_IMAGE + "\nThe mill"
    )


def test_a_section_without_text_of_its_own_gets_the_image_before_its_subsection() -> None:
    text = "Intro.\n\n== Location ==\nHere.\n\n== History ==\n=== Early ===\nOld.\n"
    placed = place_image(text, MILL, section_number=2, section_title="History")
    assert placed == text.replace("== History ==\n", "== History ==\n" + MILL_IMAGE + "\n")


def test_the_section_title_is_matched_like_the_editor_does() -> None:
    text = SECTIONED.replace("== History ==", "== ''history'' ==")
    assert MILL_IMAGE in place_image(text, MILL, section_number=2, section_title="History")


@pytest.mark.parametrize(
    ("number", "title", "message"),
    [(2, "Etymology", "now titled 'History'"), (7, "History", "no section 7")],
)
def test_a_moved_or_renamed_section_is_no_longer_a_task(number, title, message) -> None:
    with pytest.raises(PlacementError, match=message):
        place_image(SECTIONED, MILL, section_number=number, section_title=title)


def test_a_section_that_has_an_image_or_a_file_used_elsewhere_is_no_longer_a_task() -> None:
    with_image = SECTIONED.replace("=== Closure ===\n", "=== Closure ===\n[[File:X.jpg|thumb|X]]\n")
    with pytest.raises(PlacementError, match="already has an image"):
        place_image(with_image, MILL, section_number=2, section_title="History")
    used = SECTIONED.replace("On the Tagus.", "[[File:Old mill 1910.jpg|thumb|The mill]]")
    with pytest.raises(PlacementError, match="already used"):
        place_image(used, MILL, section_number=2, section_title="History")


def test_alt_text_is_written_only_when_given() -> None:
    link = ImageLink("Tana_bridge_2019.jpg", "The bridge", alt="A concrete bridge over a river")
    assert link.wikitext() == (
        "[[File:Tana_bridge_2019.jpg|thumb|alt=A concrete bridge over a river|The bridge]]"
    )


@pytest.mark.parametrize(
    "caption",
    ["Left | right", "Ends here]] oops", "Two\nlines", "left", "200px", "upright=1.2", "[[Open"],
)
def test_captions_the_wiki_would_mangle_are_refused(caption) -> None:
    assert caption_problem(caption) is not None


@pytest.mark.parametrize(
    "caption", ["The [[Blue Nile|Nile]] bridge", "Bridge in {{lang|am|ጣና}}", "Left bank view"]
)
def test_captions_with_links_and_templates_are_fine(caption) -> None:
    assert caption_problem(caption) is None
