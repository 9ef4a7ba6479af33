"""pywb in its own virtual environment (its pinned dependencies clash with the project's), built once and kept."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import ROOT

PYWB_VERSION = "2.10.0"
PYWB_VENV = ROOT / ".venv-pywb"
STAMP = PYWB_VENV / f".installed-pywb-{PYWB_VERSION}"


class PywbUnavailable(RuntimeError):
    """pywb could not be installed (no package index reachable?)."""


def base_python() -> str:
    """The interpreter the project's virtual environment was made from."""
    return getattr(sys, "_base_executable", sys.executable)


def pywb_bin() -> Path:
    """The folder of pywb's commands, installing pywb into `.venv-pywb` on first use."""
    if STAMP.exists():
        return PYWB_VENV / "bin"
    shutil.rmtree(PYWB_VENV, ignore_errors=True)
    steps = ([base_python(), "-m", "venv", str(PYWB_VENV)],
             [str(PYWB_VENV / "bin" / "pip"), "install", "--quiet", f"pywb=={PYWB_VERSION}"])
    for step in steps:
        result = subprocess.run(step, capture_output=True, text=True, timeout=900)
        if result.returncode != 0:
            shutil.rmtree(PYWB_VENV, ignore_errors=True)
            raise PywbUnavailable(f"{' '.join(step[:3])} failed: {result.stderr[-500:]}")
    (PYWB_VENV / ".gitignore").write_text("*\n")
    STAMP.touch()
    return PYWB_VENV / "bin"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def wayback(root: Path, bin_dir: Path) -> Iterator[str]:
    """pywb's `wayback` serving the collections under `root` on 127.0.0.1; yields its base URL."""
    port = free_port()
    process = subprocess.Popen([str(bin_dir / "wayback"), "-p", str(port), "-b", "127.0.0.1", "-d", str(root)],
                               cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if process.poll() is not None:
                raise RuntimeError(f"wayback exited: {process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
            try:
                urllib.request.urlopen(base + "/", timeout=2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
