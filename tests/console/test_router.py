"""The console's routes: the page and its files, their types, caching and what is refused."""

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from console.router import router
from tests.conftest import Api


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    app = FastAPI()
    app.include_router(router)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def test_the_page_is_html_revalidated_on_every_load_and_runs_only_its_own_script(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/console")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["x-content-type-options"] == "nosniff"
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "connect-src 'self'" in policy
    assert "登录" in response.text
    desk = await client.get("/console/agent")
    assert desk.headers["content-security-policy"] == policy
    assert "<title>12345 坐席工作台</title>" in desk.text
    assert (await client.get("/console/nope")).status_code == 404


@pytest.mark.parametrize(("name", "media_type"), [
    ("agent.js", "text/javascript; charset=utf-8"),
    ("agent-view.js", "text/javascript; charset=utf-8"),
    ("shell.js", "text/javascript; charset=utf-8"),
    ("style.css", "text/css; charset=utf-8"),
])
async def test_each_file_is_served_with_its_media_type_and_a_validator(
    client: httpx.AsyncClient, name: str, media_type: str,
) -> None:
    response = await client.get(f"/console/static/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"] == media_type
    assert response.headers["cache-control"] == "no-cache"
    assert re.fullmatch(r'"[0-9a-f]{32}"', response.headers["etag"])


async def test_an_unchanged_file_is_answered_304_without_its_body(
    client: httpx.AsyncClient,
) -> None:
    first = await client.get("/console/static/agent.js")
    again = await client.get("/console/static/agent.js",
                             headers={"If-None-Match": f'W/"stale", {first.headers["etag"]}'})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == first.headers["etag"]
    changed = await client.get("/console/static/agent.js", headers={"If-None-Match": '"stale"'})
    assert changed.status_code == 200 and changed.content == first.content


@pytest.mark.parametrize("path", [
    "/console/static/missing.js", "/console/static/router.py",
    "/console/static/..%2Frouter.py", "/console/static/%2E%2E",
])
async def test_only_the_shipped_files_are_served(client: httpx.AsyncClient, path: str) -> None:
    assert (await client.get(path)).status_code == 404


@pytest.mark.parametrize(("path", "script"), [("/console", "login.js"),
                                            ("/console/agent", "agent.js"),
                                            ("/console/review", "review.js"),
                                            ("/console/unit", "unit.js")])
async def test_everything_a_page_and_its_scripts_load_is_its_own_and_served(
    client: httpx.AsyncClient, path: str, script: str,
) -> None:
    page = (await client.get(path)).text
    assert "http://" not in page and "https://" not in page  # nothing from the internet
    loaded = set(re.findall(r'(?:src|href)="([^"]+)"', page))
    assert loaded == {f"/console/static/{script}", "/console/static/style.css"}
    scripts = [script]
    while scripts:
        text = (await client.get(f"/console/static/{scripts.pop()}")).text
        assert "innerHTML" not in text and not re.search(r"https?://", text)
        for module in re.findall(r'from "\./([a-z-]+\.js)"', text):
            loaded.add(module)
            scripts.append(module)
    for url in loaded:
        url = url if url.startswith("/") else f"/console/static/{url}"
        assert (await client.get(url)).status_code == 200, url


async def test_the_platform_serves_the_screen_and_sends_a_browser_at_the_root_to_it(
    api: Api,
) -> None:
    root = await api.client.get("/")
    assert root.status_code == 307 and root.headers["location"] == "/console"
    page = await api.client.get("/console/agent")
    assert page.status_code == 200 and "坐席工作台" in page.text
    assert "/console" not in (await api.client.get("/openapi.json")).json()["paths"]
