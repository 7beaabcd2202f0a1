"""Fresh Jupyter kernels, started the same way by every tool of the course.

The grader, ``python -m gdcourse make-learner``, ``tools/run_notebooks.py``,
``benchmarks/notebooks.py`` and ``python -m gdcourse lab`` all start ``python3``
kernels. They get their kernel manager (or, for JupyterLab, its command-line
option) from here, so the one setting that matters is written once:

transport encryption
    ipykernel warns at every start that it "is running over TCP without
    encryption" unless the kernel manager gives it CurveZMQ keys. jupyter_client
    does so when ``KernelManager.transport_encryption`` is ``"auto"`` and the
    kernelspec declares ``"supported_encryption": ["curve"]`` (ipykernel's
    ``python3`` kernelspec does). ``"auto"`` needs a pyzmq built with CurveZMQ
    and jupyter_client 8.10 or later; elsewhere :func:`transport_encryption`
    falls back to ``"disabled"`` (the kernel works, and prints the warning).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["ENCRYPTION_POLICIES", "transport_encryption", "manager_config", "kernel_manager",
           "server_options", "execute_notebook"]

#: The values of jupyter_client's ``KernelManager.transport_encryption``.
ENCRYPTION_POLICIES = ("disabled", "auto", "required")


def transport_encryption() -> str:
    """The policy to use here: ``"auto"`` where it works, else ``"disabled"``.

    It works where pyzmq was built with CurveZMQ and jupyter_client has the
    setting (8.10 and later; older ones neither provision keys nor know the option).

    Returns
    -------
    str
        ``"auto"`` or ``"disabled"``.
    """
    try:
        import zmq
        from jupyter_client import KernelManager
    except ImportError:
        return "disabled"
    if not KernelManager.class_traits().get("transport_encryption"):
        return "disabled"
    return "auto" if zmq.has("curve") else "disabled"


def _policy(encryption: str | None) -> str:
    """``encryption`` checked, or the default of this machine when None."""
    if encryption is None:
        return transport_encryption()
    if encryption not in ENCRYPTION_POLICIES:
        raise ValueError(f"encryption must be one of {', '.join(map(repr, ENCRYPTION_POLICIES))} "
                         f"or None (this machine's default); got {encryption!r}.")
    if encryption != "disabled" and transport_encryption() == "disabled":
        raise ValueError(f"encryption={encryption!r} needs CurveZMQ in pyzmq and jupyter_client "
                         ">= 8.10; this environment lacks one of them. Pass None or 'disabled'.")
    return encryption


def manager_config(encryption: str | None = None):
    """traitlets configuration for any ``KernelManager`` (and its subclasses).

    Parameters
    ----------
    encryption : {"disabled", "auto", "required"} or None
        Transport encryption policy; None (default) means :func:`transport_encryption`.

    Returns
    -------
    traitlets.config.Config
        ``KernelManager.transport_encryption`` set (unless disabled); it applies to
        the subclasses too: nbclient's ``AsyncKernelManager``, jupyter_server's
        ``ServerKernelManager``.
    """
    from traitlets.config import Config

    config = Config()
    policy = _policy(encryption)
    if policy != "disabled":          # the default; and unknown to jupyter_client < 8.10
        config.KernelManager.transport_encryption = policy
    return config


def kernel_manager(kernel_name: str = "python3", *, encryption: str | None = None):
    """A (not yet started) ``jupyter_client.KernelManager`` for ``kernel_name``.

    Parameters
    ----------
    kernel_name : str
        Kernelspec name (default ``"python3"``, the environment's own ipykernel).
    encryption : {"disabled", "auto", "required"} or None
        Transport encryption policy; None (default) means :func:`transport_encryption`.

    Returns
    -------
    jupyter_client.KernelManager
    """
    from jupyter_client import KernelManager

    return KernelManager(kernel_name=kernel_name, config=manager_config(encryption))


def server_options(encryption: str | None = None) -> list[str]:
    """The same setting as command-line options of a Jupyter server (JupyterLab).

    Parameters
    ----------
    encryption : {"disabled", "auto", "required"} or None
        Transport encryption policy; None (default) means :func:`transport_encryption`.

    Returns
    -------
    list of str
        ``["--KernelManager.transport_encryption=auto"]``, or ``[]`` when disabled
        (the server's default).
    """
    policy = _policy(encryption)
    return [] if policy == "disabled" else [f"--KernelManager.transport_encryption={policy}"]


def execute_notebook(nb, folder: Path | str, *, timeout: int = 600,
                     kernel_name: str = "python3", encryption: str | None = None):
    """Run ``nb`` top to bottom in a fresh kernel started in ``folder``; outputs stored in place.

    Per-cell timing metadata is not recorded, and widget state is kept only when an
    output shows a widget. The kernel is shut down afterwards, also when a cell fails.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook (changed in place: outputs and execution counts).
    folder : Path or str
        Working directory of the kernel (normally the notebook's own folder).
    timeout : int
        Seconds allowed per cell.
    kernel_name : str
        Kernelspec name (default ``"python3"``).
    encryption : {"disabled", "auto", "required"} or None
        Transport encryption policy; None (default) means :func:`transport_encryption`.

    Returns
    -------
    nbformat.NotebookNode
        ``nb``.

    Raises
    ------
    nbclient.exceptions.CellExecutionError
        A cell raised (and is not tagged ``raises-exception``).
    nbclient.exceptions.CellTimeoutError
        A cell ran longer than ``timeout``.
    """
    from nbclient import NotebookClient

    NotebookClient(nb, kernel_name=kernel_name, timeout=timeout, record_timing=False,
                   resources={"metadata": {"path": str(folder)}},
                   config=manager_config(encryption)).execute()
    if not any("application/vnd.jupyter.widget-view+json" in out.get("data", {})
               for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs):
        nb.metadata.pop("widgets", None)
    return nb
