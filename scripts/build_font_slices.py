"""Rebuild the served Noto Sans SC slices (assets/fonts/*.woff2) and assets/00-fonts.css.

    python scripts/build_font_slices.py                 # fetches the source with `npm pack`
    python scripts/build_font_slices.py --source DIR    # DIR: an unpacked @fontsource package

Source: the npm package @fontsource/noto-sans-sc 5.3.0 (Noto Sans SC 2.004, SIL OFL 1.1, © Google;
the licence is assets/fonts/OFL.txt), weight 400. Its ~100 unicode-range slices follow Google
Fonts' cut by character frequency; they are merged into one font with fontTools, then cut again
for this app:

1. ``app``: every Chinese character (and CJK/general punctuation) the app itself shows — its
   labels in the code and config, the catalogue, the demo and reference data (:func:`app_text`):
   a page of the app's own text fetches this file (plus the two small ones below) and no other;
2. ``app-latin``: the printable ASCII and the other Latin-script characters of the app (digits:
   all ten have one width in this font, so tabular figures need no ``tnum`` feature, which it
   lacks). Never fetched on a machine with a Chinese font of its own (they all have Latin);
3. ``app-symbols``: the app's arrows, shapes, circled numbers…: small, because a machine with a
   Chinese font that lacks one of them fetches this file for it;
4. then every slice of the source with the characters above taken out, so that a browser never
   fetches two files for one character (the unicode-ranges do not overlap) and every character
   the source covered is still covered.

Weight 400 only: bold is synthesised by the browser from it (``font-synthesis`` as by default),
which halves the bytes of a first visit. Layout features kept: ccmp, liga, kern (horizontal text;
``locl`` is left out: the pages are zh-CN, whose forms are this font's default ones, and it
would double the glyphs).

fontTools (with brotli for woff2) is already installed as a dependency of WeasyPrint
(constraints.txt).
"""

from __future__ import annotations

import argparse
import io
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "assets" / "fonts"
CSS = ROOT / "assets" / "00-fonts.css"
PACKAGE = "@fontsource/noto-sans-sc"
VERSION = "5.3.0"
FAMILY = "Cockpit Noto Sans SC"
WEIGHT = 400
PREFIX = "cockpit-sc-"
LAYOUT_FEATURES = ["ccmp", "liga", "kern"]
#: How many characters the source's slices have glyphs for (all of them stay covered).
SOURCE_CHARACTERS = 13_635
#: The app's own slices, first in 00-fonts.css.
APP_SLICES = ("app", "app-latin", "app-symbols")

#: Where the app's own text lives: code, config, catalogue, demo and reference data, page assets.
TEXT_DIRS = ("api", "auth", "briefing", "components", "config", "data", "pages", "panels",
             "assets")
TEXT_SUFFIXES = {".py", ".csv", ".geojson", ".json", ".html", ".js", ".css"}
NOT_TEXT = {"assets/00-fonts.css", "assets/plotly-cockpit.min.js",
            "assets/topojson/world_110m.json"}


def app_text(root: Path = ROOT) -> set[str]:
    """Every character the app may show of its own: the printable ASCII and every non-ASCII
    character of its code, config, catalogue and data files."""
    chars = {chr(code) for code in range(0x20, 0x7F)}
    files = [root / "app.py"] + [path for name in TEXT_DIRS
                                 for path in sorted((root / name).rglob("*"))]
    for path in files:
        relative = path.relative_to(root).as_posix()
        if (path.suffix in TEXT_SUFFIXES and path.is_file() and relative not in NOT_TEXT
                and "__pycache__" not in relative):
            chars |= {char for char in path.read_text(encoding="utf-8") if ord(char) >= 0x80}
    return chars


def app_group(code: int) -> str:
    """Which of the app's three slices a character of the app goes to."""
    if code >= 0x2E80 or 0x2000 <= code <= 0x206F:
        return "app"          # CJK, fullwidth forms, general punctuation (“”…—)
    if code < 0x2000:
        return "app-latin"
    return "app-symbols"


def unicode_range(codes: set[int]) -> str:
    """``U+4e00-4e01,U+4e03`` for a set of code points."""
    parts, ordered = [], sorted(codes)
    start = previous = ordered[0]
    for code in ordered[1:] + [None]:
        if code is not None and code == previous + 1:
            previous = code
            continue
        parts.append(f"U+{start:x}" if start == previous else f"U+{start:x}-{previous:x}")
        if code is not None:
            start = previous = code
    return ",".join(parts)


def parse_unicode_range(text: str) -> set[int]:
    codes: set[int] = set()
    for part in text.split(","):
        first, _, last = part.strip().removeprefix("U+").partition("-")
        codes |= set(range(int(first, 16), int(last or first, 16) + 1))
    return codes


def served_slices(css: str) -> list[tuple[str, set[int]]]:
    """(file name, code points) of every @font-face of a fonts CSS, in order."""
    return [(name, parse_unicode_range(codes)) for name, codes in re.findall(
        r"src: url\(\.?/?(?:files|fonts)/([^)]+\.woff2)\)[^;]*;\s*unicode-range: ([^;]+);", css)]


def fetch_source(into: Path) -> Path:
    subprocess.run(["npm", "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", str(into)],
                   check=True, capture_output=True)
    archive = next(into.glob("*.tgz"))
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into / "package"


def merged_font(package: Path, slices: list[str]):
    """The source's slices of weight 400 merged into one font."""
    from fontTools.merge import Merger
    from fontTools.ttLib import TTFont

    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for name in slices:
            font = TTFont(package / "files" / name)
            for tag in ("BASE", "STAT", "vhea", "vmtx", "VORG"):
                if tag in font:
                    del font[tag]
            font.flavor = None
            paths.append(Path(folder) / (name + ".ttf"))
            font.save(paths[-1])
        merged = Merger().merge([str(path) for path in paths])
        merged["head"].created = TTFont(paths[0])["head"].created  # the source's, not today
        return merged


def cut(source: Path, codes: set[int]) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(source, recalcTimestamp=False)
    font["head"].modified = font["head"].created  # the same bytes at every build
    options = subset.Options()
    options.layout_features = LAYOUT_FEATURES
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codes))
    subsetter.subset(font)
    font.flavor = "woff2"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


HEADER = f"""/* The Chinese font comes from the machine first: the family list (--font in
   10-cockpit.css and FONT_FAMILY in config/labels.py) names the fonts office machines have
   (PingFang SC, Microsoft YaHei, Noto Sans CJK SC, Source Han Sans…) before this one, so a
   browser that finds one of them fetches nothing from here. Where none is present: Noto Sans SC
   (SIL OFL 1.1, © Google, see fonts/OFL.txt), from the npm package {PACKAGE} {VERSION},
   under a name of its own ("{FAMILY}", so that an installed Noto Sans SC is used
   rather than shadowed), cut for this app by scripts/build_font_slices.py (a generated file:
   edit that script, not this): one slice with every Chinese character the app shows of its own,
   two small ones with its Latin characters and its symbols, then the rest of the font by
   frequency, in unicode-ranges that do not overlap. A page of the app's text fetches the first
   three files. Weight 400 only: bold is synthesised. Nothing is preloaded. Served by the app:
   no outside host. */
"""


def face(name: str, codes: set[int]) -> str:
    return (f"\n@font-face {{\n  font-family: '{FAMILY}';\n  font-style: normal;\n"
            f"  font-display: swap;\n  font-weight: {WEIGHT};\n"
            f"  src: url(fonts/{name}) format('woff2');\n"
            f"  unicode-range: {unicode_range(codes)};\n}}\n")


def build(package: Path) -> None:
    from fontTools.ttLib import TTFont

    source_slices = served_slices((package / f"{WEIGHT}.css").read_text(encoding="utf-8"))
    cmaps = {name: set(TTFont(package / "files" / name).getBestCmap()) for name, _ in
             source_slices}
    covered = set().union(*cmaps.values())
    groups: dict[str, set[int]] = {group: set() for group in APP_SLICES}
    for char in app_text():
        if ord(char) in covered:
            groups[app_group(ord(char))].add(ord(char))
    taken = set().union(*groups.values())
    for name, _ in source_slices:
        slice_id = re.sub(rf"^noto-sans-sc-(.+)-{WEIGHT}-normal\.woff2$", r"\1", name)
        rest = cmaps[name] - taken
        if rest:
            groups[f"rest-{slice_id}"] = rest
            taken |= rest
    assert taken == covered and len(covered) == SOURCE_CHARACTERS, len(covered)

    with tempfile.TemporaryDirectory() as folder:
        full = Path(folder) / "full.ttf"
        merged_font(package, [name for name, _ in source_slices]).save(full)
        for old in FONTS.glob("*.woff2"):
            old.unlink()
        css = [HEADER]
        for group, codes in groups.items():
            name = f"{PREFIX}{group}-{WEIGHT}.woff2"
            (FONTS / name).write_bytes(cut(full, codes))
            css.append(f"\n/* {group}: {len(codes)} characters */" + face(name, codes))
    CSS.write_text("".join(css), encoding="utf-8")
    (FONTS / "OFL.txt").write_bytes((package / "LICENSE").read_bytes())
    sizes = {g: (FONTS / f"{PREFIX}{g}-{WEIGHT}.woff2").stat().st_size for g in groups}
    print(f"{len(groups)} slices, {len(covered)} characters; app slices: "
          + ", ".join(f"{g} {len(groups[g])} chars {sizes[g] / 1e3:.0f} kB"
                      for g in APP_SLICES))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, help=f"an unpacked {PACKAGE} {VERSION} package")
    args = parser.parse_args()
    if args.source:
        build(args.source)
        return 0
    with tempfile.TemporaryDirectory() as folder:
        build(fetch_source(Path(folder)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
