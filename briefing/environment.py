"""What the PDF path needs on this machine, and telling what is missing before a job starts.

- WeasyPrint (lays out the HTML as A4 pages) needs Pango (Debian ``libpango-1.0-0``).
- The Chinese font is Noto Sans SC (SIL OFL 1.1) as an OpenType file, installed from PyPI with
  the project (``pylopdf-fonts-zh-cn``; WeasyPrint cannot use the web font slices the pages
  are served with). It is embedded in every PDF as a subset.
- The maps are plotly's own static export (kaleido), which drives headless Chromium (Debian's
  ``chromium``; ``COCKPIT_CHROMIUM_PATH`` names another). Chromium finds fonts through
  fontconfig only, so a fontconfig file naming the font's folder is written for it.

:func:`missing` lists what is absent, in Chinese with the command that installs it; the page
and the command line show it instead of failing half-way.
"""

from __future__ import annotations

import functools
import importlib
import shutil
from pathlib import Path

from config.settings import get_settings

#: The family name the briefing's CSS and its figures use.
FONT_FAMILY = "Noto Sans SC"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class NotReady(RuntimeError):
    """Something the PDF path needs is missing; the message says what, in Chinese."""


def font_file() -> Path | None:
    """The Noto Sans SC OpenType file, or ``None``."""
    try:
        fonts = importlib.import_module("pylopdf_fonts_zh_cn")
    except ImportError:
        return None
    path = Path(fonts.sans_path())
    return path if path.is_file() else None


def chromium() -> str | None:
    """The Chromium the maps are drawn with, or ``None``."""
    configured = get_settings().chromium_path
    if configured:
        return configured if Path(configured).is_file() else None
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


@functools.cache
def _pango_problem() -> str | None:
    try:
        importlib.import_module("weasyprint")
    except OSError as error:  # Pango (or a library it needs) cannot be loaded
        return str(error)
    except ImportError as error:
        return str(error)
    return None


def missing() -> list[str]:
    """What the PDF path lacks on this machine (empty: ready)."""
    problems = []
    if _pango_problem() is not None:
        problems.append("缺少 PDF 排版组件（WeasyPrint 需要 Pango）：请以 root 运行 "
                        "apt-get install -y libpango-1.0-0 libpangoft2-1.0-0，再运行 make run。")
    if font_file() is None:
        problems.append("缺少中文字体 Noto Sans SC：请运行 make run"
                        "（会安装 pylopdf-fonts-zh-cn）。")
    if chromium() is None:
        problems.append("缺少 Chromium（用于绘制简报中的地图）：请以 root 运行 "
                        "apt-get install -y chromium，或用 COCKPIT_CHROMIUM_PATH 指定其位置。")
    return problems


def require() -> None:
    """Raise :class:`NotReady` with every missing piece."""
    problems = missing()
    if problems:
        raise NotReady("无法生成简报：" + "；".join(p.rstrip("。") for p in problems) + "。")


def fontconfig_file(folder: Path) -> Path:
    """A fontconfig file (written once into ``folder``) that adds the font's folder to the
    system's fonts, for Chromium."""
    font = font_file()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "fonts.conf"
    text = f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{font.parent if font else folder}</dir>
  <cachedir>{folder / "fontconfig-cache"}</cachedir>
</fontconfig>
"""
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        temporary = path.with_suffix(".tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
    return path
