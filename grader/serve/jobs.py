"""Grading while serving: a bounded pool of worker processes, never the web process.

Two kinds of job run there: a code part's *visible* tests on the student's saved ``solution.py``
(through the same sandbox as every grade: ``check_answer`` on the part with only its visible tests),
and the grading of a submitted attempt (``grade_submission`` on a folder written from the attempt's
answers, stored with ``Gradebook.store``). The web process only queues jobs and reads their
outcome; the queue is bounded and its length is shown on the instructor's page.
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import multiprocessing
import os
import secrets
import signal
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import yaml

CODE_KEY = "_code"           # the address under which the student's solution.py is saved
MAX_QUEUE = 1000             # jobs waiting or running; beyond it a visible-tests run gets 503 (an attempt never)
MAX_REBUILDS = 3             # new pools in a row that broke before any job ended: the waiting jobs end as faults
KEEPER_JOIN_SECONDS = 60.0    # close() waits this long at most for a keeper that is making a new pool

_STATE: dict = {}


def _die_with_parent() -> None:
    try:
        import ctypes
        ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)     # PR_SET_PDEATHSIG: SIGKILL of the server ends us
    except (OSError, AttributeError):
        pass


def _init(bank_root: str | None, quiz_path: str, db_path: str, fresh: bool = False) -> None:
    if "args" not in _STATE:
        _die_with_parent()
        # Ctrl-C in a terminal reaches the whole process group: stopping is the server's business (it ends
        # the pool and keeps the job pending); a KeyboardInterrupt here would end the job as a failure first.
        # A handler, not SIG_IGN: an ignored signal would stay ignored in the processes the sandbox starts.
        signal.signal(signal.SIGINT, lambda signum, frame: None)
        with contextlib.suppress(OSError, AttributeError):
            os.nice(10)          # grading yields the CPU to the web process: previews and saves answer first
    _STATE["args"] = (bank_root, quiz_path, db_path)
    from grader.bank import load_bank
    from grader.quiz import load_quiz
    try:
        bank = load_bank.__wrapped__(bank_root) if fresh else load_bank(bank_root)   # fresh: from disk, not cached
        _STATE.update(bank=bank, quiz=load_quiz(quiz_path, bank), db=db_path)
        _STATE.pop("init_error", None)
    except Exception as exc:
        if fresh:
            raise
        # the bank was broken at this moment (being edited): an initializer that raises would break the
        # whole pool for good; instead each job says why and tries again (see _timed)
        _STATE["init_error"] = f"{type(exc).__name__}: {exc}"


def _warm() -> int:
    if "init_error" in _STATE:
        raise RuntimeError(_STATE["init_error"])
    return os.getpid()


def _timed(generation: int, mark: str, fn, *args):
    """(when the job started in the worker, its result): the parent measures the queue wait. A job of a
    newer ``generation`` than the worker's (the instructor asked for a regrade) first reloads the bank,
    as does any job while the worker has no bank (it raises while the bank still does not load).
    ``mark``: a file where the worker writes its pid as the job starts (the parent then knows whose worker
    died when the pool breaks), or ""."""
    if mark:
        with contextlib.suppress(OSError):
            Path(mark).write_text(str(os.getpid()), encoding="ascii")
    if _STATE.get("generation", 0) != generation or "init_error" in _STATE:
        bank_root, quiz_path, db_path = _STATE["args"]
        _init(bank_root, quiz_path, db_path, fresh=True)
        _STATE["generation"] = generation
    return time.time(), fn(*args)


def visible_part(part):
    """The part with only its visible tests (what a student may run before submitting)."""
    tests = [t for t in part.reference.code_tests if t.get("visible", True)]
    return dataclasses.replace(part, reference=dataclasses.replace(part.reference, code_tests=tests), cache={})


def run_visible(address: str, source: str, lang: str) -> dict:
    """Run a code part's visible tests on ``source`` in the sandbox; plain data for the page."""
    from grader.checks import check_answer
    part = visible_part(_STATE["bank"].part(address))
    result = check_answer(part, source, lang)
    tests = [{k: t.get(k) for k in ("name", "passed", "message", "input", "points", "max_points")}
             for t in (result.details or {}).get("tests", []) if t.get("visible", True)]
    return {"verdict": result.verdict, "feedback": list(result.feedback), "tests": tests,
            "traceback": (result.details or {}).get("traceback") or "",
            "stdout": (result.details or {}).get("stdout") or ""}


def submission_folder(answers: dict, folder: Path) -> None:
    """answers.yaml and solution.py of an attempt, as a student would have written them."""
    nested: dict = {}
    for address, value in answers.items():
        if address == CODE_KEY:
            continue
        qid, _, pid = address.partition("/")
        nested.setdefault(qid, {})[pid] = value
    # double-quoted scalars: every character survives the round trip (PyYAML writes a NEL or a line separator
    # raw in a single-quoted scalar, and reading it back folds it into a space: the answer graded would not be
    # the answer given)
    (folder / "answers.yaml").write_text(yaml.safe_dump(nested, allow_unicode=True, default_style='"'),
                                         encoding="utf-8")
    if isinstance(answers.get(CODE_KEY), str) and answers[CODE_KEY].strip():
        (folder / "solution.py").write_text(answers[CODE_KEY], encoding="utf-8")


def graded_attempt(student: str, answers: dict, lang: str) -> dict:
    """Grade an attempt as a class run grades a submission; the results to store, as plain picklable data."""
    from grader.results.grading import grade_submission
    with tempfile.TemporaryDirectory(prefix="nngrade-serve-") as tmp:
        folder = Path(tmp)
        submission_folder(answers, folder)
        graded = grade_submission(_STATE["bank"], _STATE["quiz"], folder, student, lang)
    return {"error": graded.error, "faults": graded.fault_parts, "quiz": _STATE["quiz"].id, "student": student,
            "graded": graded.graded, "problems": graded.problems}


def store_graded(db_path, out: dict) -> dict:
    """Write what :func:`graded_attempt` returned into the gradebook; ``{"error", "faults"}``."""
    from grader.results.gradebook import Gradebook
    with Gradebook(db_path) as book:
        book.store(out["quiz"], out["student"], out["graded"], out["problems"])
    return {"error": out["error"], "faults": out["faults"]}


def grade_attempt(student: str, answers: dict, lang: str) -> dict:
    """Grade an attempt as a class run grades a submission, and store it in the gradebook."""
    return store_graded(_STATE["db"], graded_attempt(student, answers, lang))


class _Stored:
    """A finished grading whose result, when read (in the web process), is first written to the gradebook."""

    def __init__(self, unwrapped: _Unwrapped, db_path):
        self.unwrapped, self.db_path = unwrapped, db_path

    def cancelled(self) -> bool:
        return self.unwrapped.cancelled()

    def result(self):
        return store_graded(self.db_path, self.unwrapped.result())

    def unstored(self):
        """The grading's outcome ``{"error", "faults"}`` without writing it (a later attempt counts)."""
        out = self.unwrapped.result()
        return {"error": out["error"], "faults": out["faults"]}


class _Unwrapped:
    """A finished future's result without the start time :func:`_timed` added."""

    def __init__(self, future):
        self.future = future

    def cancelled(self) -> bool:
        return self.future.cancelled()

    def result(self):
        return self.future.result()[1]


class Superseded(Exception):
    """A grading dropped from its student's lane before it ran: a later attempt of theirs is queued instead."""


class Busy(Exception):
    """The student already has a code job waiting or running (``kind``: "run" or "grade")."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


@dataclasses.dataclass
class _Job:
    student: str
    kind: str                    # "run" (visible tests) | "grade" (a submitted attempt)
    fn: Callable[..., object]
    args: tuple
    done: Callable[[_Unwrapped], object]   # called once the job ends (never when the server stops)
    queued: float
    address: str = ""
    retried: bool = False        # a worker died under it once: it was tried again on a new pool
    number: int = 0              # a grading: the attempt's number (0: not an attempt)
    mark: str = ""               # while in the pool: the file where its worker writes its pid (see _timed)
    pool: object = None          # the pool it was handed to


class Jobs:
    """The pool and what the web process knows of its jobs.

    Jobs wait in the web process, one lane per student, and are handed to the pool only when a worker is
    free, to the waiting student served longest ago (one never served first); a student never has two jobs
    running at once, so however many jobs one student queues, another student's job waits for at most the
    jobs already running and one job of each student who was waiting before them. A
    student may have at most one visible-tests run waiting or running (:meth:`run_code`); submitted
    attempts are never refused (an attempt recorded before a deadline must be graded) but wait in their
    student's own lane.
    """

    def __init__(self, bank_root, quiz_path, db_path, workers: int = 2):
        self.db_path = db_path
        self.workers = workers
        self.initargs = (str(bank_root) if bank_root else None, str(quiz_path), str(db_path))
        # start every worker now, from this (the main) thread: a worker dies with the thread that made it
        try:
            self.pool, self.worker_pids = self._new_pool()
        except Exception as exc:          # a worker could not load the bank: said plainly, nothing left running
            from grader.serve import ServeError
            raise ServeError("serve_pool_failed", reason=str(exc)[:4000]) from None
        self.rebuilding = False                   # a worker died: the keeper thread is making a new pool
        self.marks = tempfile.mkdtemp(prefix="nngrade-jobs-")   # which worker runs which job (see _timed)
        self.dead: tuple[object, set[int]] = (None, set())       # (a broken pool, its workers dead when noticed)
        self.rebuilds = 0
        self.streak = 0                           # pools made in a row with no job ended in them since
        self.wake = threading.Event()
        # the keeper lives as long as the server: a pool it makes is tied to it (see _die_with_parent)
        self.keeper = threading.Thread(target=self._keep, name="nngrade-pool-keeper", daemon=True)
        self.keeper.start()
        self.lock = threading.Lock()
        self.lanes: dict[str, deque[_Job]] = {}   # student -> jobs waiting, oldest first
        self.turns: deque[str] = deque()          # students with a job waiting, in the order they are served
        self.running: dict[str, _Job] = {}        # student -> their job in the pool
        self.served: dict[str, int] = {}          # student -> when their last job started (a counter)
        self.served_count = 0
        self.waiting = 0
        self.stopping = False
        self.generation = 0                       # bumped by reload(): workers reload the bank before the next job
        self.started: deque = deque(maxlen=20000)  # (student, kind) in the order jobs went to the pool
        self.runs: dict[str, dict] = {}          # student -> {address: run state}
        self.waits: deque = deque(maxlen=20000)   # seconds from queued to started (the instructor page shows them)

    def _new_pool(self) -> tuple[ProcessPoolExecutor, set[int]]:
        """A pool with every worker started (by the calling thread) and its bank loaded, or an exception
        with nothing left running."""
        pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_init, initargs=self.initargs)
        try:
            return pool, {f.result() for f in [pool.submit(_warm) for _ in range(self.workers)]}
        except Exception:
            kill_trees(getattr(pool, "_processes", None) or {})
            pool.shutdown(wait=True, cancel_futures=True)
            raise

    def _broken(self, pool=None) -> None:
        """A worker died (the kernel's OOM killer, a signal): the keeper makes a new pool; jobs wait meanwhile.
        The first to notice a broken pool notes which of its workers are dead, before the keeper kills the
        rest: a job whose worker is alive then was only a bystander of the death (see :meth:`_end`)."""
        pool = pool or self.pool
        dead: set[int] = set()
        if self.dead[0] is not pool:
            # the pool can notice the death (the worker's pipe closed) a moment before the kernel has finished
            # the process: wait (bounded) until at least one of its workers is exiting or gone
            pids = set(self.worker_pids) | set(getattr(pool, "_processes", None) or {})
            end = time.monotonic() + 2.0
            dead = {p for p in pids if _exiting(p)}
            while pids and not dead and time.monotonic() < end:
                time.sleep(0.005)
                dead = {p for p in pids if _exiting(p)}
        with self.lock:
            if self.dead[0] is not pool:
                self.dead = (pool, dead)
            if self.rebuilding or self.stopping:
                return
            self.rebuilding = True
        self.wake.set()

    def _keep(self) -> None:
        while True:
            self.wake.wait()
            self.wake.clear()
            if self.stopping:
                return
            old_pids = set(self.worker_pids) | set(getattr(self.pool, "_processes", None) or {})
            kill_trees(old_pids)                       # what is left of the broken pool, and its sandboxes
            self.pool.shutdown(wait=False, cancel_futures=True)
            with self.lock:
                self.streak += 1
                hopeless = self.streak > MAX_REBUILDS
                if hopeless:
                    self.streak = 0
            try:
                if hopeless:
                    # the workers keep dying before any job ends (no memory, a broken environment): retrying
                    # would make pools forever while the students wait; the waiting jobs end as grader faults
                    # (listed for the instructor), and the next job queued tries a new pool again
                    raise RuntimeError(f"the grading workers died {MAX_REBUILDS + 1} times in a row before any "
                                       "grading ended (out of memory? see the server's log)")
                pool, pids = self._new_pool()
            except Exception as exc:                   # the bank does not load now: the waiting jobs end as faults
                failed: list[_Job] = []
                with self.lock:
                    for lane in self.lanes.values():
                        failed.extend(lane)
                    self.lanes.clear()
                    self.turns.clear()
                    self.waiting = 0
                    self.rebuilding = False            # the next job tries again
                for job in failed:
                    lost: Future = Future()
                    lost.set_exception(exc)
                    job.done(_Unwrapped(lost))
                continue
            with self.lock:
                stopping = self.stopping
                if not stopping:
                    self.pool, self.worker_pids = pool, pids
                    self.rebuilding = False
                    self.rebuilds += 1
            if stopping:
                kill_trees(pids | set(getattr(pool, "_processes", None) or {}))
                pool.shutdown(wait=True, cancel_futures=True)
                return
            self._dispatch()

    def queue_length(self) -> int:
        """Jobs waiting or running."""
        with self.lock:
            return self.waiting + len(self.running)

    def reload(self) -> None:
        """Every job queued from now on runs with the bank and quiz as they are on disk now."""
        with self.lock:
            self.generation += 1

    def _enqueue(self, job: _Job) -> bool:
        """Queue ``job`` in its student's lane; False when it is not taken (the server is stopping, or a run
        finds the whole queue full).

        A student's lane holds at most one waiting grading: only the latest attempt's grade is stored, so a
        newer attempt takes the place of an older one still waiting (the older one ends as :class:`Superseded`),
        the same attempt queued again (Regrade pressed twice) is already there (a waiting job loads the bank
        current when it starts), and an older one than the one waiting is superseded at once. So one student's
        submissions cannot fill the queue: it holds at most a grading and a run per student besides those
        running, and an attempt is never refused for want of room (an attempt refused would wait, 'queued',
        until the next start)."""
        dropped: list[_Job] = []
        with self.lock:
            if self.stopping or (job.kind != "grade" and self.waiting + len(self.running) >= MAX_QUEUE):
                return False
            lane = self.lanes.setdefault(job.student, deque())
            if job.kind == "grade" and job.number:
                waiting = [j for j in lane if j.kind == "grade" and j.number]
                if any(j.number == job.number for j in waiting):
                    return True
                if any(j.number > job.number for j in waiting):
                    dropped.append(job)
                else:
                    for old in waiting:
                        lane.remove(old)
                    self.waiting -= len(waiting)
                    dropped.extend(waiting)
            if job not in dropped:
                if not lane and job.student not in self.turns:
                    self.turns.append(job.student)
                lane.append(job)
                self.waiting += 1
            elif not lane:
                del self.lanes[job.student]
        for old in dropped:
            gone: Future = Future()
            gone.set_exception(Superseded(old.number))
            old.done(_Unwrapped(gone))
        self._dispatch()
        return True

    def _dispatch(self) -> None:
        """Hand waiting jobs to free workers: the next student in turn with no job running, one job each."""
        while True:
            with self.lock:
                if self.stopping or self.rebuilding or len(self.running) >= self.workers:
                    return
                # the waiting student served longest ago (never served: first), in arrival order on a tie
                best = None
                for position, student in enumerate(self.turns):
                    if student not in self.running:
                        rank = (self.served.get(student, -1), position)
                        if best is None or rank < best[0]:
                            best = (rank, student)
                if best is None:
                    return
                student = best[1]
                self.turns.remove(student)
                lane = self.lanes[student]
                job = lane.popleft()
                if lane:
                    self.turns.append(student)               # the back of the line for their next job
                else:
                    del self.lanes[student]
                self.served_count += 1
                self.served[student] = self.served_count
                self.waiting -= 1
                self.running[job.student] = job
                self.started.append((job.student, job.kind))
                if job.kind == "run":
                    state = self.runs.get(job.student, {}).get(job.address)
                    if state is not None:
                        state["status"] = "running"
                generation = self.generation
                pool = job.pool = self.pool
                job.mark = os.path.join(self.marks, secrets.token_hex(8))
            try:
                future = pool.submit(_timed, generation, job.mark, job.fn, *job.args)
            except BrokenProcessPool:      # a worker died since: the job never ran, it waits for the new pool
                self._requeue(job)
                self._broken(pool)
                return
            except RuntimeError as exc:    # shut down (the server is stopping): the job ends as a fault
                failed: Future = Future()
                failed.set_exception(exc)
                self._end(job, failed)
                continue
            future.add_done_callback(functools.partial(self._finished, job))

    def _requeue(self, job: _Job) -> None:
        """Put a job that did not get its result back at the head of its student's lane."""
        with self.lock:
            self.running.pop(job.student, None)
            self.lanes.setdefault(job.student, deque()).appendleft(job)
            if job.student not in self.turns:
                self.turns.appendleft(job.student)
            self.waiting += 1
            if job.kind == "run":
                state = self.runs.get(job.student, {}).get(job.address)
                if state is not None:
                    state["status"] = "queued"

    def _worker_of(self, job: _Job) -> int | None:
        """The pid of the worker that ran ``job`` (None: it had not started in one); the mark is removed."""
        if not job.mark:
            return None
        try:
            return int(Path(job.mark).read_text(encoding="ascii"))
        except (OSError, ValueError):
            return None
        finally:
            with contextlib.suppress(OSError):
                os.unlink(job.mark)
            job.mark = ""

    def _end(self, job: _Job, f) -> None:
        pid = self._worker_of(job)
        if not f.cancelled() and isinstance(f.exception(), BrokenProcessPool) and not self.stopping:
            # a worker died (ours to answer for, never the student's): the pool is made again and the job
            # tried once more there; a broken pool fails every job in it, but only the job whose own worker
            # died uses its one retry (the others were bystanders: they simply run again); its worker dying
            # a second time under it, it ends as a grader fault, said as one
            self._broken(job.pool)
            with self.lock:
                culprit = pid is not None and self.dead[0] is job.pool and pid in self.dead[1]
            if not (culprit and job.retried):
                job.retried = job.retried or culprit
                self._requeue(job)
                return
        with self.lock:
            stopping = self.stopping
            if not stopping and not f.cancelled():
                if f.exception() is None:
                    self.waits.append(max(0.0, f.result()[0] - job.queued))
                self.streak = 0                       # a job ended (graded or failed in it): the pool works
        try:
            if not stopping:   # else the pool was ended under the job: not done (an attempt is graded after restart)
                job.done(_Unwrapped(f))
        finally:
            # the student's slot is freed only once ``done`` (which stores a grading) has returned: their next
            # job cannot start, end and store before this one is stored, so a student's gradings are stored in
            # the order they were queued
            with self.lock:
                self.running.pop(job.student, None)

    def _finished(self, job: _Job, f) -> None:
        try:
            self._end(job, f)
        finally:
            self._dispatch()

    def wait_stats(self) -> dict:
        """Queue wait (queued to started) over recent jobs: count, p50, p95, max, in seconds."""
        with self.lock:
            waits = sorted(self.waits)
        if not waits:
            return {"count": 0}
        def pick(q: float) -> float:
            return waits[min(len(waits) - 1, int(q * len(waits)))]
        return {"count": len(waits), "p50": pick(0.5), "p95": pick(0.95), "max": waits[-1]}

    def run_code(self, student: str, address: str, source: str, lang: str) -> dict | None:
        """Queue a visible-tests run of ``source`` for part ``address``.

        One run per student at a time: asked again while their run of this part still waits, the waiting
        run takes the new source (it keeps its place; the result shows the code as it is now); the same
        source while it runs is that run. Anything else while the student has a code job waiting or running
        (a run of another part, a different source while running, a submitted attempt being graded) raises
        :class:`Busy`. None when the whole queue is full."""
        with self.lock:
            mine = self.runs.setdefault(student, {})
            state = mine.get(address)
            if state and state["status"] == "queued":
                for job in self.lanes.get(student, ()):
                    if job.kind == "run" and job.address == address:
                        job.args = (address, source, lang)
                        state["source"] = source
                        return state
            if state and state["status"] == "running" and state.get("source") == source:
                return state
            ahead = self.running.get(student) or next(iter(self.lanes.get(student, ())), None)
            if ahead is not None:
                raise Busy(ahead.kind)
            state = {"id": secrets.token_hex(8), "status": "queued", "queued_at": time.time(), "result": None,
                     "source": source}
            mine[address] = state

        def done(f):
            try:
                state["result"] = f.result()
                state["status"] = "done"
            except Exception as exc:      # the pool itself failed: a grader fault, shown as one
                state["result"] = {"verdict": "error", "feedback": [f"{type(exc).__name__}: {exc}"], "tests": []}
                state["status"] = "error"
        job = _Job(student, "run", run_visible, (address, source, lang), done, time.time(), address)
        if not self._enqueue(job):
            with self.lock:
                self.runs[student].pop(address, None)
            return None
        return state

    def run_state(self, student: str) -> dict:
        with self.lock:
            return {a: {k: v for k, v in s.items() if k != "source"} for a, s in self.runs.get(student, {}).items()}

    def grade(self, student: str, answers: dict, lang: str, done, number: int = 0) -> bool:
        """Queue the grading of an attempt; ``done(f)``: ``f.result()`` stores it and returns ``{"error", "faults"}``.

        The worker only grades; the gradebook is written here, in the web process, so that a niced worker
        never holds the database's write lock while an answer's save waits for it. ``number``: the attempt's
        number (its student's later attempt supersedes it while it waits; see :meth:`_enqueue`)."""
        return self._enqueue(_Job(student, "grade", graded_attempt, (student, answers, lang),
                                  lambda f: done(_Stored(f, self.db_path)), time.time(), number=number))

    def close(self) -> None:
        """Stop: nothing more starts, and the workers and every process they started (sandboxes, the
        student code in them) are killed; jobs that were waiting or running are simply not done."""
        with self.lock:
            self.stopping = True
            self.lanes.clear()
            self.turns.clear()
            self.waiting = 0
        self.wake.set()
        pids = set(self.worker_pids)
        pids.update(getattr(self.pool, "_processes", None) or {})      # a worker started later (none today)
        kill_trees(pids)
        self.pool.shutdown(wait=True, cancel_futures=True)
        # a keeper making a new pool right now sees ``stopping`` when it is made, and kills it: wait for that,
        # so that no worker (nor a sandbox it started) outlives close()
        if self.keeper is not threading.current_thread():
            self.keeper.join(timeout=KEEPER_JOIN_SECONDS)
        import shutil
        shutil.rmtree(self.marks, ignore_errors=True)


def descendants(pids) -> set[int]:
    """Every live process below ``pids`` (read from /proc/PID/task/*/children), ``pids`` included."""
    seen: set[int] = set()
    todo = [int(p) for p in pids]
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{pid}/task").iterdir():
                with contextlib.suppress(OSError, ValueError):
                    todo += [int(c) for c in (task / "children").read_text().split()]
    return seen


def kill_trees(pids) -> None:
    """SIGKILL ``pids`` and all their descendants. The trees are first frozen (SIGSTOP, repeated until no
    new process appears), so nothing forks away between the listing and the kill."""
    frozen: set[int] = set()
    for _ in range(20):
        found = descendants(pids) - frozen
        if not found:
            break
        for pid in found:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGSTOP)
        frozen |= found
    for pid in frozen:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    end = time.monotonic() + 10.0          # return once they are gone (a zombie is gone: it runs nothing)
    while time.monotonic() < end and any(_alive(pid) for pid in frozen):
        time.sleep(0.01)


def _exiting(pid: int) -> bool:
    """The process is gone, a zombie, or on its way out (PF_EXITING: a SIGKILL was taken)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return fields[0] in ("Z", "X") or bool(int(fields[6]) & 0x4)
    except (OSError, IndexError, ValueError):
        return True


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")
