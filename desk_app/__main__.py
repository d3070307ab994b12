"""``desk``: start Desk on a profile (the demo profile by default; seeded on first start)."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="desk", description="Desk: the support workstation")
    parser.add_argument(
        "--profile",
        type=Path,
        help="profile directory (default: $DESK_APP_HOME or the platform data dir)",
    )
    parser.add_argument("--lang", choices=("en", "ru"), help="UI language for this session")
    parser.add_argument("--theme", choices=("light", "dark"), help="theme for this session")
    parser.add_argument(
        "--sandbox",
        action="store_true",
        help="open the offline training sandbox: simulated customers, nothing leaves the machine",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    from desk_app.startup import pause_gc

    pause_gc()  # until the inbox is painted (see desk_app/startup.py)
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # The Qt-free core first: once PySide6 is loaded, its import hook reads the source of every
    # module imported after it (looking for ``from __feature__ import``), which costs ~0.1 s
    # over SQLAlchemy's few hundred modules at every start.
    import desk_app.app  # noqa: F401
    from desk_app.ui.launcher import run  # Qt is imported only now

    return run(args.profile, args.lang, args.theme, sandbox=args.sandbox)


if __name__ == "__main__":
    raise SystemExit(main())
