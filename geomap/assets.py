"""The scripts and styles a map loads, pinned to exact versions and checksums, in one place.

The regular map loads them from a CDN with ``integrity`` attributes, so a browser refuses a
tampered file. ``npm_package`` and ``npm_path`` say where the same bytes live in the npm registry,
which is how tests and air-gapped machines fill a local copy.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Asset:
    name: str
    kind: str  # "js" or "css"
    npm_package: str  # name@version
    npm_path: str  # path inside the package tarball, below "package/"
    sri: str  # Subresource Integrity hash of the file's bytes

    @property
    def url(self) -> str:
        return f"https://cdn.jsdelivr.net/npm/{self.npm_package}/{self.npm_path}"

    @property
    def filename(self) -> str:
        return self.npm_path.rsplit("/", 1)[-1]


LEAFLET = "leaflet@1.9.4"
SUPERCLUSTER = "supercluster@9.1.0"

ASSETS = (
    Asset(
        "leaflet", "js", LEAFLET, "dist/leaflet.js",
        "sha384-cxOPjt7s7Iz04uaHJceBmS+qpjv2JkIHNVcuOrM+YHwZOmJGBXI00mdUXEq65HTH",
    ),
    Asset(
        "leaflet_css", "css", LEAFLET, "dist/leaflet.css",
        "sha384-sHL9NAb7lN7rfvG5lfHpm643Xkcjzp4jFvuavGOndn6pjVqS6ny56CAt3nsEVT4H",
    ),
    Asset(
        "supercluster", "js", SUPERCLUSTER, "dist/supercluster.min.js",
        "sha384-b2jocofijO1GAbpdMm3wr8T1DXJnb3YV2zs8ZTQ+WsdJg8wvzbb/6DtCdPSZjlnf",
    ),
    Asset(
        "leaflet_layers_png", "img", LEAFLET, "dist/images/layers.png",
        "sha384-80x85ZS+G189o0xL8E8D7BnfhuNss6EwUPHzG7e+qByRD2xnpxikZ6UQU4Re5nNy",
    ),
    Asset(
        "leaflet_layers_2x_png", "img", LEAFLET, "dist/images/layers-2x.png",
        "sha384-+F2ZWK/HTpkV9kN2HnMGCQOTM/cnQJLs770FLOeHznwVWRfDESI8z4JwcGYmy2Au",
    ),
    Asset(
        "leaflet_marker_png", "img", LEAFLET, "dist/images/marker-icon.png",
        "sha384-wg83fCOXjBtqzFAWhTL9Sd9vmLUNhfEEzfmNUX9zwv2igKlz/YQbdapF4ObdxF+R",
    ),
)


def by_kind(kind: str) -> list[Asset]:
    return [asset for asset in ASSETS if asset.kind == kind]


def cache_dir():
    """Where verified local copies live: ``$GEOMAP_ASSETS``, else the user cache directory."""
    import os
    from pathlib import Path

    override = os.environ.get("GEOMAP_ASSETS")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("geomap")) / "assets"


def cache_path(asset: Asset):
    """``<cache>/leaflet@1.9.4/dist/leaflet.js``: the npm tarball's layout, by package."""
    return cache_dir() / asset.npm_package / asset.npm_path


def sri_of(data: bytes) -> str:
    import base64
    import hashlib

    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


_HOW = (
    "run `geomap fetch-assets` (from the CDN) or `geomap fetch-assets --npm` (from the npm "
    "registry), or copy {package}'s {path} there; GEOMAP_ASSETS names another folder"
)


def read_verified(asset: Asset) -> bytes:
    """The cached bytes of an asset, refused unless they match the pinned checksum."""
    from .errors import AssetError
    from .safety import NotRegularFile, read_regular

    path = cache_path(asset)
    how = _HOW.format(package=asset.npm_package, path=asset.npm_path)
    try:
        data = read_regular(path, 50_000_000)  # a FIFO or device here must not hang or fill
    except NotRegularFile as exc:
        raise AssetError(f"pinned asset {asset.filename} {exc}; delete it, then {how}",
                         path=path) from None
    except OSError:
        raise AssetError(f"pinned asset {asset.filename} is missing; {how}", path=path) from None
    if sri_of(data) != asset.sri:
        raise AssetError(
            f"{asset.filename} does not match its pinned checksum {asset.sri} "
            f"(got {sri_of(data)}); delete it, then {how}",
            path=path,
        )
    return data


def _store(asset: Asset, data: bytes) -> None:
    from .errors import AssetError
    from .output import write_atomic

    if sri_of(data) != asset.sri:
        raise AssetError(
            f"{asset.filename} from {asset.url} does not match its pinned checksum {asset.sri} "
            f"(got {sri_of(data)}); refusing it",
            path=cache_path(asset),
        )
    write_atomic(cache_path(asset), data)


def download(asset: Asset, timeout: float = 20.0) -> bytes:
    """The asset's bytes from its pinned CDN URL (not verified here)."""
    from urllib.request import urlopen

    with urlopen(asset.url, timeout=timeout) as response:  # a pinned https URL
        return response.read()


def ensure(asset: Asset) -> bytes:
    """The verified bytes of an asset, downloading it into the cache on first use."""
    from .errors import AssetError

    try:
        return read_verified(asset)
    except AssetError as missing:
        if cache_path(asset).exists():
            raise  # present but wrong: never silently replaced
        try:
            data = download(asset)
        except OSError as exc:
            raise AssetError(
                f"{missing.message} (downloading {asset.url} failed: {exc})",
                path=cache_path(asset),
            ) from None
    _store(asset, data)
    return read_verified(asset)


def _from_npm(missing: list[Asset]) -> None:
    """Store the missing assets from their packages in the npm registry (``npm pack``)."""
    import subprocess
    import tarfile
    import tempfile
    from pathlib import Path

    from .errors import AssetError

    with tempfile.TemporaryDirectory() as tmp:
        for package in sorted({a.npm_package for a in missing}):
            try:
                result = subprocess.run(
                    ["npm", "pack", package, "--silent", "--pack-destination", tmp],
                    check=True, capture_output=True, text=True,
                )
            except (OSError, subprocess.CalledProcessError) as exc:
                detail = getattr(exc, "stderr", "") or exc
                raise AssetError(f"`npm pack {package}` failed: {detail}") from None
            tarball = Path(tmp) / result.stdout.strip().splitlines()[-1]
            with tarfile.open(tarball) as tar:
                for asset in (a for a in missing if a.npm_package == package):
                    member = tar.extractfile(f"package/{asset.npm_path}")
                    _store(asset, member.read())


def fetch_all(*, npm: bool = False) -> list:
    """Fill the cache with every pinned asset; returns the paths. Existing good files are kept."""
    from .errors import AssetError

    missing = []
    for asset in ASSETS:
        try:
            read_verified(asset)
        except AssetError:
            missing.append(asset)
    if npm and missing:
        _from_npm(missing)
    elif missing:
        resolve_assets()  # the CDN, else the npm registry for what it cannot give
    return [cache_path(asset) for asset in ASSETS if read_verified(asset)]


def resolve_assets() -> dict[str, bytes]:
    """Every pinned asset's verified bytes by name, fetched before a page is rendered, so that
    rendering itself never touches the network. A file the CDN cannot give comes from the npm
    registry when ``npm`` is installed; a cached file that fails its checksum is never replaced.
    """
    import shutil

    from .errors import AssetError

    found, failed = {}, []
    for asset in ASSETS:
        try:
            found[asset.name] = ensure(asset)
        except AssetError as exc:
            if cache_path(asset).exists() or not shutil.which("npm"):
                raise
            failed.append((asset, exc))
    if failed:
        _from_npm([asset for asset, _ in failed])
        found.update({asset.name: read_verified(asset) for asset, _ in failed})
    return {asset.name: found[asset.name] for asset in ASSETS}
