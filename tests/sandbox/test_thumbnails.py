"""The sandbox serves pictures of its own at the URLs its image suggestions give, so a page that
shows a suggestion (the review page) shows a real picture without the internet."""

from __future__ import annotations

import struct
import zlib
from urllib.parse import urlsplit

import pytest
import requests

from bot.sandbox.server import SandboxServer
from tests.sandbox.helpers import session_of

IMAGE, SECTION_IMAGE = "image-recommendation", "section-image-recommendation"


@pytest.fixture
def wiki(start_sandbox) -> SandboxServer:
    return start_sandbox()


def image_of(wiki: SandboxServer, title: str, task_type: str = IMAGE) -> dict:
    answer = (
        session_of(wiki, "Volunteer")
        .get(action="query", prop="growthimagesuggestiondata", titles=title, gisdtasktype=task_type)
        .json()
    )
    return answer["query"]["pages"][0]["growthimagesuggestiondata"][0]["images"][0]


def png_size(body: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR, after checking the signature and every chunk's CRC."""
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    at, size, kinds = 8, None, []
    while at < len(body):
        (length,) = struct.unpack(">I", body[at : at + 4])
        kind, data = body[at + 4 : at + 8], body[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", body[at + 8 + length : at + 12 + length])
        assert zlib.crc32(kind + data) == crc, f"bad CRC in {kind!r}"
        if kind == b"IHDR":
            size = struct.unpack(">II", data[:8])
        kinds.append(kind)
        at += 12 + length
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND"
    assert size is not None
    return size


def test_suggested_thumbnail_and_original_are_pictures_on_the_sandbox_itself(wiki):
    metadata = image_of(wiki, "Lake Tana Bridge")["metadata"]
    for key, width in (("thumbUrl", 120), ("fullUrl", 640)):
        url = metadata[key]
        assert urlsplit(url).netloc == urlsplit(wiki.api_url).netloc, url
        answer = requests.get(url, timeout=5)
        assert answer.status_code == 200
        assert answer.headers["Content-Type"] == "image/png"
        assert png_size(answer.content) == (width, width * 3 // 4)


def test_urls_follow_mediawikis_layout(wiki):
    image = image_of(wiki, "Oskar Brenner", SECTION_IMAGE)
    name = image["image"]
    thumb = urlsplit(image["metadata"]["thumbUrl"]).path
    assert thumb.startswith("/w/images/thumb/") and thumb.endswith(f"/{name}/120px-{name}")
    assert urlsplit(image["metadata"]["fullUrl"]).path.endswith(f"/{name}")


def test_two_files_get_two_different_pictures(wiki):
    first = requests.get(image_of(wiki, "Lake Tana Bridge")["metadata"]["thumbUrl"], timeout=5)
    second = requests.get(image_of(wiki, "Oskar Brenner")["metadata"]["thumbUrl"], timeout=5)
    assert first.content != second.content


@pytest.mark.parametrize(
    "path",
    [
        "/w/images/",
        "/w/images/thumb/",
        "/w/images/0/00/Lake_Tana_Bridge_2010.jpg",  # wrong hash folders
        "/w/images/thumb/f/f0/A.jpg/120px-B.jpg",  # thumbnail of another file
        "/w/images/thumb/f/f0/A.jpg/99999px-A.jpg",
        "/w/images/../w/api.php",
    ],
)
def test_other_paths_under_images_are_not_found(wiki, path):
    answer = requests.get(wiki.base_url + path, timeout=5)
    assert answer.status_code == 404
    assert answer.headers["Content-Type"].startswith("text/plain")
