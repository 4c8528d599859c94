"""The wiki's limits: community configuration with its version quirk, else the raw page, else
the legacy page (§4.3); the effective limit is the smaller of the wiki's and the policy's."""

from __future__ import annotations

import json

import pytest

import policies
from bot.growth import IMAGE, SECTION_IMAGE, ConfigUnreadable
from tests.growth.conftest import fixture, ok, queries

VERSION_FAILURE = {
    "error": {
        "code": "communityconfiguration-version-assertion-failure",
        "info": "Failed to assert version of the configuration matches the expected version "
        "(1.0.0 received, 2.0.0 expected)",
    }
}
NO_MODULE = {
    "batchcomplete": True,
    "warnings": {
        "query": {"warnings": 'Unrecognized value for parameter "meta": communityconfiguration.'}
    },
}


def pages(*found: tuple[str, object]) -> dict:
    """`prop=revisions` for the two config pages; those not in `found` are missing."""
    texts = dict(found)
    return {
        "batchcomplete": True,
        "query": {
            "pages": [
                {"ns": 8, "title": title, "missing": True}
                if title not in texts
                else {
                    "pageid": 1, "ns": 8, "title": title,
                    "revisions": [{"slots": {"main": {"content": texts[title]}}}],
                }
                for title in ("MediaWiki:GrowthExperimentsSuggestedEdits.json",
                              "MediaWiki:NewcomerTasks.json")
            ]
        },
    }  # fmt: skip


def test_community_configuration_gives_max_tasks_per_day(growth, fake) -> None:
    fake.then("query", ok(fixture("ge_community_config.json")))
    limits = growth.limits()
    assert (limits.source, limits.version) == ("communityconfiguration", "2.0.0")
    assert limits.max_per_day(IMAGE) == limits.max_per_day(SECTION_IMAGE) == 25
    assert limits.caption_minimum(IMAGE) == 5
    sent = queries(fake)[-1]
    assert (sent["meta"], sent["ccrprovider"], sent["ccrassertversion"]) == (
        "communityconfiguration", "GrowthSuggestedEdits", "2.0.0",
    )  # fmt: skip


def test_a_version_failure_is_retried_with_the_version_the_wiki_stores(growth, fake) -> None:
    older = json.loads(json.dumps(fixture("ge_community_config.json")))
    older["communityconfiguration"]["version"] = "1.0.0"
    older["communityconfiguration"]["data"]["image_recommendation"]["maxTasksPerDay"] = 12
    fake.then("query", ok(VERSION_FAILURE), ok(older))
    limits = growth.limits()
    assert [q.get("ccrassertversion") for q in queries(fake)] == ["2.0.0", "1.0.0"]
    assert (limits.version, limits.max_per_day(IMAGE)) == ("1.0.0", 12)


def test_without_the_module_the_raw_page_is_read_without_its_version(growth, fake) -> None:
    page = {"$version": "2.0.0", "image_recommendation": {"maxTasksPerDay": 10},
            "section_image_recommendation": {"disabled": True}}  # fmt: skip
    fake.then(
        "query",
        ok(NO_MODULE),
        ok(pages(("MediaWiki:GrowthExperimentsSuggestedEdits.json", json.dumps(page)))),
    )
    limits = growth.limits()
    assert limits.source == "MediaWiki:GrowthExperimentsSuggestedEdits.json"
    assert (limits.version, limits.max_per_day(IMAGE), limits.max_per_day(SECTION_IMAGE)) == (
        "2.0.0", 10, 25,
    )  # fmt: skip
    assert limits.disabled == {SECTION_IMAGE}


def test_an_unknown_provider_falls_back_to_the_legacy_page_with_hyphenated_keys(
    growth, fake
) -> None:
    legacy = {
        "image-recommendation": {
            "type": "image-recommendation",
            "group": "medium",
            "maxTasksPerDay": 20,
            "minimumCaptionCharacterLength": 8,
        }
    }
    unknown = {
        "error": {
            "code": "badvalue",
            "info": 'Unrecognized value for parameter "ccrprovider": GrowthSuggestedEdits.',
        }
    }
    fake.then("query", ok(unknown), ok(pages(("MediaWiki:NewcomerTasks.json", json.dumps(legacy)))))
    limits = growth.limits()
    assert limits.source == "MediaWiki:NewcomerTasks.json"
    assert (limits.max_per_day(IMAGE), limits.caption_minimum(IMAGE)) == (20, 8)


def test_no_configuration_anywhere_means_the_extensions_defaults(growth, fake) -> None:
    fake.then("query", ok(NO_MODULE), ok(pages()))
    limits = growth.limits()
    assert (limits.source, limits.max_per_day(IMAGE), limits.caption_minimum(IMAGE)) == (
        "defaults", 25, 5,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "message"),
    [("{not json", "not valid JSON"), (json.dumps({"image_recommendation": {"maxTasksPerDay": 0}}),
                                        "maxTasksPerDay is 0")],
)  # fmt: skip
def test_a_broken_config_page_is_an_error_naming_the_page(growth, fake, text, message) -> None:
    fake.then(
        "query", ok(NO_MODULE), ok(pages(("MediaWiki:GrowthExperimentsSuggestedEdits.json", text)))
    )
    with pytest.raises(ConfigUnreadable, match=message) as caught:
        growth.limits()
    assert "GrowthExperimentsSuggestedEdits.json" in str(caught.value)


@pytest.mark.parametrize(("wiki_max", "expected"), [(10, 10), (40, 25)])
def test_the_effective_limit_is_the_smaller_of_the_wikis_and_the_policys(
    growth, fake, wiki_max, expected
) -> None:
    answer = json.loads(json.dumps(fixture("ge_community_config.json")))
    answer["communityconfiguration"]["data"]["image_recommendation"]["maxTasksPerDay"] = wiki_max
    fake.then("query", ok(answer))
    assert growth.limits().effective_limit(policies.load(), IMAGE) == expected
