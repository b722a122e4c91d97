"""Run one parsing function on untrusted input in a child process with a memory cap and a
wall-time limit, so that no file can take the web server or a Prefect worker down (#12, #21):
a decompression bomb, a cyclic structure that loops forever, or a native library that
segfaults costs one child process, never the caller.

    result = run_bounded(fn, *args, timeout_s=20, memory_mb=1024, **kwargs)

`fn` must be a module-level function of an importable module (it crosses to the child by
reference, as pickle names it; a function of `__main__` is refused). Arguments, the result
and exceptions cross through a pipe, so they must pickle. An exception `fn` raises is raised
again in the caller as the same type (efile's error types pickle), with the child's traceback
as a note; one that does not survive pickling becomes `ChildError`, naming its type. When
the child is stopped, the caller gets a typed error with a code and a clerk's message:

- `ParseTimeout` (InputRejected, 422), code "parse_timeout": the wall-time limit passed; the
  child is killed (SIGKILL). RLIMIT_CPU is set a little above the limit as a backstop.
- `ParseMemory` (TooLarge, 413), code "parse_memory": the child hit its RLIMIT_AS cap and got a
  MemoryError. `memory_mb` is the address space the call may add to what the child starts
  with (the preloaded libraries already map ~230 MB of address space, most of it never
  touched); address space counts more than resident memory, so the cap is a safe upper bound.
- `ParseCrashed` (InputRejected, 422), code "parse_crashed": the child died from a signal (a
  segfault in a native library) or exited without an answer. A native library that aborts
  when an allocation fails also ends here, not as ParseMemory.

Why forkserver and not fork: the web server and Prefect run threads, and forking a threaded
process copies locks held by other threads (a deadlock in the child). The forkserver is a
clean single-threaded process started once (fork+exec), with the heavy modules preloaded
(PRELOAD), so a child is one fork of it: a few milliseconds, not the ~0.5 s of a fresh
interpreter. It starts on the first call (module singleton, thread-safe). One compromise:
numpy's OpenBLAS starts an idle thread on import; OpenBLAS quiesces it around fork
(pthread_atfork), which is why preloading numpy is safe.

Why the children skip the caller's `__main__`: multiprocessing re-imports the parent's main
module in every child. Under a Prefect process worker that is `prefect.engine` (importing
all of Prefect: > 1 s a call), under `efile serve` the console script. `fn` lives in an
importable module, so `_Popen` leaves the main module out of what the child prepares.

EFILE_BOUNDED=0 runs `fn` in the calling process, without limits: for debugging only (a
debugger or a profiler sees the call); never in production.
"""

from __future__ import annotations

import io
import math
import multiprocessing
import os
import pickle
import resource
import signal
import threading
import traceback
from collections.abc import Callable
from multiprocessing import connection, forkserver, popen_forkserver, reduction, spawn, util
from multiprocessing.context import ForkServerContext, ForkServerProcess, set_spawning_popen
from typing import Any, TypeVar

from efile.errors import InputRejected, TooLarge, ToolFailed

T = TypeVar("T")

# Imported once in the forkserver, so each child has them without paying for the import.
# A module missing here is skipped by multiprocessing (ImportError is ignored).
PRELOAD = [
    "pikepdf", "PIL.Image", "pypdfium2", "numpy",
    "pipelines.steps.sniff", "pipelines.steps.validate", "pipelines.steps.sanitise",
    "pipelines.steps.normalise", "pipelines.steps.text", "pipelines.steps.intake",
    "pipelines.tools.bounded",
]

_CPU_SLACK_S = 2  # RLIMIT_CPU backstop: above the wall limit, so the parent's kill comes first


class ParseTimeout(InputRejected):
    code = "parse_timeout"

    def __init__(self, timeout_s: float) -> None:
        self.timeout_s = timeout_s
        super().__init__(f"reading the file took longer than {timeout_s:g} s and was stopped "
                         f"(limit {timeout_s:g} s)")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.timeout_s,))


class ParseMemory(TooLarge):
    code = "parse_memory"

    def __init__(self, memory_mb: int) -> None:
        self.memory_mb = memory_mb
        super().__init__(f"reading the file needed more than {memory_mb} MB of memory and was "
                         f"stopped (limit {memory_mb} MB)")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.memory_mb,))


class ParseCrashed(InputRejected):
    code = "parse_crashed"

    def __init__(self, signum: int | None = None, exitcode: int | None = None) -> None:
        self.signum, self.exitcode = signum, exitcode
        if signum is not None:
            how = f"signal {signum}, {_signal_name(signum)}"
        else:
            how = f"it ended with exit status {exitcode} without an answer"
        super().__init__(f"the file crashed the program reading it ({how}) and was stopped")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.signum, self.exitcode))


class ChildError(ToolFailed):
    """An exception of the child that could not be carried back as itself (not picklable)."""

    code = "child_error"

    def __init__(self, type_name: str, message: str) -> None:
        self.type_name = type_name
        super().__init__(f"{type_name}: {message}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.type_name, str(self).partition(": ")[2]))


def _signal_name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return "unknown signal"


class _Popen(popen_forkserver.Popen):
    """The stdlib's forkserver Popen (CPython 3.11-3.13 `_launch`), except that the child is
    not told to re-import the caller's `__main__` (see the module docstring)."""

    def _launch(self, process_obj: Any) -> None:
        prep_data = spawn.get_preparation_data(process_obj._name)
        prep_data.pop("init_main_from_name", None)
        prep_data.pop("init_main_from_path", None)
        buf = io.BytesIO()
        set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            set_spawning_popen(None)
        self.sentinel, w = forkserver.connect_to_new_process(self._fds)
        _parent_w = os.dup(w)  # kept open: the child sees the parent die when it closes
        self.finalizer = util.Finalize(self, util.close_fds, (_parent_w, self.sentinel))
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class _Process(ForkServerProcess):
    @staticmethod
    def _Popen(process_obj: Any) -> _Popen:  # noqa: N802 - multiprocessing's own name
        return _Popen(process_obj)


_ctx: ForkServerContext | None = None
_ctx_lock = threading.Lock()


def _context() -> ForkServerContext:
    """The forkserver context, its server started with PRELOAD on first use. The preload list
    only counts before the server starts, hence the lock around setting it and starting."""
    global _ctx
    with _ctx_lock:
        if _ctx is None:
            ctx = multiprocessing.get_context("forkserver")
            assert isinstance(ctx, ForkServerContext)
            ctx.set_forkserver_preload(PRELOAD)
            forkserver.ensure_running()
            _ctx = ctx
        return _ctx


def _vm_size_bytes() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _child(conn: connection.Connection, fn: Callable[..., Any], args: tuple[Any, ...],
           kwargs: dict[str, Any], memory_mb: int, timeout_s: float) -> None:
    limit = _vm_size_bytes() + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    cpu = math.ceil(timeout_s) + _CPU_SLACK_S
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))  # soft: SIGXCPU, hard: SIGKILL
    try:
        result = fn(*args, **kwargs)
    except MemoryError:
        conn.send(("memory", None, ""))
        return
    except BaseException as e:  # noqa: BLE001 - everything goes back to the caller
        conn.send(("error", _pickled_exception(e), traceback.format_exc()))
        return
    try:
        conn.send(("ok", result, ""))
    except MemoryError:
        conn.send(("memory", None, ""))
    except Exception as e:  # noqa: BLE001 - the result does not pickle: a bug of fn, said as one
        conn.send(("error", _pickled_exception(e), traceback.format_exc()))


def _pickled_exception(e: BaseException) -> bytes | tuple[str, str]:
    """The exception pickled, if it also unpickles (a custom __init__ often breaks that);
    else its type name and message. SystemExit and the like never cross as themselves: raised
    in the web server they would stop it."""
    name = f"{type(e).__module__}.{type(e).__qualname__}"
    if not isinstance(e, Exception):
        return (name, str(e))
    try:
        data = pickle.dumps(e)
        pickle.loads(data)
        return data
    except Exception:  # noqa: BLE001 - any exception's pickling may break, in any way
        return (name, str(e))


def run_bounded(fn: Callable[..., T], *args: Any, timeout_s: float, memory_mb: int,
                **kwargs: Any) -> T:
    """fn(*args, **kwargs) in a child process with at most `timeout_s` seconds of wall time and
    `memory_mb` MB of added address space. Raises what fn raised, or ParseTimeout, ParseMemory,
    ParseCrashed, ChildError."""
    if os.environ.get("EFILE_BOUNDED", "1") == "0":
        return fn(*args, **kwargs)
    if getattr(fn, "__module__", None) == "__main__" or "<locals>" in getattr(
            fn, "__qualname__", "<locals>"):
        raise TypeError(f"run_bounded needs a module-level function of an importable module, "
                        f"not {fn!r}")
    ctx = _context()
    receiver, sender = ctx.Pipe(duplex=False)
    proc = _Process(target=_child, args=(sender, fn, args, kwargs, memory_mb, timeout_s),
                    daemon=True)
    started = False
    try:
        proc.start()
        started = True
        sender.close()  # the child holds the only write end: its death reads as EOF
        ready = connection.wait([receiver, proc.sentinel], timeout_s)
        if not ready:
            raise ParseTimeout(timeout_s)
        try:
            kind, value, child_tb = receiver.recv()
        except EOFError:  # died without answering
            proc.join()
            code = proc.exitcode
            if code is not None and -code == signal.SIGXCPU:
                raise ParseTimeout(timeout_s) from None
            if code is not None and code < 0:
                raise ParseCrashed(signum=-code) from None
            raise ParseCrashed(exitcode=code) from None
    finally:  # on every way out, also the caller's own exceptions: no child outlives the call
        if started:
            if proc.is_alive():
                proc.kill()
            proc.join()
            proc.close()
        receiver.close()
        if not sender.closed:
            sender.close()
    if kind == "ok":
        return value
    if kind == "memory":
        raise ParseMemory(memory_mb)
    if isinstance(value, tuple):
        raise ChildError(*value)
    exc = pickle.loads(value)
    exc.add_note(f"raised in the bounded child process:\n{child_tb}")
    raise exc
