"""The parse cache: what reading one file produced (its diagnostics and its typed document),
kept under ``.fedplan/cache/`` so that an unchanged file is not composed and walked again.

- One entry per file, named by a digest of its path: an edited file rewrites one entry.
- An entry holds the digest of the bytes it was made from, of ``fedplan.yaml`` (the walk
  reads the settings), and of the fedplan version and the source of the loading code; any
  difference and the entry is ignored and rebuilt.
- Entries are pickles, and a pickle from someone else could run code when loaded. So each
  entry is signed (keyed BLAKE2b, a MAC) with a key that lives outside the repository, in the user's
  cache folder (``$XDG_CACHE_HOME/fedplan/cache-key``, made 0600 on first use). An entry
  that does not carry this key's signature — committed by a pull request, restored by CI
  from another machine, truncated, corrupted — is never unpickled: it is ignored and
  rebuilt. The signature is checked before anything of the payload is read.
- Entries are written to a temporary file in the same folder and renamed into place, so a
  concurrent run sees the old entry or the new one, never half of one; two writers of the
  same entry both write a valid one and the last rename wins.
- An entry is zlib-compressed and is not kept when it would be larger than the file it
  stands for (so the cache never takes more room than the YAML; a file of a few hundred
  bytes is simply read each time); entries of files no longer in the repository are removed.
- fedplan.yaml has its entry too, and a check that is costly to start keeps its result
  (``remember``/``recall``: the report bodies' check, which needs Jinja2), stamped with a
  digest of every file read and of the checking code: so a run where nothing changed
  imports neither PyYAML nor the schema nor Jinja2 (issue 15's start-up).
- ``fedplan --no-cache`` or ``FEDPLAN_NO_CACHE=1`` turns it off; a folder that cannot be
  written (a read-only checkout) or a missing key folder just means no cache.

Nothing here prints or raises for a cache problem: the cache is an optimisation, the files
are the truth.
"""

from __future__ import annotations

import os
import pickle
import zlib
from pathlib import Path
from typing import Any

from fedplan import __version__

try:  # hashlib's own BLAKE2 and hmac's own comparison: importing hashlib or hmac loads
    # OpenSSL, a few milliseconds of every command's start-up
    from _blake2 import blake2b
    from _operator import _compare_digest as compare_digest
except ImportError:  # pragma: no cover - a Python built without them
    from hashlib import blake2b
    from hmac import compare_digest  # type: ignore[no-redef]

CACHE_DIR = ".fedplan/cache"
ENV_OFF = "FEDPLAN_NO_CACHE"
_MAGIC = b"FPC2"
_SIG = 32  # bytes of the keyed BLAKE2b signature
_SUFFIX = ".entry"
# The code whose output an entry holds: a change to any of these makes every entry stale.
_LOADING_CODE = (
    "model.py", "schema.py", "schema", "source.py", "fastledger.py", "diagnostics.py", "entries.py", "rules.py",
    "rule_words.py", "dates.py", "headings.py", "repo.py", "parsecache.py", "records.py",
)
# The code a remembered check's result comes from (``recall``/``remember``): the report-body
# check's sandbox, the status it renders against, the filters; and Jinja2 itself (its
# version is in its __init__.py).
_CHECKING_CODE = (
    "bodies", "checks", "status.py", "rules.py", "dates.py", "render/chinese.py", "punctuation.py",
    "hanzi.py", "suggest.py",
)

_wanted = False


def turn_on(on: bool = True) -> None:
    """Use the cache in this process. The command line does (unless ``--no-cache``); a
    library caller gets plain reads unless it asks."""
    global _wanted
    _wanted = on


def enabled() -> bool:
    return _wanted and os.environ.get(ENV_OFF, "") in ("", "0")


def user_cache_dir() -> Path:
    """fedplan's folder in the user's cache (``$XDG_CACHE_HOME/fedplan``), outside any repository."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "fedplan"


def _key_path() -> Path:
    return user_cache_dir() / "cache-key"


def _signing_key() -> bytes | None:
    """This user's secret key, made on first use; None if it cannot be read or made."""
    path = _key_path()
    try:
        key = path.read_bytes()
        if len(key) >= 32:
            return key
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = os.urandom(32)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key)
        try:
            os.link(tmp, path)  # the first writer's key wins; a racing one reads it
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
        key = path.read_bytes()
        return key if len(key) >= 32 else None
    except OSError:
        return None


def _digest(data: bytes) -> bytes:
    return blake2b(data, digest_size=20).digest()


def digest_of(*parts: bytes) -> bytes:
    """One 20-byte digest of ``parts`` (each length-prefixed, so the cut between them counts)."""
    h = blake2b(digest_size=20)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.digest()


def _code_version(names: tuple[str, ...] = _LOADING_CODE, *extra: Path) -> bytes:
    """A digest of fedplan's version and the code ``names`` (and ``extra``): each file's
    path, size and modification time, as git's index tells an edited file (reading and
    hashing the source of every file was a millisecond or two of each run)."""
    package = Path(__file__).resolve().parent
    h = blake2b(__version__.encode(), digest_size=20)
    h.update(str(pickle.HIGHEST_PROTOCOL).encode())
    files: list[Path] = []
    for name in names:
        path = package / name
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    for file in (*files, *extra):
        try:
            stat = file.stat()
        except OSError:
            continue
        h.update(f"{file}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ino}\n".encode())
    return h.digest()


def package_version() -> bytes:
    """A digest of fedplan's version and every module of the package (path, size,
    modification time, inode): for a result that may depend on any of them. (os.walk: the
    same with pathlib's rglob took eight times as long.)"""
    package = os.path.dirname(os.path.abspath(__file__))
    h = blake2b(__version__.encode(), digest_size=20)
    for folder, subfolders, names in os.walk(package):
        subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
        for name in sorted(names):
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                h.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ino}\n".encode())
    return h.digest()


def _jinja_source() -> tuple[Path, ...]:
    """Jinja2's __init__.py (which holds its version), found without importing it."""
    from importlib.util import find_spec

    try:
        spec = find_spec("jinja2")
    except (ImportError, ValueError):
        return ()
    return (Path(spec.origin),) if spec is not None and spec.origin else ()


class ParseCache:
    """The cache of one repository; ``get`` and ``put`` never raise for cache trouble."""

    def __init__(self, folder: Path, key: bytes, settings: bytes) -> None:
        self.folder = folder
        self._key = key
        self._context = _code_version() + _digest(settings)
        self._seen: set[str] = set()
        self._writable = True
        self._read: dict[str, bytes] = {}  # every file asked about: path → digest of its bytes
        self._known: dict[str, tuple[bytes, bytes]] = {}  # path → (bytes, their digest): hashed once
        self._checking: bytes | None = None
        self.hits = 0
        self.misses = 0
        # The cache stays no bigger than the files it stands for, as a whole: an entry larger
        # than its file (a settings file of one line: the entry is some 230 bytes) waits
        # for the load's end, and is written if what the other entries of the load fall short
        # of their files' sizes covers it (``flush``). Read on every run, a settings file not
        # kept cost every warm run the import of PyYAML and the schema.
        self._slack = 0
        self._pending: list[tuple[Path, bytes, int]] = []

    def _entry_path(self, rel: str) -> Path:
        name = blake2b(rel.encode("utf-8"), digest_size=16).hexdigest()
        self._seen.add(name + _SUFFIX)
        return self.folder / (name + _SUFFIX)

    def get(self, rel: str, data: bytes) -> Any | None:
        """What ``put`` stored for ``rel`` with exactly these bytes, or None."""
        path = self._entry_path(rel)
        digest = self._read[rel] = self._digest_of(rel, data)
        try:
            blob = path.read_bytes()
        except OSError:
            self.misses += 1
            return None
        value = self._open(blob, rel, digest)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
            self._slack += len(data) - len(blob)
        return value

    def _digest_of(self, rel: str, data: bytes) -> bytes:
        known = self._known.get(rel)
        if known is not None and known[0] is data:
            return known[1]
        digest = _digest(data)
        self._known[rel] = (data, digest)
        return digest

    def note(self, files: dict[str, bytes]) -> None:
        """Count every one of ``files`` as read (``read_digest``), before any is asked for:
        a result of the whole repository can then be recalled before reading any."""
        for rel, data in files.items():
            self._read[rel] = self._digest_of(rel, data)

    def _open(self, blob: bytes, rel: str, digest: bytes) -> Any | None:
        head = len(_MAGIC) + _SIG
        if len(blob) < head or not blob.startswith(_MAGIC):
            return None
        signature, payload = blob[len(_MAGIC) : head], blob[head:]
        if not compare_digest(signature, self._sign(payload)):
            return None  # not written by this user's fedplan: never unpickled
        try:
            stamp, value = pickle.loads(zlib.decompress(payload))
        except Exception:  # signed but unreadable (a bug of ours): rebuild
            return None
        if stamp != self._stamp(rel, digest):
            return None
        return value

    def _sign(self, payload: bytes) -> bytes:
        return blake2b(payload, key=self._key[:64], digest_size=_SIG).digest()

    def _stamp(self, rel: str, digest: bytes) -> bytes:
        """What an entry was made from, in 20 bytes: the code and settings, the path, the
        digest of the bytes."""
        return _digest(b"\0".join((self._context, rel.encode("utf-8"), digest)))

    def put(self, rel: str, data: bytes, value: Any) -> None:
        """Keep ``value`` as what reading ``rel`` with bytes ``data`` gave."""
        if not self._writable:
            return
        path = self._entry_path(rel)
        try:
            digest = self._read[rel] = self._digest_of(rel, data)
            raw = pickle.dumps((self._stamp(rel, digest), value), protocol=5)
        except Exception:  # something in the value cannot be pickled: do without
            return
        # a small entry packed hard (to stay under its file's size), a ledger's quickly
        payload = zlib.compress(raw, 9 if len(raw) < 1 << 16 else 1)
        blob = _MAGIC + self._sign(payload) + payload
        if len(blob) > len(data):  # bigger than the file it stands for: see ``flush``
            self._pending.append((path, blob, len(blob) - len(data)))
            return
        self._slack += len(data) - len(blob)
        self._write(path, blob)

    def flush(self) -> None:
        """Write the entries larger than their files that the load's slack covers; remove
        the others (an old one would be stale)."""
        for path, blob, over in self._pending:
            if over <= self._slack:
                self._slack -= over
                self._write(path, blob)
            else:
                _remove(path)
        self._pending.clear()

    def _write(self, path: Path, blob: bytes) -> None:
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as handle:
                handle.write(blob)
            os.replace(tmp, path)
        except OSError:
            self._writable = False  # a read-only checkout: read what is there, write nothing
            _remove(tmp)

    def read_digest(self) -> bytes:
        """A digest of every file asked about so far (path and bytes): what a result computed
        from the whole repository, as read, depends on."""
        return _digest(b"".join(rel.encode("utf-8") + b"\0" + d for rel, d in sorted(self._read.items())))

    def recall(self, name: str, extra: bytes = b"") -> Any | None:
        """What ``remember(name, value, extra)`` kept, if it was computed from this very
        repository (``read_digest``) by this code (``_CHECKING_CODE``, the loading code, the
        settings) with the same ``extra`` (what else the result depends on); else None."""
        path = self._entry_path(name)
        try:
            blob = path.read_bytes()
        except OSError:
            return None
        return self._open(blob, name, self._checking_input(extra))

    def remember(self, name: str, value: Any, extra: bytes = b"", *, bounded: bool = False) -> None:
        """Keep ``value`` as the result of the check ``name`` on the repository as read. A
        check's result is a few plain values, not held to a file's size; a ``bounded`` one
        (every diagnostic of the repository: as many as the files make) is written only
        where the load's slack covers it (see ``flush``: call it first), so the cache stays
        smaller than the files."""
        if not self._writable:
            return
        path = self._entry_path(name)
        try:
            raw = pickle.dumps((self._stamp(name, self._checking_input(extra)), value), protocol=5)
        except Exception:
            return
        payload = zlib.compress(raw, 9 if len(raw) < 1 << 16 else 1)
        blob = _MAGIC + self._sign(payload) + payload
        if bounded:
            if len(blob) > self._slack:
                _remove(path)  # (an older one is stale)
                return
            self._slack -= len(blob)
        self._write(path, blob)

    def _checking_input(self, extra: bytes = b"") -> bytes:
        if self._checking is None:
            self._checking = _code_version(_CHECKING_CODE, *_jinja_source())
        return digest_of(self._checking, extra, self.read_digest())

    def prune(self) -> None:
        """Remove the entries of files that were not read this time (deleted or renamed)."""
        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        for name in names:
            if name.endswith(_SUFFIX) and name not in self._seen:
                _remove(self.folder / name)


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def open_cache(root: Path, settings: bytes) -> ParseCache | None:
    """The parse cache of the repository at ``root``, or None when it is off or unusable."""
    if not enabled():
        return None
    key = _signing_key()
    if key is None:
        return None
    return ParseCache(root / CACHE_DIR, key, settings)

