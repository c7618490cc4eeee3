"""API keys, stored only as salted scrypt hashes in the config file.

``scrypt$N$r$p$SALT$HASH`` (base64 salt and hash). Checking a key costs one scrypt (tens of
milliseconds, on purpose); a key that matched once is remembered by its SHA-256 for the life
of the process so that steady traffic pays nothing, while a guess always pays the full cost.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading

_N, _R, _P = 2**14, 8, 1
_PREFIX = "scrypt"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _scrypt(key: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(key.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32,
                          maxmem=256 * 1024 * 1024)


def hash_key(key: str) -> str:
    """The line to store in the config for ``key``."""
    salt = secrets.token_bytes(16)
    return "$".join([_PREFIX, str(_N), str(_R), str(_P), _b64(salt),
                     _b64(_scrypt(key, salt, _N, _R, _P))])


def new_key() -> str:
    """A fresh random key (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != _PREFIX:
        return None
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt, digest = base64.b64decode(parts[4], validate=True), \
            base64.b64decode(parts[5], validate=True)
    except ValueError:
        return None
    # Bounds keep a hostile config from making each check take minutes or gigabytes.
    if not (2 <= n <= 2**20 and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 16
            and salt and len(digest) == 32):
        return None
    return n, r, p, salt, digest


def is_key_hash(stored: str) -> bool:
    return _parse(stored) is not None


def matches(key: str, stored: str) -> bool:
    parsed = _parse(stored)
    if parsed is None:
        return False
    n, r, p, salt, digest = parsed
    return hmac.compare_digest(_scrypt(key, salt, n, r, p), digest)


class KeyRing:
    """The configured keys by name; :meth:`name_of` says whose key a request carries."""

    def __init__(self, keys: dict[str, str]) -> None:
        self.keys = keys
        self._known: dict[bytes, str] = {}
        self._lock = threading.Lock()

    def __bool__(self) -> bool:
        return bool(self.keys)

    def name_of(self, key: str) -> str | None:
        """The name of the key ``key`` matches, or None. Slow for a key not seen before."""
        if len(key) > 512:
            return None
        seen = hashlib.sha256(key.encode("utf-8")).digest()
        with self._lock:
            name = self._known.get(seen)
        if name is not None:
            return name
        for name, stored in self.keys.items():
            if matches(key, stored):
                with self._lock:
                    self._known[seen] = name
                return name
        return None
