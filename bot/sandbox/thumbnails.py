"""The sandbox's own pictures: small PNGs drawn for each suggested file, served where its
`growthimagesuggestiondata` says the thumbnail and the original are, so pages that show the
suggestion (the review page) show a real picture offline.

URLs follow MediaWiki's layout (`/w/images/a/ab/Name.jpg`, `/w/images/thumb/a/ab/Name.jpg/
120px-Name.jpg`, `a/ab` from the name's md5). The picture is a landscape whose colours and
hills come from the file name, so two files never look alike; the bytes are PNG whatever the
name ends in, and the answer says so in its Content-Type.
"""

from __future__ import annotations

import hashlib
import math
import re
import struct
import zlib
from functools import lru_cache
from typing import Any

from bot.sandbox.web import Request, Response

PREFIX = "/w/images/"
THUMB_WIDTH = 120
FULL_WIDTH = 640
MAX_WIDTH = 1280
_THUMB = re.compile(r"thumb/([0-9a-f])/([0-9a-f]{2})/([^/]+)/([0-9]{1,4})px-([^/]+)")
_FULL = re.compile(r"([0-9a-f])/([0-9a-f]{2})/([^/]+)")


def _hash_path(name: str) -> str:
    digest = hashlib.md5(name.encode("utf-8")).hexdigest()
    return f"{digest[0]}/{digest[:2]}"


def thumb_path(name: str, width: int = THUMB_WIDTH) -> str:
    """Where the thumbnail of file `name` (DB key, underscores) is, below the server."""
    return f"{PREFIX}thumb/{_hash_path(name)}/{name}/{width}px-{name}"


def full_path(name: str) -> str:
    """Where the original of file `name` is, below the server."""
    return f"{PREFIX}{_hash_path(name)}/{name}"


def absolute(server: str, suggestion: dict[str, Any]) -> dict[str, Any]:
    """The stored suggestion with its image URLs on this server (`server`: scheme, host, port):
    the seed keeps paths, so a sandbox kept with `--data` answers right on any port."""
    images = []
    for image in suggestion.get("images") or []:
        metadata = dict(image.get("metadata") or {})
        for key in ("thumbUrl", "fullUrl"):
            if str(metadata.get(key, "")).startswith("/"):
                metadata[key] = server + metadata[key]
        images.append({**image, "metadata": metadata})
    return {**suggestion, "images": images}


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _rgb(hue: float, saturation: float, value: float) -> bytes:
    """An HSV colour as three bytes."""
    sector, fraction = divmod(hue % 1.0 * 6, 1)
    p, q = value * (1 - saturation), value * (1 - saturation * fraction)
    t = value * (1 - saturation * (1 - fraction))
    sectors = ((value, t, p), (q, value, p), (p, value, t), (p, q, value), (t, p, value))
    rgb = sectors[int(sector)] if int(sector) < len(sectors) else (value, p, q)
    return bytes(int(c * 255) for c in rgb)


@lru_cache(maxsize=64)
def picture(name: str, width: int) -> bytes:
    """A PNG landscape for file `name`: sky, sun, two ranges of hills (width x 3/4 width)."""
    height = max(1, width * 3 // 4)
    seed = hashlib.sha256(name.encode("utf-8")).digest()
    hue = 0.5 + seed[0] / 255 * 0.22  # skies from cyan to violet
    sun_x, sun_y, sun_r = width * (0.2 + seed[1] / 400), height * 0.28, width * 0.08
    far, near = _rgb(hue - 0.22, 0.35, 0.62), _rgb(hue - 0.32, 0.55, 0.42)
    sun = _rgb(0.12, 0.55, 1.0)
    phase, waves = seed[2] / 40, 1 + seed[3] % 3
    rows = []
    for y in range(height):
        shade = y / height
        sky = _rgb(hue, 0.25 + 0.35 * shade, 0.95 - 0.2 * shade)
        row = bytearray(sky * width)
        if abs(y - sun_y) < sun_r:
            half = math.sqrt(sun_r**2 - (y - sun_y) ** 2)
            start, end = max(0, int(sun_x - half)), min(width, int(sun_x + half))
            row[start * 3 : end * 3] = sun * (end - start)
        for colour, base, amplitude, frequency in ((far, 0.55, 0.10, waves), (near, 0.72, 0.07, 2)):
            for x in range(0, width, 4):
                angle = x / width * math.pi * frequency + phase
                ridge = height * (base - amplitude * math.sin(angle))
                if y >= ridge:
                    end = min(width, x + 4)
                    row[x * 3 : end * 3] = colour * (end - x)
        rows.append(b"\x00" + bytes(row))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"".join((
        b"\x89PNG\r\n\x1a\n", _chunk(b"IHDR", header),
        _chunk(b"IDAT", zlib.compress(b"".join(rows), 9)), _chunk(b"IEND", b""),
    ))  # fmt: skip


def _width(rest: str) -> tuple[str, int] | None:
    """The file name and picture width a path below /w/images/ asks for; None if it is none."""
    if match := _THUMB.fullmatch(rest):
        folders, name, size, again = f"{match[1]}/{match[2]}", match[3], int(match[4]), match[5]
        if again != name or not 0 < size <= MAX_WIDTH:
            return None
    elif match := _FULL.fullmatch(rest):
        folders, name, size = f"{match[1]}/{match[2]}", match[3], FULL_WIDTH
    else:
        return None
    return (name, size) if _hash_path(name) == folders else None


def handle(request: Request) -> Response:
    """GET of a thumbnail or an original; 404 for any other path under /w/images/."""
    wanted = _width(request.path[len(PREFIX) :])
    if wanted is None or request.method not in ("GET", "HEAD"):
        return Response(404, b"No such file.\n", content_type="text/plain; charset=utf-8")
    return Response(
        200,
        picture(*wanted),
        headers=[("Cache-Control", "public, max-age=86400")],
        content_type="image/png",
    )
