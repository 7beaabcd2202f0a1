"""gdcourse.kernels: every tool's kernels start with encrypted transport, so without the warning.

ipykernel prints "Kernel is running over TCP without encryption" at start unless the
kernel manager provisions CurveZMQ keys. The tests that start kernels also run once
with encryption disabled and check that the warning *is* there, so they can see it.
"""

from __future__ import annotations

import subprocess

import pytest

from gdcourse import kernels

WARNING = "Kernel is running over TCP without encryption"


def _has_curve() -> bool:
    """pyzmq has CurveZMQ and jupyter_client can provision keys (8.10 and later)."""
    import zmq
    from jupyter_client import KernelManager

    return bool(zmq.has("curve")) and "transport_encryption" in KernelManager.class_traits()


needs_curve = pytest.mark.skipif(not _has_curve(),
                                 reason="no CurveZMQ in pyzmq, or jupyter_client < 8.10")


# -- the policy ---------------------------------------------------------------------------
def test_policy_is_auto_exactly_where_curve_keys_can_be_provisioned():
    assert kernels.transport_encryption() == ("auto" if _has_curve() else "disabled")


def test_an_unknown_policy_is_refused_with_the_choices():
    with pytest.raises(ValueError, match=r"encryption must be one of 'disabled', 'auto', "
                                         r"'required' or None.*got 'on'"):
        kernels.kernel_manager(encryption="on")


@needs_curve
def test_config_reaches_every_kernel_manager_class():
    """The grader's KernelManager, nbclient's AsyncKernelManager, jupyter_server's own."""
    from jupyter_client import AsyncKernelManager, KernelManager
    from jupyter_server.services.kernels.kernelmanager import ServerKernelManager

    config = kernels.manager_config()
    for cls in (KernelManager, AsyncKernelManager, ServerKernelManager):
        assert cls(config=config).transport_encryption == "auto", cls.__name__
    assert kernels.kernel_manager().transport_encryption == "auto"
    assert kernels.kernel_manager(encryption="disabled").transport_encryption == "disabled"


@needs_curve
def test_server_option_names_the_kernel_manager_setting():
    assert kernels.server_options() == ["--KernelManager.transport_encryption=auto"]
    assert kernels.server_options("disabled") == []


def test_python3_kernelspec_declares_curve_support():
    """'auto' only provisions keys for kernels that declare they take them."""
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec("python3")
    assert "curve" in spec.metadata.get("supported_encryption", [])


# -- real kernels ---------------------------------------------------------------------------
def _start_and_run(km, stderr_path) -> tuple[str, dict]:
    """Start ``km``'s kernel with stderr to a file, run one line; (stderr, connection info)."""
    with open(stderr_path, "wb") as err:
        km.start_kernel(stdout=subprocess.DEVNULL, stderr=err)
        kc = km.client()
        try:
            kc.start_channels()
            kc.wait_for_ready(timeout=60)
            reply = kc.execute_interactive("x = 6 * 7", timeout=30)
            assert reply["content"]["status"] == "ok"
            info = km.get_connection_info()
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    return stderr_path.read_text(errors="replace"), info


@pytest.mark.kernel
@pytest.mark.parametrize("encryption", ["disabled", pytest.param("auto", marks=needs_curve)])
def test_kernel_manager_silences_the_warning_only_when_encrypted(tmp_path, encryption):
    km = kernels.kernel_manager("python3", encryption=encryption)
    stderr, info = _start_and_run(km, tmp_path / "kernel.err")
    if encryption == "disabled":
        assert WARNING in stderr                  # the test can see the warning ...
        assert info.get("curve_publickey") is None
    else:
        assert WARNING not in stderr, stderr      # ... and the setting removes it
        assert info.get("curve_publickey")


@pytest.mark.kernel
@pytest.mark.parametrize("encryption", ["disabled", None])
def test_execute_notebook_runs_in_the_folder_and_is_quiet_by_default(tmp_path, capfd,
                                                                     encryption):
    """nbclient's kernel writes to our stderr; by default the warning is gone from it."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(cells=[new_code_cell("import os\nprint(os.getcwd())")])
    out = kernels.execute_notebook(nb, tmp_path, timeout=60, encryption=encryption)
    assert out is nb
    assert nb.cells[0].outputs[0]["text"].strip() == str(tmp_path)
    assert "execution" not in nb.cells[0].metadata          # record_timing=False
    nbformat.validate(nb)
    stderr = capfd.readouterr().err
    if encryption == "disabled":
        assert WARNING in stderr
    elif _has_curve():
        assert WARNING not in stderr, stderr


@pytest.mark.kernel
@needs_curve
def test_the_graders_kernel_is_encrypted_and_works(tmp_path):
    from gdcourse.grader.kernel import KernelSession

    with KernelSession(str(tmp_path)) as session:
        assert session.km.transport_encryption == "auto"
        assert session.km.get_connection_info().get("curve_publickey")
        result = session.execute("print(6 * 7)", timeout=30)
        assert (result.status, result.output) == ("ok", "42\n")
        session.restart()                                     # same keys after a restart
        assert session.execute("print(1)", timeout=30).output == "1\n"


@pytest.mark.kernel
def test_a_kernel_that_cannot_start_is_tried_twice_and_its_stderr_shown(tmp_path, monkeypatch):
    from gdcourse.grader.kernel import KernelSession, KernelStartError

    site = tmp_path / "site"
    site.mkdir()
    tries = tmp_path / "tries"
    (site / "sitecustomize.py").write_text(
        "import os, sys\n"
        f"open({str(tries)!r}, 'a').write('x')\n"
        "sys.stderr.write('boom: this kernel will not start\\n')\n"
        "os._exit(3)\n")
    monkeypatch.setenv("PYTHONPATH", str(site))
    work = tmp_path / "work"
    session = KernelSession(str(work), startup_timeout=20)
    with pytest.raises(KernelStartError, match="boom: this kernel will not start"):
        session.start()
    assert tries.read_text() == "xx"                       # the first start, and one retry
    assert not list(tmp_path.glob("kernel-*.stderr"))      # its log is not left behind
