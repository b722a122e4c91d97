"""The request body limit, enforced while the body is read and before anything parses it or
looks at the credentials (FastAPI reads and spools a whole body before the first dependency
runs). A plain ASGI middleware, outermost: a declared Content-Length above the route's limit
is answered 413 before one byte is read; a body without one (chunked) is counted as it
arrives and cut off with 413 at the limit. Uploads get room for their files, every other
route (JSON, forms) a small limit. An upload must name a signed-in caller before its body
is read at all: an unauthenticated client gets its 401 for the price of the headers."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SMALL_BODY = 64 * 1024  # a sign-in, a JSON change, a UI form: a few hundred bytes in practice
MULTIPART_OVERHEAD = 1024 * 1024  # part headers, the reference and the type fields
UPLOAD_PATH = "/api/uploads"
# scanning staff hand in a stack in the browser or through the API: the staff limit of one
# file (steps/validate.py STAFF_MAX_BYTES), spooled to disk as it arrives; deliveries larger
# than that go through the hot folder or the CLI
BATCH_PATHS = ("/stapel", "/api/batches")
BATCH_BODY = 2 * 1024**3 + MULTIPART_OVERHEAD


def upload_limit(max_bytes: int, max_files: int) -> int:
    return max_bytes * max_files + MULTIPART_OVERHEAD


async def _answer(send: Send, status: int, error: str) -> None:
    body = json.dumps({"error": error}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def limit_for(self, scope: Scope) -> int:
        if scope["method"] == "POST" and scope["path"].rstrip("/") == UPLOAD_PATH:
            from ..context import get_context
            from .uploads import MAX_FILES

            return upload_limit(get_context().settings.upload_max_bytes, MAX_FILES)
        if scope["method"] == "POST" and scope["path"].rstrip("/") in BATCH_PATHS:
            return BATCH_BODY
        return SMALL_BODY

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        too_large = f"the request body is larger than this address accepts ({limit:,} bytes)"
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await _answer(send, 400, "Content-Length is not a number")
                return
            if int(declared) > limit:
                await _answer(send, 413, too_large)
                return
        if limit > SMALL_BODY and not await self._signed_in(scope, send):
            return
        received, answered = 0, False

        async def counted() -> Message:
            nonlocal received, answered
            if answered:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    answered = True
                    if not started:
                        await _answer(send, 413, too_large)
                    return {"type": "http.disconnect"}  # the app stops reading, answers nothing
            return message

        started = False

        async def guarded(message: Message) -> None:
            nonlocal started
            if answered:
                return  # the 413 went out; whatever the app makes of the cut-off is dropped
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, counted, guarded)

    async def _signed_in(self, scope: Scope, send: Send) -> bool:
        """Credentials checked from the headers alone, before the large body is read."""
        from ..errors import EfileError
        from .deps import caller

        request = Request(scope)
        try:
            await run_in_threadpool(_check, request, caller)
        except EfileError as e:
            await _answer(send, e.http_status, str(e))
            return False
        return True


def _check(request: Request, caller) -> None:  # noqa: ANN001 - deps.caller
    # a form's CSRF token is in the body, not yet read: only the credentials count here;
    # the upload route itself checks everything again (permission, CSRF) once it runs
    from ..errors import Forbidden

    try:
        caller(request)
    except Forbidden as e:
        if "CSRF" not in str(e):
            raise
    finally:  # the request state lives in the scope: the route must decide afresh
        request.scope.get("state", {}).pop("caller", None)
