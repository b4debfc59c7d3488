"""What every timed benchmark shares: its command line and how its report is kept."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any


def timed_main(
    doc: str | None, run: Callable[[float], Coroutine[Any, Any, list[str]]], argv: list[str] | None
) -> int:
    """`--seconds N` per load and `--out FILE`; prints the report and keeps it when asked."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each load")
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    args = parser.parse_args(argv)
    report = "\n".join(asyncio.run(run(args.seconds))) + "\n"
    print(report)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(report)
    return 0
