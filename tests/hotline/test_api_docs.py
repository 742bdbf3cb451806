"""``/docs`` is served whole by the app (nothing from the internet) and the favicon exists."""

import json
import re

from tests.conftest import Api

REFERENCE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")


async def test_the_docs_page_and_every_file_it_names_come_from_the_app(api: Api) -> None:
    page = await api.client.get("/docs")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe" not in policy
    html = page.text
    assert "//" not in html.replace("<!doctype html>", "")  # no scheme-relative or full URL
    references = REFERENCE.findall(html)
    assert {"/docs/static/swagger-ui.css", "/docs/static/swagger-ui-bundle.js",
            "/docs/static/start.js", "/favicon.ico"} == set(references)
    for path in references:
        asset = await api.client.get(path)
        assert asset.status_code == 200, path
        assert asset.headers["x-content-type-options"] == "nosniff"
        assert len(asset.content) > 100, path
    bundle = await api.client.get("/docs/static/swagger-ui-bundle.js")
    assert bundle.headers["content-type"].startswith("text/javascript")
    assert "SwaggerUIBundle" in bundle.text
    start = (await api.client.get("/docs/static/start.js")).text
    assert '"/docs/openapi-3.0.json"' in start and "validatorUrl: null" in start


async def test_the_openapi_document_names_the_bearer_token(api: Api) -> None:
    schema = (await api.client.get("/openapi.json")).json()
    assert schema["components"]["securitySchemes"] == {
        "bearer": {"type": "http", "scheme": "bearer"}}
    assert schema["security"] == [{"bearer": []}]
    assert "/auth/logout" in schema["paths"]
    assert schema["paths"]["/auth/login"]["post"]["security"] == []
    assert "/docs" not in schema["paths"]


async def test_swagger_ui_gets_the_document_in_openapi_3_0_terms(api: Api) -> None:
    full = (await api.client.get("/openapi.json")).json()
    rendition = (await api.client.get("/docs/openapi-3.0.json")).json()
    assert full["openapi"].startswith("3.1") and rendition["openapi"] == "3.0.3"
    assert rendition["paths"].keys() == full["paths"].keys()
    assert '"type": "null"' not in json.dumps(rendition)
    user = rendition["components"]["schemas"]["UserOut"]["properties"]
    assert user["unit_id"] == {"type": "integer", "nullable": True, "title": "Unit Id"}


async def test_only_the_named_files_are_served_and_redoc_is_gone(api: Api) -> None:
    for path in ("/docs/static/index.html", "/docs/static/..%2F__init__.py", "/redoc",
                 "/docs/oauth2-redirect"):
        response = await api.client.get(path)
        assert response.status_code == 404, path
        assert response.json()["error_id"] == "not-found"


async def test_the_favicon_is_an_icon_and_revalidates(api: Api) -> None:
    icon = await api.client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.headers["content-type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    again = await api.client.get("/favicon.ico",
                                 headers={"If-None-Match": icon.headers["etag"]})
    assert again.status_code == 304
