"""The grader's agent inside the grading kernel.

The grader loads this module in the fresh kernel *before* any learner code runs
(:func:`bootstrap`): it reads the submission's secret key from a pipe, then installs an
audit hook (:func:`sys.addaudithook`) that holds the agent's whole state in its closure.
Python offers no way to list, replace or remove an audit hook, so learner code cannot
swap the agent for a forger by rebinding a module attribute. Later, after the learner's
cells have run, each request of the grader is an audit event, ``gdcourse.grade``, signed
with the key; the hook calls the exercise's function on the hidden cases through
:func:`gdcourse.exercises.runtime.call` and writes each result at once, signed, to the
submission's own pipe (:mod:`.channel`).

The same hook watches for tampering and reports it, signed, the moment it happens:

- walking the heap (``gc.get_objects``, ``gc.get_referrers``...), the frames of other
  threads, another audit hook, or raw memory (``/proc/self/mem``, ``ctypes.string_at``);
- while a request runs: reaching for a frame (``sys._getframe``, a traceback's or a
  generator's frame) or setting a tracer or profiler, the ways to reach the agent's
  frames and the reference guard during a call;
- changing the code of the reference functions or of the agent, changing its classes,
  copying a reference function, or running a reference module's code again;
- rebinding any global of the agent's modules, or the guarded reference functions
  (checked before every request and after every case).

Nothing is judged here: the grader verifies the records and judges the plain data in
its own process.
"""

from __future__ import annotations

import os
import sys
import threading
import types

from ..exercises import runtime
from ..exercises.values import decode
from . import channel
from .channel import RECORD_LIMIT, seal

__all__ = ["bootstrap", "bootstrap_code", "request_code", "REQUEST_EVENT"]

#: The audit event that carries one request of the grader.
REQUEST_EVENT = "gdcourse.grade"
#: After this many timed-out cases, the remaining cases of the exercise are skipped.
MAX_TIMEOUTS = 2
#: Modules whose globals the agent's work reads at call time.
AGENT_MODULES = ("gdcourse.exercises.runtime", "gdcourse.exercises.values",
                 "gdcourse.grader.kernel_side", "gdcourse.grader.channel")

_write = os.write
_read = os.read
_close = os.close
_exit = os._exit
_type = type
_isinstance = isinstance
_str = str
_callable = callable
_dict_get = dict.get
_get_ident = threading.get_ident
_FunctionType = types.FunctionType
_hide_tracer = runtime.hide_tracer
_unseal = channel.unseal
_getframe = sys._getframe
_gettrace = sys.gettrace
_settrace = sys.settrace
_getprofile = sys.getprofile
_setprofile = sys.setprofile

#: Audit events that are tampering whenever they happen after bootstrap.
_ALWAYS = {
    "gc.get_objects": "walked the interpreter's heap (gc.get_objects)",
    "gc.get_referrers": "walked the interpreter's heap (gc.get_referrers)",
    "gc.get_referents": "walked the interpreter's heap (gc.get_referents)",
    "sys._current_frames": "read the frames of running threads (sys._current_frames)",
    "sys.addaudithook": "added an audit hook",
    "ctypes.string_at": "read raw memory (ctypes.string_at)",
    "ctypes.wstring_at": "read raw memory (ctypes.wstring_at)",
    "sys.monitoring.register_callback": "installed a sys.monitoring callback",
}
#: Audit events that are tampering while a request of the grader runs.
_DURING_REQUEST = {
    "sys._getframe": "inspected the call stack (sys._getframe) while being graded",
    "sys._getframemodulename": "inspected the call stack while being graded",
    "sys.setprofile": "set a profiler (sys.setprofile) while being graded",
}
#: ... and while the learner's own code runs inside a request.
_DURING_CALL = {
    "sys.settrace": "set a tracer (sys.settrace) while being graded",
}
_WATCHED = frozenset(set(_ALWAYS) | set(_DURING_REQUEST) | set(_DURING_CALL)
                     | {REQUEST_EVENT, "object.__getattr__", "object.__setattr__",
                        "function.__new__", "exec", "open"})


def bootstrap_code(forbidden, results_fd: int, key_fd: int, first_n: int) -> str:
    """The code the grader runs in a fresh kernel before any learner code."""
    return ("import gdcourse.grader.kernel_side as _gdcourse_agent\n"
            f"_gdcourse_agent.bootstrap({sorted(set(forbidden))!r}, {int(results_fd)}, "
            f"{int(key_fd)}, {int(first_n)})\n"
            "del _gdcourse_agent\n")


def request_code(request: str, mac: str) -> str:
    """The code that hands one signed request (JSON) to the agent's hook.

    Python runs audit hooks with tracing switched off, so the hook does not run the
    exercise itself: it hands back the work as the argument of an exception, which the
    request's own function (whose constants hold this very request, as the hook checks)
    then calls.
    """
    return ("def _gdcourse_request():\n"
            "    try:\n"
            f"        __import__('sys').audit({REQUEST_EVENT!r}, {request!r}, {mac!r})\n"
            "    except BaseException as work:\n"
            "        work.args[0]()\n"
            "_gdcourse_request()\n"
            "del _gdcourse_request\n")


class _Work(BaseException):
    """Carries a request's work out of the audit hook (see :func:`request_code`)."""


class _State:
    """Everything the agent knows. Only its audit hook holds it (and, while a request runs,
    the agent's own frames, which learner code cannot reach without an audited step)."""

    def __init__(self, shell, results_fd: int, key: bytes, first_n: int):
        self.shell = shell
        self.fd = results_fd
        self.key = key
        self.n = first_n
        self.busy = False              # a request is running
        self.in_call = False           # learner code runs inside the request
        self.depth = 0                 # the hook is running (events it causes are its own)
        self.reported: set = set()
        self.main = _get_ident()        # the kernel's main thread: learner calls run in it
        self.globals: list = []        # (owner, namespace, name, value) at bootstrap
        self.names: list = []          # (owner, namespace, its names at bootstrap)
        self.originals: dict = {}      # dotted name -> reference function
        self.codes: dict = {}          # id(function) -> (function, code) of protected code
        self.reference_ids: set = set()
        self.reference_codes: set = set()
        self.last_request = 0
        self.reference_files: set = set()


def _read_key(key_fd: int) -> bytes:
    data = b""
    while len(data) < 64:
        chunk = _read(key_fd, 64 - len(data))
        if not chunk:
            break
        data += chunk
    _close(key_fd)
    return bytes.fromhex(data.decode("ascii"))


def bootstrap(forbidden, results_fd: int, key_fd: int, first_n: int) -> None:
    """Read the key, remember the reference functions, install the hook (before learner code)."""
    from IPython import get_ipython

    runtime.capture(forbidden)
    _hide_tracer()
    state = _State(get_ipython(), results_fd, _read_key(key_fd), first_n)
    _remember(state)
    sys.addaudithook(_make_hook(state))


def _remember(state: _State) -> None:
    """What must not change from now on: the agent's globals, code and classes."""
    for name in AGENT_MODULES:
        namespaces = [(name, vars(sys.modules[name]))]
        for key, value in vars(sys.modules[name]).items():
            if _type(value) is _FunctionType and value.__module__ == name:
                state.codes[id(value)] = (value, value.__code__)
            elif _isinstance(value, type) and value.__module__ == name:
                namespaces.append((f"{name}.{key}", vars(value)))   # its methods too
                for member in vars(value).values():
                    if _type(member) is _FunctionType:
                        state.codes[id(member)] = (member, member.__code__)
        for owner, namespace in namespaces:
            state.names.append((owner, namespace, frozenset(namespace)))
            state.globals += [(owner, namespace, key, value)
                              for key, value in namespace.items()]
    state.originals = dict(runtime._originals)
    for fn in state.originals.values():
        state.codes[id(fn)] = (fn, fn.__code__)
        state.reference_ids.add(id(fn))
        state.reference_codes.add(id(fn.__code__))
        state.reference_files.add(fn.__code__.co_filename)


def _changed(state: _State) -> str:
    """What of the agent was rebound or recoded since bootstrap ('' if nothing)."""
    for owner, namespace, key, value in state.globals:
        if namespace.get(key, _State) is not value:
            return f"rebound {owner}.{key}"
    for owner, namespace, names in state.names:
        if len(namespace) != len(names):
            added = sorted(k for k in namespace if k not in names)[:1] or ["?"]
            return f"added {owner}.{added[0]}"
    if runtime._originals != state.originals:
        return "changed the grader's list of reference functions"
    for fn, code in state.codes.values():
        if fn.__code__ is not code:
            return f"replaced the code of {fn.__module__}.{fn.__qualname__}"
    return ""


def _emit(state: _State, record: dict) -> None:
    state.n += 1
    data = seal(state.key, state.n, record)
    if len(data) > RECORD_LIMIT:          # a huge result: say so instead of sending it
        megabytes = len(data) / 2**20
        data = seal(state.key, state.n, {
            "kind": record.get("kind"), "case": record.get("case"), "status": "missing",
            "error": f"its result is too large to check ({megabytes:.0f} MB of data; at "
                     f"most {RECORD_LIMIT // 2**20} MB)."})
    try:
        while data:
            data = data[_write(state.fd, data):]
    except OSError:
        _exit(70)          # the channel was closed or replaced: nothing can be reported


def _tamper(state: _State, what: str) -> None:
    if what not in state.reported:
        state.reported.add(what)
        _emit(state, {"kind": "tamper", "what": what})


def _make_hook(state: _State):
    watched = _WATCHED
    always, during_request, during_call = dict(_ALWAYS), dict(_DURING_REQUEST), dict(_DURING_CALL)
    frame_attributes = runtime.FRAME_ATTRIBUTES
    tamper, changed, run = _tamper, _changed, _run_exercise

    def hook(event, args):
        if event not in watched or state.depth:
            return
        if event == "object.__getattr__" and not state.busy:     # the most frequent event
            return
        state.depth += 1
        try:
            what = ""
            if event == REQUEST_EVENT:
                caller = _getframe(1).f_code.co_consts
                work = _accept(state, args, caller, run, changed)
                if work is not None:
                    raise _Work(work)
            elif event in always:
                what = always[event]
            elif event in during_request:
                what = during_request[event] if state.busy and _get_ident() == state.main \
                    else ""
            elif event in during_call:
                what = during_call[event] if state.in_call else ""
            elif event == "object.__getattr__":
                if state.busy and args[1] in frame_attributes and _get_ident() == state.main:
                    what = f"reached for a frame ({args[1]}) while being graded"
            elif event == "object.__setattr__":
                what = _setattr_problem(state, *args[:2])
            elif event == "function.__new__":
                if args and id(args[0]) in state.reference_codes:
                    what = "made a copy of a reference function"
            elif event == "exec":
                code = args[0] if args else None
                if (_type(code) is types.CodeType
                        and code.co_filename in state.reference_files):
                    what = "ran the code of a reference module again"
            elif event == "open":
                path = args[0] if args else None
                if _isinstance(path, _str) and path.startswith("/proc/") and \
                        path.endswith("/mem"):
                    what = "opened process memory (/proc/.../mem)"
            if what:
                tamper(state, what)
        except _Work:
            raise
        except Exception:  # noqa: BLE001 - the hook must never break the kernel
            pass
        finally:
            state.depth -= 1

    return hook


def _setattr_problem(state: _State, obj, name) -> str:
    """Setting an attribute raises this event for functions (and few others): a protected
    function's code may change only by the reference guard, outside the learner's call.
    (Setting a class attribute raises no event: :func:`_changed` compares the methods.)"""
    if name == "__code__" and id(obj) in state.codes:
        if state.busy and not state.in_call and id(obj) in state.reference_ids:
            return ""         # the reference guard swapping a reference's code
        return f"replaced the code of {getattr(obj, '__qualname__', '?')}"
    return ""


def _accept(state: _State, args, caller_constants, run, changed):
    """The work of one request, if it is the grader's, sent by the grader's code; else None.

    ``caller_constants`` are the constants of the code that raised the event: the
    request's own function holds the request among them, a wrapper around
    ``sys.audit`` (which could catch the work) does not.
    """
    if state.busy:
        _tamper(state, "sent a request to the grader's agent from inside a request")
        return None
    request, mac = (args + ("", ""))[:2] if _isinstance(args, tuple) else ("", "")
    req = None
    if _isinstance(request, _str) and _isinstance(mac, _str):
        req = _unseal(state.key, f"{mac} {request}".encode())
    if req is None or req["n"] <= state.last_request:
        _tamper(state, "sent the grader's agent a request the grader did not sign")
        return None
    if request not in caller_constants:
        _tamper(state, "intercepted the grader's request (sys.audit was wrapped)")
        return None
    state.last_request = req["n"]

    def work():
        if state.busy:
            return
        tracer, profiler = _gettrace(), _getprofile()
        if tracer is not None or profiler is not None:   # the learner's: not while grading
            _settrace(None)
            _setprofile(None)
        problem = changed(state)
        if problem:
            _tamper(state, problem)
        state.busy = True
        try:
            run(state, req)
        finally:
            state.busy = state.in_call = False

    return work


def _type_name(obj) -> str:
    t = type(obj)
    return f"{getattr(t, '__module__', '?')}.{getattr(t, '__qualname__', '?')}"


def _run_exercise(state: _State, req: dict) -> None:
    """Call the learner's function named in ``req`` on each case; send each result."""
    def enter():
        state.in_call = True

    def leave():
        state.in_call = False

    watch = (enter, leave)
    namespace = state.shell.user_ns if state.shell is not None else {}
    name = req["name"]
    _emit(state, {"kind": "begin", "exercise": name})
    missing = object()
    fn = _dict_get(namespace, name, missing)
    if fn is missing:
        _emit(state, {"kind": "missing"})
        return
    if not _callable(fn):
        _emit(state, {"kind": "not_callable", "type": _type_name(fn)})
        return
    probe = req.get("probe")
    timeouts = 0
    for i, case in enumerate(req["cases"]):
        if timeouts >= MAX_TIMEOUTS:
            _emit(state, {"kind": "case", "case": i, "status": "missing",
                          "error": "not run: earlier cases timed out."})
            continue
        _emit(state, {"kind": "case_start", "case": i})
        args = [decode(a) for a in case]
        # A structure exercise is traced on every case, not only on the probe, so a
        # function cannot run one way while its lines are counted and another when graded.
        record = runtime.call(fn, args, forbidden=req["forbidden"], timeout=req["timeout"],
                              interrupt_is_timeout=True, trace=bool(probe), watch=watch)
        timeouts += record["status"] == "timeout"
        record.update(kind="case", case=i)
        _emit(state, record)
        problem = _changed(state)
        if problem:
            _tamper(state, problem)
    if probe and timeouts == 0:
        _emit(state, {"kind": "probe_start"})
        small = [decode(a) for a in probe[0]]
        large = [decode(a) for a in probe[1]]
        result = runtime.count_lines(fn, small, large, forbidden=req["forbidden"],
                                     timeout=req["timeout"], interrupt_is_timeout=True,
                                     watch=watch)
        _emit(state, {"kind": "probe", **result})
    _emit(state, {"kind": "done"})
