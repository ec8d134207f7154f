"""Reload reaches every worker: ``uvicorn --workers 2`` with the real loader.

Each worker is its own process with its own model slot; after ``current`` is switched and
one ``POST /v1/admin/reload`` lands on one of them, every answer must come from the new
model (fresh connections, so the kernel spreads them over both workers).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from plancheck.artifacts import set_current
from tests.api.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def two_workers(two_versions: Path) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "PLANCHECK_MODELS_DIR": str(two_versions),
        "PLANCHECK_LOG_LEVEL": "WARNING",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    }
    env.pop("PLANCHECK_API_KEY", None)
    cmd = [sys.executable, "-m", "uvicorn", "api.main:app", "--host", "127.0.0.1"]
    cmd += ["--port", str(port), "--workers", "2", "--log-level", "warning"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        ready = 0
        while ready < 20:  # twenty answers in a row: both workers are up
            assert proc.poll() is None and time.monotonic() < deadline, "uvicorn did not start"
            try:
                ok = httpx.get(f"{url}/readyz", timeout=5).status_code == 200
            except httpx.HTTPError:
                ok = False
            ready = ready + 1 if ok else 0
            time.sleep(0.02 if ok else 0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def _versions(url: str, n: int) -> list[str]:
    """The served version in ``n`` requests, each on a fresh connection."""
    return [httpx.get(f"{url}/v1/model", timeout=30).json()["version"] for _ in range(n)]


@pytest.mark.slow
def test_reload_reaches_every_worker(two_workers: str, two_versions: Path) -> None:
    assert set(_versions(two_workers, 40)) == {"v-a"}
    set_current("v-b", two_versions)
    reload = httpx.post(f"{two_workers}/v1/admin/reload", json={}, timeout=120)
    assert reload.status_code == 200, reload.text
    assert reload.json()["version"] == "v-b"
    assert set(_versions(two_workers, 200)) == {"v-b"}


def test_reload_touches_current_so_other_workers_load_again(tmp_path: Path, classifier) -> None:
    """Two apps on one models folder stand for two workers: a reload on one (the pointer
    naming the same version) makes the other load again on its next request."""
    models = tmp_path / "models"
    models.mkdir()
    (models / "current").write_text("v-a\n", encoding="utf-8")
    loads = {"a": 0, "b": 0}

    def loader(name: str):
        def load(_dir: Path):
            loads[name] += 1
            return classifier

        return load

    settings = Settings(models_dir=models, api_key=None, allowed_hosts=["testserver"])
    with (
        TestClient(create_app(settings, loader=loader("a"))) as a,
        TestClient(create_app(settings, loader=loader("b"))) as b,
    ):
        assert b.get("/v1/model").status_code == 200
        assert loads == {"a": 1, "b": 1}
        assert a.post("/v1/admin/reload", json={}).status_code == 200
        assert loads == {"a": 2, "b": 1}
        assert b.get("/v1/model").status_code == 200
        assert b.get("/v1/model").status_code == 200
        assert loads == {"a": 2, "b": 2}
