"""The layers hold: import-linter's contracts in pyproject.toml, and the grep the seam promises."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _lint_imports() -> str:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert exe, "import-linter is a test dependency: pip install -e '.[test]'"
    done = subprocess.run([exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_import_linter_contracts_are_kept():
    out = _lint_imports()
    assert re.search(r"Contracts: (\d+) kept, 0 broken", out), out
    assert "Layers: front door" in out and "never import the engine" in out


# Reads of engine internals the layers above the session must not make (they get ClientState
# records from the Session instead). Snapshots (:undo) are engine-only by nature and say so.
_ENGINE_READS = re.compile(r"engine\.clients|engine\.BLOCKED|\.blocked_on\b|output_listeners")


def test_views_shell_course_and_front_door_never_read_engine_clients():
    offenders = []
    for folder in ("views", "shell", "course", "app"):
        for path in sorted((ROOT / "redis_lab" / folder).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                code = line.split("#", 1)[0]
                if _ENGINE_READS.search(code) and not code.lstrip().startswith(("\"", "'")):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    cli = (ROOT / "redis_lab" / "cli.py").read_text(encoding="utf-8")
    if re.search(r"\bengine\.\w|import Engine|from \.engine", cli):
        offenders.append("redis_lab/cli.py reaches into the engine")
    assert offenders == []


def test_cli_is_not_imported_from_below():
    below = [p for p in (ROOT / "redis_lab").rglob("*.py")
             if p.name not in ("cli.py", "__main__.py")]
    importers = [str(p.relative_to(ROOT)) for p in below
                 if re.search(r"from \.+cli import|import redis_lab\.cli|from redis_lab\.cli",
                              p.read_text(encoding="utf-8"))]
    assert importers == []
