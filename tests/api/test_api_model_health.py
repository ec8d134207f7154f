"""Health, readiness, the model card, and reloading without dropping requests."""

from __future__ import annotations

import threading
import time
from typing import Any

from fastapi.testclient import TestClient

from plancheck.errors import ModelIntegrityError, ModelNotFoundError
from tests.api.test_api_classify import assert_error


class Renamed:
    """The fixture's classifier under another version (what a re-pointed `current` gives)."""

    def __init__(self, inner: Any, version: str, gate: threading.Event | None = None) -> None:
        self.inner = inner
        self.version = version
        self.card = {**inner.card, "version": version}
        self.gate = gate
        self.entered = threading.Event()

    def _wait(self) -> None:
        self.entered.set()
        if self.gate is not None:
            assert self.gate.wait(10), "test gate never opened"

    def classify(self, text: str) -> dict:
        self._wait()
        return {**self.inner.classify(text), "model_version": self.version}

    def classify_many(self, texts: list[str]) -> list[dict]:
        self._wait()
        return [{**r, "model_version": self.version} for r in self.inner.classify_many(texts)]


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_when_loaded(client: TestClient, classifier) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "model_version": classifier.version}


def test_readyz_without_a_model_and_healthz_still_alive(make_app) -> None:
    def missing(_dir):
        raise ModelNotFoundError("no model: run `plancheck train`")

    with TestClient(make_app(loader=missing)) as c:
        error = assert_error(c.get("/readyz"), 503, "not_ready")
        assert "plancheck train" in error["message"]
        assert c.get("/healthz").status_code == 200
        assert_error(c.get("/v1/model"), 503, "model_not_loaded")


def test_model_card(client: TestClient, classifier) -> None:
    response = client.get("/v1/model")
    assert response.status_code == 200
    card = response.json()
    assert card["version"] == classifier.version
    for key, value in classifier.card.items():
        assert key in card
        if isinstance(value, str | int | float | bool):
            assert card[key] == value


def test_model_is_loaded_once_at_start(make_app, classifier, plans) -> None:
    loads: list[int] = []

    def loader(_dir):
        loads.append(1)
        return classifier

    with TestClient(make_app(loader=loader)) as c:
        for _ in range(3):
            c.post("/v1/classify", json={"text": plans.en})
    assert loads == [1]


def test_reload_swaps_the_model(make_app, classifier, plans) -> None:
    versions = iter(["v-old", "v-new"])
    with TestClient(make_app(loader=lambda _d: Renamed(classifier, next(versions)))) as c:
        assert c.get("/v1/model").json()["version"] == "v-old"
        response = c.post("/v1/admin/reload", json={})
        assert response.status_code == 200
        assert response.json() == {
            "version": "v-new",
            "previous_version": "v-old",
            "changed": True,
        }
        assert c.get("/v1/model").json()["version"] == "v-new"
        assert c.post("/v1/classify", json={"text": plans.en}).json()["model_version"] == "v-new"
        assert c.get("/readyz").json()["model_version"] == "v-new"


def test_reload_loads_a_model_when_none_was_there(make_app, classifier) -> None:
    attempts = iter([ModelNotFoundError("none yet"), classifier])

    def loader(_dir):
        item = next(attempts)
        if isinstance(item, Exception):
            raise item
        return item

    with TestClient(make_app(loader=loader)) as c:
        assert c.get("/readyz").status_code == 503
        body = c.post("/v1/admin/reload", json={}).json()
        assert body == {"version": classifier.version, "previous_version": None, "changed": True}
        assert c.get("/readyz").status_code == 200


def test_failed_reload_keeps_serving_the_old_model(make_app, classifier, plans) -> None:
    attempts = iter([classifier, ModelIntegrityError("sha256 mismatch for model.pkl")])

    def loader(_dir):
        item = next(attempts)
        if isinstance(item, Exception):
            raise item
        return item

    with TestClient(make_app(loader=loader)) as c:
        error = assert_error(c.post("/v1/admin/reload", json={}), 503, "reload_failed")
        assert "sha256" in error["message"] and classifier.version in error["message"]
        assert c.post("/v1/classify", json={"text": plans.en}).status_code == 200
        assert c.get("/readyz").status_code == 200


def test_reload_does_not_drop_an_in_flight_request(make_app, classifier, plans) -> None:
    gate = threading.Event()
    old = Renamed(classifier, "v-old", gate=gate)
    new = Renamed(classifier, "v-new")
    models = iter([old, new])
    with TestClient(make_app(loader=lambda _d: next(models))) as c:
        slow: dict[str, Any] = {}

        def in_flight() -> None:
            slow["response"] = c.post("/v1/classify", json={"text": plans.ar})

        thread = threading.Thread(target=in_flight)
        thread.start()
        assert old.entered.wait(10)  # the request is inside the old model now
        reload = c.post("/v1/admin/reload", json={})  # must not wait for, nor break, that request
        assert reload.json()["version"] == "v-new"
        fresh = c.post("/v1/classify", json={"text": plans.en})
        assert fresh.json()["model_version"] == "v-new"
        gate.set()
        thread.join(10)
        assert slow["response"].status_code == 200
        assert slow["response"].json()["model_version"] == "v-old"


def test_requests_do_not_block_each_other(make_app, classifier, plans) -> None:
    """A slow classification runs in the thread pool: health checks answer meanwhile."""
    gate = threading.Event()
    slow_model = Renamed(classifier, "slow", gate=gate)
    with TestClient(make_app(loader=lambda _d: slow_model)) as c:
        thread = threading.Thread(target=lambda: c.post("/v1/classify", json={"text": plans.en}))
        thread.start()
        assert slow_model.entered.wait(10)
        start = time.perf_counter()
        assert c.get("/healthz").status_code == 200
        assert time.perf_counter() - start < 2
        gate.set()
        thread.join(10)
