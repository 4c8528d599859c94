"""List cells of the one normaliser: event types, wikis and topics (see `policies.values`).

A list is a JSON/YAML list or, in CSV, text with `;` between items. Types and topics may be
API ids or English labels; what the wiki would refuse is refused here with its own key.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from policies import event_types as vocabulary
from policies.problems import Problem
from policies.registration_messages import problem
from policies.values import NESTED, Parsed, cell_key, cell_text, refuse

NO_WIKIS = "none"
NO_TYPES = "campaignevents-error-no-types"
_TOPICS = frozenset(vocabulary.TOPIC_IDS)
_CACHE = 4096


def _names(column: str, value: Any) -> Parsed:
    """A list cell: a JSON/YAML list, or text with ';' between items; empty items dropped."""
    if value is None:
        return Parsed(())
    items = value if isinstance(value, tuple) else str(value).split(";")
    if value is NESTED or NESTED in items:
        return refuse(
            f"gatebot-invalid-{column}",
            column,
            f'The {column} must be a list of names, e.g. ["a", "b"] or a;b.',
            (),
        )
    return Parsed(tuple(text for item in items if (text := cell_text(item))))


@lru_cache(maxsize=_CACHE, typed=True)
def _types(value: Any) -> Parsed:
    names, list_errors, _ = _names("types", value)
    if list_errors:
        return Parsed((), list_errors)
    if not names:
        return refuse(
            NO_TYPES,
            "types",
            "No event types given; write one or two, e.g. "
            "Editing event (API ids or English labels).",
            (),
        )
    known: list[str] = []
    unknown: list[str] = []
    notes: list[str] = []
    for name in names:
        type_id = vocabulary.type_id(name)
        if type_id is None:
            unknown.append(name)
        elif type_id in known:
            notes.append(f"duplicate type {type_id!r} removed.")
        else:
            known.append(type_id)
    ids = (*vocabulary.canonical_order(known), *unknown)
    errors: tuple[Problem, ...] = ()
    if unknown:
        errors += (problem("campaignevents-error-invalid-types", "types", ", ".join(unknown)),)
    if len(ids) > vocabulary.MAX_TYPES:
        errors += (
            problem("campaignevents-error-too-many-types", "types", vocabulary.MAX_TYPES, "types"),
        )
    if len(ids) > 1 and vocabulary.OTHER_TYPE_ID in ids:
        errors += (problem("campaignevents-error-invalid-other-selection", "types"),)
    return Parsed(ids, errors, tuple(notes))


def parse_types(value: Any) -> Parsed:
    """API ids in registry order, from ids or English labels; duplicates removed with a note;
    unknown names, more than two types, or `other` with another are the wiki's own errors."""
    return _types(cell_key(value))


@lru_cache(maxsize=_CACHE, typed=True)
def _wikis(value: Any) -> Parsed:
    if value == ():
        return Parsed(())
    wikis, errors, _ = _names("wikis", value)
    if errors:
        return Parsed((), errors)
    if not wikis:
        return refuse(
            "gatebot-missing-wikis",
            "wikis",
            "The wikis cell is empty; give wiki IDs such as enwiki;commonswiki, '*' "
            f"for all wikis, or '{NO_WIKIS}' for no specific wiki.",
            (),
        )
    if wikis == (NO_WIKIS,):
        return Parsed(())
    if len(wikis) > 1 and (vocabulary.ALL_WIKIS in wikis or NO_WIKIS in wikis):
        word = vocabulary.ALL_WIKIS if vocabulary.ALL_WIKIS in wikis else NO_WIKIS
        return refuse(
            "gatebot-all-wikis-mixed",
            "wikis",
            f"{word!r} stands alone; write it alone, or list the wikis without it.",
            (),
        )
    return Parsed(tuple(dict.fromkeys(wikis)))


def parse_wikis(value: Any) -> Parsed:
    """Wiki IDs (duplicates dropped), `*` for all wikis, `none` (or a JSON []) for none."""
    return _wikis(cell_key(value))


@lru_cache(maxsize=_CACHE, typed=True)
def _topics(value: Any) -> Parsed:
    names, errors, _ = _names("topics", value)
    ids = []
    for name in names:
        topic = "-".join(name.lower().replace("&", " and ").split()) if name.isascii() else name
        ids.append(topic if topic in _TOPICS else name)
    return Parsed(tuple(dict.fromkeys(ids)), errors)


def parse_topics(value: Any) -> Parsed:
    """Topic ids from ids or English labels ("TV and film"); unknown names kept for the wiki."""
    return _topics(cell_key(value))
