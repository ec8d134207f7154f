"""The API key, the request log, the page and the docs."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from tests.api.test_api_classify import assert_error

KEY = "s3cret-key-42"


@pytest.fixture
def keyed(make_app):
    with TestClient(make_app(api_key=KEY)) as c:
        yield c


V1_CALLS = [
    ("post", "/v1/classify", {"json": {"text": "Our strategy for the next three years."}}),
    ("post", "/v1/classify/batch", {"json": {"items": [{"id": 1, "text": "a plan"}]}}),
    ("post", "/v1/classify/file", {"files": {"file": ("a.txt", b"a plan for three years")}}),
    ("get", "/v1/model", {}),
    ("post", "/v1/admin/reload", {"json": {}}),
]


@pytest.mark.parametrize("method, path, kwargs", V1_CALLS, ids=[c[1] for c in V1_CALLS])
def test_v1_needs_the_key(keyed: TestClient, method, path, kwargs) -> None:
    call = getattr(keyed, method)
    response = call(path, **kwargs)
    assert_error(response, 401, "unauthorized")
    assert response.headers["www-authenticate"]
    assert_error(call(path, headers={"X-API-Key": "wrong"}, **kwargs), 401, "unauthorized")
    assert_error(call(path, headers={"X-API-Key": ""}, **kwargs), 401, "unauthorized")
    ok = call(path, headers={"X-API-Key": KEY}, **kwargs)
    assert ok.status_code == 200, ok.text


@pytest.mark.parametrize(
    "path", ["/healthz", "/readyz", "/", "/docs", "/openapi.json", "/static/app.js"]
)
def test_open_paths_need_no_key(keyed: TestClient, path: str) -> None:
    assert keyed.get(path).status_code == 200


def test_no_key_configured_means_open(client: TestClient) -> None:
    assert client.get("/v1/model").status_code == 200


def test_empty_key_setting_means_no_key() -> None:
    assert Settings(api_key="  ").api_key is None


def test_settings_from_environment(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("PLANCHECK_API_KEY", "zq-secret-zq")
    monkeypatch.setenv("PLANCHECK_MAX_BATCH_ITEMS", "7")
    monkeypatch.setenv("PLANCHECK_MODELS_DIR", str(tmp_path))
    settings = Settings()
    assert settings.api_key.get_secret_value() == "zq-secret-zq"
    assert settings.max_batch_items == 7
    assert settings.models_dir == tmp_path
    assert "zq-secret-zq" not in repr(settings)  # the key is never printed


def test_settings_cannot_exceed_the_library_limit() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        Settings(max_text_chars=100_001)


# --- request log ---------------------------------------------------------------------


@pytest.fixture
def access_lines(caplog):
    # The API's logger does not propagate to the root; attach caplog's handler to it (some
    # pytest versions do that themselves, hence the de-duplication by record identity).
    logger = logging.getLogger("plancheck.api.access")
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger="plancheck.api.access")

    def lines() -> list[dict]:
        records = {id(r): r for r in caplog.records if r.name == "plancheck.api.access"}
        return [json.loads(r.getMessage()) for r in records.values()]

    yield lines
    logger.removeHandler(caplog.handler)


def test_one_json_line_per_request_without_the_text(
    client, access_lines, plans, classifier
) -> None:
    secret = "سر-لا-يُسجَّل"
    client.post("/v1/classify", json={"text": plans.ar + "\n" + secret})
    client.post("/v1/classify", json={"text": " "})
    client.post("/v1/classify", content=b"x", headers={"Content-Type": "text/plain"})
    client.get("/healthz")
    lines = access_lines()
    assert len(lines) == 4
    first, empty, wrong_type, health = lines
    assert first["method"] == "POST" and first["path"] == "/v1/classify"
    assert first["status"] == 200
    assert first["label"] == classifier.classify(plans.ar)["label"]
    assert isinstance(first["duration_ms"], float)
    assert empty["status"] == 422 and "label" not in empty
    assert wrong_type["status"] == 415
    assert health["path"] == "/healthz"
    assert all(secret not in json.dumps(line, ensure_ascii=False) for line in lines)
    assert all(plans.ar[:20] not in json.dumps(line, ensure_ascii=False) for line in lines)


def test_batch_log_has_label_counts(client, access_lines, plans) -> None:
    items = [{"id": 1, "text": plans.en}, {"id": 2, "text": plans.en}, {"id": 3, "text": ""}]
    client.post("/v1/classify/batch", json={"items": items})
    (line,) = access_lines()
    assert sum(line["labels"].values()) == 2


def test_request_id_header(client: TestClient) -> None:
    assert len(client.get("/healthz").headers["x-request-id"]) == 16


# --- page and docs -------------------------------------------------------------------


def test_page(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert "__DISPLAY_NAMES__" not in html
    assert "استراتيجية" in html and "الميزانية" in html  # names injected
    assert 'id="text"' in html and 'id="file"' in html and 'id="classify"' in html
    assert '"max_text_chars": 100000' in html  # the hint follows the settings
    assert "http://" not in html and "https://" not in html  # nothing from a CDN
    assert "script-src 'self'" in response.headers["content-security-policy"]


@pytest.mark.parametrize("name, kind", [("app.js", "javascript"), ("app.css", "css")])
def test_static_assets(client: TestClient, name: str, kind: str) -> None:
    response = client.get(f"/static/{name}")
    assert response.status_code == 200
    assert kind in response.headers["content-type"]
    assert "https://" not in response.text


def test_docs_and_openapi(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in [
        "/v1/classify",
        "/v1/classify/batch",
        "/v1/classify/file",
        "/v1/model",
        "/v1/admin/reload",
        "/healthz",
        "/readyz",
    ]:
        assert path in paths
    examples = paths["/v1/classify"]["post"]["requestBody"]["content"]["application/json"][
        "examples"
    ]
    texts = " ".join(e["value"]["text"] for e in examples.values())
    assert "استراتيجية" in texts and "campaign" in texts  # Arabic and English examples
    assert "413" in paths["/v1/classify"]["post"]["responses"]
