"""geomap against a plain folium map, measured side by side in one run; writes RESULTS.md.

For each size: a synthetic dataset (benchmarks/synthetic.py), then for geomap and for the
baseline (benchmarks/plain_folium.py), each in its own process: wall time and peak memory of the
whole process, HTML bytes, and the time until the map is drawn in headless Chromium (Playwright,
offline, CDN files served from the asset cache), with a cap after which a case "did not draw".
For geomap also: the first (cold route cache) render, and one in-map filter change.

Usage: python benchmarks/bench.py [--sizes 1000 10000 100000] [--repeat 3] [--cap 60]
                                   [--output benchmarks/RESULTS.md] [--work benchmarks/work]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import generate  # noqa: E402
from tests.browser_support import cdn_files, launch, offline_router  # noqa: E402


def geomap_command() -> list[str]:
    script = Path(sys.executable).parent / "geomap"
    return [str(script)] if script.exists() else ["geomap"]


def run_process(command: list[str], env: dict | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of one process, which must succeed."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env=env)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    stderr = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{command} failed: {stderr}")
    return wall, usage.ru_maxrss / 1024


def baseline_files(work: Path) -> dict[str, Path]:
    """jQuery 3.7.1 for the baseline page, from the npm registry, kept in the work folder."""
    import tarfile

    target = work / "jquery-3.7.1.min.js"
    if not target.exists():
        out = subprocess.run(["npm", "pack", "jquery@3.7.1", "--silent", "--pack-destination",
                              str(work)], check=True, capture_output=True, text=True)
        with tarfile.open(work / out.stdout.strip().splitlines()[-1]) as tar:
            target.write_bytes(tar.extractfile("package/dist/jquery.min.js").read())
    from benchmarks.plain_folium import JQUERY_JS

    return {JQUERY_JS: target}


def draw_time(html: Path, count: int, cap: float, is_geomap: bool) -> dict:
    """Seconds from navigation start until every event is drawn, or None past the cap.

    Each measurement runs in its own process, killed at the cap: a page too large for the
    browser can stall Playwright itself.
    """
    import json

    command = [sys.executable, __file__, "--draw", str(html), str(count), str(cap),
               "geomap" if is_geomap else "baseline"]
    import signal

    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=cap + 30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the browser and Playwright's driver too
        process.communicate()
        return {"drawn": None, "filter": None}
    if process.returncode != 0:
        raise RuntimeError(f"drawing {html} failed: {stderr[-2000:]}")
    return json.loads(stdout.strip().splitlines()[-1])


def _draw_in_browser(html: Path, count: int, cap: float, is_geomap: bool) -> dict:
    from playwright.sync_api import Error, sync_playwright

    files = cdn_files() | baseline_files(html.parent)
    with sync_playwright() as playwright:
        browser = launch(playwright, shutil.which("chromium"))
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.route("**/*", offline_router(files, []))
        result = {"drawn": None, "filter": None}
        try:
            page.goto(html.resolve().as_uri(), wait_until="commit", timeout=cap * 1000)
            if is_geomap:
                page.wait_for_function(
                    "window.geomap && window.geomap.drawnAt !== null", timeout=cap * 1000,
                    polling=100,
                )
                assert page.evaluate("window.geomap.drawnCount()") == count
                result["drawn"] = page.evaluate("window.geomap.drawnAt") / 1000
                result["filter"] = page.evaluate("""() => new Promise((resolve) => {
                  const t = performance.now();
                  document.querySelector('input[name=gm-confidence][value=reported]').click();
                  requestAnimationFrame(() => requestAnimationFrame(
                    () => resolve(performance.now() - t)));
                })""") / 1000
            else:
                page.wait_for_function(
                    f"document.querySelectorAll('.leaflet-marker-icon').length >= {count}",
                    timeout=cap * 1000, polling=250,
                )
                result["drawn"] = page.evaluate("""() => new Promise((resolve) =>
                  requestAnimationFrame(() => requestAnimationFrame(
                    () => resolve(performance.now()))))""") / 1000
        except Error:
            pass  # past the cap: did not draw
        finally:
            browser.close()
    return result


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def measure_size(n: int, args, work: Path) -> dict:
    data = generate(n, work / f"data-{n}")
    csv_bytes = (data / "events.csv").stat().st_size
    cache = work / f"route-cache-{n}"
    shutil.rmtree(cache, ignore_errors=True)
    env = dict(os.environ, GEOMAP_CACHE_DIR=str(cache))
    out_geomap, out_base = work / f"geomap-{n}.html", work / f"baseline-{n}.html"
    render = [*geomap_command(), "render", "--data", str(data), "--output", str(out_geomap)]
    cold = run_process(render, env)
    warm = [run_process(render, env) for _ in range(args.repeat)]
    base = [run_process([sys.executable, str(HERE / "plain_folium.py"), str(data),
                         str(out_base)]) for _ in range(args.repeat)]
    geomap_draws = [draw_time(out_geomap, n, args.cap, True) for _ in range(args.repeat)]
    base_draws = [draw_time(out_base, n, args.cap, False) for _ in range(args.repeat)]
    return {
        "n": n,
        "csv_bytes": csv_bytes,
        "geomap": {
            "cold_wall": cold[0],
            "wall": [w for w, _ in warm], "rss": [m for _, m in warm],
            "html": out_geomap.stat().st_size,
            "drawn": [d["drawn"] for d in geomap_draws],
            "filter": [d["filter"] for d in geomap_draws],
        },
        "baseline": {
            "wall": [w for w, _ in base], "rss": [m for _, m in base],
            "html": out_base.stat().st_size,
            "drawn": [d["drawn"] for d in base_draws],
        },
    }


def startup(work: Path, data_1k: Path) -> dict:
    """``geomap --help`` beside importing geopandas + folium; heavy modules per command."""
    geomap = geomap_command()
    helps = [run_process([*geomap, "--help"])[0] for _ in range(5)]
    imports = [run_process([sys.executable, "-c", "import geopandas, folium"])[0]
               for _ in range(5)]
    heavy = {}
    commands = (("--help", ["--help"]), ("validate", ["validate", "--data", str(data_1k)]))
    for label, argv in commands:
        code = (f"from geomap.cli import cli\ntry:\n    cli({argv!r})\n"
                "except SystemExit:\n    pass")
        result = subprocess.run([sys.executable, "-X", "importtime", "-c", code],
                                capture_output=True, text=True)
        modules = {line.rsplit("|", 1)[-1].strip().split(".")[0]
                   for line in result.stderr.splitlines() if line.startswith("import time:")}
        heavy[label] = sorted(modules & {"folium", "searoute", "geopandas", "shapely", "pandas"})
    return {"help": median(helps), "import": median(imports), "heavy": heavy}


def fmt_s(value) -> str:
    return "did not draw" if value is None else f"{value:.2f} s"


def spread(values) -> str:
    values = [v for v in values if v is not None]
    if len(values) < 2:
        return ""
    return f" ({min(values):.2f}–{max(values):.2f})"


def chromium_version() -> str:
    try:
        return subprocess.run([shutil.which("chromium"), "--version"], capture_output=True,
                              text=True).stdout.strip()
    except (OSError, TypeError):
        return "unknown"


def report(results: list[dict], start: dict, args, elapsed: float) -> str:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    packages = ", ".join(f"{p} {version(p)}" for p in
                         ("geomap", "folium", "geopandas", "shapely", "pyproj", "searoute",
                          "playwright"))
    lines = [
        "# Benchmark: geomap against a plain folium map",
        "",
        "Written by `benchmarks/bench.py` from one run; do not edit by hand.",
        "",
        f"- Command: `python benchmarks/bench.py --sizes {' '.join(map(str, args.sizes))} "
        f"--repeat {args.repeat} --cap {args.cap:g}` (took {elapsed / 60:.1f} min)",
        f"- Machine: {os.cpu_count()} cores, {cpu}, {memory:.0f} GiB memory, "
        f"{platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}; {packages}; {chromium_version()}",
        "- Data: synthetic and valid (`benchmarks/synthetic.py`): 60 % points, 25 % flights, "
        "15 % shipments over 60 places and about 200 distinct stop pairs; titles ~60, summaries "
        "~200, evidence ~150 characters, 2–4 actors and 1–3 sources per event.",
        "- geomap: `geomap render`, as a user runs it (validation, routing, rendering, atomic "
        "write). *Cold* is the first render with an empty route cache; the other figures are "
        "with the cache filled, as on every later render.",
        "- Baseline: `benchmarks/plain_folium.py`, one `folium.Marker` + `folium.Popup` per "
        "event and a straight `PolyLine` per route (no sea lanes, no geodesics, no validation, "
        "Leaflet and jQuery only, no Bootstrap or Font Awesome): lighter work than geomap does.",
        "- Drawn: from navigation start in headless Chromium until every event is drawn "
        "(geomap: its first frame after all features are added; baseline: every marker element "
        f"in the page, then two frames). Past {args.cap:g} s a case is reported as *did not "
        "draw*. Filter change: one click on *confidence ≥ reported* until two frames later.",
        f"- Figures are medians of {args.repeat} runs, with the range in brackets.",
        "",
    ]
    for r in results:
        g, b, n = r["geomap"], r["baseline"], r["n"]
        gw, bw = median(g["wall"]), median(b["wall"])
        gd, bd = median(g["drawn"]), median(b["drawn"])
        lines += [
            f"## {n:,} events (events.csv: {r['csv_bytes'] / 2**20:.1f} MiB)",
            "",
            "| | geomap | plain folium | geomap vs folium |",
            "|---|---|---|---|",
            f"| render, wall time | {gw:.2f} s{spread(g['wall'])} (cold: {g['cold_wall']:.2f} s)"
            f" | {bw:.2f} s{spread(b['wall'])} | {bw / gw:.1f}× faster |",
            f"| render, peak memory | {median(g['rss']):.0f} MiB | {median(b['rss']):.0f} MiB | |",
            f"| HTML | {g['html'] / 2**20:.1f} MiB | {b['html'] / 2**20:.1f} MiB | "
            f"{b['html'] / g['html']:.1f}× smaller |",
            f"| HTML per event | {g['html'] / n:,.0f} B | {b['html'] / n:,.0f} B | |",
            f"| HTML ÷ CSV bytes | {g['html'] / r['csv_bytes']:.2f} | "
            f"{b['html'] / r['csv_bytes']:.2f} | |",
            f"| drawn in Chromium | {fmt_s(gd)}{spread(g['drawn'])} | {fmt_s(bd)}"
            f"{spread(b['drawn'])} | "
            + (f"{bd / gd:.1f}× sooner" if gd and bd else "") + " |",
            f"| filter change | {fmt_s(median(g['filter']))} | — | |",
            "",
        ]
    big = max(results, key=lambda r: r["n"])
    g, b = big["geomap"], big["baseline"]
    gw, bw, gd, bd = median(g["wall"]), median(b["wall"]), median(g["drawn"]), median(b["drawn"])
    ratio, rss, filt = g["html"] / big["csv_bytes"], median(g["rss"]), median(g["filter"])

    def verdict(ok):
        return "met" if ok else "**NOT met**"

    lines += [
        f"## Targets at {big['n']:,} events",
        "",
        "| target | measured | |",
        "|---|---|---|",
        f"| render ≥ 10× faster than the baseline | {bw / gw:.1f}× ({gw:.2f} s vs {bw:.2f} s) |"
        f" {verdict(bw / gw >= 10)} |",
        f"| drawn in under 3 s, baseline does not draw | {fmt_s(gd)}; baseline {fmt_s(bd)} | "
        f"{verdict(gd is not None and gd < 3 and bd is None)} |",
        f"| HTML ≤ 1.5 × CSV bytes | {ratio:.2f} × | {verdict(ratio <= 1.5)} |",
        f"| peak memory < 1.5 GB | {rss:.0f} MiB | {verdict(rss * 2**20 < 1.5e9)} |",
        f"| filter change < 1 s | {fmt_s(filt)} | {verdict(filt is not None and filt < 1)} |",
        "",
        "## Start-up",
        "",
        f"- `geomap --help`: {start['help']:.2f} s (median of 5); "
        f"`python -c \"import geopandas, folium\"`: {start['import']:.2f} s.",
        f"- Heavy modules imported (`python -X importtime`): `geomap --help`: "
        f"{', '.join(start['heavy']['--help']) or 'none'}; `geomap validate` (1,000 events): "
        f"{', '.join(start['heavy']['validate']) or 'none'}.",
        "",
    ]
    return "\n".join(lines)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--draw":
        import json

        html, count, cap, kind = argv[1:5]
        print(json.dumps(_draw_in_browser(Path(html), int(count), float(cap), kind == "geomap")))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cap", type=float, default=60.0)
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--work", type=Path, default=HERE / "work")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    results = []
    for n in args.sizes:
        print(f"measuring {n:,} events …", file=sys.stderr, flush=True)
        results.append(measure_size(n, args, args.work))
    start = startup(args.work, generate(1000, args.work / "data-startup"))
    text = report(results, start, args, time.perf_counter() - began)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
