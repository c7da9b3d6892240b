"""CI never passes by skipping: ./scripts/test, .ci/run and the conftest skip policy, run for real.

The scripts run in a subprocess with ``REDIS_LAB_TEST_CHECK_ONLY=1``, which stops them after the
redis-server check and prints the pytest command they would run, so these tests take well under
a second and never start a nested suite. The skip policy runs a tiny pytest session on a probe
file that loads tests/conftest.py as a plugin.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent

pytestmark = pytest.mark.timeout(30)  # each runs one script or one tiny pytest: ~1 s


def _bare_path(tmp_path: Path) -> str:
    """A PATH with only what the script needs: no redis-* binaries and no apt-get."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for tool in ("bash", "env", "id", "dirname"):
        (folder / tool).symlink_to(shutil.which(tool))
    return str(folder)


def _script(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run a script with the check-only switch, and without the CI variable of this run."""
    base = {k: v for k, v in os.environ.items() if k != "CI"}
    return subprocess.run(
        [*args], cwd=ROOT, capture_output=True, text=True, timeout=30, check=False,
        env={**base, "REDIS_LAB_TEST_CHECK_ONLY": "1", **env},
    )


def test_scripts_test_fails_in_one_line_without_redis_server(tmp_path):
    done = _script("bash", "scripts/test", "-k", "x", PATH=_bare_path(tmp_path))
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("scripts/test: no redis-server redis-cli redis-benchmark: ")
    assert "apt-get install redis-server redis-tools" in lines[0]
    assert "--allow-skip" in lines[0]
    assert "would run" not in done.stdout


def test_allow_skip_runs_anyway_and_is_not_passed_to_pytest(tmp_path):
    done = _script("bash", "scripts/test", "--allow-skip", "-k", "x", PATH=_bare_path(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "--allow-skip: the tests that need them are skipped" in done.stderr
    assert done.stdout.strip() == "would run: pytest -rs -k x"


def test_a_wrong_redis_server_bin_fails_even_with_redis_on_path():
    done = _script("scripts/test", REDIS_SERVER_BIN="/nonexistent")
    assert done.returncode == 1
    assert done.stderr.startswith("scripts/test: no redis-server: ")


def test_with_redis_installed_pytest_runs_with_skips_listed():
    done = _script("scripts/test", "tests/test_ci.py")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "would run: pytest -rs tests/test_ci.py"


def test_ci_run_sets_ci_true_and_runs_scripts_test():
    done = _script(".ci/run")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "would run: CI=true pytest -rs"


# ---- the conftest skip policy and the launcher's reasons, in a pytest of their own ----------

_PROBE = '''
import pytest

def test_plain_skip():
    pytest.skip("hiredis is missing")

def test_platform_skip():
    pytest.skip("not applicable on this platform: needs fork()")

@pytest.mark.skipif(True, reason="decorated skip")
def test_marked_skip():
    pass

@pytest.mark.xfail(reason="known", strict=True)
def test_expected_failure():
    assert False

def test_needs_a_server(redis_server):
    assert redis_server.command("PING") == b"+PONG\\r\\n"
'''


def _run_probe(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    probe = tmp_path / "test_probe.py"
    probe.write_text(_PROBE)
    # The probe lives outside tests/, so tests/conftest.py is loaded as a plugin for its hooks.
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "-p", "conftest",
         "--rootdir", str(tmp_path), str(probe)],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), str(ROOT)]), **env},
    )


def _outcomes(out: str) -> str:
    return out.strip().splitlines()[-1]


def test_under_ci_every_skip_fails_unless_not_applicable_on_this_platform(tmp_path):
    done = _run_probe(tmp_path, CI="true")
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    # A skip in the call is a failure; a skipif mark (skipped in setup) an error.
    assert _outcomes(out).startswith("1 failed, 1 passed, 1 skipped, 1 xfailed, 1 error"), out
    assert "CI never passes by skipping: Skipped: hiredis is missing" in out
    assert "CI never passes by skipping: Skipped: decorated skip" in out
    assert "SKIPPED [1] test_probe.py:8: not applicable on this platform: needs fork()" in out


def test_without_ci_skips_stay_skips(tmp_path):
    done = _run_probe(tmp_path, CI="")
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert _outcomes(out).startswith("1 passed, 3 skipped, 1 xfailed"), out


@pytest.mark.parametrize("ci", ["true", ""])
def test_nonexistent_server_binary_is_one_clear_line(tmp_path, ci):
    done = _run_probe(tmp_path, REDIS_SERVER_BIN="/nonexistent", CI=ci)
    out = done.stdout + done.stderr
    assert "FileNotFoundError" not in out and "Traceback" not in out, out
    assert "REDIS_SERVER_BIN=/nonexistent is not an executable file" in out, out
    assert "apt-get install redis-server" in out, out
    if ci:
        assert "ERROR at setup of test_needs_a_server" in out, out
        assert "failure, not a skip" in out, out
    else:
        assert done.returncode == 0, out
        assert _outcomes(out).startswith("4 skipped, 1 xfailed"), out


def test_every_test_has_a_timeout(request):
    """pytest-timeout is active with a 60 s default (pyproject.toml); tests may set a tighter one."""
    assert request.config.pluginmanager.hasplugin("timeout")
    assert float(request.config.getini("timeout")) == 60
    assert request.node.get_closest_marker("timeout").args == (30,)  # this module's own


def test_under_ci_a_module_skipped_at_collection_fails_too(tmp_path):
    probe = tmp_path / "test_needs_a_module.py"
    probe.write_text('import pytest\nnothing = pytest.importorskip("no_such_module_here")\n\n'
                     'def test_never_runs():\n    pass\n')
    command = [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
               "-p", "conftest", "--rootdir", str(tmp_path), str(probe)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), str(ROOT)])}
    ci = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=60,
                        check=False, env={**env, "CI": "true"})
    assert ci.returncode != 0, ci.stdout
    assert ("CI never passes by skipping: Skipped: could not import 'no_such_module_here'"
            in ci.stdout), ci.stdout
    local = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=60,
                           check=False, env={**env, "CI": ""})
    # locally it stays a skip (exit 5: no test ran, not 1: failed)
    assert local.returncode == 5 and "1 skipped in" in local.stdout, local.stdout
