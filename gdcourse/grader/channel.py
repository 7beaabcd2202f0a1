"""The channel a submission's results travel on: a pipe only its own kernel holds.

The grader makes one pipe per submission and a random key. The kernel inherits the
write end (and nothing else can name it: no file in a shared folder, and inside the
sandbox no other kernel sees this one's processes), and the grader's agent in the
kernel learns the key before any learner code runs. Every record is one line::

    <HMAC-SHA256 of the body, hex> <body: JSON with a sequence number "n">

so a record that learner code forged (without the key) is told apart from the agent's,
and the grader only trusts records it can verify, in order. Bytes written to a pipe stay
in the kernel's buffer even when the writer dies at once (``os._exit``), so the record
of the case that crashed the kernel is not lost.

:func:`seal` is used by the agent, :class:`ResultChannel` by the grader.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import json
import os
import secrets

__all__ = ["ResultChannel", "seal", "unseal", "RECORD_LIMIT"]

#: Largest record (one line, in bytes) the agent sends and the grader reads; the agent
#: sends a short note instead of a bigger result, and the grader skips longer lines.
RECORD_LIMIT = 8 * 1024 * 1024
_PIPE_SIZE = 1024 * 1024

_new_mac = hmac.new
_sha256 = hashlib.sha256
_compare = hmac.compare_digest
_encode = json.JSONEncoder(allow_nan=True).encode    # not json.dumps's shared encoder


def seal(key: bytes, n: int, record: dict) -> bytes:
    """One line for the pipe: ``record`` with sequence number ``n``, and its MAC."""
    body = _encode({**record, "n": n}).encode()
    return _new_mac(key, body, _sha256).hexdigest().encode() + b" " + body + b"\n"


def unseal(key: bytes, line: bytes) -> dict | None:
    """The record in ``line`` if its MAC is right and it is a JSON object, else None."""
    mac, _, body = line.partition(b" ")
    expected = _new_mac(key, body, _sha256).hexdigest().encode()
    if not _compare(mac, expected):
        return None
    try:
        record = json.loads(body)
    except ValueError:
        return None
    return record if isinstance(record, dict) and type(record.get("n")) is int else None


class ResultChannel:
    """The grader's end of one submission's pipe.

    Attributes
    ----------
    key : bytes
        The secret the agent signs with (32 random bytes).
    write_fd : int
        The end the kernel inherits (pass it in ``pass_fds``).
    forged : int
        Lines that did not verify, or came out of order (counted, never trusted).
    oversized : int
        Lines longer than :data:`RECORD_LIMIT` (skipped unread).
    """

    def __init__(self):
        self.key = secrets.token_bytes(32)
        self._read_fd, self.write_fd = os.pipe()
        os.set_blocking(self._read_fd, False)
        try:
            import fcntl
            fcntl.fcntl(self.write_fd, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)    # Linux only
        except (ImportError, AttributeError, OSError):
            pass  # the default 64 KiB works too: the grader reads while a request runs
        self._partial = b""
        self._skipping = False          # inside a line that is too long
        self._last_n = 0
        self.forged = 0
        self.oversized = 0

    def read(self) -> list:
        """The verified records that arrived since the last call (never blocks)."""
        chunks = []
        while True:
            try:
                chunk = os.read(self._read_fd, 1 << 16)
            except BlockingIOError:
                break
            except OSError as exc:
                if exc.errno == errno.EINTR:
                    continue
                break
            if not chunk:
                break
            chunks.append(self._skip(chunk))
        data = b"".join(chunks)
        if not data:
            return []
        lines = (self._partial + data).split(b"\n")
        self._partial = lines.pop()
        if len(self._partial) > 2 * RECORD_LIMIT:
            self._partial, self._skipping = b"", True
            self.oversized += 1
        records = []
        for line in lines:
            if not line:
                continue
            if len(line) > 2 * RECORD_LIMIT:
                self.oversized += 1
                continue
            record = unseal(self.key, line)
            if record is None or record["n"] <= self._last_n:
                self.forged += 1
                continue
            self._last_n = record["n"]
            records.append(record)
        return records

    def _skip(self, chunk: bytes) -> bytes:
        """``chunk`` without the rest of a line that is being skipped."""
        if not self._skipping:
            return chunk
        end = chunk.find(b"\n")
        if end < 0:
            return b""
        self._skipping = False
        return chunk[end + 1:]

    @property
    def last_n(self) -> int:
        """The sequence number of the last record trusted (a restarted agent goes on from it)."""
        return self._last_n

    def close(self) -> None:
        for fd in (self._read_fd, self.write_fd):
            try:
                os.close(fd)
            except OSError:
                pass
        self._read_fd = self.write_fd = -1
