"""The course ships inside the package: a wheel installed in a fresh venv has all 14 lessons.

The wheel is built with ``pip wheel --no-deps`` from a copy of the source tree (so the build
leaves nothing in the checkout) and installed with ``--no-deps --no-index`` into a fresh venv
without pip. The dependencies (click, rich, prompt_toolkit) come from this test run's own
site-packages on PYTHONPATH, which works offline; that folder only holds an *editable* hook for
redis_lab, inactive on PYTHONPATH, and the first test proves the import comes from the venv.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted(p.name for p in (ROOT / "lessons").glob("[0-9]*.md"))

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv, env, wheel): redis-lab's wheel installed alone into a fresh venv."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "src"
    shutil.copytree(ROOT, source, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".hypothesis",
        ".pytest_cache", "bench-results*"))
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", ".", "-w", str(base / "dist")],
        cwd=source, capture_output=True, text=True, timeout=150, check=False)
    assert built.returncode == 0, built.stderr
    (wheel,) = (base / "dist").glob("redis_lab-*.whl")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True,
                   timeout=60)
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"),
                    "install", "-q", "--no-deps", "--no-index", str(wheel)],
                   check=True, timeout=120, capture_output=True)
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_LAB_LESSONS", "PYTHONHOME")}
    env.update(PYTHONPATH=sysconfig.get_paths()["purelib"],
               XDG_STATE_HOME=str(base / "state"), XDG_DATA_HOME=str(base / "data"),
               XDG_CONFIG_HOME=str(base / "config"))
    return venv, env, wheel


def _run(installed, *args: str) -> subprocess.CompletedProcess:
    venv, env, _ = installed
    return subprocess.run([str(venv / "bin" / "redis-lab"), *args], cwd=venv, env=env,
                          capture_output=True, text=True, timeout=120, check=False,
                          stdin=subprocess.DEVNULL)


def test_the_wheel_carries_every_lesson(installed):
    _, _, wheel = installed
    names = zipfile.ZipFile(wheel).namelist()
    shipped = sorted(Path(n).name for n in names if re.fullmatch(r"redis_lab/lessons/\d.*\.md", n))
    assert len(LESSONS) == 14
    assert shipped == LESSONS


def test_redis_lab_is_imported_from_the_venv(installed):
    venv, env, _ = installed
    where = subprocess.run([str(venv / "bin" / "python"), "-c",
                            "import redis_lab; print(redis_lab.__file__)"],
                           cwd=venv, env=env, capture_output=True, text=True, timeout=60,
                           check=True).stdout.strip()
    assert Path(where).is_relative_to(venv), where


def test_installed_lessons_lists_fourteen(installed):
    done = _run(installed, "lessons")
    assert done.returncode == 0, done.stderr
    listed = re.findall(r"^\s*(\d+)\. ", done.stdout, flags=re.M)
    assert listed == [str(n) for n in range(1, 15)], done.stdout
    assert done.stderr == ""


def test_installed_lessons_verify_passes(installed):
    done = _run(installed, "lessons", "--verify")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("    ok  ") == 14, done.stdout
    assert re.search(r"^14 lessons, .*\b0 problems$", done.stdout, flags=re.M), done.stdout
