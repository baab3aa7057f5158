"""How long a brush move on the timeline takes to update the map, at 100,000 events.

Renders a synthetic dataset (benchmarks/synthetic.py), opens it in headless Chromium (offline,
CDN files from the asset cache), presses the mouse on the timeline strip and drags it in steps.
For each step: milliseconds from the browser's pointermove event to the "Showing X of Y" line
changing (the brush applies on the next animation frame, so this includes up to one frame of
waiting), and to the frame after that (painted). Also: whether the strip is a canvas histogram.

Usage: python benchmarks/timeline_brush.py [--events 100000] [--steps 12] [--work benchmarks/work]
                                           [--output benchmarks/TIMELINE.md]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import generate  # noqa: E402
from tests.browser_support import cdn_files, launch, offline_router  # noqa: E402

WATCH = """() => { window.__brushStep = new Promise((resolve) => {
  const plot = document.querySelector('.gm-tl-plot');
  const showing = document.querySelector('.gm-showing');
  let t0 = null;
  plot.addEventListener('pointermove', () => { if (t0 === null) t0 = performance.now(); },
                        { capture: true, once: true });
  const seen = new MutationObserver(() => {
    const t1 = performance.now();
    seen.disconnect();
    requestAnimationFrame(() => requestAnimationFrame(() =>
      resolve({ applied: t1 - t0, painted: performance.now() - t0, text: showing.textContent })));
  });
  seen.observe(showing, { childList: true, characterData: true, subtree: true });
}); }"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--work", type=Path, default=HERE / "work")
    parser.add_argument("--output", type=Path, help="also write the figures to this Markdown file")
    args = parser.parse_args()
    data = args.work / f"timeline-{args.events}"
    if not (data / "events.csv").exists():
        generate(args.events, data)
    html = args.work / f"timeline-{args.events}.html"
    geomap = Path(sys.executable).parent / "geomap"
    subprocess.run([str(geomap), "render", "--data", str(data), "-o", str(html)], check=True,
                   capture_output=True)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright, shutil.which("chromium"))
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.route("**/*", offline_router(cdn_files(), []))
        page.goto(html.resolve().as_uri())
        page.wait_for_function("window.geomap && window.geomap.drawnAt !== null", timeout=120_000)
        histogram = page.locator("canvas.gm-tl-hist").evaluate("c => c.width > 0")
        marks = page.locator(".gm-tl-mark").count()
        box = page.locator(".gm-tl-plot").bounding_box()
        y = box["y"] + 25
        x = box["x"] + box["width"] * 0.2
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + 8, y)  # starts the brush
        page.wait_for_timeout(500)
        results = []
        for _ in range(args.steps):
            page.evaluate(WATCH)
            x += box["width"] * 0.5 / args.steps
            page.mouse.move(x, y)
            results.append(page.evaluate("window.__brushStep"))
        page.mouse.up()
        browser.close()
    applied = [r["applied"] for r in results]
    painted = [r["painted"] for r in results]
    lines = [
        f"{args.events:,} events; strip is a canvas histogram: {histogram}; SVG marks: {marks}",
        f"brush step -> 'Showing' updated: median {statistics.median(applied):.1f} ms, "
        f"max {max(applied):.1f} ms ({len(applied)} steps)",
        f"brush step -> next frame painted: median {statistics.median(painted):.1f} ms, "
        f"max {max(painted):.1f} ms",
        f"last: {results[-1]['text']}",
    ]
    print("\n".join(lines))
    if args.output:
        import os
        import platform

        head = [
            "# Benchmark: one brush step on the timeline",
            "",
            "Written by `benchmarks/timeline_brush.py`; do not edit by hand.",
            "",
            f"- Command: `python benchmarks/timeline_brush.py --events {args.events} "
            f"--steps {args.steps}`",
            f"- Machine: {os.cpu_count()} cores, {platform.machine()}, {platform.system()}; "
            "load average at the end: {:.1f} (the machine is shared)".format(os.getloadavg()[0]),
            "",
        ]
        args.output.write_text("\n".join(head + [f"- {line}" for line in lines]) + "\n")


if __name__ == "__main__":
    main()
