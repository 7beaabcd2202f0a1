"""Move values between the learner's code and the checker as plain data.

What a learner's function returns is turned into JSON-able data by
:func:`encode` (numbers, strings, lists, dicts and arrays as lists of floats,
each tagged with its Python type), and rebuilt by :func:`decode` as Python
floats and NumPy arrays. The grader only ever sees the decoded data: it never
unpickles or calls anything the learner made, so an object whose ``__eq__``
always returns True, or a patched NumPy in the learner's kernel, cannot change
a verdict. The instant checks use the same round trip, so a check in the
notebook and the grader judge exactly the same thing.

Only exact built-in types are trusted (``type(x) is float``, not a subclass);
anything else is reported by its type name and never touched.
"""

from __future__ import annotations

import math

import numpy as np

from ..digits import counted

__all__ = ["encode", "decode", "Opaque", "describe", "MAX_ELEMENTS"]

#: Largest array (or list) the encoder copies; bigger ones are reported, not sent.
MAX_ELEMENTS = 200_000
_MAX_DEPTH = 6
_MAX_STR = 500

_NUMPY_FLOATS = (np.float16, np.float32, np.float64, np.longdouble)
_NUMPY_INTS = (np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64)


class Opaque:
    """Stands for a value the encoder would not copy (an unknown type, a huge array)."""

    def __init__(self, type_name: str, note: str = ""):
        self.type_name = type_name
        self.note = note

    def __repr__(self) -> str:
        return f"<{self.type_name}{': ' + self.note if self.note else ''}>"

    def __eq__(self, other) -> bool:
        return isinstance(other, Opaque) and (self.type_name, self.note) == (other.type_name,
                                                                           other.note)

    __hash__ = None


def _type_name(x) -> str:
    t = type(x)
    module = getattr(t, "__module__", "") or ""
    name = getattr(t, "__qualname__", "") or getattr(t, "__name__", "?")
    if not isinstance(module, str) or not isinstance(name, str):
        return "unknown type"
    return name if module == "builtins" else f"{module}.{name}"


def encode(x, _depth: int = 0):
    """Plain, JSON-able description of ``x`` (see the module docstring)."""
    t = type(x)
    if x is None:
        return {"t": "none"}
    if t is bool or t is np.bool_:
        return {"t": "bool", "v": bool(x)}
    if t is int:
        if abs(x) < 2**63:
            return {"t": "int", "py": "int", "v": x}
        return {"t": "float", "py": "int", "v": float(x) if abs(x) < 1e308 else math.inf}
    if t is float:
        return {"t": "float", "py": "float", "v": float.__float__(x)}
    if t in _NUMPY_FLOATS:
        return {"t": "float", "py": f"numpy.{t.__name__}", "v": float(np.float64(x))}
    if t in _NUMPY_INTS:
        return {"t": "int", "py": f"numpy.{t.__name__}", "v": int(x)}
    if t is str:
        return {"t": "str", "v": str.__str__(x)[:_MAX_STR]}
    if t is np.ndarray:
        kind = x.dtype.kind
        if kind not in "biuf":
            return {"t": "opaque", "type": f"numpy.ndarray of dtype {x.dtype}", "note": ""}
        if x.size > MAX_ELEMENTS:
            return {"t": "opaque", "type": "numpy.ndarray",
                    "note": f"shape {tuple(x.shape)} is too large to check"}
        flat = np.asarray(x, dtype=np.float64).ravel().tolist()
        return {"t": "array", "dtype": str(x.dtype), "shape": list(x.shape), "v": flat}
    if t in (tuple, list):
        if _depth >= _MAX_DEPTH:
            return {"t": "opaque", "type": t.__name__, "note": "nested too deeply"}
        if len(x) > MAX_ELEMENTS:
            return {"t": "opaque", "type": t.__name__, "note": f"length {len(x)} is too long"}
        items = tuple.__iter__(x) if t is tuple else list.__iter__(x)
        return {"t": t.__name__, "v": [encode(item, _depth + 1) for item in items]}
    if t is dict:
        if _depth >= _MAX_DEPTH:
            return {"t": "opaque", "type": "dict", "note": "nested too deeply"}
        out = {}
        for key, value in dict.items(x):
            if type(key) is not str:
                return {"t": "opaque", "type": "dict", "note": "keys that are not strings"}
            out[str.__str__(key)[:_MAX_STR]] = encode(value, _depth + 1)
        return {"t": "dict", "v": out}
    return {"t": "opaque", "type": _type_name(x), "note": ""}


def decode(data):
    """Rebuild a value from :func:`encode`'s output: floats, ints, str, arrays, containers.

    Numbers come back as Python ``float``/``int`` (a NumPy float becomes a
    float: any float type is accepted where a float is asked); arrays as
    float64 ``ndarray`` with the original shape; unknown things as
    :class:`Opaque`.
    """
    if not isinstance(data, dict) or "t" not in data:
        return Opaque("malformed data")
    t = data["t"]
    if t == "none":
        return None
    if t == "bool":
        return bool(data["v"])
    if t == "int":
        return int(data["v"])
    if t == "float":
        return float(data["v"])
    if t == "str":
        return str(data["v"])
    if t == "array":
        shape = tuple(int(s) for s in data["shape"])
        values = np.array(data["v"], dtype=np.float64)
        if values.size != math.prod(shape):
            return Opaque("numpy.ndarray", "inconsistent data")
        return values.reshape(shape)
    if t == "tuple":
        return tuple(decode(v) for v in data["v"])
    if t == "list":
        return [decode(v) for v in data["v"]]
    if t == "dict":
        return {str(k): decode(v) for k, v in data["v"].items()}
    if t == "opaque":
        return Opaque(str(data.get("type", "?")), str(data.get("note", "")))
    return Opaque("malformed data")


def describe(value) -> str:
    """Short description of a decoded value, for feedback messages."""
    if value is None:
        return "None"
    if isinstance(value, bool):
        return f"a bool ({value})"
    if isinstance(value, int):
        return f"an int ({value})"
    if isinstance(value, float):
        return f"a float ({value:.6g})"
    if isinstance(value, str):
        return f"a str ({value[:40]!r})"
    if isinstance(value, np.ndarray):
        if value.ndim == 1:
            return f"a rank-1 array of shape {value.shape}"
        return f"an array of shape {value.shape}"
    if isinstance(value, tuple):
        return f"a tuple of {counted(len(value), 'item')}"
    if isinstance(value, list):
        return f"a list of {counted(len(value), 'item')}"
    if isinstance(value, dict):
        return f"a dict with keys {sorted(value)[:6]}"
    if isinstance(value, Opaque):
        return f"an object of type {value.type_name}" + (f" ({value.note})" if value.note else "")
    return type(value).__name__
