"""A LocalStack Lambda runtime executor that runs functions as host processes.

Each execution environment LocalStack asks for is one process: the function's ``bootstrap``
(the zip of a ``provided.*`` runtime function) started with the function's environment, talking
to a Lambda Runtime API that this executor serves on a loopback port of its own. One invocation
at a time per environment, as on AWS. There is no isolation and no memory limit, and the
bootstrap must be built for the host's architecture.

Life of an environment:
- ``start``: spawn the bootstrap, wait until it asks for its first event
  (``GET /2018-06-01/runtime/invocation/next``); an ``init/error`` post, an early exit or the
  startup timeout fail the start with the runtime's error payload.
- ``invoke``: hand the event to the waiting ``next`` request, wait for ``response`` / ``error``,
  the process exiting, or the function's timeout (then the process is killed and restarted
  before the next invocation, as AWS re-initialises after a timeout). The process' stdout and
  stderr are drained up to the moment of the answer, so the invocation's log lines reach
  CloudWatch Logs with it.
- ``stop``: SIGTERM to the process group, SIGKILL after a grace period; the Runtime API server
  is closed and the pid file removed.

Pid files (``<pid> <start time>``) go to ``$DK_LAMBDA_PID_DIR`` (default
``<LocalStack tmp dir>/dk-host-lambda``) so that a stop script can kill environments left behind
by a LocalStack that was itself killed.
"""

from __future__ import annotations

import json
import logging
import math
import os
import queue
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from localstack import config
from localstack.aws.api.lambda_ import PackageType
from localstack.services.lambda_.invocation.executor_endpoint import StatusErrorException
from localstack.services.lambda_.invocation.lambda_models import FunctionVersion, InvocationResult
from localstack.services.lambda_.invocation.runtime_executor import (
    LambdaRuntimeException,
    RuntimeExecutor,
)

LOG = logging.getLogger(__name__)

RUNTIME_API_PREFIX = "/2018-06-01/runtime"
# LocalStack-internal variables that make no sense for a host process.
DROPPED_ENV = {"LOCALSTACK_RUNTIME_ID", "LOCALSTACK_RUNTIME_ENDPOINT", "LOCALSTACK_CHMOD_PATHS"}
STOP_GRACE_SECONDS = float(os.environ.get("DK_LAMBDA_STOP_GRACE_SECONDS", "2"))
# After the answer, how long to keep collecting log lines the function writes late (ms).
LOG_SETTLE_SECONDS = float(os.environ.get("DK_LAMBDA_LOG_SETTLE_MS", "10")) / 1000


def pid_dir() -> Path:
    configured = os.environ.get("DK_LAMBDA_PID_DIR")
    path = Path(configured) if configured else Path(config.dirs.tmp) / "dk-host-lambda"
    path.mkdir(parents=True, exist_ok=True)
    return path


def gateway_host() -> str:
    host = config.GATEWAY_LISTEN[0].host
    if host in ("", "0.0.0.0", "::", "[::]"):
        return "127.0.0.1"
    return host


def _process_start_time(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[19]
    except OSError:
        return "0"


def _max_rss_mb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return math.ceil(int(line.split()[1]) / 1024)
    except (OSError, ValueError):
        pass
    return None


def _peer_closed(connection) -> bool:
    """True when the client of a waiting ``next`` request has closed its end (its process died)."""
    try:
        readable, _, _ = select.select([connection], [], [], 0)
        if not readable:
            return False
        return connection.recv(1, socket.MSG_PEEK) == b""
    except (OSError, ValueError):
        return True


@dataclass
class PendingInvocation:
    request_id: str
    payload: bytes
    function_arn: str
    trace_id: str | None
    deadline_ms: int
    result: Future = field(default_factory=Future)


class LogCollector:
    """Reads the process' merged stdout/stderr in a thread; ``drain`` takes everything written so far."""

    def __init__(self, fd: int):
        self._fd = fd
        self._lock = threading.Lock()
        self._buffer = bytearray()
        self._all = bytearray()  # bounded copy for get_logs() (startup diagnostics)
        self._eof = threading.Event()
        os.set_blocking(fd, False)
        self._thread = threading.Thread(target=self._run, name=f"dk-lambda-logs-{fd}", daemon=True)
        self._thread.start()

    def _read_available(self) -> bool:
        """Reads what the pipe holds; returns False at EOF. Caller holds the lock."""
        while True:
            try:
                chunk = os.read(self._fd, 65536)
            except BlockingIOError:
                return True
            except OSError:
                return False
            if not chunk:
                return False
            self._buffer += chunk
            self._all += chunk
            if len(self._all) > 1_000_000:
                del self._all[: len(self._all) - 500_000]

    def _run(self) -> None:
        while True:
            try:
                readable, _, _ = select.select([self._fd], [], [], 0.5)
            except (OSError, ValueError):
                break
            if readable:
                with self._lock:
                    if not self._read_available():
                        break
        with self._lock:
            self._eof.set()
            try:
                os.close(self._fd)
            except OSError:
                pass

    def drain(self) -> str:
        with self._lock:
            if not self._eof.is_set():
                self._read_available()
            data = bytes(self._buffer)
            self._buffer.clear()
        return data.decode("utf-8", errors="replace")

    def wait_eof(self, timeout: float) -> None:
        self._eof.wait(timeout)

    def everything(self) -> str:
        with self._lock:
            return bytes(self._all).decode("utf-8", errors="replace")


class RuntimeApiHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm and the
    # client's delayed ACK add ~40 ms to answers on kept-alive connections (as hyper keeps them).
    disable_nagle_algorithm = True
    server: "RuntimeApiServer"

    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        LOG.debug("runtime api %s: " + format, self.server.executor.id, *args)

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = bytearray()
            while True:
                size_line = self.rfile.readline()
                size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    # trailers until the blank line
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(data)
                data += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None):
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", (headers or {}).get("Content-Type", "application/json"))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def _accepted(self):
        self._send(HTTPStatus.ACCEPTED, b'{"status":"OK"}')

    def do_GET(self):  # noqa: N802
        if self.path != f"{RUNTIME_API_PREFIX}/invocation/next":
            self._send(HTTPStatus.NOT_FOUND, b'{"errorType":"NotFound"}')
            return
        invocation = self.server.executor._next_invocation(self.connection)
        if invocation is None:  # stopping, or the caller went away (its process died)
            self.close_connection = True
            return
        headers = {
            "Lambda-Runtime-Aws-Request-Id": invocation.request_id,
            "Lambda-Runtime-Deadline-Ms": str(invocation.deadline_ms),
            "Lambda-Runtime-Invoked-Function-Arn": invocation.function_arn,
        }
        if invocation.trace_id:
            headers["Lambda-Runtime-Trace-Id"] = invocation.trace_id
        try:
            self._send(HTTPStatus.OK, invocation.payload, headers)
        except OSError:
            self.server.executor._requeue(invocation)
            raise

    def do_POST(self):  # noqa: N802
        body = self._body()
        path = self.path
        executor = self.server.executor
        if path == f"{RUNTIME_API_PREFIX}/init/error":
            executor._init_error(body, self.headers.get("Lambda-Runtime-Function-Error-Type"))
            self._accepted()
            return
        prefix = f"{RUNTIME_API_PREFIX}/invocation/"
        if path.startswith(prefix):
            request_id, _, action = path[len(prefix) :].partition("/")
            if action in ("response", "error"):
                error_type = self.headers.get("Lambda-Runtime-Function-Error-Type")
                if executor._complete(request_id, body, action == "error", error_type):
                    self._accepted()
                else:
                    self._send(
                        HTTPStatus.BAD_REQUEST,
                        b'{"errorType":"InvalidRequestID","errorMessage":"unknown request id"}',
                    )
                return
        self._send(HTTPStatus.NOT_FOUND, b'{"errorType":"NotFound"}')


class RuntimeApiServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, executor: "HostRuntimeExecutor"):
        self.executor = executor
        super().__init__(("127.0.0.1", 0), RuntimeApiHandler)


class HostRuntimeExecutor(RuntimeExecutor):
    def __init__(self, id: str, function_version: FunctionVersion) -> None:
        super().__init__(id=id, function_version=function_version)
        self._lock = threading.RLock()
        self._server: RuntimeApiServer | None = None
        self._server_thread: threading.Thread | None = None
        self._process: subprocess.Popen | None = None
        self._logs: LogCollector | None = None
        self._env: dict[str, str] = {}
        self._tmpdir: str | None = None
        self._pidfile: Path | None = None
        self._ready = threading.Event()
        self._startup_error: bytes | None = None
        self._events: queue.Queue[PendingInvocation | None] = queue.Queue()
        self._current: PendingInvocation | None = None
        self._stopping = False
        self._init_duration_ms: float | None = None
        self._init_logs = ""

    # --- LocalStack's RuntimeExecutor interface ---------------------------------------------

    @classmethod
    def prepare_version(cls, function_version: FunctionVersion) -> None:
        if function_version.config.package_type != PackageType.Zip:
            raise LambdaRuntimeException(
                "The host Lambda executor runs zip functions only (no container images)."
            )
        if function_version.config.code:
            function_version.config.code.prepare_for_execution()
        if function_version.config.layers:
            LOG.warning(
                "Function %s has layers; the host executor ignores them (no /opt).",
                function_version.qualified_arn,
            )

    @classmethod
    def cleanup_version(cls, function_version: FunctionVersion) -> None:
        pass

    @classmethod
    def validate_environment(cls) -> bool:
        return True

    def get_address(self) -> str:
        return "127.0.0.1"

    def get_endpoint_from_executor(self) -> str:
        return gateway_host()

    def get_runtime_endpoint(self) -> str:
        if self._server:
            return f"http://127.0.0.1:{self._server.server_address[1]}"
        return f"http://{gateway_host()}:{config.GATEWAY_LISTEN[0].port}"

    def start(self, env_vars: dict[str, str]) -> None:
        self._server = RuntimeApiServer(self)
        self._server_thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.2},
            name=f"dk-lambda-api-{self.id}",
            daemon=True,
        )
        self._server_thread.start()
        self._tmpdir = tempfile.mkdtemp(prefix=f"dk-lambda-{self.id}-")
        self._env = self._environment(env_vars)
        self._spawn_and_wait()

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
            current = self._current
        self._events.put(None)
        if current and not current.result.done():
            current.result.set_result(
                self._error_result(current.request_id, "Runtime.Stopped", "Environment stopped")
            )
        self._kill_process()
        if self._server:
            self._server.shutdown()
            self._server.server_close()
        if self._tmpdir:
            shutil.rmtree(self._tmpdir, ignore_errors=True)

    def invoke(self, payload: dict[str, str]) -> InvocationResult:
        request_id = payload["invoke-id"]
        timeout = float(self.function_version.config.timeout or 3)
        with self._lock:
            alive = self._process is not None and self._process.poll() is None
        init_logs = ""
        if not alive:
            # The previous invocation timed out or crashed the runtime: initialise again.
            try:
                self._spawn_and_wait()
            except StatusErrorException as e:
                logs, self._init_logs = self._init_logs + self._take_logs(), ""
                return InvocationResult(request_id, e.payload, is_error=True, logs=logs)
        init_logs, self._init_logs = self._init_logs, ""
        invocation = PendingInvocation(
            request_id=request_id,
            payload=(payload.get("payload") or "").encode("utf-8"),
            function_arn=payload.get("invoked-function-arn")
            or self.function_version.qualified_arn,
            trace_id=payload.get("trace-id"),
            deadline_ms=int((time.time() + timeout) * 1000),
        )
        with self._lock:
            self._current = invocation
        started = time.perf_counter()
        self._events.put(invocation)
        timed_out = False
        try:
            result: InvocationResult = invocation.result.result(timeout=timeout)
        except FutureTimeout:
            timed_out = True
            self._kill_process()
            stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
            message = f"{stamp}Z {request_id} Task timed out after {timeout:.2f} seconds"
            result = self._error_result(request_id, "Sandbox.Timedout", message)
        finally:
            with self._lock:
                self._current = None
        duration_ms = (time.perf_counter() - started) * 1000
        time.sleep(LOG_SETTLE_SECONDS)
        function_logs = self._take_logs()
        result.logs = self._format_logs(
            request_id, init_logs, function_logs, duration_ms, timed_out, timeout
        )
        return result

    def get_logs(self) -> str:
        return self._logs.everything() if self._logs else ""

    # --- Runtime API callbacks (server threads) ---------------------------------------------

    def _next_invocation(self, connection) -> PendingInvocation | None:
        self._ready.set()
        while True:
            if self._stopping or _peer_closed(connection):
                return None
            try:
                invocation = self._events.get(timeout=0.2)
            except queue.Empty:
                continue
            if invocation is None:
                return None
            if invocation.result.done():
                continue
            if _peer_closed(connection):  # a dead process's request: leave it for the live one
                self._requeue(invocation)
                return None
            return invocation

    def _requeue(self, invocation: PendingInvocation) -> None:
        if not invocation.result.done() and not self._stopping:
            self._events.put(invocation)

    def _complete(self, request_id: str, body: bytes, is_error: bool, error_type: str | None) -> bool:
        with self._lock:
            current = self._current
        if current is None or current.request_id != request_id or current.result.done():
            return False
        if is_error and not body:
            body = json.dumps(
                {"errorType": error_type or "Unhandled", "errorMessage": ""}
            ).encode()
        current.result.set_result(InvocationResult(request_id, body, is_error=is_error, logs=None))
        return True

    def _init_error(self, body: bytes, error_type: str | None) -> None:
        if not body:
            body = json.dumps({"errorType": error_type or "Runtime.Unknown", "errorMessage": ""}).encode()
        self._startup_error = body
        self._ready.set()

    # --- process handling ---------------------------------------------------------------------

    def _environment(self, env_vars: dict[str, str]) -> dict[str, str]:
        code_dir = str(self._code_dir())
        env = {k: str(v) for k, v in env_vars.items() if k not in DROPPED_ENV and v is not None}
        base = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "LD_LIBRARY_PATH": f"{code_dir}/lib:{code_dir}",
        }
        for key, value in base.items():
            env.setdefault(key, value)
        env.update(
            {
                "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{self._server.server_address[1]}",
                "LAMBDA_TASK_ROOT": code_dir,
                "LAMBDA_RUNTIME_DIR": code_dir,
                "TMPDIR": self._tmpdir,
            }
        )
        return env

    def _code_dir(self) -> Path:
        code = self.function_version.config.code
        if code is None:
            raise LambdaRuntimeException("Function has no code")
        return Path(code.get_unzipped_code_location())

    def _bootstrap(self) -> Path:
        return self._code_dir() / "bootstrap"

    def _spawn_and_wait(self) -> None:
        bootstrap = self._bootstrap()
        if not bootstrap.is_file():
            raise StatusErrorException(
                "Environment startup failed",
                payload=self._error_payload(
                    "Runtime.InvalidEntrypoint",
                    f"No bootstrap in the function's code ({bootstrap}); the host executor runs "
                    "provided.* functions whose zip holds an executable 'bootstrap'.",
                ),
            )
        if not os.access(bootstrap, os.X_OK):
            bootstrap.chmod(0o755)
        self._ready.clear()
        self._startup_error = None
        # Drop events a dead process never took.
        while not self._events.empty():
            try:
                self._events.get_nowait()
            except queue.Empty:
                break
        read_fd, write_fd = os.pipe()
        started = time.perf_counter()
        try:
            process = subprocess.Popen(
                [str(bootstrap)],
                cwd=str(self._code_dir()),
                env=self._env,
                stdin=subprocess.DEVNULL,
                stdout=write_fd,
                stderr=write_fd,
                start_new_session=True,
                close_fds=True,
            )
        except OSError as e:
            os.close(read_fd)
            os.close(write_fd)
            hint = ""
            if e.errno == 8:  # ENOEXEC
                hint = " (is the bootstrap built for this host's architecture?)"
            raise StatusErrorException(
                "Environment startup failed",
                payload=self._error_payload(
                    "Runtime.InvalidEntrypoint", f"Could not start {bootstrap}: {e}{hint}"
                ),
            ) from e
        os.close(write_fd)
        with self._lock:
            self._process = process
            self._logs = LogCollector(read_fd)
        self._write_pidfile(process.pid)
        threading.Thread(
            target=self._watch, args=(process,), name=f"dk-lambda-watch-{self.id}", daemon=True
        ).start()

        timeout = float(config.LAMBDA_RUNTIME_ENVIRONMENT_TIMEOUT)
        deadline = time.monotonic() + timeout
        while not self._ready.wait(0.05):
            if self._stopping:
                raise StatusErrorException(
                    "Environment startup failed",
                    payload=self._error_payload("Runtime.Stopped", "Environment stopped during init"),
                )
            if process.poll() is not None:
                self._logs.wait_eof(1)
                self._init_logs = self._take_logs()
                raise StatusErrorException(
                    "Environment startup failed",
                    payload=self._error_payload(
                        "Runtime.ExitError",
                        f"Runtime exited with error: exit status {process.returncode}",
                    ),
                )
            if time.monotonic() > deadline:
                self._kill_process()
                raise StatusErrorException(
                    "Environment startup failed",
                    payload=self._error_payload(
                        "Runtime.InitTimeout", f"Init did not finish within {timeout:.0f} s"
                    ),
                )
        self._init_duration_ms = (time.perf_counter() - started) * 1000
        if self._startup_error is not None:
            error = self._startup_error
            self._kill_process()
            raise StatusErrorException("Environment startup failed", payload=error)
        self._init_logs = self._take_logs()

    def _watch(self, process: subprocess.Popen) -> None:
        returncode = process.wait()
        with self._lock:
            current = self._current
            stopping = self._stopping or self._process is not process
        if current is not None and not current.result.done() and not stopping:
            if self._logs:
                self._logs.wait_eof(1)
            current.result.set_result(
                self._error_result(
                    current.request_id,
                    "Runtime.ExitError",
                    f"RequestId: {current.request_id} Error: Runtime exited with error: "
                    f"exit status {returncode}",
                )
            )

    def _kill_process(self) -> None:
        with self._lock:
            process = self._process
        if process is None:
            return
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                process.wait(STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                pass
        # Whatever is left in the group (children of a script bootstrap) goes too.
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            LOG.warning("Lambda process %s did not exit after SIGKILL", process.pid)
        self._remove_pidfile()

    def _write_pidfile(self, pid: int) -> None:
        try:
            self._pidfile = pid_dir() / f"{self.id}.pid"
            self._pidfile.write_text(f"{pid} {_process_start_time(pid)}\n")
        except OSError as e:
            LOG.debug("Could not write pid file: %s", e)

    def _remove_pidfile(self) -> None:
        if self._pidfile:
            try:
                self._pidfile.unlink()
            except OSError:
                pass

    # --- results and logs ---------------------------------------------------------------------

    def _take_logs(self) -> str:
        return self._logs.drain() if self._logs else ""

    @staticmethod
    def _error_payload(error_type: str, message: str) -> bytes:
        return json.dumps({"errorType": error_type, "errorMessage": message}).encode()

    def _error_result(self, request_id: str, error_type: str, message: str) -> InvocationResult:
        return InvocationResult(
            request_id, self._error_payload(error_type, message), is_error=True, logs=None
        )

    def _format_logs(
        self,
        request_id: str,
        init_logs: str,
        function_logs: str,
        duration_ms: float,
        timed_out: bool,
        timeout: float,
    ) -> str:
        lines = []
        if init_logs:
            lines.append(init_logs.rstrip("\n"))
        version = self.function_version.id.qualifier
        lines.append(f"START RequestId: {request_id} Version: {version}")
        if function_logs:
            lines.append(function_logs.rstrip("\n"))
        if timed_out:
            stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
            lines.append(f"{stamp}Z {request_id} Task timed out after {timeout:.2f} seconds")
        lines.append(f"END RequestId: {request_id}")
        report = (
            f"REPORT RequestId: {request_id}\tDuration: {duration_ms:.2f} ms\t"
            f"Billed Duration: {math.ceil(duration_ms)} ms\t"
            f"Memory Size: {self.function_version.config.memory_size} MB"
        )
        with self._lock:
            process = self._process
        if process is not None and process.poll() is None:
            rss = _max_rss_mb(process.pid)
            if rss is not None:
                report += f"\tMax Memory Used: {rss} MB"
        if self._init_duration_ms is not None:
            report += f"\tInit Duration: {self._init_duration_ms:.2f} ms"
            self._init_duration_ms = None
        lines.append(report)
        return "\n".join(lines) + "\n"

