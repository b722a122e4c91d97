"""The web application: the REST API under /api, the German web UI under /, one error
mapping for both (product errors carry their HTTP status), and security headers on every
answer. `efile serve` runs it with uvicorn."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import quote, unquote

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import EfileError
from . import admin, api, corrections, oidc, ui, ui_batches, ui_files, ui_inbox, ui_search, uploads
from .deps import SESSION_COOKIE
from .limits import BodyLimit

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",  # our own PDF viewer frames the archive copy
    # no URL (with its document id or search words) ever leaves for another site; within the
    # site the browser keeps naming the page's origin, which the sign-in's login-CSRF check
    # needs (under no-referrer Chromium posts every form with "Origin: null")
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
                               "frame-ancestors 'self'; form-action 'self'; base-uri 'none'",
}


log = logging.getLogger("efile.web")

# Swagger UI's own files, shipped in the fastapi-offline package: /docs loads nothing from
# another site (the CSP above allows none), and its start script is a file of ours, not an
# inline script the CSP would block
SWAGGER_FILES = Path(fastapi_offline.__file__).parent / "static"
DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>efile API</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/docs-static/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs-static/swagger-ui-bundle.js"></script>
<script src="/static/swagger-init.js"></script></body></html>"""


def create_app() -> FastAPI:
    app = FastAPI(title="efile", version="0.1.0", docs_url=None, redoc_url=None,
                  description="Document intake and e-files of the immigration office: "
                              "need-to-know access, every read audited.")
    app.include_router(api.router)
    app.include_router(admin.router)  # H2a: accounts' lifecycle (users.manage)
    app.include_router(uploads.router)
    from .batches_api import router as batches_api  # batch submit, QC, release (issue 13)

    app.include_router(batches_api)
    app.include_router(corrections.api_router)  # move, retype, undo (issue 13)
    app.include_router(corrections.ui_router)
    from .notes import router as notes_router  # notes (Vermerke) on a document, issue 13

    app.include_router(notes_router)
    app.include_router(ui.router)
    for pages in (ui_search, ui_files, ui_inbox, ui_batches):
        app.include_router(pages.router)
    app.include_router(oidc.router)
    ui.mount_static(app)
    app.mount("/docs-static", StaticFiles(directory=str(SWAGGER_FILES)), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(DOCS_PAGE)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:  # what browsers ask for before they read a page's <link>
        return FileResponse(ui.HERE / "static" / "favicon.svg", media_type="image/svg+xml")
    app.add_middleware(BodyLimit)  # outermost of ours: before any body is read or parsed
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, e: StarletteHTTPException) -> Response:
        # an unknown address or method: a German page for a browser, JSON for the API
        wants_html = "text/html" in request.headers.get("accept", "")
        if not request.url.path.startswith("/api") and wants_html:
            return ui.error_page(request, e.status_code, "")
        message = {404: "not found", 405: "method not allowed"}.get(e.status_code,
                                                                     str(e.detail))
        return JSONResponse({"error": message}, status_code=e.status_code,
                            headers=getattr(e, "headers", None))

    @app.exception_handler(EfileError)
    async def product_error(request: Request, e: EfileError) -> Response:
        status = e.http_status
        if not request.url.path.startswith("/api") and status == 401:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/anmelden?weiter={quote(target, safe='/')}",
                                    status_code=303)
        if not request.url.path.startswith("/api"):
            return ui.error_page(request, status, str(e))
        return JSONResponse({"error": str(e)}, status_code=status)

    @app.exception_handler(Exception)
    async def server_error(request: Request, e: Exception) -> Response:
        # a fault of ours: logged with its trace; the person reads a German page, the API
        # caller a JSON error, neither the exception's text. Starlette answers this outside
        # our middleware, so the security headers are set here.
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        if not request.url.path.startswith("/api") and \
                "text/html" in request.headers.get("accept", ""):
            response: Response = ui.error_page(request, 500, "")
        else:
            response = JSONResponse({"error": "internal server error"}, status_code=500)
        response.headers.update(SECURITY_HEADERS)
        return response

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, e: RequestValidationError) -> Response:
        first = e.errors()[0] if e.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", []))
        return JSONResponse({"error": f"{where}: {first.get('msg', 'invalid request')}"},
                            status_code=400)

    @app.middleware("http")
    async def headers(request: Request, call_next):  # noqa: ANN001, ANN202
        # a NUL byte in an id or a filter: never legitimate, and PostgreSQL cannot even
        # compare with one (other control characters are refused where they matter)
        if "\x00" in unquote(request.url.path + "?" + request.url.query):
            response: Response = JSONResponse(
                {"error": "control characters are not allowed in the address"},
                status_code=400)
        else:
            response = await call_next(request)
        for k, v in SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        return response

    return app


def _openapi(app: FastAPI) -> dict:
    """The OpenAPI document with how callers sign in: an API token (bearer) or the web
    session's cookie; public routes (x-scope public) need neither."""
    if app.openapi_schema:
        return app.openapi_schema
    spec = get_openapi(title=app.title, version=app.version, description=app.description,
                       routes=app.routes)
    spec.setdefault("components", {})["securitySchemes"] = {
        "bearer": {"type": "http", "scheme": "bearer",
                   "description": "An API token (efile users token, POST /api/auth/token)"},
        "session": {"type": "apiKey", "in": "cookie", "name": SESSION_COOKIE,
                    "description": "The web UI's session (state-changing requests also "
                                   "carry X-CSRF-Token)"}}
    for ops in spec.get("paths", {}).values():
        for op in ops.values():
            if isinstance(op, dict):
                op["security"] = [] if op.get("x-scope") == "public" else [
                    {"bearer": []}, {"session": []}]
    app.openapi_schema = spec
    return spec
