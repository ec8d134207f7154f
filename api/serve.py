"""Serve the API from preforked workers: import and load the model once, then fork.

Usage:  python -m api.serve [--workers N] [--host 127.0.0.1] [--port 8000] [--shared-socket]

``uvicorn api.main:app --workers N`` spawns N fresh interpreters, and each pays the imports
(scikit-learn, FastAPI, the signal rules: ~3 s on an idle core) and loads the model; on a
busy 2-core machine, ready took ~10 s with 2 workers (bench/RESULTS.md, issue 13). Here one
parent process does all of that once, warms the model up with one ``classify``, binds the
socket and then ``os.fork()``\\ s the workers. Each worker runs a ``uvicorn.Server`` on its
socket, starts ready (its lifespan only follows ``models/current`` if it changed
since the parent loaded), and shares the model's pages with the parent and its siblings
(copy-on-write; ``gc.freeze()`` keeps the collector from writing to them).

Sockets: each worker listens on its own ``SO_REUSEPORT`` socket (bound in the parent just
before the worker's fork), and the kernel spreads new connections over them by a hash of the
client's address and port, so a few keep-alive clients are split about evenly whatever the
workers are doing. With ``--shared-socket`` all workers accept on one inherited socket
instead, and whichever worker's event loop wakes first accepts every connection waiting: in
bench/RESULTS.md, 8 connections opened at once all landed on one of 2 workers in a third of
the trials (1 in 150 with SO_REUSEPORT). Before binding, the parent checks that nothing else
listens on the port (an ordinary bind), so a second server fails with "address in use"
instead of silently taking a share of the connections.

The parent creates no event loop and no Python thread before it forks (uvicorn and anyio
start clean in each worker). It then waits for signals:

- SIGTERM, SIGINT or SIGHUP: every worker gets SIGTERM (uvicorn's graceful shutdown: open
  requests finish), any worker still running after ``--graceful-timeout`` seconds gets
  SIGKILL, and the parent exits 0. Ctrl-C in a terminal reaches the workers directly too.
- A worker that exits while the server is not stopping is reported on stderr and forked
  again (from the parent, which still holds the loaded model; the new worker follows
  ``models/current`` if it changed meanwhile). If workers die more than ``MAX_RESTARTS``
  times within ``RESTART_WINDOW_S`` seconds, the parent stops the others and exits 1.
- If the parent itself is killed (SIGKILL), the workers get SIGTERM from the kernel
  (``PR_SET_PDEATHSIG``), so no orphan keeps the port.

Each response carries ``X-Worker-Pid`` (the pid of the worker that answered), so tests and
benchmarks can see how requests are spread.

``uvicorn api.main:app`` (with or without ``--workers``) and ``python -m api.main`` still
work as before.
"""

from __future__ import annotations

import os

# One BLAS/OpenMP thread per worker: the workers are the parallelism (one per core), and no
# native thread pool should be running in the parent when it forks. Set before numpy loads.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import ctypes  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from typing import Any  # noqa: E402

log = logging.getLogger("plancheck.api.serve")

#: More worker deaths than this within RESTART_WINDOW_S seconds stop the server (exit 1).
MAX_RESTARTS = 5
RESTART_WINDOW_S = 60.0

#: Signals the parent handles; they are blocked in the parent and read with sigtimedwait.
STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP}
WAITED = STOP_SIGNALS | {signal.SIGCHLD}

#: A text for the warm-up ``classify`` in the parent (lazily compiled patterns, caches).
WARM_UP_TEXT = (
    "Ramadan campaign: 30 days of daily Instagram stories. Budget: 40,000 SAR.\n"
    "استراتيجية التواصل الاجتماعي للسنوات الثلاث القادمة، نراجعها كل ستة أشهر."
)

_PR_SET_PDEATHSIG = 1


def default_workers() -> int:
    """The CPUs this process may run on, between 1 and 4."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 4))


def bind(host: str, port: int, reuse_port: bool, backlog: int = 2048) -> socket.socket:
    """A listening TCP socket on ``host:port`` (IPv6 when the host is an IPv6 address)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # The protocol must be named: asyncio switches Nagle's algorithm off (TCP_NODELAY) only on
    # sockets whose ``proto`` is IPPROTO_TCP, and accepted sockets copy the listener's. With
    # proto 0, a response written as headers then body waited for the client's delayed ACK
    # (~40 ms), and each keep-alive connection managed ~20 requests/s however many cores
    # served it (bench/RESULTS.md, issue 13, "Nagle").
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError:
        sock.close()
        raise
    sock.listen(backlog)
    sock.set_inheritable(True)
    return sock


def probe_port(host: str, port: int) -> None:
    """Raise ``OSError`` (address in use) if a socket listens on ``host:port``, even one with
    ``SO_REUSEPORT`` (a bind without it conflicts with any listener); nothing is left bound."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is no owner
        probe.bind((host.strip("[]"), port))


def worker_pid_header(app: Any) -> Callable[..., Any]:
    """Wrap an ASGI app so every HTTP response says which worker process answered."""

    async def wrapped(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return

        async def send_with_pid(message: Any) -> None:
            if message["type"] == "http.response.start":
                pid = (b"x-worker-pid", str(os.getpid()).encode())
                message["headers"] = [*message.get("headers", []), pid]
            await send(message)

        await app(scope, receive, send_with_pid)

    return wrapped


def build_app(host: str, port: int, log_level: str) -> Any:
    """Import the app module, build the app and load its model (in the parent, once)."""
    from api.main import create_app
    from api.settings import Settings

    settings = Settings(host=host, port=port, log_level=log_level)  # type: ignore[arg-type]
    app = create_app(settings)
    slot = app.state.models
    try:
        model = slot.load()
        model.classify(WARM_UP_TEXT)
        log.info(json.dumps({"event": "model_loaded", "version": model.version}))
    except Exception as exc:  # serve anyway: /readyz says 503 until a reload succeeds
        log.error(json.dumps({"event": "model_load_failed", "error": str(exc)}))
    app.state.preloaded = True  # the workers' lifespan follows `current`, no second load
    if getattr(app, "middleware_stack", True) is None:  # Starlette builds it on first call
        app.middleware_stack = app.build_middleware_stack()
    return app


@dataclass
class Prefork:
    """The parent: forks ``workers`` processes serving ``app`` and watches them."""

    app: Any
    workers: int
    host: str
    port: int
    reuse_port: bool = True
    log_level: str = "info"
    access_log: bool = False
    graceful_timeout: float = 30.0
    sock: socket.socket | None = None
    config: Any = None  # uvicorn.Config, built and loaded before the fork
    children: dict[int, int] = field(default_factory=dict)  # pid -> worker index
    deaths: list[float] = field(default_factory=list)

    def run(self) -> int:
        """Fork the workers, then wait for signals and worker exits; the exit status."""
        # Shared socket: bound once here, every worker accepts on it. SO_REUSEPORT: one
        # socket per worker, bound here just before its fork (a port in use fails in the
        # parent) and closed here after it, so only workers hold listening sockets (the
        # kernel would hand a share of the connections to any socket in the group).
        self.config = self._uvicorn_config()
        if self.reuse_port:
            probe_port(self.host, self.port)
        self.sock = bind(self.host, self.port, reuse_port=self.reuse_port)
        self.port = self.sock.getsockname()[1]  # port 0: the same port for every worker
        old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, WAITED)
        gc.freeze()  # objects so far stay out of the collector: their pages stay shared
        try:
            for index in range(self.workers):
                self._fork(index, old_mask)
            _say(
                f"serving on http://{self.host}:{self.port} with {self.workers} workers "
                f"(pids {' '.join(map(str, self.children))}; parent {os.getpid()})"
            )
            return self._watch(old_mask)
        finally:
            self._stop_all()
            signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)

    # -- the parent's loop -----------------------------------------------------------

    def _watch(self, old_mask: set[int | signal.Signals]) -> int:
        while True:
            info = signal.sigtimedwait(WAITED, 1.0)
            if info is not None and info.si_signo in STOP_SIGNALS:
                _say(f"signal {signal.Signals(info.si_signo).name}: stopping the workers")
                return 0
            for pid, status in _reap():
                index = self.children.pop(pid, None)
                if index is None:
                    continue
                _say(f"worker {pid} {_describe(status)}")
                now = time.monotonic()
                self.deaths = [t for t in self.deaths if now - t < RESTART_WINDOW_S]
                self.deaths.append(now)
                if len(self.deaths) > MAX_RESTARTS:
                    _say(
                        f"{len(self.deaths)} worker exits within {RESTART_WINDOW_S:.0f} s: "
                        "stopping"
                    )
                    return 1
                _say(f"worker {index} restarted as pid {self._fork(index, old_mask)}")

    def _stop_all(self) -> None:
        for pid in self.children:
            _kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + self.graceful_timeout
        while self.children and time.monotonic() < deadline:
            for pid, _status in _reap():
                self.children.pop(pid, None)
            if self.children:
                time.sleep(0.05)
        for pid in self.children:
            _say(f"worker {pid} still running after {self.graceful_timeout:.0f} s: SIGKILL")
            _kill(pid, signal.SIGKILL)
        for pid in list(self.children):
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        self.children.clear()
        if self.sock is not None:
            self.sock.close()

    def _uvicorn_config(self) -> Any:
        """The workers' uvicorn config, loaded here: its imports (protocols, lifespan) are
        done once, before the fork, and load no event loop."""
        import uvicorn

        config = uvicorn.Config(
            worker_pid_header(self.app),
            log_level=self.log_level.lower(),
            access_log=self.access_log,
            lifespan="on",
            timeout_graceful_shutdown=max(1, int(self.graceful_timeout) - 1),
        )
        config.load()
        return config

    # -- a worker --------------------------------------------------------------------

    def _fork(self, index: int, old_mask: set[int | signal.Signals]) -> int:
        if self.reuse_port and self.sock is None:
            self.sock = bind(self.host, self.port, reuse_port=True)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid:
            self.children[pid] = index
            if self.reuse_port and self.sock is not None:
                self.sock.close()  # the worker's own now
                self.sock = None
            return pid
        code = 1
        try:
            code = self._serve_in_child(old_mask)
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)  # never return into the parent's code (its finally blocks)

    def _serve_in_child(self, old_mask: set[int | signal.Signals]) -> int:
        parent = os.getppid()
        _die_with_parent()
        if os.getppid() != parent:  # the parent died before the line above
            return 1
        import uvicorn

        assert self.sock is not None and self.config is not None
        server = uvicorn.Server(self.config)

        def on_stop(_sig: int, _frame: Any) -> None:
            # Before uvicorn serves (a signal blocked since the fork): exit at once. After
            # it shut down, uvicorn raises the signal it handled again: exit normally.
            if not server.started:
                os._exit(0)

        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, on_stop)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
        gc.enable()
        server.run(sockets=[self.sock])
        return 0 if server.started else 1


def _reap() -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return out
        if pid == 0:
            return out
        out.append((pid, status))


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by {signal.Signals(os.WTERMSIG(status)).name}"
    return f"exited with status {os.waitstatus_to_exitcode(status)}"


def _kill(pid: int, sig: signal.Signals) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _die_with_parent() -> None:
    """Ask the kernel to send this process SIGTERM when its parent dies (Linux only)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _say(message: str) -> None:
    print(f"[api.serve {os.getpid()}] {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    """``python -m api.serve``: parse the options, load once, fork, serve."""
    ap = argparse.ArgumentParser(
        prog="python -m api.serve",
        description="Serve the plancheck API from preforked workers (model loaded once).",
    )
    ap.add_argument(
        "--workers",
        type=int,
        default=default_workers(),
        help="worker processes (default: the CPUs available, at most 4; now %(default)s)",
    )
    ap.add_argument("--host", default=os.environ.get("PLANCHECK_HOST", "127.0.0.1"))
    ap.add_argument("--port", type=int, default=int(os.environ.get("PLANCHECK_PORT", "8000")))
    ap.add_argument(
        "--shared-socket",
        action="store_true",
        help="all workers accept on one socket (default: one SO_REUSEPORT socket each)",
    )
    ap.add_argument(
        "--log-level",
        default=os.environ.get("PLANCHECK_LOG_LEVEL", "INFO").upper(),
        choices=["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"],
        type=str.upper,
    )
    ap.add_argument("--access-log", action="store_true", help="uvicorn's access log as well")
    ap.add_argument("--graceful-timeout", type=float, default=30.0)
    args = ap.parse_args(argv)
    if args.workers < 1:
        ap.error("--workers must be at least 1")
    app = build_app(args.host, args.port, args.log_level)
    server = Prefork(
        app,
        workers=args.workers,
        host=args.host,
        port=args.port,
        reuse_port=not args.shared_socket,
        log_level=args.log_level,
        access_log=args.access_log,
        graceful_timeout=args.graceful_timeout,
    )
    try:
        return server.run()
    except OSError as exc:  # the port in use, typically
        _say(f"cannot serve on {args.host}:{args.port}: {exc}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
