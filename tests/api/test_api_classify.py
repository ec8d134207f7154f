"""POST /v1/classify: the result shape, and a clear 4xx for every bad input."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from plancheck import config


def assert_result_shape(result: dict, text: str) -> None:
    """The spec's contract, checked on a live answer."""
    assert result["label"] in config.LABELS
    assert set(result["probabilities"]) >= set(config.LABELS)
    assert abs(sum(result["probabilities"][k] for k in config.LABELS) - 1) < 1e-3
    assert result["confidence"] == pytest.approx(result["probabilities"][result["label"]])
    assert result["language"] in ("ar", "en", "mixed")
    assert [e["id"] for e in result["elements"]] == list(config.ELEMENTS)
    missing = [e["id"] for e in result["elements"] if not e["present"]]
    assert result["missing"] == missing
    assert [a["element"] for a in result["advice"]] == missing
    for element in result["elements"]:
        assert len(element["spans"]) == len(element["evidence"])
        for (start, end), evidence in zip(element["spans"], element["evidence"], strict=True):
            assert 0 <= start < end <= len(text)
            assert (
                evidence.strip()
                and evidence.strip() in text[start:end]
                or (text[start:end].strip() in evidence)
            )
    for signal in result["signals"]:
        assert signal["kind"] and signal["text"]
    assert isinstance(result["reasons"], list)
    assert result["model_version"]


def _has_arabic(s: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in s)


def test_arabic_plan(client: TestClient, plans, classifier) -> None:
    response = client.post("/v1/classify", json={"text": plans.ar})
    assert response.status_code == 200, response.text
    result = response.json()
    assert_result_shape(result, plans.ar)
    assert result["language"] == "ar"
    assert result["model_version"] == classifier.version
    assert all(_has_arabic(a["message"]) for a in result["advice"])  # advice in Arabic
    assert "id" not in result


def test_english_plan_differs_from_arabic(client: TestClient, plans) -> None:
    en = client.post("/v1/classify", json={"text": plans.en}).json()
    ar = client.post("/v1/classify", json={"text": plans.ar}).json()
    assert_result_shape(en, plans.en)
    assert en["language"] == "en"
    assert not any(_has_arabic(a["message"]) for a in en["advice"])  # advice in English
    assert en["label"] == "campaign"
    assert ar["label"] == "strategy"


def test_same_answer_as_the_library(client: TestClient, plans, classifier) -> None:
    response = client.post("/v1/classify", json={"text": plans.en})
    assert response.json() == json.loads(json.dumps(classifier.classify(plans.en)))


def test_id_is_echoed(client: TestClient, plans) -> None:
    assert client.post("/v1/classify", json={"text": plans.en, "id": "x-1"}).json()["id"] == "x-1"
    assert client.post("/v1/classify", json={"text": plans.en, "id": 7}).json()["id"] == 7


def test_charset_in_content_type_is_fine(client: TestClient, plans) -> None:
    response = client.post(
        "/v1/classify",
        content=json.dumps({"text": plans.ar}, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert response.status_code == 200


def test_text_at_the_limit_is_accepted(make_app, plans) -> None:
    with TestClient(make_app(max_text_chars=len(plans.en))) as c:
        assert c.post("/v1/classify", json={"text": plans.en}).status_code == 200


# --- errors --------------------------------------------------------------------------


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and len(body["error"]["message"]) > 10
    return body["error"]


@pytest.mark.parametrize(
    "text", ["", " ", "\n\t  \u00a0", "\u3000", "\u200b\u200b", "\x00\x00", "ـــــ َُ ـ"]
)
def test_empty_or_whitespace_text(client: TestClient, text: str) -> None:
    assert_error(client.post("/v1/classify", json={"text": text}), 422, "empty_text")


def test_text_over_the_limit(make_app, plans) -> None:
    with TestClient(make_app(max_text_chars=20)) as c:
        error = assert_error(c.post("/v1/classify", json={"text": plans.en}), 413, "text_too_long")
        assert "20" in error["message"]


def test_text_over_the_library_limit(client: TestClient) -> None:
    text = "خطة " * (config.MAX_TEXT_CHARS // 4 + 1)
    assert_error(client.post("/v1/classify", json={"text": text}), 413, "text_too_long")


def test_unpaired_surrogate_is_refused(client: TestClient) -> None:
    body = b'{"text": "plan \\ud800 for three years"}'
    response = client.post(
        "/v1/classify", content=body, headers={"Content-Type": "application/json"}
    )
    assert_error(response, 422, "invalid_text")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"txt": "hello"},
        {"text": None},
        {"text": 42},
        {"text": ["a"]},
        [],
        "just a string",
        42,
    ],
)
def test_wrong_json_shape(client: TestClient, body) -> None:
    error = assert_error(client.post("/v1/classify", json=body), 422, "validation_error")
    assert error["details"]


@pytest.mark.parametrize("raw", [b"{", b'{"text": "unterminated}', b"not json", b"\xff\xfe"])
def test_invalid_json(client: TestClient, raw: bytes) -> None:
    response = client.post(
        "/v1/classify", content=raw, headers={"Content-Type": "application/json"}
    )
    assert_error(response, 400, "invalid_json")


def test_empty_body(client: TestClient) -> None:
    response = client.post(
        "/v1/classify", content=b"", headers={"Content-Type": "application/json"}
    )
    assert_error(response, 422, "validation_error")


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Type": "text/plain"},
        {"Content-Type": "application/x-www-form-urlencoded"},
        {"Content-Type": "application/xml"},
        {},
    ],
)
def test_wrong_content_type(client: TestClient, headers, plans) -> None:
    response = client.post("/v1/classify", content=json.dumps({"text": plans.en}), headers=headers)
    error = assert_error(response, 415, "unsupported_media_type")
    assert "application/json" in error["message"]


def test_body_over_the_limit_by_content_length(make_app) -> None:
    with TestClient(make_app(max_body_bytes=2048)) as c:
        body = json.dumps({"text": "a" * 5000})
        response = c.post(
            "/v1/classify", content=body, headers={"Content-Type": "application/json"}
        )
        assert_error(response, 413, "body_too_large")


def test_body_over_the_limit_while_streaming(make_app) -> None:
    """No Content-Length (chunked): the size is counted as the body arrives."""

    def chunks():
        yield b'{"text": "'
        for _ in range(10):
            yield b"a" * 1000
        yield b'"}'

    with TestClient(make_app(max_body_bytes=2048)) as c:
        response = c.post(
            "/v1/classify", content=chunks(), headers={"Content-Type": "application/json"}
        )
        assert "content-length" not in {k.lower() for k in response.request.headers}
        assert_error(response, 413, "body_too_large")


def test_streamed_body_under_the_limit_is_fine(make_app, plans) -> None:
    payload = json.dumps({"text": plans.en}).encode()

    def chunks():
        for i in range(0, len(payload), 16):
            yield payload[i : i + 16]

    with TestClient(make_app()) as c:
        response = c.post(
            "/v1/classify", content=chunks(), headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 200


def test_invalid_content_length(client: TestClient) -> None:
    response = client.post(
        "/v1/classify",
        content=b"{}",
        headers={"Content-Type": "application/json", "Content-Length": "abc"},
    )
    assert response.status_code == 400


def test_library_input_error_is_a_422(make_app, classifier) -> None:
    from plancheck.errors import InputError

    class Refusing:
        version = classifier.version
        card = classifier.card

        def classify(self, text: str) -> dict:
            raise InputError("text is not a plan the library can read")

        def classify_many(self, texts: list[str]) -> list[dict]:
            raise InputError("text #0: text is not a plan the library can read")

    with TestClient(make_app(loader=lambda _d: Refusing())) as c:
        error = assert_error(c.post("/v1/classify", json={"text": "hello"}), 422, "invalid_text")
        assert "library" in error["message"]


def test_no_model_loaded_is_a_503(make_app) -> None:
    from plancheck.errors import ModelNotFoundError

    def missing(_dir):
        raise ModelNotFoundError("no model in models/: run `plancheck train`")

    with TestClient(make_app(loader=missing)) as c:
        response = c.post("/v1/classify", json={"text": "hello"})
        assert_error(response, 503, "model_not_loaded")
        assert response.headers["retry-after"]


def test_unknown_path_and_method(client: TestClient) -> None:
    assert_error(client.get("/v1/nothing"), 404, "not_found")
    assert_error(client.get("/v1/classify"), 405, "method_not_allowed")


def test_error_never_echoes_the_text(client: TestClient) -> None:
    secret = "SECRET-PLAN-TEXT-123"
    response = client.post("/v1/classify", json={"text": [secret]})
    assert response.status_code == 422
    assert secret not in response.text


def test_a_bug_is_a_json_500_without_the_text(make_app, classifier) -> None:
    class Broken:
        version = classifier.version
        card = classifier.card

        def classify(self, text: str) -> dict:
            raise RuntimeError("boom")

        classify_many = classify

    with TestClient(make_app(loader=lambda _d: Broken()), raise_server_exceptions=False) as c:
        response = c.post("/v1/classify", json={"text": "a private plan"})
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
    assert "private" not in response.text


@pytest.mark.parametrize("bad_id", [True, False, 1.5, [1]])
def test_ids_are_strings_or_integers(client: TestClient, plans, bad_id) -> None:
    r = client.post("/v1/classify", json={"id": bad_id, "text": plans.en})
    assert r.status_code == 422, r.text
