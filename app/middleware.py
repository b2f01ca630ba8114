"""ASGI middleware: request log, security headers, body size limit, language, errors."""

import json
import logging
import time

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request, cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import i18n
from app.api.errors import too_large_bytes
from app.auth.cookies import LANGUAGE_COOKIE
from app.config import Settings
from app.db import query_counter

log = logging.getLogger("etik.request")


class RequestLogMiddleware:
    """One structured line per request: method, path, status, duration, queries, user id.

    Outside production the answer also carries `X-Query-Count`, read by `make bench`.
    """

    def __init__(self, app: ASGIApp, expose_query_count: bool = False) -> None:
        self.app = app
        self.expose_query_count = expose_query_count

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        queries = [0]
        token = query_counter.set(queries)

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                if self.expose_query_count:
                    message.setdefault("headers", []).append(
                        (b"x-query-count", str(queries[0]).encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            query_counter.reset(token)
            log.info(json.dumps({
                "event": "request",
                "method": scope["method"],
                "path": scope["path"],
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "queries": queries[0],
                "user_id": scope.get("state", {}).get("user_id"),
            }))


class UnexpectedErrorMiddleware:
    """Answers an unhandled error inside the other middleware.

    Starlette answers it in its outermost layer, where the error page would miss the
    security headers. The error is raised again after the answer, as Starlette does, so
    the server and the test client still see it.
    """

    def __init__(self, app: ASGIApp, handler) -> None:
        self.app = app
        self.handler = handler

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        response_started = False

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if not response_started:
                response = await self.handler(Request(scope, receive), exc)
                await response(scope, receive, send)
            raise


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", (
                b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                b"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
                b"form-action 'self'; frame-ancestors 'none'"
            )),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
        ]
        if settings.is_production:
            self.headers.append(
                (b"strict-transport-security", b"max-age=63072000; includeSubDomains")
            )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                present = {name.lower() for name, _ in message["headers"]}
                message["headers"].extend(h for h in self.headers if h[0] not in present)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(HTTPException):
    """Raised while the body is read. An HTTPException, because FastAPI turns any other error
    from reading the body into a 400; the error handlers then answer 413 as for any page."""

    def __init__(self) -> None:
        super().__init__(413, i18n.gettext("Forespørgslen er for stor."))


class BodyLimitMiddleware:
    """Refuses request bodies over the limit (413) before anything parses them."""

    def __init__(self, app: ASGIApp, settings: Settings, upload_paths: tuple[str, ...] = ()):
        self.app = app
        self.limit = settings.max_body_bytes
        # Evidence uploads may be larger; multipart adds a little around the file.
        self.upload_limit = settings.max_upload_bytes + 64 * 1024
        self.upload_paths = upload_paths

    def _limit_for(self, path: str) -> int:
        if any(marker in path for marker in self.upload_paths):
            return self.upload_limit
        return self.limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit_for(scope["path"])
        declared = Headers(scope=scope).get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            await _too_large(scope, send)
            return
        received = 0
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not response_started:
                await _too_large(scope, send)


async def _too_large(scope: Scope, send: Send) -> None:
    wants_json = scope["path"].startswith("/api/")
    if wants_json:
        body = too_large_bytes()
        content_type = b"application/json"
    else:
        body = i18n.gettext("Forespørgslen er for stor.").encode()
        content_type = b"text/plain; charset=utf-8"
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", content_type),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class LanguageMiddleware:
    """Danish unless the visitor chose English (a cookie set by the language switch).

    The browser's Accept-Language is ignored on purpose: many Danish staff run English
    browsers, and the product speaks Danish first. An API client has no language switch,
    so under /api/ its Accept-Language chooses.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if scope["path"].startswith("/api/"):
            language = i18n.pick_accepted_language(headers.get("accept-language", ""))
        else:
            cookie = cookie_parser(headers.get("cookie", "")).get(LANGUAGE_COOKIE)
            language = i18n.pick_language(cookie)
        token = i18n.current_language.set(language)
        try:
            await self.app(scope, receive, send)
        finally:
            i18n.current_language.reset(token)
