"""The repository stands alone: no code comment or doc sends a reader to a file outside it."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTSIDE = re.compile(r"DESIGN\.md|SOURCES\.md|STYLE\.md|shared/seeds|shared/tools(?!/score_realpages)")
"""Files of the team's shared folder; only the development measure on `../shared/realpages` (with its
scorer) may name it, and it skips or says so when the folder is absent."""


def test_no_file_refers_to_the_teams_shared_folder():
    tracked = subprocess.run(["git", "ls-files", "*.py", "*.md", "*.toml", "*.cfg", "Makefile", ".ci/*"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout.split()
    assert len(tracked) > 100
    found = [f"{name}:{number}" for name in tracked if name != "tests/test_standalone.py"
             for number, line in enumerate((ROOT / name).read_text(encoding="utf-8").splitlines(), 1)
             if OUTSIDE.search(line)]
    assert not found, found
