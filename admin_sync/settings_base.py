"""Moved to content/settings_base.py (the one settings mechanism, shared with the kiosk).

Kept only while branches written against the old path are merged; delete it then.
"""

from content.settings_base import SettingsError, describe, from_mapping, help_lines, setting

__all__ = ["SettingsError", "describe", "from_mapping", "help_lines", "setting"]
