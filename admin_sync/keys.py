"""Signing keys: generate, save (owner-only file) and load the ed25519 keys of the TUF roles.

The root key is kept offline by the administrator (a file they keep on a USB stick, never in the
server's data folder); the targets, snapshot and timestamp keys live on the server (online keys).
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.serialization import load_pem_private_key
from securesystemslib.signer import CryptoSigner

from content.durable import write_atomic

ROLES: tuple[str, ...] = ("root", "targets", "snapshot", "timestamp")
ONLINE_ROLES: tuple[str, ...] = ("targets", "snapshot", "timestamp")


class KeyFileError(Exception):
    """A key file is missing, unreadable or not a private key we can sign with."""


def generate_key() -> CryptoSigner:
    return CryptoSigner.generate_ed25519()


def save_key(signer: CryptoSigner, path: Path) -> None:
    """Write the private key as PEM (PKCS#8), readable by the owner only."""
    write_atomic(path, signer.private_bytes, mode=0o600)


def load_key(path: Path) -> CryptoSigner:
    try:
        pem = path.read_bytes()
    except FileNotFoundError as exc:
        raise KeyFileError(f"{path}: key file not found") from exc
    except OSError as exc:
        raise KeyFileError(f"{path}: cannot read key file ({exc.strerror})") from exc
    try:
        private_key = load_pem_private_key(pem, password=None)
        return CryptoSigner(private_key)
    except (ValueError, TypeError) as exc:
        raise KeyFileError(f"{path}: not a PEM private key without password ({exc})") from exc
