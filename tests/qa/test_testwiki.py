"""Where a checklist may write test data without --yes: loopback, Patch Demo, test. wikis."""

from __future__ import annotations

import pytest

from bot.qa.testwiki import kind_of_wiki, require_test_wiki
from policies.errors import InputError


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://127.0.0.1:8080/w/api.php", "loopback"),
        ("http://localhost/w/api.php", "loopback"),
        ("http://[::1]:8080/w/api.php", "loopback"),
        ("https://patchdemo.wmcloud.org/wikis/0123abcd/w/api.php", "Patch Demo"),
        ("https://abc.catalyst.wmcloud.org/w/api.php", "Patch Demo (Catalyst)"),
        ("https://test.wikipedia.org/w/api.php", "a test. wiki"),
        ("https://test.wikidata.org/w/api.php", "a test. wiki"),
        ("https://en.wikipedia.org/w/api.php", None),
        ("https://patchdemo.wmcloud.org/w/api.php", None),  # the site itself, not a wiki of it
        ("https://catalyst.wmcloud.org.evil.example/w/api.php", None),
        ("https://test.example/w/api.php", None),  # a bare "test." domain is nobody's test wiki
        ("https://contest.wikipedia.org/w/api.php", None),
        ("https://test2.wikipedia.org.attacker.example/w/api.php", None),
    ],
)
def test_kind_of_wiki(url, kind):
    assert kind_of_wiki(url) == kind


def test_a_real_wiki_is_refused_without_yes_with_exit_status_2_and_a_sentence():
    with pytest.raises(InputError) as caught:
        require_test_wiki("https://en.wikipedia.org/w/api.php", "makes 18 writes", yes=False)
    assert caught.value.exit_status == 2
    assert "is not a test wiki" in str(caught.value)
    assert "makes 18 writes there" in str(caught.value)
    assert "add --yes" in str(caught.value)


def test_yes_lets_a_real_wiki_through_and_a_test_wiki_needs_none():
    assert require_test_wiki("https://en.wikipedia.org/w/api.php", "writes", yes=True) is None
    assert require_test_wiki("https://test.wikipedia.org/w/api.php", "w", yes=False)
