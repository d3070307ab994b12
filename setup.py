"""Ships the top-level resources/ tree in the wheel as <prefix>/share/desk/resources.

pyproject.toml holds all metadata; this file only lists the resource files, which a static
``data-files`` table cannot do for a nested tree. desk_app/resources.py looks there when the
package is installed from a wheel rather than run from a checkout.
"""

from pathlib import Path

from setuptools import setup


def resource_files() -> list[tuple[str, list[str]]]:
    root = Path(__file__).parent
    groups: dict[str, list[str]] = {}
    for path in sorted((root / "resources").rglob("*")):
        if path.is_file():
            relative = path.relative_to(root)
            target = str(Path("share/desk") / relative.parent)
            groups.setdefault(target, []).append(str(relative))
    return sorted(groups.items())


setup(data_files=resource_files())
