"""`/w/rest.php`: routing, core's error envelopes, CSRF token rule, and core's page routes.

Order per route as in MediaWiki's REST framework: body content type (415) → parameter validation
(`parameter-validation-failed`) → CSRF token (403 `rest-badtoken`) → the handler's own checks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from bot.sandbox import auth
from bot.sandbox.action_api import ApiError, Call, Params
from bot.sandbox.config import Account
from bot.sandbox.core_modules import save_page
from bot.sandbox.web import Request, Response, int64, json_response
from bot.sandbox.wiki import SandboxWiki, parse_title

REASONS = {
    200: "OK",
    201: "Created",
    202: "Accepted",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
    500: "Internal Server Error",
}
BADTOKEN_TEXT = {
    "rest-badtoken-missing": "The token parameter is required, but was not provided.",
    "rest-badtoken-nosession": "Invalid CSRF token. The request has no session, so you need to "
    "log in first (no session).",
    "rest-badtoken": "Invalid CSRF token.",
}


class RestError(Exception):
    """A REST error answer: HTTP status and the JSON envelope."""

    def __init__(
        self, status: int, body: dict[str, Any], headers: list[tuple[str, str]] | None = None
    ):
        super().__init__(body.get("errorKey") or body.get("error") or status)
        self.status, self.body, self.headers = status, body, headers or []


def localized(key: str, text: str, status: int = 400, **extra: Any) -> RestError:
    """A LocalizedHttpException envelope (contract campaignevents §4.3)."""
    return RestError(
        status,
        {
            **extra,
            "errorKey": key,
            "messageTranslations": {"en": text},
            "httpCode": status,
            "httpReason": REASONS[status],
        },
    )


def param_error(name: str, value: Any, code: str, text: str, data: Any = None) -> RestError:
    """A core ParamValidator failure: `parameter-validation-failed` with name and failureCode."""
    return RestError(
        400,
        {
            "error": "parameter-validation-failed",
            "name": name,
            "value": value,
            "failureCode": code,
            "failureData": data,
            "errorKey": code,
            "messageTranslations": {"en": text},
            "httpCode": 400,
            "httpReason": "Bad Request",
        },
    )


def action_module_error(code: str, text: str, status: int = 400) -> RestError:
    """An Action API error as MediaWiki 1.39's action-module REST handlers answer it."""
    return RestError(
        status,
        {
            "actionModuleErrorCode": code,
            "messageTranslations": {"en": text},
            "httpCode": status,
            "httpReason": REASONS[status],
        },
    )


def plain_error(status: int, message: str, **extra: Any) -> RestError:
    """A plain HttpException envelope: `message`, `httpCode`, `httpReason`."""
    return RestError(
        status, {"message": message, **extra, "httpCode": status, "httpReason": REASONS[status]}
    )


@dataclass
class RestCall:
    """One REST request as a handler sees it."""

    wiki: SandboxWiki
    request: Request
    session: auth.Session
    path: dict[str, str]
    body: dict[str, Any] = field(default_factory=dict)
    wrote: bool = False

    @property
    def account(self) -> Account | None:
        return self.session.account

    def check_token(self) -> None:
        """Core's TokenAwareHandlerTrait: a cookie session must send its CSRF token in `token`."""
        submitted = self.body.get("token")
        if self.session.account is not None and auth.token_matches(self.session.csrf, submitted):
            return
        if not submitted:
            key = "rest-badtoken-missing"
        elif self.session.account is None and self.session.id is None:
            key = "rest-badtoken-nosession"
        else:
            key = "rest-badtoken"
        raise RestError(
            403,
            {
                "errorKey": "rest-badtoken",
                "messageTranslations": {"en": BADTOKEN_TEXT[key]},
                "httpCode": 403,
                "httpReason": "Forbidden",
            },
        )


Handler = Callable[[RestCall], Response]


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    pattern: re.Pattern[str]
    handler: Handler
    json_body: bool


ROUTES: list[Route] = []


def route(method: str, template: str, *, json_body: bool = False) -> Callable[[Handler], Handler]:
    """Decorator: `template` uses `{name}` for one path segment."""
    pattern = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template) + "$")

    def add(handler: Handler) -> Handler:
        ROUTES.append(Route(method, template, pattern, handler, json_body))
        return handler

    return add


def handle(wiki: SandboxWiki, request: Request, path: str) -> tuple[Response, bool]:
    """Answer one rest.php request; the flag says whether it changed the wiki."""
    matched = [(r, m) for r in ROUTES if (m := r.pattern.match(path))]
    chosen = next(((r, m) for r, m in matched if r.method == request.method), None)
    wiki.requests.count(f"{request.method} {chosen[0].template}" if chosen else "unrouted")
    if not matched:
        return _error_response(
            localized(
                "rest-no-match",
                f"The requested relative path ({path}) did not match any known handler.",
                404,
            )
        ), False
    if chosen is None:
        allowed = ", ".join(sorted({r.method for r, _ in matched}))
        error = localized(
            "rest-wrong-method",
            f"The request method ({request.method}) was not "
            f"allowed for this path. Allowed methods: "
            f"{allowed}",
            405,
        )
        error.headers.append(("Allow", allowed))
        return _error_response(error), False
    selected, match = chosen
    call = RestCall(
        wiki,
        request,
        auth.current_session(wiki, request),
        {k: unquote(v) for k, v in match.groupdict().items()},
    )
    try:
        if selected.json_body:
            call.body = _json_body(request)
        return selected.handler(call), call.wrote
    except RestError as error:
        return _error_response(error, wiki.config.content_language), False


def _json_body(request: Request) -> dict[str, Any]:
    if not request.body and request.method == "DELETE":
        return {}
    if not request.content_type:
        raise plain_error(
            415, "A request body was sent without a Content-Type header.", error="no-content-type"
        )
    if request.content_type != "application/json":
        raise plain_error(
            415,
            f"Unsupported Content-Type: {request.content_type}",
            error="unsupported-content-type",
            content_type=request.content_type,
        )
    try:
        body = request.json()
    except ValueError as error:
        raise localized(
            "rest-json-body-parse-error", f"Parsing request body as JSON failed: {error}"
        ) from None
    if isinstance(body, list):  # a PHP array all the same: its fields are simply absent
        return {str(index): value for index, value in enumerate(body)}
    if not isinstance(body, dict):
        raise localized("rest-bad-json-body", "Bad request body, must be a JSON object.")
    return body


def _error_response(error: RestError, content_language: str = "en") -> Response:
    """The envelope as sent; `messageTranslations` holds the content language and `en`
    (the sandbox has English texts only, so a non-English content language repeats them)."""
    body = error.body
    translations = body.get("messageTranslations")
    if translations is not None and content_language not in translations:
        body = {
            **body,
            "messageTranslations": {content_language: translations["en"], **translations},
        }
    return json_response(body, status=error.status, headers=error.headers)


def no_content() -> Response:
    return Response(status=204, body=b"", content_type="")


# --- core: /v1/page/{title} -------------------------------------------------------------------


def _page_json(call: RestCall, title: str) -> dict[str, Any]:
    wiki = call.wiki
    page = wiki.store.page(title)
    if page is None:
        raise LookupError(f"no page {title!r}")
    rev = wiki.store.existing_revision(page.latest)
    return {
        "id": page.id,
        "key": page.title.replace(" ", "_"),
        "title": page.title,
        "latest": {"id": rev.id, "timestamp": rev.timestamp},
        "content_model": "wikitext",
        "license": {"url": "", "title": ""},
        "source": rev.content,
    }


def _existing_title(call: RestCall) -> str:
    """The page's title; 404 when there is none, an invalid title included (MediaWiki 1.39's
    page lookup finds no page for it rather than refusing it)."""
    raw = call.path["title"]
    title = parse_title(raw)
    if title is None or call.wiki.store.page(title.prefixed) is None:
        raise localized(
            "rest-nonexistent-title",
            f"The specified title ({raw}) does not exist",
            404,
            name="title",
            value=raw,
        )
    return title.prefixed


@route("GET", "/v1/page/{title}")
def get_page(call: RestCall) -> Response:
    return json_response(_page_json(call, _existing_title(call)))


@route("GET", "/v1/page/{title}/bare")
def get_page_bare(call: RestCall) -> Response:
    body = _page_json(call, _existing_title(call))
    body.pop("source")
    body["html_url"] = f"{call.wiki.rest_url}/v1/page/{body['key']}/html"
    return json_response(body)


@route("PUT", "/v1/page/{title}", json_body=True)
def put_page(call: RestCall) -> Response:
    """Core's UpdateHandler as in MediaWiki 1.39, which runs `action=edit` and answers its errors
    with `actionModuleErrorCode`: `source`, `comment` required, then the token, then `latest.id`."""
    body = call.body
    for name in ("source", "comment"):
        if not isinstance(body.get(name), str):
            raise param_error(
                name, body.get(name), "missingparam", f'The "{name}" parameter must be set.'
            )
    if not body.get("token"):
        raise action_module_error("missingparam", 'The "token" parameter must be set.')
    call.check_token()
    title = parse_title(call.path["title"])
    if title is None:
        raise localized("rest-invalid-title", f'Invalid title "{call.path["title"]}".', 400)
    base = _base_revision(body.get("latest"))
    page = call.wiki.store.page(title.prefixed)
    if page is not None and base is None:
        raise localized(
            "rest-edit-conflict",
            "Edit conflict: the page exists; send latest.id of the revision you edited.",
            409,
        )
    base_rev = call.wiki.store.revision(base) if page is not None and base is not None else None
    action_call = Call(call.wiki, call.request, Params({}), call.session, 2)
    try:
        saved = save_page(
            action_call,
            title,
            body["source"],
            body["comment"],
            basetimestamp=base_rev.timestamp if base_rev else None,
            createonly=page is None,
        )
    except ApiError as error:
        status = {"editconflict": 409, "ratelimited": 429}.get(error.code, 400)
        raise action_module_error(error.code, error.info, status) from None
    call.wrote = action_call.wrote
    status = 201 if saved.old_rev == 0 and saved.new_rev else 200
    return json_response(_page_json(call, title.prefixed), status=status)


def _base_revision(latest: Any) -> int | None:
    """`latest.id`, which 1.39 hands to action=edit as `baserevid` (an integer parameter)."""
    raw = latest.get("id") if isinstance(latest, dict) else None
    if raw is None:
        return None
    value = int64(str(raw)) if isinstance(raw, int | str) and not isinstance(raw, bool) else None
    if value is None:
        raise action_module_error(
            "badinteger", f'Invalid value "{raw}" for integer parameter "baserevid".'
        )
    return value
