"""``python -m api.serve``: one parent loads the model, forks workers, and takes them down.

Each test starts the real server as a subprocess on a free port with 2 workers, against a
copy of the quick model, and checks what a user and an operator see: ready, classify,
two worker pids answering (the ``X-Worker-Pid`` header), a reload reaching both, a dead
worker replaced, and no process left after SIGTERM, Ctrl-C or the parent's death.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil
import pytest

from plancheck.artifacts import set_current
from tests.api.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    url: str

    def workers(self) -> set[int]:
        return {c.pid for c in psutil.Process(self.proc.pid).children()}

    def pids(self, n: int) -> set[int]:
        """The worker pids that answered ``n`` requests, each on a fresh connection."""
        return {
            int(httpx.get(f"{self.url}/readyz", timeout=10).headers["x-worker-pid"])
            for _ in range(n)
        }

    def wait_gone(self, pids: set[int], timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not [p for p in pids if psutil.pid_exists(p) and _alive(p)]:
                return
            time.sleep(0.05)
        raise AssertionError(f"still running: {[p for p in pids if psutil.pid_exists(p)]}")


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.fixture
def server(two_versions: Path) -> Iterator[Server]:
    port = free_port()
    env = {
        **os.environ,
        "PLANCHECK_MODELS_DIR": str(two_versions),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    }
    env.pop("PLANCHECK_API_KEY", None)
    cmd = [sys.executable, "-m", "api.serve", "--workers", "2", "--host", "127.0.0.1"]
    cmd += ["--port", str(port), "--log-level", "WARNING", "--graceful-timeout", "10"]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, "the server exited"
            assert time.monotonic() < deadline, "not ready after 60 s"
            try:
                if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        yield Server(proc, url)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # any worker left behind by a failed test
        except ProcessLookupError:
            pass


@pytest.mark.slow
def test_two_workers_answer_follow_a_reload_and_stop_on_sigterm(
    server: Server, two_versions: Path, plans
) -> None:
    workers = server.workers()
    assert len(workers) == 2
    r = httpx.post(f"{server.url}/v1/classify", json={"text": plans.en}, timeout=30)
    assert r.status_code == 200, r.text
    assert r.json()["label"] in {"strategy", "campaign", "other"}
    assert int(r.headers["x-worker-pid"]) in workers
    assert server.pids(60) == workers  # fresh connections reach both

    set_current("v-b", two_versions)
    reload = httpx.post(f"{server.url}/v1/admin/reload", json={}, timeout=60)
    assert reload.status_code == 200, reload.text
    answers = [httpx.get(f"{server.url}/v1/model", timeout=30) for _ in range(40)]
    assert {a.json()["version"] for a in answers} == {"v-b"}
    assert {int(a.headers["x-worker-pid"]) for a in answers} == workers

    server.proc.send_signal(signal.SIGTERM)
    assert server.proc.wait(20) == 0
    server.wait_gone(workers)


@pytest.mark.slow
def test_a_dead_worker_is_replaced_and_ctrl_c_leaves_no_process(server: Server) -> None:
    workers = server.workers()
    victim = min(workers)
    os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + 15
    while (now := server.workers()) == workers or len(now) < 2:
        assert time.monotonic() < deadline, "the dead worker was not replaced"
        time.sleep(0.05)
    assert victim not in now and len(now) == 2
    assert httpx.get(f"{server.url}/readyz", timeout=10).status_code == 200
    assert server.pids(60) == now  # the new worker serves without loading anything

    os.killpg(server.proc.pid, signal.SIGINT)  # Ctrl-C: the whole process group
    assert server.proc.wait(20) == 0
    server.wait_gone(now)


@pytest.mark.slow
def test_workers_stop_when_the_parent_is_killed(server: Server) -> None:
    workers = server.workers()
    server.proc.kill()
    server.proc.wait(10)
    server.wait_gone(workers)  # PR_SET_PDEATHSIG: no orphan keeps the port


def test_connections_accepted_on_the_bound_socket_have_nagle_off() -> None:
    # asyncio sets TCP_NODELAY only on sockets whose proto is IPPROTO_TCP; without it a
    # response written as headers then body waits for the client's delayed ACK (~40 ms).
    import asyncio
    import socket

    from api.serve import bind

    async def accepted_nodelay() -> int:
        sock = bind("127.0.0.1", 0, reuse_port=True)
        seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                s = transport.get_extra_info("socket")
                seen.set_result(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        server = await asyncio.get_running_loop().create_server(Probe, sock=sock)
        async with server:
            _, writer = await asyncio.open_connection("127.0.0.1", sock.getsockname()[1])
            value = await asyncio.wait_for(seen, 10)
            writer.close()
        return value

    assert asyncio.run(accepted_nodelay()) != 0
