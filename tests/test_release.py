"""A release installs like any package: an sdist and a wheel that twine accepts.

``python -m build`` makes both from the checkout; the wheel must hold every file
the lessons load (the shipped tables and precomputed results), and the version
nbtune reports is the one pyproject.toml writes.
"""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
                   check=True, capture_output=True, text=True)
    return out


def test_build_makes_an_sdist_and_a_wheel_that_twine_check_passes(dist):
    files = sorted(p.name for p in dist.iterdir())
    assert [f.rsplit("-", 1)[0] for f in files if f.endswith(".tar.gz")] == ["nbtune"]
    assert len([f for f in files if f.endswith("-py3-none-any.whl")]) == 1
    check = subprocess.run([sys.executable, "-m", "twine", "check", "--strict",
                            *map(str, dist.iterdir())], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count("PASSED") == 2


def test_the_wheel_holds_every_file_of_the_package(dist):
    """Every tracked file under nbtune/ (code, shipped tables, precomputed results) is inside."""
    [wheel] = dist.glob("*.whl")
    inside = set(zipfile.ZipFile(wheel).namelist())
    tracked = subprocess.run(["git", "ls-files", "nbtune"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
    assert tracked and [name for name in tracked if name not in inside] == []


def test_the_version_is_written_once_and_read_from_the_installed_metadata(dist):
    import nbtune

    text = (ROOT / "pyproject.toml").read_text()
    [version] = [line.split('"')[1] for line in text.splitlines() if line.startswith("version =")]
    assert nbtune.__version__ == version
    [wheel] = dist.glob("*.whl")
    assert wheel.name.startswith(f"nbtune-{version}-")
