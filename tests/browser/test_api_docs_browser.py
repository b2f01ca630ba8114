"""The API documentation page renders Swagger UI from our own files, within the CSP."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_api_docs_list_the_operations_without_console_or_csp_errors(page, page_problems,
                                                                   live_server):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/docs")
    expect(page.locator(".opblock").first).to_be_visible(timeout=15_000)
    expect(page.get_by_text("/api/v1/auth/token").first).to_be_visible()
    assert page.evaluate("typeof window.SwaggerUIBundle") == "function"
    # Everything comes from our own server: no CDN, no validator badge.
    assert all(url.startswith(live_server.url + "/") or url.startswith("data:")
               for url in requested), requested
    assert page_problems.csp_violations == []
    assert page_problems.unexpected() == []


def test_api_docs_need_no_login_and_link_the_openapi_document(page):
    page.goto("/docs")
    assert page.url.endswith("/docs")
    expect(page.get_by_role("heading", name="API-dokumentation", level=1)).to_be_visible()
    link = page.get_by_role("link", name="openapi.json", exact=True)
    expect(link).to_have_attribute("href", "/openapi.json")
