"""Set resource limits, then become the kernel: ``python _limits.py AS NOFILE FSIZE CPU -- ARGV``.

The grader runs this file by its path (not with ``-m``, so no package is imported) inside the
sandbox, in front of the kernel's command. Each limit is a number (bytes, files, bytes,
seconds) or ``-`` for "leave it". The CPU limit's hard value is 5 s above the soft one: at the
soft limit the kernel gets SIGXCPU (it dies, unless the learner's code ignores the signal), at
the hard one SIGKILL. Core dumps are switched off, so a killed kernel leaves no core file.
"""

import os
import resource
import sys

_NAMES = (resource.RLIMIT_AS, resource.RLIMIT_NOFILE, resource.RLIMIT_FSIZE, resource.RLIMIT_CPU)


def main(argv) -> None:
    split = argv.index("--")
    values, command = argv[:split], argv[split + 1:]
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    for which, value in zip(_NAMES, values):
        if value == "-":
            continue
        soft = int(value)
        hard = soft + 5 if which == resource.RLIMIT_CPU else soft
        ceiling = resource.getrlimit(which)[1]
        if ceiling != resource.RLIM_INFINITY:         # never above what this user may have
            soft, hard = min(soft, ceiling), min(hard, ceiling)
        resource.setrlimit(which, (soft, hard))
    env = dict(os.environ)
    # ipykernel exits when its parent looks gone; in the sandbox's PID namespace its parent
    # is bubblewrap's init (PID 1), which it takes for "gone". --die-with-parent does that job.
    env.pop("JPY_PARENT_PID", None)
    os.execve(command[0], command, env)


if __name__ == "__main__":
    main(sys.argv[1:])
