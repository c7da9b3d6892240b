"""Make the screenshots in docs/img/ from real views (and look at them before committing).

    python3 tests/views/screenshots.py            # writes docs/img/views-*.png (+ .svg in /tmp)

A scripted session on a virtual clock -- a payments queue with a stuck consumer, a poison
message and a deleted entry, and a chat channel -- is exported with ``:export svg`` and turned
into PNG with cairosvg (``pip install cairosvg``). rich's SVG asks for Fira Code; the PNGs use
DejaVu Sans Mono, which cairosvg finds on most systems.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).parent)]

from viewkit import T0, Lab, step

from redis_lab import Engine, VirtualClock
from redis_lab.views.watches import ViewSession


def scenario() -> tuple[Lab, ViewSession]:
    lab = Lab(Engine(clock=VirtualClock(T0)))
    views = ViewSession(lab.conn, subscribers=lab.subscribers)
    step(views, lab, "shop", "XGROUP", "CREATE", "payments", "workers", "$", "MKSTREAM")
    for i, (amount, card) in enumerate([(120, "visa"), (35, "amex"), (990, "visa"),
                                        (12, "mc"), (64, "visa"), (18, "mc"), (250, "amex")]):
        lab.advance(700)
        step(views, lab, "shop", "XADD", "payments", "*", "order", f"A-{1041 + i}",
             "amount", str(amount), "card", card)
    step(views, lab, "worker-1", "XREADGROUP", "GROUP", "workers", "worker-1", "COUNT", "3",
         "STREAMS", "payments", ">")
    lab.advance(62_000)
    step(views, lab, "worker-2", "XREADGROUP", "GROUP", "workers", "worker-2", "COUNT", "2",
         "STREAMS", "payments", ">")
    for _ in range(4):   # worker-2 keeps failing on its entries: they are read again
        step(views, lab, "worker-2", "XREADGROUP", "GROUP", "workers", "worker-2", "STREAMS",
             "payments", "0")
    second = lab.run("shop", "XRANGE", "payments", "-", "+")[1][0]
    step(views, lab, "shop", "XDEL", "payments", second)
    lab.advance(3000)
    lab.run("alice", "SUBSCRIBE", "chat:room1")
    lab.run("bob", "SUBSCRIBE", "chat:room1")
    lab.run("carol", "PSUBSCRIBE", "chat:*")
    return lab, views


def to_png(svg: Path, png: Path, width: int) -> None:
    import cairosvg

    text = svg.read_text(encoding="utf-8")
    text = text.replace("Fira Code, monospace", "DejaVu Sans Mono")
    text = text.replace('"Fira Code"', '"DejaVu Sans Mono"')
    # rich's clip rectangles end a pixel short of the last column; give them room.
    text = re.sub(r'(<rect x="0" y="[\d.]+" width=")([\d.]+)(" height="[\d.]+"\s*/>)',
                  lambda m: f"{m[1]}{float(m[2]) + 24:.1f}{m[3]}", text)
    cairosvg.svg2png(bytestring=text.encode(), write_to=str(png), output_width=width)
    try:   # a 64-colour palette keeps the PNGs small for the README
        from PIL import Image
    except ImportError:
        return
    Image.open(png).convert("RGB").quantize(64).save(png, optimize=True)


def main() -> None:
    out = ROOT / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)

    lab, views = scenario()
    views.width = 92
    views.handle_meta("explain", "on")
    views.handle_meta("watch", "pel payments workers")
    views.handle_meta("watch", "lag payments")
    step(views, lab, "worker-3", "XAUTOCLAIM", "payments", "workers", "worker-3", "60000", "0-0",
         "COUNT", "1")
    views.handle_meta("export", "svg /tmp/views-watch.svg")
    to_png(Path("/tmp/views-watch.svg"), out / "views-watch.png", 920)

    lab, views = scenario()
    views.width = 44
    views.handle_meta("explain", "on")
    views.handle_meta("watch", "fanout")
    step(views, lab, "dave", "PUBLISH", "chat:room1", "hello")
    views.handle_meta("export", "svg /tmp/views-fanout.svg")
    to_png(Path("/tmp/views-fanout.svg"), out / "views-fanout-narrow.png", 460)

    lab, views = scenario()
    views.width = 92
    views.handle_meta("show", "stream payments COUNT 5")
    views.handle_meta("export", "svg /tmp/views-stream.svg")
    to_png(Path("/tmp/views-stream.svg"), out / "views-stream.png", 920)
    print("wrote", *(p.relative_to(ROOT) for p in sorted(out.glob("views-*.png"))))


if __name__ == "__main__":
    main()
