"""The PIN pad's state (kiosk/pin.py PinEntry) and the PIN hash."""

from __future__ import annotations

from kiosk.pin import PIN_MAX, PinEntry, check_pin, hash_pin

STORED = hash_pin("2468", iterations=1000)


def test_keys_only_while_open_and_only_digits() -> None:
    pin = PinEntry()
    assert not pin.key("1") and pin.digits == ""
    pin.open()
    assert pin.key("1") and not pin.key("x") and pin.digits == "1"
    for _ in range(20):
        pin.key("9")
    assert len(pin.digits) == PIN_MAX


def test_a_wrong_pin_fails_and_clears_a_right_one_closes() -> None:
    pin = PinEntry()
    assert not pin.submit(STORED)  # closed: nothing to check
    pin.open()
    for d in "1111":
        pin.key(d)
    assert not pin.submit(STORED) and pin.failed and pin.is_open and pin.digits == ""
    pin.key("2")
    assert not pin.failed  # typing again clears the failure
    for d in "468":
        pin.key(d)
    assert pin.submit(STORED) and not pin.is_open and not pin.failed


def test_hash_checks() -> None:
    assert check_pin("2468", STORED) and not check_pin("2469", STORED)
    assert not check_pin("2468", "") and not check_pin("2468", "md5$1$00$00")
