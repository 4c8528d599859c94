"""Country codes as CampaignEvents accepts them, and the names people write instead.

CampaignEvents takes CLDR region codes; those are pycountry's alpha-2 codes plus XK and AC
(notes §3). Lookups are one dictionary access, since they run once per row of large files.
"""

from __future__ import annotations

import difflib
import unicodedata
from functools import lru_cache

import pycountry

from policies.errors import InputError

# The CLDR codes CampaignEvents accepts that pycountry lacks.
EXTRA_COUNTRIES: dict[str, str] = {"XK": "Kosovo", "AC": "Ascension Island"}

# English names in common use that pycountry spells otherwise (CLDR short names among them).
COMMON_NAMES: dict[str, tuple[str, ...]] = {
    "TR": ("Turkey", "Turkiye"),
    "RU": ("Russia",),
    "MO": ("Macau", "Macao SAR China", "Macau SAR China"),
    "HK": ("Hong Kong SAR China",),
    "CD": ("DR Congo", "DRC", "Democratic Republic of the Congo", "Congo - Kinshasa"),
    "CG": ("Congo - Brazzaville", "Congo-Brazzaville"),
    "CI": ("Ivory Coast",),
    "MK": ("Macedonia",),
    "FM": ("Micronesia",),
    "VA": ("Vatican", "Vatican City", "Holy See"),
    "PS": ("Palestine", "Palestinian Territories"),
    "SZ": ("Swaziland",),
    "CV": ("Cape Verde",),
    "BN": ("Brunei",),
    "MM": ("Burma", "Myanmar (Burma)"),
    "TL": ("East Timor",),
    "GB": ("UK", "Great Britain", "Britain"),
    "US": ("USA", "United States of America"),
    "KR": ("Korea, South",),
    "KP": ("Korea, North",),
    "AC": ("Ascension",),
    "NL": ("Netherlands", "Holland"),
}

_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})


class CountryError(InputError):
    """A country that is neither a code CampaignEvents accepts nor an English name of one."""

    def __init__(self, message: str, *, value: str, suggestions: tuple[str, ...] = ()):
        super().__init__(message)
        self.field = "country"
        self.value = value
        self.suggestions = suggestions


def _name_key(text: str) -> str:
    """Fold case, accents, quote styles, spacing and "the"/"St." so names compare as people mean."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    words = bare.replace("&", " and ").split()
    if words and words[0] == "the":
        words = words[1:]
    words = ["saint" if word in ("st", "st.") else word for word in words]
    return " ".join(words)


def _display_names() -> dict[str, str]:
    """code -> English display name for every code CampaignEvents accepts."""
    names = {}
    for record in pycountry.countries:
        names[record.alpha_2] = getattr(record, "common_name", None) or record.name
    names.update(EXTRA_COUNTRIES)
    return names


COUNTRY_NAMES: dict[str, str] = dict(sorted(_display_names().items()))
CAMPAIGNEVENTS_COUNTRY_CODES: frozenset[str] = frozenset(COUNTRY_NAMES)


def _build_index() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Exact names -> code, plus the names that mean more than one country (e.g. "Korea")."""
    primary: dict[str, set[str]] = {}
    derived: dict[str, set[str]] = {}
    for record in pycountry.countries:
        spellings = [record.alpha_3, record.name]
        spellings += [getattr(record, a, None) or "" for a in ("official_name", "common_name")]
        for spelling in filter(None, spellings):
            primary.setdefault(_name_key(spelling), set()).add(record.alpha_2)
            if ", " in spelling:  # "Korea, Republic of" is also written "Korea"
                derived.setdefault(_name_key(spelling.split(", ")[0]), set()).add(record.alpha_2)
    for code, name in EXTRA_COUNTRIES.items():
        primary.setdefault(_name_key(name), set()).add(code)
    for code, aliases in COMMON_NAMES.items():
        for alias in aliases:
            primary.setdefault(_name_key(alias), set()).add(code)
    merged = {**derived, **primary}
    unique = {key: next(iter(codes)) for key, codes in merged.items() if len(codes) == 1}
    ambiguous = {key: tuple(sorted(codes)) for key, codes in merged.items() if len(codes) > 1}
    return unique, ambiguous


_BY_NAME, _AMBIGUOUS = _build_index()


def country_name(code: str) -> str:
    """The English name of a country code (any case); CountryError when CampaignEvents lacks it."""
    name = COUNTRY_NAMES.get(code.strip().upper())
    if name is None:
        raise _unknown(code)
    return name


def _describe(codes: tuple[str, ...]) -> str:
    return ", ".join(f"{code} ({COUNTRY_NAMES[code]})" for code in codes)


def suggestions_for(value: str) -> tuple[str, ...]:
    """Up to three codes whose names or codes look like `value`, best first."""
    key = _name_key(value)
    close = difflib.get_close_matches(key, list(_BY_NAME) + list(_AMBIGUOUS), n=6, cutoff=0.7)
    codes: list[str] = []
    for match in close:
        for code in _AMBIGUOUS.get(match, (_BY_NAME.get(match),)):
            if code and code not in codes:
                codes.append(code)
    if not codes and len(key) > 2:
        try:
            codes = [record.alpha_2 for record in pycountry.countries.search_fuzzy(value)]
        except LookupError:
            codes = []
    return tuple(codes[:3])


def _unknown(value: str) -> CountryError:
    suggestions = suggestions_for(value)
    hint = f" Did you mean {_describe(suggestions)}?" if suggestions else ""
    return CountryError(
        f"{value!r} is not a country code or English country name that CampaignEvents accepts; "
        f"write a two-letter code such as DE.{hint}",
        value=value,
        suggestions=suggestions,
    )


@lru_cache(maxsize=4096)
def normalize_country(value: str) -> str:
    """The upper-case code for a code (any case) or English name; CountryError names the value."""
    if not isinstance(value, str):
        raise CountryError(
            f"The country {value!r} is not text; in YAML write codes in quotes, e.g. 'NO'.",
            value=str(value),
        )
    text = value.strip()
    if not text:
        raise CountryError("No country given; write a two-letter code such as DE.", value=value)
    code = text.upper()
    if code in CAMPAIGNEVENTS_COUNTRY_CODES:
        return code
    key = _name_key(text)
    found = _BY_NAME.get(key)
    if found is not None:
        return found
    if key in _AMBIGUOUS:
        choices = _AMBIGUOUS[key]
        raise CountryError(
            f"{value!r} could mean more than one country: {_describe(choices)}; "
            "write the two-letter code.",
            value=value,
            suggestions=choices,
        )
    raise _unknown(value)
