"""What the page shows of an article and a suggestion, from the wikitext and the wiki's data."""

from __future__ import annotations

import dataclasses

from bot.review.lead import lead, plain_heading, section_text
from bot.review.view import suggestion_view, text_of
from tests.growth.conftest import make_offer

ARTICLE = """{{Short description|Bridge in Ethiopia}}
{{Infobox bridge|name=Lake Tana Bridge|image=}}
<!-- lead starts here -->
'''Lake Tana Bridge''' is a [[bridge]] over the [[Blue Nile|Nile]]<ref>{{cite web|title=X}}</ref>
near [[Bahir Dar]].{{citation needed}}[[Category:Bridges]]

It opened in 2019.

== History ==
[[File:Old.jpg|thumb|An older bridge]]
Built by ''many'' hands.
=== Works ===
Sub text.
== ''Design'' ==
Steel.
"""
IMAGES = ("https://upload.wikimedia.org",)


def test_the_lead_is_the_first_paragraph_as_a_reader_sees_it():
    assert lead(ARTICLE) == "Lake Tana Bridge is a bridge over the Nile near Bahir Dar."


def test_a_long_lead_is_cut_at_a_word():
    text = lead("'''A''' " + "word " * 400)
    assert text.endswith(" …") and len(text) <= 702 and "wor …" not in text


def test_an_article_without_text_has_an_empty_lead():
    assert lead("{{Infobox}}\n== History ==\nText.") == ""


def test_a_section_shows_its_first_paragraph_up_to_its_subheading():
    assert section_text(ARTICLE, 1) == "Built by many hands."
    assert section_text(ARTICLE, 2) == "Steel."
    assert section_text(ARTICLE, 3) == ""
    assert plain_heading("''Design'' of [[Bridge|bridges]]") == "Design of bridges"


def test_the_wikis_html_reaches_the_page_as_text_only():
    assert text_of('<a href="//commons.wikimedia.org/wiki/User:X">X</a> &amp; <b>Y</b>') == "X & Y"
    assert text_of("<script>alert(1)</script>ok") == "alert(1)ok"
    assert text_of(None) == ""


def test_an_image_on_a_host_the_page_may_not_load_is_not_offered():
    offer = make_offer()
    moved = dataclasses.replace(
        offer.suggestion, thumb_url="https://evil.example/t.jpg", full_url="javascript:alert(1)"
    )
    view = suggestion_view(dataclasses.replace(offer, suggestion=moved), "id", caption_minimum=5,
                           url="https://w/x", images=IMAGES)  # fmt: skip
    assert (view["image"]["thumb"], view["image"]["full"]) == (None, None)
    shown = suggestion_view(offer, "id", caption_minimum=5, url="https://w/x", images=IMAGES)
    assert shown["image"]["thumb"] == offer.suggestion.thumb_url
    assert shown["image"]["full"] == offer.suggestion.full_url
