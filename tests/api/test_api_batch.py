"""POST /v1/classify/batch: input order, ids, per-item errors, limits."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.test_api_classify import assert_error, assert_result_shape


def test_results_in_input_order_with_ids(client: TestClient, plans, classifier) -> None:
    items = [
        {"id": "a", "text": plans.en},
        {"id": 2, "text": plans.ar},
        {"id": "c", "text": plans.en + "\nAudience: students aged 18-24."},
    ]
    response = client.post("/v1/classify/batch", json={"items": items})
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["id"] for r in results] == ["a", 2, "c"]
    for item, result in zip(items, results, strict=True):
        assert_result_shape(result, item["text"])
        expected = classifier.classify(item["text"])
        assert result["label"] == expected["label"]
        assert result["missing"] == expected["missing"]
    assert results[0]["language"] == "en" and results[1]["language"] == "ar"


def test_bad_items_get_errors_and_the_rest_is_classified(
    client, plans, classifier, is_fake
) -> None:
    if is_fake:
        classifier.calls.clear()
    items = [
        {"id": "empty", "text": ""},
        {"id": "ok-1", "text": plans.ar},
        {"id": "spaces", "text": "  \n "},
        {"id": "long", "text": "x" * 100_001},
        {"id": "ok-2", "text": plans.en},
    ]
    response = client.post("/v1/classify/batch", json={"items": items})
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["id"] for r in results] == ["empty", "ok-1", "spaces", "long", "ok-2"]
    assert results[0] == {"id": "empty", "error": results[0]["error"]}
    assert results[0]["error"]["code"] == "empty_text"
    assert results[2]["error"]["code"] == "empty_text"
    assert results[3]["error"]["code"] == "text_too_long"
    assert "label" in results[1] and "label" in results[4]
    assert results[1]["language"] == "ar" and results[4]["language"] == "en"
    if is_fake:
        assert classifier.calls == [2]  # one vectorised call with the good texts only


def test_all_items_bad(client: TestClient) -> None:
    response = client.post("/v1/classify/batch", json={"items": [{"id": 1, "text": " "}]})
    assert response.status_code == 200
    assert response.json() == {
        "results": [{"id": 1, "error": response.json()["results"][0]["error"]}]
    }


def test_library_refusal_is_isolated_per_item(make_app, classifier, plans) -> None:
    from plancheck.errors import InputError

    class Picky:
        """Refuses texts containing 'refuse' even though the API's checks pass them."""

        version = classifier.version
        card = classifier.card

        def classify(self, text: str) -> dict:
            if "refuse" in text:
                raise InputError("this text cannot be classified")
            return classifier.classify(text)

        def classify_many(self, texts: list[str]) -> list[dict]:
            if any("refuse" in t for t in texts):
                raise InputError("text #1: this text cannot be classified")
            return classifier.classify_many(texts)

    items = [{"id": 1, "text": plans.en}, {"id": 2, "text": "please refuse me"}]
    with TestClient(make_app(loader=lambda _d: Picky())) as c:
        results = c.post("/v1/classify/batch", json={"items": items}).json()["results"]
    assert results[0]["label"]
    assert results[1] == {
        "id": 2,
        "error": {"code": "invalid_text", "message": "this text cannot be classified"},
    }


def test_too_many_items(make_app, plans) -> None:
    with TestClient(make_app(max_batch_items=3)) as c:
        items = [{"id": i, "text": plans.en} for i in range(4)]
        error = assert_error(
            c.post("/v1/classify/batch", json={"items": items}), 413, "too_many_items"
        )
        assert "3" in error["message"]
        assert c.post("/v1/classify/batch", json={"items": items[:3]}).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"items": []},
        {},
        {"items": [{"text": "no id"}]},
        {"items": [{"id": "x"}]},
        {"items": [{"id": None, "text": "a"}]},
        {"items": "not a list"},
        {"text": "single-text body sent to batch"},
    ],
)
def test_malformed_batch(client: TestClient, body) -> None:
    assert_error(client.post("/v1/classify/batch", json=body), 422, "validation_error")


def test_batch_wrong_content_type_and_bad_json(client: TestClient) -> None:
    assert_error(
        client.post("/v1/classify/batch", content=b"x", headers={"Content-Type": "text/plain"}),
        415,
        "unsupported_media_type",
    )
    assert_error(
        client.post(
            "/v1/classify/batch", content=b"{", headers={"Content-Type": "application/json"}
        ),
        400,
        "invalid_json",
    )


def test_batch_body_over_the_limit(make_app) -> None:
    with TestClient(make_app(max_body_bytes=4096)) as c:
        items = [{"id": i, "text": "خطة " * 200} for i in range(10)]
        assert_error(c.post("/v1/classify/batch", json={"items": items}), 413, "body_too_large")
