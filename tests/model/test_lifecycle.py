"""Model lifecycle: the promotion gate, forcing with a logged reason, rollback, pruning,
``models list`` — and a reload of the running API under concurrent requests that loses none.

Two real models are used: the session's quick model (``A``, copied in) and one trained here
with the same parameters on the same corpus (``B``; training is deterministic, so ``B``
has ``A``'s metrics and passes the gate against it). Worse, better and old models are copies
of these with edited model cards (the gate reads only the cards; the joblib hash still
matches, so the copies load).
"""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
import uvicorn
from typer.testing import CliRunner

from api.main import create_app
from api.settings import Settings
from plancheck import ModelNotFoundError, config, load_model
from plancheck.artifacts import CARD_FILE, CURRENT, HISTORY, current_version, set_current
from plancheck.cli import app as cli
from plancheck.lifecycle import (
    PROMOTION_TOLERANCE,
    gate,
    list_models,
    promote,
    prune,
    rollback,
    train_candidate,
)

from ..conftest import QUICK

pytestmark = pytest.mark.slow


def clone(models: Path, source: str, version: str, **test_metrics: float) -> str:
    """Copy model ``source`` as ``version``, overriding some of its test metrics."""
    shutil.copytree(models / source, models / version)
    path = models / version / CARD_FILE
    card = json.loads(path.read_text(encoding="utf-8"))
    card["version"] = version
    card["metrics"]["test"].update(test_metrics)
    path.write_text(json.dumps(card, ensure_ascii=False), encoding="utf-8")
    return version


def card_metric(models: Path, version: str, key: str) -> float:
    card = json.loads((models / version / CARD_FILE).read_text(encoding="utf-8"))
    return card["metrics"]["test"][key]


def history(models: Path) -> list[dict]:
    path = models / HISTORY
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def registry(tmp_path_factory, models_dir, trained_version) -> SimpleNamespace:
    """A models folder holding A, an unbeatable copy of it (current while B was trained), and B."""
    root = tmp_path_factory.mktemp("lifecycle")
    models = root / "models"
    models.mkdir()
    a = trained_version
    shutil.copytree(models_dir / a, models / a)
    best = clone(models, a, "20000101-000000-best00", macro_f1=1.0, element_micro_f1=1.0)
    set_current(best, models, reason="fixture: an unbeatable current model")
    # B learns from one training plan fewer: another model (the same corpus would give A
    # again, which the gate answers with "nothing changed"), judged on the same test split.
    corpus = root / "plans.jsonl"
    lines = config.CORPUS_PATH.read_text(encoding="utf-8").splitlines(keepends=True)
    dropped = next(i for i, line in enumerate(lines) if '"split": "train"' in line)
    corpus.write_text("".join(lines[:dropped] + lines[dropped + 1 :]), encoding="utf-8")
    trained = train_candidate(
        corpus,
        models,
        root / "reports",
        params=QUICK,
        promote=True,
        with_fasttext=False,
    )
    return SimpleNamespace(models=models, a=a, b=trained.version, best=best, trained=trained)


@pytest.fixture
def models(registry, tmp_path) -> Path:
    """A fresh copy of the registry with A current and a one-line history."""
    m = tmp_path / "models"
    shutil.copytree(registry.models, m)
    (m / HISTORY).unlink()
    (m / CURRENT).unlink()
    set_current(registry.a, m, reason="test setup")
    return m


# --- the gate ---------------------------------------------------------------------------


def test_training_refuses_a_candidate_worse_than_current(registry):
    t = registry.trained
    assert not t.promoted
    assert not t.gate["passed"]
    assert "macro_f1" in t.gate["why"] and "element_micro_f1" in t.gate["why"]
    assert current_version(registry.models) == registry.best, "current must not move"
    assert t.card["metrics"]["test"]["macro_f1"] < 1.0


def test_gate_tolerance_boundaries():
    current = {"metrics": {"test": {"macro_f1": 0.9, "element_micro_f1": 0.8}}}

    def card(macro: float, element: float) -> dict:
        return {"metrics": {"test": {"macro_f1": macro, "element_micro_f1": element}}}

    assert gate(card(0.9 - PROMOTION_TOLERANCE, 0.8 - PROMOTION_TOLERANCE), current)["passed"]
    assert gate(card(0.95, 0.85), current)["passed"]
    below = gate(card(0.9 - PROMOTION_TOLERANCE - 1e-6, 0.8), current)
    assert not below["passed"] and "macro_f1" in below["why"]
    assert not below["checks"]["macro_f1"]["ok"] and below["checks"]["element_micro_f1"]["ok"]
    elements_only = gate(card(0.95, 0.8 - 2 * PROMOTION_TOLERANCE), current)
    assert not elements_only["passed"] and "element_micro_f1" in elements_only["why"]
    assert gate(card(0.1, 0.1), None)["passed"], "no current model: anything goes"
    assert not gate({"metrics": {}}, current)["passed"], "a card without test metrics"


def test_promote_a_candidate_that_passes(models, registry):
    a, b = registry.a, registry.b
    for key in ("macro_f1", "element_micro_f1"):  # one plan fewer: about the same numbers
        assert card_metric(models, b, key) >= card_metric(models, a, key) - PROMOTION_TOLERANCE
    verdict = promote(b, models)
    assert verdict["promoted"] and verdict["passed"]
    assert current_version(models) == b
    assert load_model(models_dir=models).version == b
    last = history(models)[-1]
    assert (last["from"], last["to"]) == (a, b)
    assert last["reason"].startswith("promoted")
    again = promote(b, models)
    assert not again["promoted"] and "already current" in again["why"]


def test_promote_refuses_a_worse_candidate(models, registry):
    a, b = registry.a, registry.b
    worse = clone(
        models,
        b,
        "20300101-000000-worse0",
        macro_f1=card_metric(models, a, "macro_f1") - 2 * PROMOTION_TOLERANCE,
    )
    before = history(models)
    verdict = promote(worse, models)
    assert not verdict["promoted"] and not verdict["passed"]
    assert "macro_f1" in verdict["why"] and "element_micro_f1" not in verdict["why"]
    assert current_version(models) == a
    assert history(models) == before, "a refusal changes nothing"

    better = clone(models, b, "20300101-000000-better", macro_f1=1.0, element_micro_f1=1.0)
    assert promote(better, models)["promoted"]
    assert current_version(models) == better


def test_promote_replaces_a_current_model_that_no_longer_loads(models, registry):
    """After the signal rules change, the current model cannot be re-evaluated on the new
    split (nor serve): the gate says so and lets a model built with this code in."""
    stale = clone(models, registry.a, "20300101-000000-stale0")
    path = models / stale / CARD_FILE
    card = json.loads(path.read_text(encoding="utf-8"))
    card["signals_sha256"] = "0" * 64
    card["metrics"]["test"]["split_sha256"] = "an older split"
    path.write_text(json.dumps(card, ensure_ascii=False), encoding="utf-8")
    set_current(stale, models, reason="test: a model from before a rules change")
    verdict = promote(registry.b, models)
    assert verdict["promoted"] and verdict["passed"]
    assert "no longer loads" in verdict["why"] and "signal rules" in verdict["why"]
    assert current_version(models) == registry.b


def test_force_needs_a_reason_and_logs_it(models, registry):
    worse = clone(models, registry.b, "20300101-000000-worse0", element_micro_f1=0.0)
    with pytest.raises(ValueError, match="reason"):
        promote(worse, models, force=True)
    assert current_version(models) == registry.a
    reason = "Ramadan season: the new hard cases lower test F1; accepted by the analytics lead"
    verdict = promote(worse, models, force=True, reason=reason)
    assert verdict["promoted"] and not verdict["passed"]
    assert current_version(models) == worse
    last = history(models)[-1]
    assert (last["from"], last["to"], last["reason"]) == (registry.a, worse, reason)


# --- rollback and prune ---------------------------------------------------------------


def test_rollback_returns_to_the_previous_current(models, registry):
    a, b = registry.a, registry.b
    with pytest.raises(ModelNotFoundError, match="nothing to roll back to"):
        rollback(models)
    promote(b, models)
    assert rollback(models) == a
    assert current_version(models) == a
    assert load_model(models_dir=models).version == a
    last = history(models)[-1]
    assert (last["from"], last["to"], last["reason"]) == (b, a, f"rollback from {b}")
    assert rollback(models) == b, "rolling back a rollback restores the promotion"


def test_prune_keeps_the_newest_and_the_current(models, registry):
    old = [clone(models, registry.a, f"2001010{i}-000000-old000") for i in range(1, 4)]
    set_current(old[0], models)  # a copy of A (promote would say "nothing changed")
    removed = prune(1, models)
    kept = sorted(p.name for p in models.iterdir() if (p / CARD_FILE).is_file())
    assert kept == sorted({old[0], registry.b}), "the newest version and the current one"
    assert set(removed) == {registry.best, *old[1:], registry.a}
    assert current_version(models) == old[0]
    assert load_model(models_dir=models).version == old[0]
    with pytest.raises(ValueError):
        prune(0, models)


# --- the CLI --------------------------------------------------------------------------


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_cli_models_list(models, registry):
    code, out = run_cli("models", "list", "--models", str(models))
    assert code == 0, out
    lines = out.splitlines()
    assert "version" in lines[0] and "macro-F1" in lines[0] and "elem-F1" in lines[0]
    current = [line for line in lines if line.startswith("*")]
    assert len(current) == 1 and registry.a in current[0]
    rows = {line.split()[0 if not line.startswith("*") else 1]: line for line in lines[1:]}
    assert set(rows) == {registry.a, registry.b, registry.best}
    for version, line in rows.items():
        card = json.loads((models / version / CARD_FILE).read_text(encoding="utf-8"))
        assert f"{card['metrics']['test']['macro_f1']:.3f}" in line
        assert f"{card['metrics']['test']['element_micro_f1']:.3f}" in line
        assert card["corpus_sha256"][:12] in line
        assert card["created"] in line
    assert [r["version"] for r in list_models(models)] == sorted(rows)

    code, out = run_cli("models", "list", "--models", str(models / "empty"))
    assert code == 0 and "no models" in out


def test_cli_promote_force_rollback_prune(models, registry):
    a = registry.a
    worse = clone(models, registry.b, "20300101-000000-worse0", macro_f1=0.0)

    code, out = run_cli("models", "promote", worse, "--models", str(models))
    assert code == 1 and "not promoted" in out and "macro_f1" in out
    code, out = run_cli("models", "promote", worse, "--force", "--models", str(models))
    assert code == 1 and "--reason" in out
    assert current_version(models) == a

    code, out = run_cli(
        "models", "promote", worse, "--force", "--reason", "demo day", "--models", str(models)
    )
    assert code == 0 and f"{worse} is now current" in out
    assert history(models)[-1]["reason"] == "demo day"

    code, out = run_cli("models", "rollback", "--models", str(models))
    assert code == 0 and f"current is now {a}" in out

    code, out = run_cli("models", "prune", "--keep", "1", "--models", str(models))
    assert code == 0 and "removed 2 version(s)" in out, out
    assert current_version(models) == a
    assert {p.name for p in models.iterdir() if (p / CARD_FILE).is_file()} == {a, worse}


# --- reload under load ----------------------------------------------------------------

API_KEY = "lifecycle-test-key"
TEXTS = [
    "استراتيجية التواصل الاجتماعي لشركتنا للسنوات الثلاث القادمة. الهدف: زيادة الوعي "
    "بالعلامة التجارية. نراجع الخطة كل ستة أشهر ونقيس التفاعل شهرياً.",
    "Ramadan campaign: 30 days of daily Instagram stories. Goal: sell 5,000 gift boxes "
    "with a 25% discount. Budget: 40,000 SAR for paid ads.",
]


@contextmanager
def serve(models: Path) -> Iterator[str]:
    """The real API (real loader, API key on) under uvicorn on 127.0.0.1, in a thread."""
    app = create_app(Settings(models_dir=models, api_key=API_KEY, log_level="WARNING"))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()


def wait_until(condition: Callable[[], bool], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_reload_under_concurrent_requests_loses_none(models, registry):
    a, b = registry.a, registry.b
    records: list[tuple[float, int | None, str]] = []  # (sent at, status, version or error)
    lock = threading.Lock()
    stop = threading.Event()

    def hammer(i: int) -> None:
        headers = {"X-API-Key": API_KEY}
        with httpx.Client(base_url=url, headers=headers, timeout=60) as client:
            k = 0
            while not stop.is_set():
                sent = time.monotonic()
                try:
                    r = client.post("/v1/classify", json={"text": TEXTS[(i + k) % len(TEXTS)]})
                    rec = (sent, r.status_code, r.json().get("model_version", r.text))
                except Exception as exc:  # a dropped connection is a failure too
                    rec = (sent, None, repr(exc))
                with lock:
                    records.append(rec)
                k += 1

    with serve(models) as url:
        workers = [threading.Thread(target=hammer, args=(i,)) for i in range(6)]
        for w in workers:
            w.start()
        try:
            wait_until(lambda: len(records) >= 30)
            assert promote(b, models)["promoted"]
            refused = httpx.post(f"{url}/v1/admin/reload", json={}, timeout=60)
            assert refused.status_code == 401, "reload needs the API key"
            reload = httpx.post(
                f"{url}/v1/admin/reload", json={}, headers={"X-API-Key": API_KEY}, timeout=120
            )
            reloaded_at = time.monotonic()
            n = len(records)
            wait_until(lambda: len(records) >= n + 30)
        finally:
            stop.set()
            for w in workers:
                w.join(60)
        assert reload.status_code == 200, reload.text
        # Every worker also follows models/current on its own: it may have switched to b
        # between the promotion and this call, and then the reload has nothing left to change.
        body = reload.json()
        assert body["version"] == b
        assert (body["changed"], body["previous_version"]) in {(True, a), (False, b)}, body
        card = httpx.get(f"{url}/v1/model", headers={"X-API-Key": API_KEY}, timeout=30)
        assert card.status_code == 200 and card.json()["version"] == b

    failures = [r for r in records if r[1] != 200]
    assert not failures, f"{len(failures)} of {len(records)} requests failed: {failures[:5]}"
    assert {r[2] for r in records} == {a, b}, "traffic ran on both models"
    after = [r[2] for r in records if r[0] > reloaded_at]
    assert after and set(after) == {b}, "requests sent after the reload get the new model"
