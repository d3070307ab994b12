"""The wheel carries the code, the migrations and every shipped resource."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.timeout(300)
def test_wheel_contains_migrations_and_resources(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("desk_app-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "desk_app/store/migrations/env.py" in names
    assert any(n.startswith("desk_app/store/migrations/versions/0001") for n in names)
    shipped = {str(p.relative_to(ROOT)) for p in (ROOT / "resources").rglob("*") if p.is_file()}
    data = {n.split(".data/data/share/desk/", 1)[1] for n in names if ".data/data/share/desk/" in n}
    assert shipped <= data
