"""The maintenance PIN: stored only as a salted PBKDF2 hash in the settings file.

`python -m kiosk.pin` asks for a PIN and prints the value for `maintenance_pin_hash`.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import os
import sys

ITERATIONS = 200_000
PIN_MAX = 8  # digits kept by the PIN pad


class PinEntry:
    """The PIN pad's state: open or not, the digits typed, whether the last try failed."""

    def __init__(self) -> None:
        self.is_open = False
        self.digits = ""
        self.failed = False

    def open(self) -> None:
        self.is_open, self.digits, self.failed = True, "", False

    def close(self) -> None:
        self.is_open, self.digits, self.failed = False, "", False

    def key(self, digit: str) -> bool:
        """A key of the pad; False (nothing changed) when closed or not a digit."""
        if not self.is_open or not digit.isdigit():
            return False
        self.failed = False
        if len(self.digits) < PIN_MAX:
            self.digits += digit
        return True

    def submit(self, stored_hash: str) -> bool:
        """Check the digits typed; True (and the pad closes) when they match."""
        if not self.is_open:
            return False
        ok = check_pin(self.digits, stored_hash)
        self.digits = ""
        self.failed = not ok
        if ok:
            self.is_open = False
        return ok


def hash_pin(pin: str, *, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    salt = os.urandom(16) if salt is None else salt
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, iterations)
    return f"pbkdf2_sha256${iterations}${salt.hex()}${digest.hex()}"


def check_pin(pin: str, stored: str) -> bool:
    """True if `pin` matches `stored`; an empty or malformed hash never matches."""
    try:
        scheme, iterations, salt_hex, digest_hex = stored.split("$")
        if scheme != "pbkdf2_sha256":
            return False
        salt = bytes.fromhex(salt_hex)
        digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, int(iterations))
    except ValueError:
        return False
    return hmac.compare_digest(digest.hex(), digest_hex)


def main() -> int:
    pin = getpass.getpass("Maintenance PIN (digits): ")
    if not pin.isdigit() or len(pin) < 4:
        print("The PIN must be at least 4 digits.", file=sys.stderr)
        return 2
    if getpass.getpass("Again: ") != pin:
        print("The two PINs differ.", file=sys.stderr)
        return 2
    print(f'maintenance_pin_hash = "{hash_pin(pin)}"')
    return 0


if __name__ == "__main__":
    sys.exit(main())
