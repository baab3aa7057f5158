"""Fill geomap's asset cache from the npm registry, verifying every file against its pin.

Usage: python scripts/fill_asset_cache.py   (honours GEOMAP_ASSETS; needs `npm`)

The map's scripts and styles are pinned in geomap/assets.py; the same bytes are published as npm
packages, so machines without access to the CDN (CI, air-gapped ones) can still hold them.
"""

import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geomap.assets import ASSETS, cache_path, read_verified
from geomap.errors import AssetError


def main() -> int:
    missing = []
    for asset in ASSETS:
        try:
            read_verified(asset)
        except AssetError:
            missing.append(asset)
    packages = sorted({asset.npm_package for asset in missing})
    with tempfile.TemporaryDirectory() as tmp:
        for package in packages:
            out = subprocess.run(
                ["npm", "pack", package, "--silent", "--pack-destination", tmp],
                check=True, capture_output=True, text=True,
            ).stdout.strip().splitlines()[-1]
            with tarfile.open(Path(tmp) / out) as tar:
                for asset in missing:
                    if asset.npm_package != package:
                        continue
                    member = tar.extractfile(f"package/{asset.npm_path}")
                    target = cache_path(asset)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(member.read())
    for asset in ASSETS:
        read_verified(asset)
        print(f"ok {cache_path(asset)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
