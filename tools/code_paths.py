"""Which numeric code paths NumPy and OpenBLAS use in this environment, and a check of them.

Usage::

    python tools/code_paths.py            # print them
    python tools/code_paths.py --check    # also exit 1 if the environment asks for other paths

The portability pass of ``.ci/run`` runs the notebooks with ``OPENBLAS_CORETYPE`` and
``NPY_DISABLE_CPU_FEATURES`` set, to get the rounding of another CPU. Both variables fail
silently: OpenBLAS ignores a core it does not know, and NumPy ignores a feature name that is
not one of its dispatch targets (``AVX2`` is not one in NumPy 2.4; ``X86_V3`` is). ``--check``
makes sure that what was asked for is what runs, so the pass cannot go green by testing the
usual code paths a second time.
"""

from __future__ import annotations

import argparse
import os
import sys


def numpy_paths() -> tuple[list[str], list[str]]:
    """NumPy's runtime-dispatch targets: (all it was built with, those in use on this CPU)."""
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

    return list(__cpu_dispatch__), [t for t in __cpu_dispatch__ if __cpu_features__.get(t)]


def openblas_cores() -> list[str]:
    """The kernel family ("architecture") of every OpenBLAS that NumPy loaded."""
    import numpy  # noqa: F401  (loads NumPy's OpenBLAS, so threadpoolctl can see it)
    from threadpoolctl import threadpool_info

    return [str(info.get("architecture")) for info in threadpool_info()
            if info.get("internal_api") == "openblas"]


def problems(env: dict[str, str], built: list[str], in_use: list[str],
             cores: list[str]) -> list[str]:
    """What differs between the code paths ``env`` asks for and those in use.

    Parameters
    ----------
    env : dict
        The environment (``OPENBLAS_CORETYPE``, ``NPY_DISABLE_CPU_FEATURES``).
    built, in_use : list of str
        NumPy's dispatch targets, and those in use (:func:`numpy_paths`).
    cores : list of str
        OpenBLAS kernel families in use (:func:`openblas_cores`).
    """
    found = []
    wanted_core = env.get("OPENBLAS_CORETYPE", "").strip()
    if wanted_core:
        if not cores:
            found.append("OPENBLAS_CORETYPE is set but NumPy loaded no OpenBLAS")
        elif any(c.lower() != wanted_core.lower() for c in cores):
            found.append(f"OPENBLAS_CORETYPE={wanted_core} but OpenBLAS runs {', '.join(cores)}")
    disabled = env.get("NPY_DISABLE_CPU_FEATURES", "").replace(",", " ").split()
    unknown = [name for name in disabled if name not in built]
    if unknown:
        found.append(f"NPY_DISABLE_CPU_FEATURES names {', '.join(unknown)}, which NumPy ignores: "
                     f"its dispatch targets are {', '.join(built)}")
    still = [name for name in disabled if name in in_use]
    if still:
        found.append(f"NPY_DISABLE_CPU_FEATURES did not disable {', '.join(still)}")
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if OPENBLAS_CORETYPE / NPY_DISABLE_CPU_FEATURES are not in effect")
    args = parser.parse_args(argv)
    import numpy

    built, in_use = numpy_paths()
    cores = openblas_cores()
    print(f"NumPy {numpy.__version__}: dispatch targets in use {in_use or 'none (baseline only)'} "
          f"of {built}; OpenBLAS kernels {cores or 'none'}")
    if not args.check:
        return 0
    found = problems(dict(os.environ), built, in_use, cores)
    for line in found:
        print(f"code paths: {line}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
