"""Folding of searchable text (content/search_text.py)."""

from __future__ import annotations

from content.search_text import search_fold


def test_search_fold() -> None:
    assert search_fold("Oʻzbekiston oʻg'il gʼ taʼlim don’t") == "Ozbekiston ogil g talim dont"
    assert search_fold("учёт Ёлка") == "учет Елка"
    assert search_fold("'quoted' word") == "'quoted' word"
