"""The results pipe and what the call runner reports about frames and tracers (no kernel)."""

from __future__ import annotations

import os
import sys
import threading

import numpy as np
import pytest

from gdcourse.exercises import runtime
from gdcourse.grader import channel
from gdcourse.grader.channel import ResultChannel, seal, unseal

pytestmark = pytest.mark.unit


def test_a_sealed_record_opens_with_its_key_only():
    key = b"k" * 32
    line = seal(key, 7, {"kind": "case", "value": 1.5}).rstrip(b"\n")
    assert unseal(key, line) == {"kind": "case", "value": 1.5, "n": 7}
    assert unseal(b"x" * 32, line) is None
    mac, _, body = line.partition(b" ")
    assert unseal(key, mac + b" " + body.replace(b"1.5", b"2.5")) is None
    assert unseal(key, b"not a record") is None


def test_records_of_a_writer_that_dies_at_once_are_all_there():
    ch = ResultChannel()
    try:
        pid = os.fork()
        if pid == 0:                                    # the child: write, then die at once
            for n in range(1, 201):
                os.write(ch.write_fd, seal(ch.key, n, {"kind": "case", "case": n}))
            os._exit(0)
        os.waitpid(pid, 0)
        records = ch.read()
    finally:
        ch.close()
    assert [r["case"] for r in records] == list(range(1, 201))
    assert ch.forged == 0


def test_forged_replayed_and_reordered_lines_are_not_trusted():
    ch = ResultChannel()
    try:
        good1 = seal(ch.key, 1, {"kind": "begin"})
        good3 = seal(ch.key, 3, {"kind": "done"})
        os.write(ch.write_fd, good1 + b'00ff {"kind": "case", "n": 2}\n' + good1)
        os.write(ch.write_fd, seal(b"y" * 32, 2, {"kind": "case"}) + good3 + b"garbage\n")
        records = ch.read()
    finally:
        ch.close()
    assert [r["kind"] for r in records] == ["begin", "done"]
    assert ch.forged == 4
    assert ch.last_n == 3


def test_a_line_split_across_reads_is_kept_until_it_is_whole():
    ch = ResultChannel()
    try:
        line = seal(ch.key, 1, {"kind": "case", "case": 0})
        os.write(ch.write_fd, line[:10])
        assert ch.read() == []
        os.write(ch.write_fd, line[10:])
        assert [r["kind"] for r in ch.read()] == ["case"]
    finally:
        ch.close()


def test_a_line_too_long_is_skipped_and_the_next_one_read(monkeypatch):
    monkeypatch.setattr(channel, "RECORD_LIMIT", 100)
    ch = ResultChannel()
    try:
        os.write(ch.write_fd, seal(ch.key, 1, {"kind": "case", "pad": "x" * 150}))
        assert ch.read() == []                       # a whole line, too long
        os.write(ch.write_fd, b"y" * 500)             # the start of another one
        os.write(ch.write_fd, b"\n" + seal(ch.key, 2, {"kind": "done"}))
        records = ch.read()
    finally:
        ch.close()
    assert [r["kind"] for r in records] == ["done"]
    assert ch.oversized == 2


def _peeks():
    sys._getframe(0)
    return 1.0


def _formats_a_traceback():
    import traceback
    try:
        raise ValueError("x")
    except ValueError:
        traceback.format_exc()
    return 1.0


def _plain(x):
    return float(np.sum(x))


@pytest.mark.parametrize("fn, args, what", [(_peeks, [], "sys._getframe"),
                                            (_formats_a_traceback, [], "tb_frame")])
def test_a_function_that_reaches_for_a_frame_is_reported(fn, args, what):
    report = runtime.call(fn, args)
    assert report["status"] == "tampered"
    assert what in report["error"] and "tampering" in report["error"]
    assert "value" not in report


def test_a_plain_function_is_not_reported_and_frames_outside_calls_are_free():
    sys._getframe(0)
    report = runtime.call(_plain, [np.ones(3)])
    assert report["status"] == "ok" and report["value"]["v"] == 3.0
    sys._getframe(0)


def test_the_checks_tracer_is_hidden_from_gettrace(monkeypatch):
    monkeypatch.setattr(sys, "gettrace", sys.gettrace)
    if hasattr(threading, "gettrace"):
        monkeypatch.setattr(threading, "gettrace", threading.gettrace)
    runtime.hide_tracer()
    seen = []

    def looks():
        seen.append(sys.gettrace())
        return 0.0

    report = runtime.call(looks, [], trace=True)
    assert report["status"] == "ok" and report["lines"] > 0
    assert seen == [None]
