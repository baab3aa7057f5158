"""Writing outputs safely: checked target, temporary file beside it, verified, then a rename.

A failure at any point (a full disk, an exception, Ctrl-C or SIGTERM) leaves the previous file as
it was and removes the temporary file. Temporary names carry the writer's process id, so ones left
by a process killed outright (``kill -9``) are swept by the next write into that directory.
An output is refused when it is a directory, a device, a FIFO, or inside the data directory.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import secrets
import signal
import stat
import threading
from pathlib import Path

from .errors import OutputError
from .safety import file_kind
from .schema import EVENTS_FILE, PLACES_FILE, SOURCES_FILE

_DATA_FILES = (PLACES_FILE, SOURCES_FILE, EVENTS_FILE)
_TEMP_MARK = ".geomap-"
_TEMP_NAME = re.compile(r"^\..*\.geomap-(\d+)-[0-9a-f]{8}\.")
#: Files GDAL may create beside a database it writes.
_SIDE_FILES = ("", "-journal", "-wal", "-shm")

_live: set[str] = set()
_handlers_installed = False


def check_output(path: Path | str, *, data_dir: Path | str | None = None,
                 dataset: bool = False) -> Path:
    """The real file an output should replace, or an ``OutputError`` saying why it must not be.

    Refused: a directory, anything but a regular file (``/dev/stdout``, ``/dev/full``, a FIFO),
    a file inside ``data_dir``, and a dataset file (``events.csv`` beside ``places.csv``).
    A symlink to a regular file is followed, so the link stays and its target is replaced.
    ``dataset`` is for the commands made to write a data directory (``import``): it may then
    replace dataset files.
    """
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", path=path) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputError("is a directory; give a file name", path=path, column="--output")
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise OutputError(
            f"is a {file_kind(info.st_mode)}, not a regular file; give a file name",
            path=path, column="--output",
        )
    real = Path(os.path.realpath(path))
    if data_dir is not None:
        root = Path(os.path.realpath(data_dir))
        if real == root or root in real.parents:
            raise OutputError(
                f"is inside the data directory {data_dir}; only `geomap add` writes there, "
                "so write outputs elsewhere",
                path=path, column="--output",
            )
    if not dataset and real.name in _DATA_FILES and all(
        (real.parent / n).exists() for n in _DATA_FILES
    ):
        raise OutputError(
            "is a dataset file; refusing to overwrite data, write outputs elsewhere",
            path=path, column="--output",
        )
    return real


def _cleanup(*_):
    for tmp in list(_live):
        _discard(tmp)


def _on_signal(signum, _frame):
    """Remove temporary files, then die of the same signal as before."""
    _cleanup()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _install_handlers() -> None:
    global _handlers_installed
    if _handlers_installed:
        return
    _handlers_installed = True
    atexit.register(_cleanup)
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(signum) == signal.SIG_DFL:
            signal.signal(signum, _on_signal)


@contextlib.contextmanager
def temporary_path(target: Path, suffix: str = ".tmp"):
    """A fresh name beside ``target`` that is removed (with GDAL's side files) unless renamed.

    Removed on any exception, KeyboardInterrupt, SIGTERM/SIGHUP and at exit.
    """
    _install_handlers()
    _sweep(target.parent)
    stem = target.name[:100]
    tmp = str(target.parent / f".{stem}{_TEMP_MARK}{os.getpid()}-{secrets.token_hex(4)}{suffix}")
    names = [tmp + side for side in _SIDE_FILES]
    _live.update(names)
    try:
        yield tmp
    finally:
        for name in names:
            _discard(name)
            _live.discard(name)


def _sweep(directory: Path) -> None:
    """Remove temporary files whose writing process no longer exists."""
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        match = _TEMP_NAME.match(entry.name)
        if match and not _alive(int(match.group(1))):
            _discard(entry.path)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _prepare(path: Path, data_dir, dataset: bool = False) -> Path:
    target = check_output(path, data_dir=data_dir, dataset=dataset)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create the folder {target.parent}: {exc.strerror or exc}", path=path
        ) from None
    return target


def _keep_metadata(tmp: str, target: Path) -> None:
    """Give the new file the old one's mode and owner (or the umask's mode for a new file)."""
    try:
        old = os.stat(target)
    except FileNotFoundError:
        os.chmod(tmp, 0o666 & ~_umask())
        return
    os.chmod(tmp, stat.S_IMODE(old.st_mode))
    with contextlib.suppress(OSError):
        os.chown(tmp, old.st_uid, old.st_gid)


def write_atomic(path: Path | str, data, *, data_dir: Path | str | None = None,
                 dataset: bool = False) -> Path:
    """Replace ``path`` with ``data`` once every byte is on disk; create parent folders.

    ``data`` is bytes, or an iterable of bytes pieces written as they come (a large export
    never holds its whole text). The bytes written and the file's length are checked, and so is
    closing it; any failure is an ``OutputError`` and the old file stays.
    """
    path = Path(path)
    target = _prepare(path, data_dir, dataset)
    pieces = (data,) if isinstance(data, bytes | bytearray | memoryview) else data
    try:
        with temporary_path(target) as tmp:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
            try:
                total = sum(_write_all(fd, piece) for piece in pieces)
                os.fsync(fd)
                if os.fstat(fd).st_size != total:
                    raise OSError(5, f"wrote {os.fstat(fd).st_size} of {total} bytes")
            finally:
                os.close(fd)
            _keep_metadata(tmp, target)
            os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(
            f"cannot write: {exc.strerror or exc}; the previous file, if any, is unchanged",
            path=path,
        ) from None
    _sync_directory(target.parent)
    return path


def _write_all(fd: int, data) -> int:
    """Write every byte of ``data`` (``os.write`` may write fewer); their count."""
    view = memoryview(data)
    written = 0
    while written < len(view):
        count = os.write(fd, view[written:])
        if count <= 0:
            raise OSError(28, "No space left on device")
        written += count
    return written


def replace_verified(path: Path | str, write, verify, *, suffix: str = ".tmp",
                     data_dir: Path | str | None = None) -> Path:
    """Run ``write(tmp)`` beside ``path``, then ``verify(tmp)``, then rename into place.

    For writers such as GDAL drivers that create the file themselves and may not report a
    failed write: ``verify`` reopens the file and raises if it is not what was meant.
    """
    path = Path(path)
    target = _prepare(path, data_dir)
    try:
        with temporary_path(target, suffix) as tmp:
            # Create the name ourselves first: the OS's reason (read-only, permission denied,
            # name too long) is clearer than what a driver reports for the same failure.
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600))
            os.unlink(tmp)
            write(tmp)
            verify(tmp)
            _keep_metadata(tmp, target)
            os.replace(tmp, target)
    except OutputError as exc:
        raise OutputError(f"{exc.message}; the previous file, if any, is unchanged",
                          path=path) from None
    except Exception as exc:
        reason = getattr(exc, "strerror", None) or short_reason(exc)
        raise OutputError(
            f"cannot write: {reason}; the previous file, if any, is unchanged", path=path
        ) from None
    _sync_directory(target.parent)
    return path


def short_reason(exc: BaseException, limit: int = 160) -> str:
    """A library's error as one short line: GDAL quotes whole SQL scripts before "failed:"."""
    lines = str(exc).strip().splitlines()
    text = lines[0] if lines else type(exc).__name__
    if "failed: " in text:
        text = text.rsplit("failed: ", 1)[1]
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _sync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _discard(tmp: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
