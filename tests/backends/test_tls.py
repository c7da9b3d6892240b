"""rediss:// with --tls-ca / --insecure against a redis-server with TLS (certificates made here)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time

import pytest
from servers import free_port, require_redis_server, unavailable


def _openssl(*args: str, cwd) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    if shutil.which("openssl") is None:
        unavailable("openssl is needed to make the test certificates (apt-get install openssl)")
    binary = require_redis_server()
    d = tmp_path_factory.mktemp("tls")
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out",
             "ca.crt", "-days", "2", "-subj", "/CN=redis-lab test CA", cwd=d)
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out",
             "server.csr", "-subj", "/CN=127.0.0.1", cwd=d)
    (d / "ext.cnf").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    _openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
             "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "ext.cnf", cwd=d)
    port = free_port()
    proc = subprocess.Popen([binary, "--port", "0", "--tls-port", str(port), "--bind", "127.0.0.1",
                             "--tls-cert-file", "server.crt", "--tls-key-file", "server.key",
                             "--tls-ca-cert-file", "ca.crt", "--tls-auth-clients", "no",
                             "--save", "", "--appendonly", "no", "--dir", str(d)],
                            cwd=d, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                unavailable("redis-server with --tls-port did not start (built without TLS?)")
            time.sleep(0.05)
    yield port, d / "ca.crt"
    proc.terminate()
    proc.wait(timeout=10)


def _lab(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "redis_lab", *args], capture_output=True,
                          text=True, timeout=60)


def test_rediss_with_the_ca_certificate(tls_server):
    port, ca = tls_server
    done = _lab("--redis", f"rediss://127.0.0.1:{port}/0", "--tls-ca", str(ca), "-c", "PING",
                "-c", "@alice SUBSCRIBE chat", "-c", "PUBLISH chat hi")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[:5] == ["PONG", '1) "subscribe"', '2) "chat"',
                                            "3) (integer) 1", "(integer) 1"]


def test_an_unknown_certificate_is_one_line_unless_insecure(tls_server):
    port, _ = tls_server
    refused = _lab("--redis", f"rediss://127.0.0.1:{port}/0", "-c", "PING")
    assert refused.returncode == 1
    assert refused.stderr.startswith(f"redis-lab: cannot connect to rediss://127.0.0.1:{port}/0: "
                                     "TLS failed: ")
    assert "certificate verify failed" in refused.stderr and refused.stderr.count("\n") == 1
    insecure = _lab("--redis", f"rediss://127.0.0.1:{port}/0", "--insecure", "-c", "PING")
    assert (insecure.returncode, insecure.stdout) == (0, "PONG\n")
    plain = _lab("--redis", f"redis://127.0.0.1:{port}/0", "-c", "PING")
    assert plain.returncode == 1 and "a TLS port? then rediss://" in plain.stderr
