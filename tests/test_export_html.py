"""scripts/export_html.py: an executed, offline HTML copy of a lesson, never overwritten by accident.

Exports lesson 00 (the quickest) in fast mode to a temporary folder and
checks the page: the lesson's title, an executed output, an inlined figure,
nothing loaded from a CDN; then a second run without ``--overwrite`` fails
and names the file and the flag.
"""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent
SCRIPT = ROOT / "scripts" / "export_html.py"
LESSON = ROOT / "notebooks" / "00_start_here.ipynb"
CDN = re.compile(r"https?://(cdnjs\.cloudflare\.com|unpkg\.com|cdn\.jsdelivr\.net|"
                 r"fonts\.googleapis\.com|fonts\.gstatic\.com|cdn\.mathjax\.org|code\.jquery\.com)")
# what a browser would fetch: a script, a stylesheet or a CSS import from a web address
LOADS = re.compile(r"<script[^>]*\ssrc=['\"]?https?:|<link[^>]*\shref=['\"]?https?:|"
                   r"url\(['\"]?https?:|@import\s+['\"]?https?:|import\(['\"]https?:")


def export(out: Path, *flags: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), "--fast", "--out", str(out), str(LESSON),
                           *flags], capture_output=True, text=True, timeout=600)


def test_export_one_lesson_offline_and_no_overwrite(tmp_path):
    done = export(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    page_path = tmp_path / "00_start_here.html"
    assert str(page_path) in done.stdout and "00_start_here.ipynb" in done.stdout
    page = page_path.read_text(encoding="utf-8")

    assert "<title>Lesson 00 — Start here" in page
    assert "FAST = True, BUDGET = 1" in page  # printed by the lesson's last cell: it ran
    assert 'src="data:image/png;base64,' in page  # a figure, inlined
    assert CDN.findall(page) == []
    assert LOADS.findall(page) == []

    again = export(tmp_path)
    assert again.returncode == 1
    assert f"{page_path} exists; pass --overwrite" in again.stderr
    assert page_path.read_text(encoding="utf-8") == page
