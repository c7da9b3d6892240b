"""The package is installed and its entry points start: ``python -m redis_lab`` and ``redis-lab``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(argv: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        argv,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _assert_help(proc: subprocess.CompletedProcess, what: str) -> None:
    assert proc.returncode == 0, (
        f"{what} exited {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    )
    assert "usage" in proc.stdout.lower(), f"{what} printed no usage text:\n{proc.stdout}"


def test_python_dash_m_help():
    _assert_help(_run([sys.executable, "-m", "redis_lab", "--help"]), "python -m redis_lab --help")


def test_console_script_is_declared():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts.get("redis-lab") == "redis_lab.cli:main"


def test_console_script_target_help():
    """The function the console script calls, run the way the generated wrapper runs it."""
    code = (
        "import sys; from redis_lab.cli import main; "
        "sys.argv = ['redis-lab', '--help']; sys.exit(main())"
    )
    _assert_help(_run([sys.executable, "-c", code]), "redis_lab.cli:main with --help")


def _find_console_script() -> str | None:
    names = ["redis-lab.exe", "redis-lab"] if os.name == "nt" else ["redis-lab"]
    for folder in (Path(sys.executable).parent, Path(sys.prefix) / "bin", ROOT / ".venv" / "bin"):
        for name in names:
            candidate = folder / name
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return str(candidate)
    return shutil.which("redis-lab")


def test_redis_lab_console_script_help():
    script = _find_console_script()
    assert script, (
        "the redis-lab console script is not installed: run ./scripts/test (it installs the "
        "project into .venv) or `pip install -e .`"
    )
    _assert_help(_run([script, "--help"]), f"{script} --help")
