"""Call a learner's function and describe what happened, as plain data.

Used in two places: by the instant checks, in the learner's own kernel, and
by the grader's agent in the (fresh) grading kernel. Nothing here decides a
score; it reports what the call did:

- the arguments are fresh copies, and a change made to them is reported;
- printing is counted and discarded (so megabytes of output cost nothing);
- a per-call timeout (SIGALRM, main thread only) stops endless loops;
- the package's reference functions for the exercise are *guarded* during
  the call: their code is swapped for a stub that records the call and
  raises, so a solution that just calls the reference is caught however it
  reached it (any alias, ``importlib``, a lambda...);
- the result is turned into plain data by :func:`~.values.encode`.

Functions and classes used here are bound at import time, so a learner who
later replaces ``json.dumps`` or ``numpy.array_equal`` does not change how
results are reported.
"""

from __future__ import annotations

import builtins
import copy
import dis
import importlib
import json
import os
import signal
import sys
import sysconfig
import threading
import time
import warnings

import numpy as np

from .values import encode

__all__ = ["call", "ReferenceCalled", "CallTimeout", "guard", "count_lines",
           "hide_tracer", "FRAME_ATTRIBUTES"]

_perf_counter = time.perf_counter
_json_dumps = json.dumps
_deepcopy = copy.deepcopy
_settrace = sys.settrace
_gettrace = sys.gettrace
_thread_settrace = threading.settrace
_thread_gettrace = getattr(threading, "gettrace", lambda: None)
_get_instructions = dis.get_instructions
_repr = builtins.repr
_len = builtins.len
_id = builtins.id
_type = builtins.type
_setitimer = signal.setitimer if hasattr(signal, "setitimer") else None
_signal = signal.signal
_main_thread = threading.main_thread
_current_thread = threading.current_thread
_get_ident = threading.get_ident
_isinstance = builtins.isinstance
_str = builtins.str
_dirname = os.path.dirname
_abspath = os.path.abspath
_catch_warnings = warnings.catch_warnings
_simplefilter = warnings.simplefilter
_ndarray = np.ndarray

MAX_MESSAGE = 300


class ReferenceCalled(BaseException):
    """Raised inside a guarded call when it reaches one of the forbidden reference functions."""


class CallTimeout(BaseException):
    """Raised inside a call that ran longer than its timeout."""


# -- the reference guard -----------------------------------------------------------
_originals: dict = {}          # dotted name -> the function object, captured before learner code
_reference_calls: list = []


def _resolve(dotted: str):
    module_name, _, attr = dotted.rpartition(".")
    module = importlib.import_module(module_name)
    return getattr(module, attr)


def capture(names) -> None:
    """Remember the reference functions by identity (call before any learner code runs)."""
    for name in names:
        if name not in _originals:
            try:
                fn = _resolve(name)
            except (ImportError, AttributeError):
                continue
            if hasattr(fn, "__code__") and not fn.__code__.co_freevars:
                _originals[name] = fn


def _reference_called(name: str):
    _reference_calls.append(name)
    raise ReferenceCalled(name)


def _stub_code(name: str):
    """Code object for a function that reports a call of ``name`` and raises.

    It must not use its globals (it runs with the guarded function's module
    globals), so it fetches this module through ``sys.modules``.
    """
    src = ("def _guard(*args, **kwargs):\n"
           "    import sys\n"
           f"    sys.modules[{__name__!r}]._reference_called({name!r})\n")
    namespace: dict = {}
    exec(compile(src, f"<reference guard for {name}>", "exec"), namespace)
    return namespace["_guard"].__code__


class guard:
    """Context manager: calling any of ``names`` raises :class:`ReferenceCalled` inside it."""

    def __init__(self, names):
        capture(names)
        self.functions = [(name, _originals[name]) for name in names if name in _originals]
        self.saved: list = []

    def __enter__(self):
        del _reference_calls[:]
        for name, fn in self.functions:
            self.saved.append((fn, fn.__code__))
            fn.__code__ = _stub_code(name)
        return self

    def __exit__(self, *exc):
        for fn, code in self.saved:
            fn.__code__ = code
        self.saved = []
        return False

    @property
    def called(self) -> list:
        return list(dict.fromkeys(_reference_calls))


# -- output sink --------------------------------------------------------------------
class _Sink:
    """A stand-in for stdout/stderr that counts what is written and keeps nothing."""

    encoding = "utf-8"

    def __init__(self):
        self.chars = 0

    def write(self, text):
        try:
            self.chars += len(text)
        except Exception:
            pass
        return 0

    def flush(self):
        pass

    def isatty(self):
        return False

    def writable(self):
        return True


# -- calling -------------------------------------------------------------------------
def _on_alarm(signum, frame):
    raise CallTimeout()


def _message(exc) -> str:
    try:
        text = _str(exc)
    except BaseException:
        text = "(the error message could not be shown)"
    return text[:MAX_MESSAGE]


def _snapshot(value) -> str:
    return _json_dumps(encode(value), sort_keys=True)


# -- counting what a call does ---------------------------------------------------------------
def _library_dirs() -> tuple:
    """Folders of installed code (the standard library, site-packages, NumPy, this package)."""
    dirs = {sys.prefix, sys.base_prefix, sys.exec_prefix, _dirname(np.__file__),
            _dirname(_dirname(os.path.abspath(__file__)))}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        try:
            dirs.add(sysconfig.get_path(key))
        except KeyError:
            pass
    return tuple(sorted(os.path.join(os.path.abspath(d), "") for d in dirs if d))


_LIBRARY_DIRS = _library_dirs()
_learner_code: dict = {}           # code object -> (is learner code, names of loop variables)


def _loop_targets(code) -> frozenset:
    """Names a ``for`` loop (or comprehension) in ``code`` assigns on each pass: the stores
    right after each FOR_ITER (read from the bytecode, so no source is needed)."""
    names, after_for = set(), False
    for instr in _get_instructions(code):
        if instr.opname == "FOR_ITER":
            after_for = True
        elif after_for and instr.opname.startswith("UNPACK_"):
            continue
        elif after_for and instr.opname == "STORE_FAST_LOAD_FAST":
            names.add(instr.argval[0] if _isinstance(instr.argval, tuple) else instr.argval)
            after_for = False
        elif after_for and instr.opname.startswith("STORE_"):
            value = instr.argval
            names.update(value if _isinstance(value, tuple) else (value,))
        else:
            after_for = False
    return frozenset(n for n in names if _isinstance(n, _str))


def _code_info(code):
    info = _learner_code.get(code)
    if info is None:
        name = code.co_filename
        library = (not _isinstance(name, _str) or name.startswith("<frozen")
                   or _abspath(name).startswith(_LIBRARY_DIRS))
        info = (not library, frozenset() if library else _loop_targets(code))
        _learner_code[code] = info
    return info


#: Types of values whose change counts as work done (not loop counters or flags).
_DATA = (float, complex, np.floating, np.complexfloating, np.ndarray, list, dict, tuple)


def _fingerprint(value):
    t = _type(value)
    if t is _ndarray:
        if value.size <= 4096:
            return (value.shape, value.dtype.str, value.tobytes())
        return ("big", _id(value), value.shape)
    if t in (list, dict, tuple):
        return (t, _id(value), _len(value))
    if t in (float, complex, int, bool, _str) or _isinstance(value, (np.floating, np.integer)):
        return (t, _repr(value))
    return (t, _id(value))


def _nothing() -> None:
    pass


# -- reaching for frames ------------------------------------------------------------------
#: Audit events that hand out a frame (from a frame, the caller's locals are one step away:
#: the checker's, the grader's, the reference guard's).
_FRAME_EVENTS = {"sys._getframe": "sys._getframe", "sys._getframemodulename": "sys._getframe",
                 "sys._current_frames": "sys._current_frames"}
#: Attributes whose reading hands out a frame (a traceback's, a generator's, a coroutine's).
FRAME_ATTRIBUTES = frozenset({"tb_frame", "gi_frame", "cr_frame", "ag_frame"})
_watching: list = [None]           # the thread whose call runs learner code, or None
_frames_reached: list = []         # what it used to reach for a frame


def _frames_hook(event, args) -> None:
    """Audit hook: note a frame handed out while learner code of a :func:`call` runs."""
    if _watching[0] is None or _watching[0] != _get_ident():
        return
    if event in _FRAME_EVENTS:
        _frames_reached.append(_FRAME_EVENTS[event])
    elif event == "object.__getattr__" and len(args) > 1 and args[1] in FRAME_ATTRIBUTES:
        _frames_reached.append(f"a {args[1]} attribute")


sys.addaudithook(_frames_hook)


#: The tracer that was set before the current traced call (what the learner may see).
_outer_trace: list = [None]


def _visible_gettrace():
    """``sys.gettrace()``, except that the checks' own tracer is not shown."""
    tracer = _gettrace()
    if _type(tracer) is _Counter or _type(getattr(tracer, "__self__", None)) is _Counter:
        return _outer_trace[0]
    return tracer


def _visible_thread_gettrace():
    tracer = _thread_gettrace()
    if _type(tracer) is _Counter:
        return None
    return tracer


def hide_tracer() -> None:
    """Make ``sys.gettrace`` and ``threading.gettrace`` blind to the checks' tracer.

    The grader calls this before any learner code runs, so a function cannot behave
    one way while its lines are counted and another way while it is graded.
    """
    sys.gettrace = _visible_gettrace
    if hasattr(threading, "gettrace"):
        threading.gettrace = _visible_thread_gettrace


class _Counter:
    """What a traced call ran: Python lines (in any code) and updates of learner values.

    An *update* is a local variable of learner code (a notebook cell, a helper, code
    made by ``exec``; not library code) that holds a float, an array or a container and
    got a new value, unless it is a loop variable (the target of a ``for``). A loop over
    the examples that does real work makes updates on every pass; a token loop
    (``for i in range(m): pass``, or a ``while`` that only counts) makes none.
    """

    def __init__(self):
        self.lines = 0
        self.updates = 0
        self.frames: dict = {}       # id(frame) -> fingerprints of its locals

    def local(self, frame, event, arg):
        if event == "line":
            self.lines += 1
            self._look(frame)
        elif event == "return":
            self._look(frame)
            self.frames.pop(_id(frame), None)
        return self.local

    def _look(self, frame):
        learner, loop_vars = _code_info(frame.f_code)
        if not learner:
            return
        now = {}
        for key, value in frame.f_locals.items():
            if key in loop_vars or not _isinstance(value, _DATA):
                continue
            try:
                now[key] = _fingerprint(value)
            except Exception:          # noqa: BLE001 - a strange object is just not counted
                continue
        before = self.frames.get(_id(frame))
        if before is not None:
            self.updates += sum(1 for key, fp in now.items() if before.get(key) != fp)
        self.frames[_id(frame)] = now

    def __call__(self, frame, event, arg):
        if event == "call":
            self.lines += 1
            self._look(frame)
            return self.local
        return None


def call(fn, args, *, forbidden=(), timeout=None, trace=False,
         interrupt_is_timeout=False, watch=None) -> dict:
    """Call ``fn(*args)`` on copies of ``args`` and report what happened.

    Parameters
    ----------
    fn : callable
        The learner's function.
    args : sequence
        Arguments; each is deep-copied before the call.
    forbidden : sequence of str
        Dotted names of reference functions to guard during the call.
    timeout : float or None
        Seconds before the call is stopped (only in the main thread).
    trace : bool
        Count what the call runs (:class:`_Counter`): Python lines in any code, reported
        as ``"lines"``, and updates of learner values, as ``"updates"``. A call that
        switches the tracer off gets the status "tampered".
    interrupt_is_timeout : bool
        Report a KeyboardInterrupt as a timeout instead of raising it (the grader
        interrupts a call that ignored its own timeout).
    watch : (callable, callable) or None
        ``(enter, leave)``, called with no arguments just before learner code can run
        (the call, then the encoding of its result, which may run methods of the
        learner's objects) and just after (the grader's agent watches what happens
        in between).

    Returns
    -------
    dict
        ``status`` ("ok", "error", "not_implemented", "timeout", "reference", "tampered"),
        ``value`` (encoded result, when ok), ``error_type`` and ``error``
        (when not ok), ``time`` (s), ``mutated`` (indices of changed
        arguments), ``output_chars`` (characters printed), ``warnings`` (first
        warning message, if any), ``lines`` (when traced).
    """
    fresh = [_deepcopy(a) for a in args]
    before = [_snapshot(a) for a in fresh]
    report = {"status": "ok", "time": 0.0, "mutated": [], "output_chars": 0, "warnings": []}
    sink = _Sink()
    old_out, old_err = sys.stdout, sys.stderr
    use_alarm = (timeout is not None and _setitimer is not None
                 and _current_thread() is _main_thread())
    old_handler = None
    counter = _Counter() if trace else None
    tampered = False
    result = None
    outer_enter, outer_leave = watch if watch is not None else (_nothing, _nothing)

    def enter():
        _watching[0] = _get_ident()
        outer_enter()

    def leave():
        _watching[0] = None
        outer_leave()

    del _frames_reached[:]
    with guard(forbidden) as g, _catch_warnings(record=True) as caught:
        _simplefilter("always")
        sys.stdout, sys.stderr = sink, sink
        old_trace, old_thread_trace = _gettrace(), _thread_gettrace()
        _outer_trace[0] = old_trace
        if use_alarm:
            old_handler = _signal(signal.SIGALRM, _on_alarm)
            _setitimer(signal.ITIMER_REAL, float(timeout))
        start = _perf_counter()
        try:
            try:
                if counter is not None:
                    _thread_settrace(counter)
                    _settrace(counter)
                enter()
                result = fn(*fresh)
            finally:
                leave()
                if counter is not None:
                    tampered = _gettrace() is not counter
                    _settrace(old_trace)
                    _thread_settrace(old_thread_trace)
                if use_alarm:
                    _setitimer(signal.ITIMER_REAL, 0.0)
                report["time"] = _perf_counter() - start
        except CallTimeout:
            report.update(status="timeout", error_type="Timeout",
                          error=f"did not return within {timeout:g} s")
        except ReferenceCalled:
            pass
        except NotImplementedError as exc:
            report.update(status="not_implemented", error_type="NotImplementedError",
                          error=_message(exc))
        except KeyboardInterrupt:
            if not interrupt_is_timeout:
                raise
            report.update(status="timeout", error_type="Timeout",
                          error=f"did not return within {timeout:g} s")
        except BaseException as exc:  # noqa: BLE001 - SystemExit too: it must not end the check
            report.update(status="error", error_type=type(exc).__name__, error=_message(exc))
        finally:
            if use_alarm:
                _signal(signal.SIGALRM, old_handler if old_handler is not None else signal.SIG_DFL)
            sys.stdout, sys.stderr = old_out, old_err
        report["output_chars"] = sink.chars
        report["warnings"] = [_message(w.message) for w in caught[:3]]
        # Still inside the guard: encoding may run methods of the learner's objects.
        enter()
        try:
            if report["status"] == "ok" and not g.called:
                report["value"] = encode(result)
            report["mutated"] = [i for i, (a, snap) in enumerate(zip(fresh, before))
                                 if _snapshot(a) != snap]
        except BaseException as exc:  # noqa: BLE001 - a method of the learner's object
            report.update(status="error", error_type=_type(exc).__name__,
                          error=f"its result could not be read: {_message(exc)}")
            report.pop("value", None)
        finally:
            leave()
        called = g.called
    if called:
        report.update(status="reference", error_type="ReferenceCalled",
                      error=", ".join(called))
        report.pop("value", None)
    if counter is not None:
        report["lines"] = counter.lines
        report["updates"] = counter.updates
        if tampered and report["status"] == "ok":
            report.update(status="tampered", error_type="Tampered",
                          error="the function switched off the tracer (sys.settrace)")
            report.pop("value", None)
    if _frames_reached and report["status"] in ("ok", "error"):
        report.update(status="tampered", error_type="Tampered", error=(
            f"the function reached for the call stack ({_frames_reached[0]}) while it was "
            "checked. From a frame it could reach the checker's own variables, so the grader "
            "counts this as tampering: use no inspect, traceback or logging in it"))
        report.pop("value", None)
    return report


def count_lines(fn, small_args, large_args, *, forbidden=(), timeout=None,
                interrupt_is_timeout=False, watch=None) -> dict:
    """What the call runs for a small and a large problem (a loop over m shows up).

    Returns ``status`` and, when both calls were fine, ``small`` and ``large`` (Python
    lines run) and ``small_updates`` and ``large_updates`` (see :class:`_Counter`).
    ``watch`` is passed on to :func:`call`.
    """
    small = call(fn, small_args, forbidden=forbidden, timeout=timeout, trace=True,
                 interrupt_is_timeout=interrupt_is_timeout, watch=watch)
    large = call(fn, large_args, forbidden=forbidden, timeout=timeout, trace=True,
                 interrupt_is_timeout=interrupt_is_timeout, watch=watch)
    if small["status"] != "ok" or large["status"] != "ok":
        bad = small if small["status"] != "ok" else large
        return {"status": bad["status"], "error": bad.get("error", "")}
    return {"status": "ok", "small": small["lines"], "large": large["lines"],
            "small_updates": small["updates"], "large_updates": large["updates"]}
