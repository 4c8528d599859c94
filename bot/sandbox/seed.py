"""A realistic starting state: event pages by `Organizer`, one registration, and 40 articles with
"Add an image" suggestions (some for sections). Runs once per data directory."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.sandbox.store import mw_iso
from bot.sandbox.thumbnails import full_path, thumb_path
from bot.sandbox.wiki import SandboxWiki, parse_title

ARTICLES: tuple[tuple[str, str], ...] = (
    ("Lake Tana Bridge", "a bridge over the Blue Nile near Bahir Dar, Ethiopia"),
    ("Oskar Brenner", "a German painter of river landscapes"),
    ("Alcântara Old Mill", "a former tide mill on the Tagus in Lisbon"),
    ("Praia da Ursa", "a beach on the Atlantic coast of Portugal"),
    ("Hanna Lindqvist", "a Swedish glass artist"),
    ("Mercado do Bolhão", "a covered market in Porto"),
    ("Kasbah of Taourirt", "a fortified residence in Ouarzazate, Morocco"),
    ("Ilse Marquardt", "a Berlin architect of the Weimar period"),
    ("Ribeira Grande Lighthouse", "a lighthouse on São Miguel Island"),
    ("Amara Okafor", "a Nigerian textile designer"),
    ("Vltava Weir", "a river weir in Prague"),
    ("Santo Amaro Chapel", "a round chapel in Lisbon"),
    ("Tomasz Wierzbicki", "a Polish mathematician"),
    ("Lagoa das Sete Cidades", "a twin crater lake in the Azores"),
    ("Greta Ahlström", "a Finnish photographer"),
    ("Fort of São Julião", "a coastal fort at the mouth of the Tagus"),
    ("Mekonnen Haile", "an Ethiopian long-distance runner"),
    ("Spree Tunnel", "a pedestrian tunnel in Berlin"),
    ("Dona Maria Pia Bridge", "a railway bridge in Porto"),
    ("Leila Haddad", "a Lebanese novelist"),
    ("Cabo da Roca", "the westernmost point of mainland Europe"),
    ("Kiel Canal Ferry", "a free ferry across the Kiel Canal"),
    ("Ana Lisboa", "a Portuguese botanist"),
    ("Monte Brasil", "a volcanic peninsula in Angra do Heroísmo"),
    ("Friedrich Albers", "a German organ builder"),
    ("Jardim da Estrela", "a public garden in Lisbon"),
    ("Tiago Mendonça", "a Brazilian footballer"),
    ("Elbe Sandstone Quarry", "a historic quarry in Saxony"),
    ("Zanele Dube", "a South African jazz singer"),
    ("Aqueduto das Águas Livres", "an aqueduct in Lisbon"),
    ("Marta Kowalczyk", "a Polish chemist"),
    ("Gondar Castle Baths", "a bathing pavilion in Gondar"),
    ("Henrik Sørensen", "a Danish cyclist"),
    ("Convento de Cristo", "a former Templar stronghold in Tomar"),
    ("Yara Santos", "a Portuguese marine biologist"),
    ("Tempelhof Airfield", "a former airport turned park in Berlin"),
    ("Kofi Mensah", "a Ghanaian economist"),
    ("Serra da Estrela Observatory", "a mountain observatory in Portugal"),
    ("Lucía Ferreyra", "an Argentine film director"),
    ("Douro Valley Railway", "a railway line along the Douro river"),
)
# ORES-style article topics, from words of the summary (for `gttopics` filtering).
TOPIC_WORDS: dict[str, tuple[str, ...]] = {
    "biography": (
        "painter",
        "artist",
        "architect",
        "designer",
        "mathematician",
        "photographer",
        "runner",
        "novelist",
        "botanist",
        "builder",
        "footballer",
        "singer",
        "economist",
        "chemist",
        "cyclist",
        "biologist",
        "director",
    ),
    "architecture": (
        "bridge",
        "mill",
        "market",
        "residence",
        "lighthouse",
        "weir",
        "chapel",
        "fort",
        "tunnel",
        "aqueduct",
        "baths",
        "stronghold",
        "observatory",
        "railway",
        "garden",
        "airport",
        "quarry",
    ),
    "earth-and-environment": ("beach", "lake", "peninsula", "westernmost", "mountain", "river"),
    "europe": (
        "Portug",
        "Lisbon",
        "Porto",
        "Azores",
        "German",
        "Berlin",
        "Swedish",
        "Prague",
        "Polish",
        "Finnish",
        "Danish",
        "Saxony",
        "Tagus",
        "Miguel",
        "Tomar",
        "Kiel",
        "Europe",
        "Douro",
        "Angra",
    ),
    "africa": ("Ethiopia", "Nigerian", "Morocco", "South African", "Ghanaian", "Gondar"),
    "south-america": ("Brazilian", "Argentine"),
    "asia": ("Lebanese",),
    "sports": ("runner", "footballer", "cyclist"),
}
SECTION_ARTICLES = 12  # the first twelve articles also have a section-image suggestion
EVENT_PAGES = (
    "Event:Lisbon Photo Walk 2026", "Event:WikiGap 2026/Berlin", "Event:Backlog Drive December",
    "Event:Wiki Loves Monuments 2026/Porto", "Event:Minsk Meetup", "Project:Art+Feminism 2027",
)  # fmt: skip
ADMIN_EVENT_PAGE = "Event:Admin Test Event"


def _article_text(title: str, summary: str) -> str:
    return (
        f"'''{title}''' is {summary}.\n\n== History ==\nThe history of {title} goes back "
        f"several centuries.\n\n== Description ==\n{title} is described in detail here.\n\n"
        "== References ==\n<references />\n"
    )


def _image(title: str, number: int, section: bool) -> dict[str, Any]:
    name = f"{title.replace(' ', '_')}_{2010 + number % 15}.jpg"
    metadata = {
        "descriptionUrl": f"https://commons.wikimedia.org/wiki/File:{name}",
        "thumbUrl": thumb_path(name), "fullUrl": full_path(name),  # served by the sandbox
        "originalWidth": 4000, "originalHeight": 3000, "mustRender": False,
        "isVectorized": False, "mediaType": "BITMAP",
        "description": f"{title}, seen from the south", "author": "Example photographer",
        "license": "CC BY-SA 4.0", "date": "2019-03-02", "caption": title,
        "categories": [title],
        "reason": ("Used in an equivalent article section in 2 other languages: German, French."
                   if section else "Found in the Wikidata item for this article "
                                   "(strong match)."),
        "contentLanguageName": "English",
    }  # fmt: skip
    return {
        "image": name,
        "displayFilename": name.replace("_", " "),
        "source": "wikidata-section-alignment" if section else "wikidata",
        "projects": ["dewiki", "frwiki"] if section else [],
        "metadata": metadata,
        "sectionNumber": 1 if section else None,
        "sectionTitle": "History" if section else None,
    }


def create_page(wiki: SandboxWiki, title_text: str, user_name: str, text: str) -> None:
    title = parse_title(title_text)
    if title is None:
        raise ValueError(f"the seed names the bad title {title_text!r}")
    account = wiki.config.account(user_name)
    user_id = account.user_id if account else 0
    wiki.store.save_revision(
        title=title.prefixed,
        ns=title.ns,
        user_id=user_id,
        user_name=user_name,
        timestamp=mw_iso(wiki.now()),
        comment="Sandbox seed",
        content=text,
    )


def seed(wiki: SandboxWiki) -> None:
    """Fill an empty store once; a store that was seeded before is left alone."""
    if wiki.store.get_meta("seeded"):
        return
    create_page(wiki, "Main Page", "Admin", "Welcome to the gatebot sandbox wiki.")
    for page in EVENT_PAGES:
        create_page(wiki, page, "Organizer", f"An event organised by [[User:Organizer]]: {page}.")
    create_page(wiki, ADMIN_EVENT_PAGE, "Admin", "An event page created by Admin.")
    for number, (title, summary) in enumerate(ARTICLES):
        add_article(wiki, title, summary, number)
    _seed_registration(wiki)
    wiki.store.set_meta("seeded", mw_iso(wiki.now()))


def add_article(wiki: SandboxWiki, title: str, summary: str, number: int) -> None:
    """An article by Admin with its topics and an "Add an image" suggestion (and a section one
    for the first `SECTION_ARTICLES`); tests add more than the seed's 40 with it."""
    create_page(wiki, title, "Admin", _article_text(title, summary))
    wiki.store.put_topics(
        title,
        [topic for topic, words in TOPIC_WORDS.items() if any(word in summary for word in words)],
    )
    wiki.store.put_suggestion(
        title,
        "image-recommendation",
        {
            "titleNamespace": 0,
            "titleText": title,
            "images": [_image(title, number, False)],
            "datasetId": "2026-08-18",
        },
    )
    if number < SECTION_ARTICLES:
        wiki.store.put_suggestion(
            title,
            "section-image-recommendation",
            {
                "titleNamespace": 0,
                "titleText": title,
                "images": [_image(title, number, True)],
                "datasetId": "2026-08-18",
            },
        )


def _seed_registration(wiki: SandboxWiki) -> None:
    """One existing event so that GET, organizers and export have something to show."""
    organizer = wiki.config.account("Organizer")
    if organizer is None:
        return
    start = (wiki.now() + timedelta(days=60)).replace(hour=9, minute=0, second=0)
    wiki.store.create_event(
        {
            "event_page": "Event:Wiki Loves Monuments 2026/Porto",
            "timezone": "Europe/Lisbon",
            "start_time": start.strftime("%Y%m%d%H%M%S"),
            "end_time": (start + timedelta(hours=8)).strftime("%Y%m%d%H%M%S"),
            "status": "open",
            "types": ["media-upload-event"],
            "wikis": ["commonswiki"],
            "topics": ["architecture", "europe"],
            "online_meeting": False,
            "inperson_meeting": True,
            "meeting_country_code": "PT",
            "meeting_address": "Praça da Liberdade, Porto",
            "meeting_url": None,
            "chat_url": "https://t.me/+wlmporto",
            "is_test_event": False,
            "tracks_contributions": True,
            "goal_type": "total_edits",
            "goal_target": 200,
            "tracking_tools": [],
            "questions": [1, 2, 3, 4, 5],
        },
        organizer.user_id,
    )
