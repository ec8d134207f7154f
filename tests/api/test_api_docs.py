"""``/docs`` and ``/redoc`` load everything from the app itself (no CDN)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

ASSET = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_pages_use_only_local_assets(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    html = response.text
    assert "cdn" not in html.lower() and "fonts.googleapis" not in html
    assets = ASSET.findall(html)
    assert assets, "the page names its scripts and styles"
    for url in assets:
        assert url.startswith("/") and not url.startswith("//"), url
        served = client.get(url)
        assert served.status_code == 200, url
        assert len(served.content) > 1000, url


def test_docs_follow_the_root_path(make_app) -> None:
    with TestClient(make_app(), root_path="/plancheck") as c:
        html = c.get("/docs").text
    assert "/plancheck/docs-assets/swagger-ui-bundle.js" in html
    assert "/plancheck/openapi.json" in html
