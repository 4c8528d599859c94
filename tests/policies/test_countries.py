"""Countries as coordinators write them: codes in any case or English names."""

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

from policies.countries import (
    CAMPAIGNEVENTS_COUNTRY_CODES,
    CountryError,
    country_name,
    normalize_country,
)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("TR", "TR"),
        ("tr", "TR"),
        (" by ", "BY"),
        ("Turkey", "TR"),
        ("Türkiye", "TR"),
        ("turkiye", "TR"),
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("Vietnam", "VN"),
        ("Viet Nam", "VN"),
        ("Hong Kong", "HK"),
        ("Macau", "MO"),
        ("People's Republic of China", "CN"),
        ("People’s Republic of China", "CN"),
        ("North Korea", "KP"),
        ("Iran", "IR"),
        ("Syria", "SY"),
        ("Kosovo", "XK"),
        ("xk", "XK"),
        ("Ascension Island", "AC"),
        ("Netherlands", "NL"),
        ("The Gambia", "GM"),
        ("St. Lucia", "LC"),
        ("Cote d'Ivoire", "CI"),
        ("Ivory Coast", "CI"),
        ("DEU", "DE"),
        ("United Kingdom", "GB"),
        ("UK", "GB"),
    ],
)
def test_country_is_accepted_as_code_or_english_name(written, code):
    assert normalize_country(written) == code


def test_campaignevents_accepts_kosovo_and_ascension_but_not_cldr_pseudo_regions():
    assert {"XK", "AC"} <= CAMPAIGNEVENTS_COUNTRY_CODES
    assert not {"EU", "UN", "ZZ", "QO", "XA"} & CAMPAIGNEVENTS_COUNTRY_CODES
    assert len(CAMPAIGNEVENTS_COUNTRY_CODES) == len(pycountry.countries) + 2


def test_unknown_country_names_the_value_and_suggests_close_matches():
    with pytest.raises(CountryError) as caught:
        normalize_country("Germny")
    assert "'Germny'" in str(caught.value)
    assert "DE (Germany)" in str(caught.value)
    assert caught.value.suggestions[0] == "DE"
    assert caught.value.field == "country"


def test_country_that_could_mean_two_countries_is_refused():
    with pytest.raises(CountryError, match=r"KP \(North Korea\), KR \(South Korea\)"):
        normalize_country("Korea")


@pytest.mark.parametrize("value", ["", "   ", "ZZ", "EU", "Atlantis"])
def test_empty_or_unknown_country_is_an_error(value):
    with pytest.raises(CountryError):
        normalize_country(value)


def test_yaml_no_read_as_false_gets_a_hint_to_quote_it():
    with pytest.raises(CountryError, match="in quotes"):
        normalize_country(False)


def test_country_names_for_display():
    assert country_name("de") == "Germany"
    assert country_name("XK") == "Kosovo"
    assert country_name("TW") == "Taiwan"


@given(st.sampled_from(sorted(CAMPAIGNEVENTS_COUNTRY_CODES)), st.data())
def test_every_code_in_any_case_round_trips(code, data):
    written = "".join(data.draw(st.sampled_from([c.lower(), c.upper()])) for c in code)
    assert normalize_country(written) == code


@given(
    st.sampled_from(list(pycountry.countries)),
    st.sampled_from(["name", "official_name", "common_name"]),
)
def test_every_pycountry_name_maps_to_its_code(record, attribute):
    name = getattr(record, attribute, None) or record.name
    assert normalize_country(name) == record.alpha_2
    assert normalize_country(name.upper()) == record.alpha_2


@given(st.text(max_size=40))
def test_garbage_never_crashes(value):
    try:
        code = normalize_country(value)
    except CountryError as error:
        assert error.value == value
    else:
        assert code in CAMPAIGNEVENTS_COUNTRY_CODES
