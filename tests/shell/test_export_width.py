"""``redis-lab lesson N --export FILE --width N``: the export is drawn at that width."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_lesson_export_honours_width(tmp_path):
    out = tmp_path / "lesson1.html"
    done = subprocess.run([sys.executable, "-m", "redis_lab", "lesson", "1", "--export", str(out),
                           "--width", "60"], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    body = out.read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", "", body[body.index("<pre"):body.index("</pre>")]))
    assert max(len(line.rstrip()) for line in text.splitlines()) == 60
