"""How long a brush move on the timeline takes to update the map, at 100,000 events.

Renders a synthetic dataset (benchmarks/synthetic.py), opens it in headless Chromium (offline,
CDN files from the asset cache), presses the mouse on the timeline strip and drags it in steps,
to the right and then back past where it started, so that both ends of the range move. For each
step it measures:

- *work*: from the start of the animation frame that applies the brush to the "Showing X of Y"
  line changing, which is the script's work for one step (filter, map, list, legend, strip);
  the budget is one frame, about 16.7 ms;
- *painted*: from the browser's pointermove event to the frame after that change (includes up
  to one frame of waiting, since the brush applies on the next animation frame, and the map's
  own redraw of its canvas, which Leaflet does in the frame after the change).

The first step of a drag, from all dates to one month, changes nearly every event and is
reported apart.

The same run measures the page script of a baseline commit (``--baseline``, the code before the
brush was made incremental) on the same HTML, its script swapped in, alternating with today's
script so that both see the same load on this shared machine. ``--profile`` also records a CPU
profile of today's script over the steps (Chromium's profiler through CDP) and prints where the
time goes, by function.

Usage: python benchmarks/timeline_brush.py [--events 100000] [--steps 12] [--rounds 2]
                                           [--baseline 49bf808] [--profile]
                                           [--work benchmarks/work]
                                           [--output benchmarks/TIMELINE.md]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
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

#: The page script before the brush step was made incremental (sorted every step, folded an
#: empty query per event, relabelled every feature).
BASELINE = "49bf808"

WATCH = """() => { window.__brushStep = new Promise((resolve) => {
  const plot = document.querySelector('.gm-tl-plot');
  const showing = document.querySelector('.gm-showing');
  let t0 = null, frame = null;
  plot.addEventListener('pointermove', () => {
    if (t0 !== null) return;
    t0 = performance.now();
    requestAnimationFrame(() => { frame = performance.now(); });
  }, { capture: true });
  const seen = new MutationObserver(() => {
    const t1 = performance.now();
    seen.disconnect();
    requestAnimationFrame(() => requestAnimationFrame(() =>
      resolve({ work: t1 - frame, painted: performance.now() - t0, text: showing.textContent })));
  });
  seen.observe(showing, { childList: true, characterData: true, subtree: true });
}); }"""


def baseline_script(ref: str) -> str:
    """The page script as it was at `ref`, assembled as geomap.render.page_script does."""

    def show(path: str) -> str:
        return subprocess.run(["git", "-C", str(ROOT), "show", f"{ref}:{path}"], check=True,
                              capture_output=True, text=True).stdout

    names = json.loads(show("geomap/static/js/manifest.json"))
    return "\n".join(show(f"geomap/static/js/{name}") for name in names)


def brush(page, steps: int) -> tuple[dict, list[dict], bool, int]:
    """Drag across the strip in `steps` moves: the first step's figures (from all dates to a
    month), each later step's, whether the strip is a histogram, how many SVG marks it has."""
    page.wait_for_function("window.geomap && window.geomap.drawnAt !== null", timeout=180_000)
    histogram = page.locator("canvas.gm-tl-hist").evaluate("c => c.width > 0")
    marks = page.locator(".gm-tl-mark").count()
    box = page.locator(".gm-tl-plot").bounding_box()
    y = box["y"] + 25
    x = box["x"] + box["width"] * 0.2
    page.mouse.move(x, y)
    page.mouse.down()
    page.evaluate(WATCH)
    page.mouse.move(x + 8, y)  # starts the brush: from all dates to one month
    first = page.evaluate("window.__brushStep")
    page.wait_for_timeout(500)
    results = []
    # Half the steps move the brush's end to the right, the other half bring it back past its
    # start, to the left, so that the start moves too (and the list's first rows change).
    right, left = box["x"] + box["width"] * 0.7, box["x"] + box["width"] * 0.05
    half = steps // 2
    for k in range(steps):
        page.evaluate(WATCH)
        if k < half:
            x += (right - x) / (half - k)
        else:
            x += (left - x) / (steps - k)
        page.mouse.move(x, y)
        results.append(page.evaluate("window.__brushStep"))
    page.mouse.up()
    return first, results, histogram, marks


def top_functions(profile: dict, count: int = 12) -> list[str]:
    """Self time by function (name, file's last part, line) from a CDP CPU profile."""
    nodes = {node["id"]: node for node in profile["nodes"]}
    self_us: dict[str, float] = {}
    samples, deltas = profile.get("samples", []), profile.get("timeDeltas", [])
    for sample, delta in zip(samples, [*deltas[1:], 0], strict=True):
        frame = nodes[sample]["callFrame"]
        where = frame["url"].rsplit("/", 1)[-1][:30]
        key = f"{frame['functionName'] or '(anonymous)'} {where}:{frame['lineNumber'] + 1}"
        self_us[key] = self_us.get(key, 0.0) + delta
    total = sum(self_us.values()) or 1.0
    ranked = sorted(self_us.items(), key=lambda kv: -kv[1])[:count]
    return [f"{us / 1000:8.1f} ms {100 * us / total:5.1f} %  {key}" for key, us in ranked]


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def summary(values: list[float]) -> str:
    quartiles = statistics.quantiles(values, n=4) if len(values) > 1 else values * 3
    return (f"median {statistics.median(values):.1f} ms (quartiles {quartiles[0]:.1f}–"
            f"{quartiles[2]:.1f}, min {min(values):.1f}, max {max(values):.1f}; "
            f"{len(values)} steps)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=2, help="page loads per script version")
    parser.add_argument("--baseline", default=BASELINE,
                        help="git commit whose page script is measured too ('' to skip)")
    parser.add_argument("--profile", action="store_true", help="print a CPU profile of the steps")
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
    pages = {"today": html}
    if args.baseline:
        from geomap.render import page_script

        text = html.read_text(encoding="utf-8")
        ours = page_script()
        if text.count(ours) != 1:
            raise SystemExit("timeline_brush: cannot find the page script in the rendered page")
        old = args.work / f"timeline-{args.events}-baseline.html"
        old.write_text(text.replace(ours, baseline_script(args.baseline)), encoding="utf-8")
        pages = {"baseline": old, "today": html}
    from playwright.sync_api import sync_playwright

    figures: dict[str, dict] = {name: {"work": [], "painted": [], "first": []} for name in pages}
    profile_lines: list[str] = []
    with sync_playwright() as playwright:
        browser = launch(playwright, shutil.which("chromium"))
        for round_ in range(args.rounds):
            for name, path in pages.items():
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                page.route("**/*", offline_router(cdn_files(), []))
                page.goto(path.resolve().as_uri())
                cdp = None
                if args.profile and round_ == args.rounds - 1:
                    cdp = page.context.new_cdp_session(page)
                    cdp.send("Profiler.enable")
                    cdp.send("Profiler.setSamplingInterval", {"interval": 200})
                    page.wait_for_function("window.geomap && window.geomap.drawnAt !== null",
                                           timeout=180_000)
                    cdp.send("Profiler.start")
                first, results, histogram, marks = brush(page, args.steps)
                if cdp is not None:
                    profile = cdp.send("Profiler.stop")["profile"]
                    profile_lines += [f"{name}:", *top_functions(profile)]
                figures[name]["first"].append(first["work"])
                figures[name]["work"] += [r["work"] for r in results]
                figures[name]["painted"] += [r["painted"] for r in results]
                figures[name]["last"] = results[-1]["text"]
                figures[name]["strip"] = (histogram, marks)
                page.close()
        chromium = browser.version
        browser.close()
    lines = []
    for name, fig in figures.items():
        label = f"baseline ({args.baseline})" if name == "baseline" else "today"
        histogram, marks = fig["strip"]
        lines += [
            f"{label}: {args.events:,} events; strip is a canvas histogram: {histogram}; "
            f"SVG marks: {marks}; last: {fig['last']}",
            f"{label}: work in the frame that applies a brush step: {summary(fig['work'])}",
            f"{label}: pointermove -> next frame painted: {summary(fig['painted'])}",
            f"{label}: the first step (all dates to one month, nearly every event changes): "
            + ", ".join(f"{v:.1f}" for v in fig["first"]) + " ms",
        ]
    print("\n".join(lines))
    if profile_lines:
        print("\nCPU profile of the brush steps (self time, top functions):")
        print("\n".join(profile_lines))
    if args.output:
        head = [
            "# Benchmark: one brush step on the timeline",
            "",
            "Written by `benchmarks/timeline_brush.py`; do not edit by hand.",
            "",
            f"- Command: `python benchmarks/timeline_brush.py --events {args.events} "
            f"--steps {args.steps} --rounds {args.rounds} --baseline {args.baseline}`",
            f"- Machine: {cpu_model()}, {os.cpu_count()} cores, {platform.machine()}, "
            f"{platform.system()}; Chromium {chromium} (headless); load average at the end: "
            "{:.1f} (the machine is shared)".format(os.getloadavg()[0]),
            "- Baseline: the page script of that commit, swapped into the same rendered page and "
            "measured in the same run, alternating page loads with today's script",
            "- *work* is the script's part of a brush step (the budget is one frame, 16.7 ms); "
            "*painted* adds the wait for the frame and the map's own redraw in the frame after "
            "(Leaflet's canvas of routes and the compositor's commit of every marker's layer), "
            "which the map's drawing decides",
            "",
        ]
        body = head + [f"- {line}" for line in lines]
        if profile_lines:
            body += ["", "CPU profile of the brush steps (last round; self time, top functions):",
                     "", "```", *profile_lines, "```"]
        args.output.write_text("\n".join(body) + "\n")


if __name__ == "__main__":
    main()
