"""Fill geomap's asset cache from the npm registry (for CI and machines without the CDN).

Usage: python scripts/fill_asset_cache.py      (the same as `geomap fetch-assets --npm`)
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geomap.assets import fetch_all

if __name__ == "__main__":
    for path in fetch_all(npm=True):
        print(f"ok {path}")
