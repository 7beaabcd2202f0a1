"""Command line of the course package.

``python -m gdcourse grade SUBMISSION.ipynb [FOLDER ...]``
    Grade exercise notebooks (see ``python -m gdcourse grade --help``).
``python -m gdcourse make-learner``
    Build ``notebooks/07_exercises.ipynb`` from the instructor's
    ``notebooks/solutions/07_exercises.ipynb`` (solutions replaced by stubs).
``python -m gdcourse lab``
    Open the course in JupyterLab (see ``python -m gdcourse lab --help``).
"""

from __future__ import annotations

import argparse
import sys

__all__ = ["main"]

#: Modules the grader and make-learner import, and the extra that installs them.
_GRADER_MODULES = {"jupyter_client", "ipykernel", "IPython", "nbformat", "nbclient"}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gdcourse",
                                     description="Tools of the gradient-descent course.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    from . import launch
    from .exercises import learner
    from .grader import cli

    cli.add_parser(sub)
    learner.add_parser(sub)
    launch.add_parser(sub)
    args = parser.parse_args(argv)
    if args.command == "lab":
        return launch.run(args)
    try:
        return cli.run(args) if args.command == "grade" else learner.run(args)
    except ModuleNotFoundError as exc:
        if exc.name not in _GRADER_MODULES:
            raise
        print(f"python -m gdcourse {args.command} needs {exc.name}, which is not installed here: "
              "pip install 'gdcourse[grader]' (or, in a clone, pip install -r "
              "requirements.txt).", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
