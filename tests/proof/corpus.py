"""A seeded generator of malformed inputs: events files, answers files, policy files, command
lines and wiki answers. Each case is one valid input with one kind of damage, so a failure
names the damage that caused it."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

SEED = 20261202
HEADER = ["event_page", "timezone", "start", "end", "types", "wikis", "participation",
          "meeting_url", "contribution_statistics"]  # fmt: skip
GOOD = ["Event:Proof 2099/Row", "Europe/Lisbon", "2099-03-06T10:00", "2099-03-06T18:00",
        "editing-event", "*", "online", "https://meet.example.org/proof", "auto"]  # fmt: skip
# Fields whose value the wiki checks: damage there must be refused, never sent.
# `wikis` is checked against the wiki's own list, so only by a command that reads it (apply).
CHECKED = ["event_page", "timezone", "start", "end", "types", "participation", "meeting_url",
           "contribution_statistics"]  # fmt: skip
INJECTIONS = [
    "=cmd|' /C calc'!A0", "<script>alert(1)</script>", "\x1b[31mred\x1b[0m", "{{subst:x}}",
    "../../etc/passwd", "'; DROP TABLE events; --", "\u202egnp.exe", "${jndi:ldap://x}",
    "%00", "\u0000", "a\rb", "javascript:alert(1)", "[[Category:X]]", "|}", "\ufeff", "\u200b",
    "$(rm -rf /)", "`id`", "\\x00", "NaN", "-1e999", "[]", "{}", "null", "true",
]  # fmt: skip
NONSENSE = ["", " ", "?", "0", "-1", "9" * 400, "x" * 70_000, "2099-02-30T10:00", "25:61",
            "9999-99-99", "none;none", ";;;", "*;enwiki", "in person", "yes please",
            "Event:", "Event:#frag", "Talk:Proof", "Event:a|b", "Event:" + "x" * 300,
            "Europe/Nowhere", "+99:00", "enwiki;enwiki;enwiki", "editing-event;contest;x",
            "http://", "ftp://meet.example.org", "https://", "\t", "…"]  # fmt: skip
ENCODINGS: list[Callable[[str], bytes]] = [
    lambda t: t.encode("utf-16"),
    lambda t: t.encode("utf-16-be"),
    lambda t: t.encode("utf-32"),
    lambda t: t.replace("Lisbon", "Lisbön").encode("latin-1"),
    lambda t: t.encode() + b"\xed\xa0\x80",
    lambda t: t.encode().replace(b",", b"\x00,", 1),
    lambda t: b"\xff\xfe" + t.encode(),
    lambda t: t.encode()[: len(t.encode()) // 2] + b"\xe2\x82",
]


@dataclass(frozen=True)
class Case:
    """One malformed input: what it is, its file name (or argv), and its bytes."""

    kind: str
    damage: str
    name: str
    data: bytes = b""
    argv: tuple[str, ...] = ()


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    def cell(value: str) -> str:
        if any(c in value for c in f'{delimiter}"\n\r'):
            return '"' + value.replace('"', '""') + '"'
        return value

    return "".join(delimiter.join(cell(v) for v in row) + "\n" for row in rows)


def damaged_row(rng: random.Random, fields: list[str] = CHECKED) -> tuple[str, list[str]]:
    """A good row with one checked field replaced by nonsense or an injection-like string."""
    row = list(GOOD)
    field = rng.choice(fields)
    value = rng.choice(NONSENSE + INJECTIONS)
    if field == "meeting_url" and not value.strip():
        value = "meet.example.org"  # an empty URL is allowed: the event has none
    if field == "contribution_statistics" and not value.strip():
        value = "maybe"  # an empty setting is auto
    row[HEADER.index(field)] = value
    return f"{field}={value[:20]!r}", row


def events_cases(rng: random.Random, count: int) -> Iterator[Case]:
    """CSV, JSON and YAML events files, each damaged in one way."""
    makers = [_csv_row, _csv_structure, _csv_encoding, _json_case, _yaml_case]
    for number in range(count):
        damage, name, data = rng.choice(makers)(rng, number)
        yield Case("events", damage, name, data)


def _csv_row(rng: random.Random, number: int) -> tuple[str, str, bytes]:
    damage, row = damaged_row(rng)
    good = list(GOOD)
    good[0] = "Event:Proof 2099/Good"
    return damage, f"e{number}.csv", csv_text([HEADER, good, row]).encode()


def _csv_structure(rng: random.Random, number: int) -> tuple[str, str, bytes]:
    text = csv_text([HEADER, GOOD])
    options = {
        "semicolons": csv_text([HEADER, GOOD], ";"),
        "tabs": csv_text([HEADER, GOOD], "\t"),
        "open quote": text.replace("Europe/Lisbon", '"Europe/Lisbon'),
        "stray quote": text.replace("Europe/Lisbon", 'Euro"pe/Lisbon'),
        "extra cells": text.rstrip("\n") + ",x,y,z\n",
        "short row": csv_text([HEADER, GOOD[:3]]),
        "no header": csv_text([GOOD]),
        "empty": "",
        "duplicate column": csv_text([[*HEADER, "timezone"], [*GOOD, "UTC"]]),
        "unknown column": csv_text([[*HEADER, "colour"], [*GOOD, "red"]]),
        "misspelt column": csv_text([[h.replace("timezone", "time_zone") for h in HEADER], GOOD]),
        "many columns": csv_text([HEADER + [f"c{i}" for i in range(5000)], GOOD]),
        "huge cell": csv_text([HEADER, [*GOOD[:-1], "a" * 2_000_000]]),
        "binary": bytes(rng.randrange(256) for _ in range(300)).decode("latin-1"),
        "duplicate page": csv_text([HEADER, GOOD, GOOD]),
    }
    damage = rng.choice(sorted(options))
    return damage, f"e{number}.csv", options[damage].encode("utf-8", "surrogateescape")


def _csv_encoding(rng: random.Random, number: int) -> tuple[str, str, bytes]:
    index = rng.randrange(len(ENCODINGS))
    return f"encoding {index}", f"e{number}.csv", ENCODINGS[index](csv_text([HEADER, GOOD]))


def _json_case(rng: random.Random, number: int) -> tuple[str, str, bytes]:
    good = dict(zip(HEADER, GOOD, strict=True))
    damage, row = damaged_row(rng)
    bad = dict(zip(HEADER, row, strict=True))
    typed_field = rng.choice(CHECKED)
    # An empty list or object reads as an empty cell, as null does: not damage.
    typed_value = rng.choice([1, 1.5, True, [[1]], {"a": 1}, ["on"], 10**400, -(2**63)])
    typed = dict(good, **{typed_field: typed_value})
    depth = rng.choice([50, 1000, 100_000])
    options = {
        damage: json.dumps({"events": [bad]}),
        f"wrong type {typed_field}={str(typed_value)[:20]}": json.dumps({"events": [typed]}),
        "top-level string": json.dumps("events"),
        "events not a list": json.dumps({"events": good}),
        "deep nesting": '{"events": [' + "[" * depth + "]" * depth + "]}",
        "truncated": json.dumps({"events": [good]})[:-7],
        "trailing comma": json.dumps({"events": [good]})[:-2] + ",]}",
        "NaN": json.dumps({"events": [dict(good, goal_target=float("nan"))]}),
        "huge number": '{"events": [{"goal_target": ' + "9" * 5000 + "}]}",
        "duplicate keys": '{"events": [], "events": [' + json.dumps(good) + "]}",
        "unknown key": json.dumps({"events": [good], "colour": "red"}),
        "html page": "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>",
        "defaults wrong": json.dumps({"defaults": [1], "events": [good]}),
    }
    pick = rng.choice(sorted(options))
    return pick, f"e{number}.json", options[pick].encode()


def _yaml_case(rng: random.Random, number: int) -> tuple[str, str, bytes]:
    laughs = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for level in "bcdefghi":
        prev = chr(ord(level) - 1)
        laughs += f"{level}: &{level} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
    laughs += "events:\n  - event_page: *i\n"
    body = "\n".join(f"    {k}: {json.dumps(v)}" for k, v in zip(HEADER, GOOD, strict=True))
    good = "events:\n  -\n" + body + "\n"
    damage, row = damaged_row(rng)
    bad = "events:\n  -\n" + "\n".join(
        f"    {k}: {json.dumps(v)}" for k, v in zip(HEADER, row, strict=True)
    )
    depth = rng.choice([100, 5000])
    options = {
        damage: bad,
        "billion laughs": laughs,
        "python tag": "events:\n  - !!python/object/apply:os.system ['echo hi']\n",
        "custom tag": good.replace('"online"', "!secret online"),
        "tabs": good.replace("    ", "\t"),
        "deep nesting": "events: " + "[" * depth + "]" * depth + "\n",
        "two documents": good + "---\n" + good,
        "top-level list": "- a\n- b\n",
        "scalar": "just text\n",
        "merge key": "base: &b {timezone: UTC}\nevents:\n  - <<: *b\n    event_page: 1\n",
        "bad indent": good.replace("    timezone", "  timezone"),
        "huge key": "events:\n  - " + "k" * 100_000 + ": 1\n",
        "binary tag": "events:\n  - event_page: !!binary aGVsbG8=\n",
    }
    pick = rng.choice(sorted(options))
    return pick, f"e{number}.yaml", options[pick].encode()


POLICY_FILES = ["daily_limits.toml", "contribution_stats.toml"]


def policy_cases(rng: random.Random, count: int) -> Iterator[Case]:
    """Policy files damaged in syntax, types, values, size and encoding."""
    options = [
        ("unclosed table", "[max_per_day\nx = 1\n"),
        ("string limit", '[max_per_day]\nimage-recommendation = "25"\n'),
        ("negative limit", "[max_per_day]\nimage-recommendation = -1\n"),
        ("huge limit", "[max_per_day]\nimage-recommendation = " + "9" * 500 + "\n"),
        ("float limit", "[max_per_day]\nimage-recommendation = 2.5\n"),
        ("unknown key", "colour = 'red'\n"),
        ("unknown task type", "[max_per_day]\n'<script>' = 3\n"),
        ("deep arrays", "x = " + "[" * 3000 + "]" * 3000 + "\n"),
        ("outcomes not a list", "counted_outcomes = 'accepted'\n"),
        ("unknown outcome", "counted_outcomes = ['accepted', 'maybe']\n"),
        ("NUL", "counted_outcomes = ['accepted']\x00\n"),
        ("bad UTF-8", "# caf\udce9\ncounted_outcomes = []\n"),
        ("duplicate key", "[max_per_day]\na = 1\na = 2\n"),
        ("html page", "<html><body>Not Found</body></html>\n"),
        ("empty table name", "[]\n"),
        ("huge file", "# " + "x" * 3_000_000 + "\n"),
        ("date value", "counted_outcomes = 2026-12-02\n"),
        ("inline table", "max_per_day = { image-recommendation = { a = 1 } }\n"),
    ]
    for number in range(count):
        damage, text = rng.choice(options)
        if rng.random() < 0.3:
            text = text.replace("counted_outcomes", "enabled_types")
        data = text.encode("utf-8", "surrogateescape")
        if rng.random() < 0.1 and text.isprintable():
            data = text.encode("utf-16")
        yield Case("policy", damage, f"p{number}/{rng.choice(POLICY_FILES)}", data)


ANSWER_HEADER = ["title", "answer", "reasons", "caption"]


def answers_cases(rng: random.Random, count: int) -> Iterator[Case]:
    """Answers files: bad answers, reasons, captions, titles, structure and encodings."""
    good = ["Proof page", "yes", "", "A view of the proof from the south"]
    for number in range(count):
        row = list(good)
        column = rng.randrange(4)
        row[column] = rng.choice(NONSENSE + INJECTIONS + ["maybe", "YES!", "no", "skip;no"])
        choices = {
            "cell": csv_text([ANSWER_HEADER, row]),
            "no header": csv_text([good]),
            "unknown column": csv_text([[*ANSWER_HEADER, "colour"], [*good, "red"]]),
            "extra cells": csv_text([ANSWER_HEADER, [*good, "x", "y"]]),
            "open quote": csv_text([ANSWER_HEADER, good]).replace("yes", '"yes'),
            "duplicate title": csv_text([ANSWER_HEADER, good, good]),
            "no reasons": csv_text([ANSWER_HEADER, ["Proof page", "no", "", ""]]),
            "bad reason": csv_text([ANSWER_HEADER, ["Proof page", "no", "because;;", ""]]),
            "encoding": "",
        }
        damage = rng.choice(sorted(choices))
        if damage == "encoding":
            data = rng.choice(ENCODINGS)(csv_text([ANSWER_HEADER, good]))
        else:
            data = choices[damage].encode("utf-8", "surrogateescape")
        yield Case("answers", f"{damage} {column}", f"a{number}.csv", data)


WORDS = ["whoami", "events", "check", "plan", "apply", "stats", "export", "images", "session",
         "quota", "policy", "show", "qa", "list", "run", "--json", "-v", "-vv", "--format",
         "xml", "--max", "-1", "0", "1e9", "--task-type", "link", "--topics", "--backend",
         "requests", "--wiki", "http://wiki.example.org/w/api.php", "ftp://x", "sandbox:x",
         "https://", "--user", "noat", "@", "a@b@c", "--policy", "/nonexistent", "/dev/null",
         "--state-dir", "/proc/1/x", "--on", "--off", "abc", "--dry-run", "--yes",
         "--create-pages", "--page-template", "", "\u202e", "--", "-", "--answers", "%s",
         "'; DROP", "--events", "2", "--output"]  # fmt: skip
SAFE_FIRST = ["whoami", "events", "images", "policy", "qa", "--json", "-v", "--wiki", "--user",
              "--policy", "--state-dir", "--backend", "--bogus", "", "x"]  # fmt: skip


def argv_cases(rng: random.Random, count: int) -> Iterator[Case]:
    """Command lines of random words: a real command with damaged options, or nonsense."""
    for number in range(count):
        words = [rng.choice(SAFE_FIRST)] + [rng.choice(WORDS) for _ in range(rng.randrange(6))]
        yield Case("argv", " ".join(words)[:60], f"argv{number}", argv=tuple(words))


HTML = b"<!DOCTYPE html><html><head><title>Wikimedia Error</title></head><body>" \
       b"<p>Our servers are currently under maintenance.</p></body></html>"  # fmt: skip


def wiki_answers(rng: random.Random, count: int) -> Iterator[Case]:
    """Bodies a broken wiki or proxy answers with, with their status and content type."""
    depth = rng.choice([100, 100_000])
    bodies: list[tuple[str, bytes]] = [
        ("html 200", HTML), ("empty", b""), ("truncated", b'{"query": {"general": {"sitename"'),
        ("list", b"[1, 2, 3]"), ("string", b'"ok"'), ("null", b"null"),
        ("deep", b"[" * depth + b"]" * depth), ("bad utf-8", b'{"query": "\xff\xfe"}'),
        ("NaN", b'{"query": NaN}'), ("huge number", b'{"batchcomplete": ' + b"9" * 5000 + b"}"),
        ("query list", b'{"query": []}'), ("general wrong", b'{"query": {"general": 5}}'),
        ("tokens wrong", b'{"query": {"tokens": {"logintoken": 7}}}'),
        ("login wrong", b'{"login": {"result": ["Success"]}}'),
        ("error shape", b'{"error": "nope"}'), ("errors shape", b'{"errors": {"code": 1}}'),
        ("warnings shape", b'{"warnings": 3, "query": {}}'),
        ("userinfo wrong", b'{"query": {"userinfo": {"id": "x", "name": []}}}'),
        ("huge", b'{"x": "' + b"a" * 3_000_000 + b'"}'),
        ("xml", b"<?xml version='1.0'?><api><error code='x'/></api>"),
    ]  # fmt: skip
    for number in range(count):
        damage, body = rng.choice(bodies)
        status = rng.choice([200, 200, 200, 403, 404])
        kind = rng.choice(["application/json", "text/html", "text/plain"])
        yield Case("wiki", f"{damage} {status} {kind} at request {number % 4}", str(status),
                   body, argv=(kind, str(number % 4)))  # fmt: skip
