"""The canary for Scrapy, parsel, lxml and Twisted internals: every private name lives in crawler/compat.py,
and the installed versions still have each one.

When a test here fails after an upgrade, the message names what changed; crawler/compat.py says
which public API each use stands in for. The wire facts these internals keep are checked end to
end by tests/interop/test_warc_fidelity.py (real reason phrases and header lines in the WARC).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import scrapy

from crawler import compat

ROOT = Path(__file__).resolve().parents[2]
LIBRARIES = ("scrapy", "parsel", "lxml", "twisted", "w3lib", "cssselect")
PACKAGES = ("crawler", "spiders", "archive")


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _library(module: str | None) -> bool:
    return module is not None and module.split(".")[0] in LIBRARIES


def _defined_here(tree: ast.Module) -> set[str]:
    """Names a module defines itself: functions, classes, variables, and attributes it assigns on `self`/`cls`."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and isinstance(node.value, ast.Name)
              and node.value.id in ("self", "cls")):
            names.add(node.attr)
    return names


def private_uses(path: Path) -> list[str]:
    """`line: what` for each private name of the libraries the module imports or reads.

    An import from a private module or of a private name; an attribute `_name` the module does not
    define itself (so a library's: `response._cached_selector`, `self._pool` in a handler subclass).
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = _defined_here(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and _library(node.module):
            assert node.module is not None
            names = [alias.name for alias in node.names if _private(alias.name)]
            if any(_private(part) for part in node.module.split(".")) or names:
                found.append(f"{node.lineno}: from {node.module} import {', '.join(names) or '…'}")
        elif isinstance(node, ast.Import):
            found += [f"{node.lineno}: import {alias.name}" for alias in node.names
                      if _library(alias.name) and any(_private(part) for part in alias.name.split("."))]
        elif isinstance(node, ast.Attribute) and _private(node.attr) and node.attr not in own:
            found.append(f"{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_private_library_name_is_used_outside_the_compat_module():
    modules = [path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))
               if path != ROOT / "crawler" / "compat.py"]
    found = {str(path.relative_to(ROOT)): uses for path in modules if (uses := private_uses(path))}
    assert not found, f"private names of {', '.join(LIBRARIES)} outside crawler/compat.py: {found}"


def test_the_scan_finds_what_the_compat_module_holds():
    uses = "\n".join(private_uses(ROOT / "crawler" / "compat.py"))
    for expected in ("scrapy.utils._download_handlers", "_ScrapyAgent", "self._pool._factory", "etree._Element",
                     "self._parser"):
        assert expected in uses


def test_the_installed_libraries_have_every_private_name_the_compat_module_uses():
    try:
        compat.check_private_names()
    except compat.CompatError as exc:
        raise AssertionError(f"Scrapy {scrapy.__version__} changed internals crawler/compat.py uses: {exc}") from exc


def test_the_wire_client_factory_builds_protocols_that_keep_the_wire():
    def idle(protocol: object) -> None:
        return None

    protocol = compat._WireClientFactory(idle, None).buildProtocol(None)
    assert isinstance(protocol, compat._WireProtocol) and protocol._quiescentCallback is idle


def test_a_built_download_handler_has_what_the_wire_agent_is_built_from():
    # In a child process: building the handler installs Twisted's reactor, which other tests choose themselves.
    script = ("from scrapy.utils.reactor import install_reactor; "
              "install_reactor('twisted.internet.asyncioreactor.AsyncioSelectorReactor'); "
              "from scrapy.utils.test import get_crawler; from crawler.downloader import ArchivingDownloadHandler; "
              "from crawler import compat; handler = ArchivingDownloadHandler(get_crawler()); "
              "assert handler._pool._factory is compat._WireClientFactory; print('ok')")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "ok", f"Scrapy {scrapy.__version__}: {result.stderr[-2000:]}"
