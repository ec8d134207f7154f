"""Host and cross-site checks, and what ``/readyz`` tells anyone who asks."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from plancheck.errors import ModelNotFoundError
from tests.api.test_api_classify import assert_error

TEXT = {"text": "Our strategy for the next three years: goals, audience and budget."}
POSTS = [
    ("/v1/classify", {"json": TEXT}),
    (
        "/v1/classify",
        {"content": b'{"text": "a plan"}', "headers": {"Content-Type": "text/plain"}},
    ),
    ("/v1/classify/file", {"files": {"file": ("a.txt", b"a plan for three years")}}),
    ("/v1/admin/reload", {"json": {}}),
]


def _post(client: TestClient, path: str, kwargs: dict, headers: dict[str, str]):
    kwargs = dict(kwargs)
    kwargs["headers"] = {**kwargs.get("headers", {}), **headers}
    return client.post(path, **kwargs)


@pytest.mark.parametrize("path, kwargs", POSTS, ids=[p for p, _ in POSTS])
@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Origin": "http://testserver.evil.example", "Sec-Fetch-Site": "cross-site"},
    ],
)
def test_cross_site_posts_are_refused(client: TestClient, path, kwargs, headers) -> None:
    assert_error(_post(client, path, kwargs, headers), 403, "cross_site_request")


def test_same_origin_and_non_browser_posts_pass(client: TestClient) -> None:
    same = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
    assert client.post("/v1/classify", json=TEXT, headers=same).status_code == 200
    assert client.post("/v1/classify", json=TEXT).status_code == 200  # curl, scripts
    assert client.post("/v1/admin/reload", json={}, headers=same).status_code == 200
    # Reading is not refused: a cross-site GET cannot change anything.
    assert client.get("/healthz", headers={"Sec-Fetch-Site": "cross-site"}).status_code == 200


def test_allowed_origins_may_post(make_app) -> None:
    other = "https://plans.example.org"
    with TestClient(make_app(allowed_origins=other)) as c:
        ok = c.post("/v1/classify", json=TEXT, headers={"Origin": other})
        assert ok.status_code == 200
        refused = c.post("/v1/classify", json=TEXT, headers={"Origin": "https://x.example"})
        assert_error(refused, 403, "cross_site_request")


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_admin_reload_needs_json(client: TestClient, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post("/v1/admin/reload", content=b"{}", headers=headers)
    assert_error(response, 415, "unsupported_media_type")
    reload = client.app.openapi()["paths"]["/v1/admin/reload"]["post"]
    assert "application/json" in reload["requestBody"]["content"]
    assert {"403", "415"} <= set(reload["responses"])


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.nip.io", "localhost.evil"])
def test_unknown_host_is_refused(client: TestClient, host: str) -> None:
    response = client.get("/healthz", headers={"Host": host})
    assert_error(response, 400, "invalid_host")


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost", "LOCALHOST:9", "[::1]:8000"])
def test_default_hosts_are_answered(make_app, host: str) -> None:
    with TestClient(make_app(allowed_hosts=Settings().allowed_hosts)) as c:
        assert c.get("/healthz", headers={"Host": host}).status_code == 200
        assert_error(c.get("/healthz"), 400, "invalid_host")  # "testserver" is not one


def test_configured_host_and_environment(monkeypatch) -> None:
    assert "plans.internal" in Settings(host="plans.internal").trusted_hosts()
    assert "0.0.0.0" not in Settings(host="0.0.0.0").trusted_hosts()
    monkeypatch.setenv("PLANCHECK_ALLOWED_HOSTS", "a.example, b.example")
    monkeypatch.setenv("PLANCHECK_ALLOWED_ORIGINS", "https://a.example")
    settings = Settings()
    assert settings.allowed_hosts == ["a.example", "b.example"]
    assert settings.allowed_origins == ["https://a.example"]


def test_any_host_with_a_star(make_app) -> None:
    with TestClient(make_app(allowed_hosts="*")) as c:
        assert c.get("/healthz", headers={"Host": "anything.example"}).status_code == 200


def test_readyz_names_no_path(make_app, tmp_path: Path) -> None:
    secret_dir = tmp_path / "srv-secret-models"

    def missing(_dir: Path):
        raise ModelNotFoundError(f"no current model in {secret_dir}; train one")

    with TestClient(make_app(loader=missing)) as c:
        error = assert_error(c.get("/readyz"), 503, "not_ready")
        assert "srv-secret" not in c.get("/readyz").text
        assert str(tmp_path) not in error["message"]


def test_readyz_when_ready_says_only_the_version(client: TestClient) -> None:
    body = client.get("/readyz").json()
    assert set(body) == {"status", "model_version"} and body["status"] == "ready"
