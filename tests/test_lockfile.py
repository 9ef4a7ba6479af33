"""requirements.lock agrees with pyproject.toml, and the environment the tests run in is the lock's."""

import re
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
_ENTRY = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _declared() -> list[Requirement]:
    project = _pyproject()
    texts = [*project["project"]["dependencies"], *project["build-system"]["requires"]]
    for extra in project["project"]["optional-dependencies"].values():
        texts += extra
    return [Requirement(text) for text in texts]


def _locked() -> dict[str, tuple[str, str | None, int]]:
    """Each locked package: (version, environment marker, number of hashes)."""
    entries: dict[str, tuple[str, str | None, int]] = {}
    current = None
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        match = _ENTRY.match(line)
        if match:
            current = canonicalize_name(match.group(1))
            entries[current] = (match.group(2), match.group(3), 0)
        elif line.strip().startswith("--hash=sha256:") and current:
            found, marker, hashes = entries[current]
            entries[current] = (found, marker, hashes + 1)
    return entries


RANGES = {"scrapy": "users can take Scrapy's bug-fix releases; tests/unit/test_compat.py passed on the range"}
"""Dependencies pyproject.toml gives a range of versions (the lock still pins one), and why."""


def test_every_declared_dependency_is_pinned_exactly_in_pyproject():
    for requirement in _declared():
        if canonicalize_name(requirement.name) in RANGES:
            assert requirement.specifier, f"{requirement} in pyproject.toml has no version range"
            continue
        assert len(requirement.specifier) == 1 and next(iter(requirement.specifier)).operator == "==", (
            f"{requirement} in pyproject.toml is not an exact pin")


def test_the_lock_has_every_declared_dependency_at_its_declared_version():
    locked = _locked()
    for requirement in _declared():
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{requirement.name} is in pyproject.toml but not in requirements.lock: run `make lock`"
        assert requirement.specifier.contains(locked[name][0]), (
            f"pyproject.toml asks for {requirement}, requirements.lock has {locked[name][0]}: run `make lock`")


def test_every_locked_package_has_hashes():
    locked = _locked()
    assert len(locked) > 50
    assert not [name for name, (_, _, hashes) in locked.items() if hashes == 0]


def test_the_running_environment_is_the_locked_one():
    mismatched = []
    for name, (pinned, marker, _) in _locked().items():
        if marker and not Marker(marker).evaluate():
            continue
        try:
            installed = version(name)
        except PackageNotFoundError:
            mismatched.append(f"{name}: not installed")
            continue
        if installed != pinned:
            mismatched.append(f"{name}: {installed} installed, {pinned} locked")
    assert not mismatched, "the environment differs from requirements.lock (run `make install`): " + "; ".join(
        mismatched)
