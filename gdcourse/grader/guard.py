"""Keep submission files byte-for-byte unchanged, even against learner code.

The grader itself only ever reads a submission. But without a sandbox (see
:mod:`.sandbox`) code inside a submission runs as the grader's user and could
write to any file it can name, including the hand-ins (its own or a
classmate's); in the sandbox they are out of its sight. :class:`FileGuard` reads every
submission's bytes and timestamps before any learner code runs; grading uses
those bytes (:meth:`FileGuard.content`), so a submission cannot change what
another one is graded on; when grading is over it puts back any file whose
bytes changed and says which ones it restored, so the instructor can look at
who did it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .submission import SubmissionError, read_bytes

__all__ = ["FileGuard"]


class FileGuard:
    """Snapshot files on entry; restore changed ones on exit.

    Attributes
    ----------
    restored : list of Path
        Files that had been changed and were put back (filled on exit).
    moved_aside : list of Path
        Where a folder, FIFO or link that had taken a file's place was moved.
    """

    def __init__(self, paths):
        self._saved = {}
        for p in map(Path, paths):
            try:
                st = p.stat()
                if p.is_file():
                    self._saved[p] = (read_bytes(p), st.st_atime_ns, st.st_mtime_ns)
            except (OSError, SubmissionError):
                pass  # unreadable, missing or too large: graded (as an error) from the path
        self.restored: list = []
        self.moved_aside: list = []

    def content(self, path) -> bytes | None:
        """The bytes read before grading, or ``None`` if the file could not be read."""
        saved = self._saved.get(Path(path))
        return None if saved is None else saved[0]

    def __enter__(self) -> "FileGuard":
        return self

    def __exit__(self, *exc) -> None:
        self.check_and_restore()

    def check_and_restore(self) -> list:
        """Put back every snapshotted file whose content changed; return them.

        Only regular files are read back (a FIFO put in a file's place cannot make this
        wait). Whatever took a file's place (a folder, a FIFO, a link) is moved aside,
        next to it, as ``NAME.replaced-during-grading`` (numbered if that exists), and the
        original bytes are written back; :attr:`moved_aside` names those.
        """
        for path, (data, atime, mtime) in self._saved.items():
            try:
                same = stat.S_ISREG(os.lstat(path).st_mode) and read_bytes(path) == data
            except (OSError, SubmissionError):
                same = False  # deleted, or replaced by something that is not a regular file
            if same:
                continue
            if os.path.lexists(path) and not stat.S_ISREG(os.lstat(path).st_mode):
                aside = _free_name(path)
                os.rename(path, aside)
                self.moved_aside.append(aside)
            tmp = path.with_name(f".{path.name}.gdcourse-restore")
            tmp.write_bytes(data)
            os.replace(tmp, path)
            os.utime(path, ns=(atime, mtime))
            if path not in self.restored:
                self.restored.append(path)
        return self.restored


def _free_name(path: Path) -> Path:
    """``NAME.replaced-during-grading``, or with ``-2``, ``-3``... if that is taken."""
    candidate, k = path.with_name(f"{path.name}.replaced-during-grading"), 1
    while os.path.lexists(candidate):
        k += 1
        candidate = path.with_name(f"{path.name}.replaced-during-grading-{k}")
    return candidate
