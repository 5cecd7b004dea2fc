"""The one process pool: pure work over workers, in chunks, results in the original order.

``ot payrun``, ``ot stub --all`` and what-if price (and render) each worker
alone: the engine is a pure function of a worker's shifts, the worker and the
rules. :func:`map_chunks` cuts the workers into a few chunks per process (not
one task per worker, so pickling stays small next to the work), runs a
picklable top-level function over each chunk in a
:class:`concurrent.futures.ProcessPoolExecutor`, and returns the chunks'
results in the order of the chunks. The same function over the whole list,
in this process, is the ``--jobs 1`` path: with one job, or too few items to be
worth a process, no pool is started at all, so both paths run the same code
and give the same bytes.

Nothing in a child reads or writes the ledger: the parent reads what a chunk
needs and appends what it returns, in its one unit of work. Forked children
inherit the function and the parts (only a part's number and its result cross
a pipe); a forkserver's are sent them pickled. The parent is not idle while the
children work: a caller may give work of its own (``meanwhile``), run here
between handing out the parts and reading the results. A child that
crashes (killed, out of memory, a bug) is an :class:`OtError`, and the command
writes nothing.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import re
import sys
import threading
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Generic, TypeVar

from ot.core.errors import OtError, Problem

__all__ = [
    "JOBS_HELP",
    "Once",
    "PoolCrashed",
    "batches",
    "chunks",
    "crashed",
    "default_jobs",
    "fewer_collections",
    "imap_parts",
    "map_chunks",
    "read_jobs",
    "worth",
]

T = TypeVar("T")
R = TypeVar("R")

#: The fewest items a process is given: below twice this, no pool is started.
MIN_CHUNK = 48
#: Chunks per process: a few, so that a slow chunk does not leave the other processes idle.
CHUNKS_PER_JOB = 4

JOBS_HELP = (
    "Processes that price (and render) workers in parallel. Default: the number of cores. "
    "--jobs 1 runs in this process; the results are the same, byte for byte."
)


#: The collector's thresholds of a batch command (generation 0, 1, 2): see :func:`fewer_collections`.
BATCH_GC_THRESHOLDS = (100_000, 50, 100)
_gc_lock = threading.Lock()
_gc_depth = 0
_gc_saved: tuple[int, int, int] | None = None


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Run a batch command (a pay run, the stubs of every worker, a what-if, an import, a verify) with
    the cyclic garbage collector's thresholds raised (:data:`BATCH_GC_THRESHOLDS`), then put them back.

    Such a command makes millions of small objects that stay alive (prices, lines, stubs) and few
    cycles; at Python's default thresholds (700, 10, 10) the collector walked them over and over:
    2,800 collections and about a quarter of a 2,000-worker pay run's CPU (bench/jobs_bench.py:
    --jobs 1 5.9 s -> 4.5 s, the parent of --jobs 2 3.8 s -> 2.6 s). Cycles are still collected,
    less often. Threads (the TUI's service calls) may nest it: the first in sets the thresholds, the
    last out restores them. A pool started meanwhile gives its children the same thresholds."""
    global _gc_depth, _gc_saved
    with _gc_lock:
        if _gc_depth == 0:
            _gc_saved = gc.get_threshold()
            gc.set_threshold(*(max(a, b) for a, b in zip(_gc_saved, BATCH_GC_THRESHOLDS, strict=True)))
        _gc_depth += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_depth -= 1
            if _gc_depth == 0 and _gc_saved is not None:
                gc.set_threshold(*_gc_saved)
                _gc_saved = None


def default_jobs() -> int:
    """The number of cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def read_jobs(value: object, where: str = "--jobs") -> int:
    """``value`` as a number of processes (a whole number, at least 1), else an :class:`OtError`."""
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        # [0-9] only: str.isdigit() holds for "²" too, which int() then refuses with a traceback
        number = int(text) if re.fullmatch(r"-?[0-9]+", text) else None
    if number is None:
        raise OtError(
            f"{where} {value!r} is not a number", [Problem(where, "give a whole number of processes, 1 or more")]
        )
    if number < 1:
        raise OtError(
            f"{where} {number} is too few", [Problem(where, "give 1 or more processes (1: no parallel processes)")]
        )
    return number


def chunks(items: Sequence[T], jobs: int) -> list[Sequence[T]]:
    """``items`` cut into consecutive chunks for ``jobs`` processes (one chunk: no pool)."""
    if jobs <= 1 or len(items) < 2 * MIN_CHUNK:
        return [items] if items else []
    count = min(jobs * CHUNKS_PER_JOB, len(items) // MIN_CHUNK)
    size, extra = divmod(len(items), count)
    out: list[Sequence[T]] = []
    at = 0
    for i in range(count):
        n = size + (1 if i < extra else 0)
        out.append(items[at : at + n])
        at += n
    return out


def _context() -> multiprocessing.context.BaseContext:
    """fork on Linux from a single thread (the children start at once, sharing the parent's imports);
    forkserver when other threads run (the TUI's service calls), where a fork could copy a held lock."""
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")  # pragma: no cover - not Linux


class PoolCrashed(OtError):
    """A child process failed (killed, out of memory, a bug): the command stops and writes nothing.
    Not a refusal of one worker: a caller that prices workers one by one after an :class:`OtError`
    lets this one through."""


def crashed(what: str, detail: str) -> OtError:
    """The error of a child process that failed: nothing was written."""
    return PoolCrashed(
        f"a {what} process failed; nothing was written",
        [Problem("--jobs", f"{detail}: run the command again, or with --jobs 1 to work in one process")],
    )


class Once(Generic[R]):
    """A function of no arguments run at most once, its result kept: work a caller hands to a pool as
    ``meanwhile``, which it also calls itself afterwards (the pool may not have run it: one part, no
    pool, an error first)."""

    def __init__(self, fn: Callable[[], R]) -> None:
        self._fn: Callable[[], R] | None = fn
        self._value: R | None = None

    def __call__(self) -> R:
        if self._fn is not None:  # a function that raised is run again (and raises again) when called again
            self._value = self._fn()
            self._fn = None
        return self._value  # type: ignore[return-value]  # R itself, once run


#: The function and parts of the pool being started, which its forked children inherit (see
#: :func:`_inherited_part`); None outside :func:`imap_parts`.
_INHERITED: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def _inherited_part(index: int) -> Any:
    """In a forked child: the function over the part numbered ``index``, both as the parent held them
    when it forked (nothing pickled on the way in: the rules book and the punches stay where they are)."""
    assert _INHERITED is not None, "a part handed to a child that was not forked from imap_parts"
    fn, parts = _INHERITED
    return fn(parts[index])


def batches(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """``items`` in consecutive batches of ``size`` (the last one shorter)."""
    return [items[i : i + size] for i in range(0, len(items), size)]


def worth(jobs: int, count: int) -> int:
    """``jobs``, or 1 when ``count`` items are too few to be worth a process."""
    return jobs if count >= 2 * MIN_CHUNK else 1


def imap_parts(
    fn: Callable[[Sequence[T]], R],
    parts: Sequence[Sequence[T]],
    jobs: int,
    what: str,
    meanwhile: Callable[[], object] | None = None,
) -> Generator[R, None, None]:
    """``fn(part)`` of each part, in order, as each is done: in this process with one job or one
    part (no pool started), else in a pool of at most ``jobs`` processes. Closing the iterator
    early cancels what was not started. ``meanwhile``: called once in this process, after the
    parts are handed out and before the first result is read (with no pool: first); it must not
    start a pool of its own.

    ``fn`` must be a module-level function (or a :func:`functools.partial` of one) and its parts
    and results picklable. An :class:`OtError` raised by ``fn`` in a child is raised here as it
    was; anything else going wrong in a child (an exception, a killed process) is :func:`crashed`."""
    global _INHERITED
    if jobs <= 1 or len(parts) <= 1:
        if meanwhile is not None:
            meanwhile()
        for part in parts:
            yield fn(part)
        return
    # Children forked from a large parent would copy its heap page by page as their garbage
    # collector walks it: frozen objects are never walked.
    context = _context()
    # Forked children inherit the collector's thresholds; a forkserver's are given them.
    pool = ProcessPoolExecutor(
        max_workers=min(jobs, len(parts)), mp_context=context, initializer=gc.set_threshold, initargs=gc.get_threshold()
    )
    broken = False
    try:
        gc.freeze()  # the children start at the first task
        try:
            if context.get_start_method() == "fork":
                # Every child is forked at the first task (a fork pool starts them all at once).
                _INHERITED = (fn, parts)
                results: Iterator[R] = pool.map(_inherited_part, range(len(parts)))
            else:
                results = pool.map(fn, parts)
        except (OSError, RuntimeError):
            # No process could start (no fork allowed, a __main__ that cannot be imported again):
            # the same work in this process gives the same bytes.
            results = iter([fn(part) for part in parts])
        finally:
            _INHERITED = None
            gc.unfreeze()
        if meanwhile is not None:
            meanwhile()
        while True:
            try:
                got = next(results)
            except StopIteration:
                return
            except OtError:
                raise
            except BrokenProcessPool as exc:
                broken = True
                raise crashed(what, f"a {what} process stopped ({exc})") from None
            except Exception as exc:  # a bug in a child: said once, as an OtError
                raise crashed(what, f"{type(exc).__name__}: {exc}") from None
            yield got
    finally:
        if broken:
            _unblock_feeder(pool)
        pool.shutdown(wait=True, cancel_futures=True)


def _unblock_feeder(pool: ProcessPoolExecutor) -> None:
    """Let a pool whose child died shut down. An older Python 3.11 (CPython gh-94777, fixed in a later
    3.11's ``terminate_broken``: 3.11.7 has the fix, Debian's 3.11.2 does not) can hang there for
    ever: the task queue's feeder thread waits to write a task into a pipe that no living child
    reads, and the shutdown waits for that thread (seen on Debian's 3.11.2: ``ot payrun --jobs 2``
    after a child was killed).

    The pool's manager thread is given 2 seconds to finish as it should (it always does on a fixed
    Python). Only when it is still stuck, with the children gone, is this process's read end of that
    pipe pointed at /dev/null (``dup2``, so the descriptor number stays valid for the close the queue
    makes later): the blocked write then fails and the thread ends."""
    manager = getattr(pool, "_executor_manager_thread", None)
    reader = getattr(getattr(pool, "_call_queue", None), "_reader", None)
    if manager is None:
        return
    manager.join(timeout=2)
    if not manager.is_alive() or reader is None:
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        if process.is_alive():
            process.terminate()
        process.join(timeout=5)
    with contextlib.suppress(OSError, ValueError):
        fd = reader.fileno()
        devnull = os.open(os.devnull, os.O_RDONLY)
        try:
            os.dup2(devnull, fd)
        finally:
            os.close(devnull)
    manager.join(timeout=10)


def map_chunks(
    fn: Callable[[Sequence[T]], R],
    items: Sequence[T],
    jobs: int,
    what: str = "pricing",
    meanwhile: Callable[[], object] | None = None,
) -> list[R]:
    """``[fn(chunk) for chunk in chunks(items, jobs)]`` (:func:`imap_parts`): in this process when
    there is one chunk, else in a pool of at most ``jobs`` processes; in the chunks' order either way.
    ``meanwhile``: this process's own work while the children work (:func:`imap_parts`)."""
    return list(imap_parts(fn, chunks(items, jobs), jobs, what, meanwhile))
