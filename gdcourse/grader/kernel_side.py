"""The grader's agent inside the grading kernel.

The grader imports this module in the fresh kernel *before* any learner
code runs (:func:`bootstrap`), then, after the learner's cells have run,
asks it to call one exercise's function on the hidden cases
(:func:`run_exercise`). Every call goes through
:func:`gdcourse.exercises.runtime.call` (copied inputs, timeout, output
discarded, reference functions guarded), and each result is written at once
as one JSON line to a file the grader chose, so the results of the cases
that ran survive even if a later case kills the kernel.

Nothing is judged here: the grader reads the plain data and compares it
with its own reference results in its own process.
"""

from __future__ import annotations

import builtins
import json

from ..exercises import runtime
from ..exercises.values import decode

__all__ = ["bootstrap", "run_exercise"]

_loads = json.loads
_dumps = json.dumps
_open = builtins.open
_callable = builtins.callable
_dict_get = dict.get
_shell = None

#: After this many timed-out cases, the remaining cases of the exercise are skipped.
MAX_TIMEOUTS = 2


def bootstrap(forbidden) -> None:
    """Remember the learner's namespace and the reference functions, before learner code runs."""
    global _shell
    from IPython import get_ipython

    _shell = get_ipython()
    runtime.capture(forbidden)


def _type_name(obj) -> str:
    t = type(obj)
    return f"{getattr(t, '__module__', '?')}.{getattr(t, '__qualname__', '?')}"


def run_exercise(request: str, out_path: str) -> None:
    """Call the learner's function named in ``request`` (JSON) on each case; log to ``out_path``."""
    req = _loads(request)
    namespace = _shell.user_ns if _shell is not None else {}
    name = req["name"]
    with _open(out_path, "w", encoding="utf-8") as out:
        def emit(record):
            out.write(_dumps(record) + "\n")
            out.flush()

        missing = object()
        fn = _dict_get(namespace, name, missing)
        if fn is missing:
            emit({"kind": "missing"})
            return
        if not _callable(fn):
            emit({"kind": "not_callable", "type": _type_name(fn)})
            return
        timeouts = 0
        for i, case in enumerate(req["cases"]):
            if timeouts >= MAX_TIMEOUTS:
                emit({"kind": "case", "case": i, "status": "missing",
                      "error": "not run: earlier cases timed out."})
                continue
            emit({"kind": "case_start", "case": i})
            args = [decode(a) for a in case]
            record = runtime.call(fn, args, forbidden=req["forbidden"], timeout=req["timeout"],
                                  interrupt_is_timeout=True)
            timeouts += record["status"] == "timeout"
            record.update(kind="case", case=i)
            emit(record)
        probe = req.get("probe")
        if probe and timeouts == 0:
            emit({"kind": "probe_start"})
            small = [decode(a) for a in probe[0]]
            large = [decode(a) for a in probe[1]]
            result = runtime.count_lines(fn, small, large, forbidden=req["forbidden"],
                                         timeout=req["timeout"], interrupt_is_timeout=True)
            emit({"kind": "probe", **result})
