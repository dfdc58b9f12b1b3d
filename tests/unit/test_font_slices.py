"""The served Noto Sans SC slices (assets/00-fonts.css, assets/fonts/, built by
scripts/build_font_slices.py): the app's own characters in its first slices, the rest of the
font still covered, one file per character, each file holding every character its
unicode-range names."""

from __future__ import annotations

import functools
import re

import pytest
from fontTools.ttLib import TTFont

from scripts.build_font_slices import (
    APP_SLICES,
    CSS,
    FAMILY,
    FONTS,
    PREFIX,
    SOURCE_CHARACTERS,
    app_text,
    served_slices,
)

REBUILD = "run python scripts/build_font_slices.py (it fetches the font with npm) and commit"


@functools.cache
def slices() -> list[tuple[str, set[int]]]:
    return served_slices(CSS.read_text(encoding="utf-8"))


def covered() -> set[int]:
    return set().union(*(codes for _, codes in slices()))


def gb2312_level_1() -> set[int]:
    """The 3,755 common characters of GB 2312 (rows 16–55; the last row ends at D7F9)."""
    return {ord(bytes([row, cell]).decode("gb2312")) for row in range(0xB0, 0xD8)
            for cell in range(0xA1, 0xFF) if (row, cell) < (0xD7, 0xFA)}


def test_the_app_slices_come_first_and_every_face_is_weight_400_of_one_family():
    css = CSS.read_text(encoding="utf-8")
    names = [name for name, _ in slices()]
    assert names[:3] == [f"{PREFIX}{group}-400.woff2" for group in APP_SLICES]
    assert len(names) > 50  # the rest of the font, in small slices
    assert set(re.findall(r"font-family: '([^']+)'", css)) == {FAMILY}
    assert set(re.findall(r"font-weight: (\d+)", css)) == {"400"}  # bold is synthesised
    assert set(re.findall(r"font-display: (\w+)", css)) == {"swap"}
    assert sorted(path.name for path in FONTS.glob("*.woff2")) == sorted(names)
    assert (FONTS / "OFL.txt").read_text().count("SIL OPEN FONT LICENSE Version 1.1") == 1


def test_every_character_of_the_apps_own_text_is_in_its_first_slices():
    app = set().union(*(codes for _, codes in slices()[:3]))
    outside = sorted(char for char in app_text()
                     if ord(char) in covered() and ord(char) not in app)
    assert outside == [], f"characters of the app outside its first slices: {outside}; {REBUILD}"
    # a page of the app's text: hundreds of characters, all in the first slice
    assert {ord(char) for char in "数字化改革驾驶舱全省七张问题清单重大任务风险五色图西湖区"} <= app


def test_the_unicode_ranges_do_not_overlap_and_cover_what_the_source_covered():
    seen: set[int] = set()
    for name, codes in slices():
        assert not seen & codes, f"{name} overlaps an earlier slice"
        seen |= codes
    assert len(seen) == SOURCE_CHARACTERS
    assert gb2312_level_1() <= seen
    assert len(gb2312_level_1()) == 3755


@pytest.mark.parametrize("index", range(len(slices())))
def test_each_file_draws_every_character_of_its_range(index: int):
    """A browser fetches a file only for a character the file has."""
    name, codes = slices()[index]
    assert codes <= set(TTFont(FONTS / name).getBestCmap()), name


def test_digits_have_one_width_so_figures_are_tabular_without_a_tnum_feature():
    font = TTFont(FONTS / f"{PREFIX}app-latin-400.woff2")
    cmap = font.getBestCmap()
    assert len({font["hmtx"][cmap[ord(digit)]][0] for digit in "0123456789"}) == 1
