"""Command line of the course package.

``python -m gdcourse grade SUBMISSION.ipynb [FOLDER ...]``
    Grade exercise notebooks (see ``python -m gdcourse grade --help``).
``python -m gdcourse make-learner``
    Build ``notebooks/07_exercises.ipynb`` from the instructor's
    ``notebooks/solutions/07_exercises.ipynb`` (solutions replaced by stubs).
"""

from __future__ import annotations

import argparse
import sys

__all__ = ["main"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gdcourse",
                                     description="Tools of the gradient-descent course.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    from .exercises import learner
    from .grader import cli

    cli.add_parser(sub)
    learner.add_parser(sub)
    args = parser.parse_args(argv)
    if args.command == "grade":
        return cli.run(args)
    return learner.run(args)


if __name__ == "__main__":
    sys.exit(main())
