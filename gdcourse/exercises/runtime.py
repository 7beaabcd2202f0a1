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
import importlib
import json
import os
import signal
import sys
import threading
import time
import warnings

import numpy as np

from .values import encode

__all__ = ["call", "ReferenceCalled", "CallTimeout", "guard", "count_lines"]

_perf_counter = time.perf_counter
_json_dumps = json.dumps
_deepcopy = copy.deepcopy
_settrace = sys.settrace
_gettrace = sys.gettrace
_setitimer = signal.setitimer if hasattr(signal, "setitimer") else None
_signal = signal.signal
_main_thread = threading.main_thread
_current_thread = threading.current_thread
_isinstance = builtins.isinstance
_str = builtins.str
_dirname = os.path.dirname
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


def call(fn, args, *, forbidden=(), timeout=None, trace_dir=None,
         interrupt_is_timeout=False) -> dict:
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
    trace_dir : str or None
        When given, count the Python lines run in code whose file is in this
        directory (the learner's cells), reported as ``"lines"``.
    interrupt_is_timeout : bool
        Report a KeyboardInterrupt as a timeout instead of raising it (the grader
        interrupts a call that ignored its own timeout).

    Returns
    -------
    dict
        ``status`` ("ok", "error", "not_implemented", "timeout", "reference"),
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
    counter = [0]

    def local(frame, event, arg):
        if event == "line":
            counter[0] += 1
        return local

    def global_trace(frame, event, arg):
        if _dirname(frame.f_code.co_filename) == trace_dir:
            counter[0] += 1
            return local
        return None

    result = None
    with guard(forbidden) as g, _catch_warnings(record=True) as caught:
        _simplefilter("always")
        sys.stdout, sys.stderr = sink, sink
        old_trace = _gettrace()
        if use_alarm:
            old_handler = _signal(signal.SIGALRM, _on_alarm)
            _setitimer(signal.ITIMER_REAL, float(timeout))
        start = _perf_counter()
        try:
            try:
                if trace_dir is not None:
                    _settrace(global_trace)
                result = fn(*fresh)
            finally:
                if trace_dir is not None:
                    _settrace(old_trace)
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
        called = g.called
    if called:
        report.update(status="reference", error_type="ReferenceCalled",
                      error=", ".join(called))
    if trace_dir is not None:
        report["lines"] = counter[0]
    if report["status"] == "ok":
        report["value"] = encode(result)
    report["mutated"] = [i for i, (a, snap) in enumerate(zip(fresh, before))
                         if _snapshot(a) != snap]
    return report


def code_dir(fn) -> str | None:
    """The directory of the file ``fn`` was defined in (the learner's cells), if any."""
    code = getattr(fn, "__code__", None)
    if code is None or not _isinstance(code.co_filename, str):
        return None
    return _dirname(code.co_filename)


def count_lines(fn, small_args, large_args, *, forbidden=(), timeout=None,
                interrupt_is_timeout=False) -> dict:
    """Lines of learner code run for a small and a large problem (a loop over m shows up)."""
    where = code_dir(fn)
    if where is None:
        return {"status": "error", "error": "not a Python function"}
    small = call(fn, small_args, forbidden=forbidden, timeout=timeout, trace_dir=where,
                 interrupt_is_timeout=interrupt_is_timeout)
    large = call(fn, large_args, forbidden=forbidden, timeout=timeout, trace_dir=where,
                 interrupt_is_timeout=interrupt_is_timeout)
    if small["status"] != "ok" or large["status"] != "ok":
        bad = small if small["status"] != "ok" else large
        return {"status": bad["status"], "error": bad.get("error", "")}
    return {"status": "ok", "small": small["lines"], "large": large["lines"]}
