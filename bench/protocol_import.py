"""How fast the protocol importer reads a document, against a floor measured in the same run.

The importer must be linear in the size of the document (DESIGN.md, Protocols; the issue:
"compile regexes once; no quadratic string building"). Times, best of several runs:

- the floor: reading the largest seed (the city council protocol) and splitting it into lines,
  the least any importer must do;
- ``parse_protocol`` on that text (read included);
- both again on the seed repeated 50 times, each copy's sections renumbered to follow on
  (1-15, 16-30, ...) so that the whole document is read as one protocol: copies numbered
  from 1 again would be taken for an appended second document and the import would stop.

Prints absolute times, the ratios to the floor, and the growth per line from 1x to 50x; exits
1 if a parse does not give the clauses expected (93 per copy), 2 if a ratio misses its target
(per-line time at 50x <= 2x the time at 1x: linear; parse <= 400x the floor).

Needs no database.

    .venv/bin/python bench/protocol_import.py [--copies N] [--runs N]
"""

import argparse
import gc
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from protocols.importer import parse_protocol

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "protocols" / "documents" / "city-council-protocol.txt"
CLAUSES_PER_COPY = 93
SECTIONS_PER_COPY = 15
# Linear: the time per line stays level from 1x to 50x (a quadratic step would multiply it by
# about 50); the allowance covers caches and a machine shared with other work.
LINEAR_TARGET, FLOOR_TARGET = 2.0, 400.0
# The first part of a clause number at the start of a line, after any "- ", "## **".
SECTION_NUMBER = re.compile(r"^([-#*\s]*)(\d{1,3})(?=\.?\s|\.\d|\*)", re.MULTILINE)


def renumbered(text: str, offset: int) -> str:
    return SECTION_NUMBER.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + offset}", text)


def best_of(runs, function):
    """The best time of ``runs``, with the garbage collector off as ``timeit`` does: a
    collection that happens to fall in one run is not the importer's cost."""
    best, result = float("inf"), None
    for _ in range(runs):
        gc.collect()
        gc.disable()
        try:
            started = time.perf_counter()
            result = function()
            best = min(best, time.perf_counter() - started)
        finally:
            gc.enable()
    return best, result


def seconds(value):
    return f"{value * 1000:9.2f} ms" if value < 1 else f"{value:9.2f} s "


def floor(path: Path):
    return path.read_text(encoding="utf-8").splitlines()


def parse(path: Path):
    return parse_protocol(path.read_text(encoding="utf-8"))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=50)
    parser.add_argument("--runs", type=int, default=20, help="runs of the 1x document")
    args = parser.parse_args(argv)

    seed = SEED.read_text(encoding="utf-8")
    large = "\n".join(renumbered(seed, copy * SECTIONS_PER_COPY) for copy in range(args.copies))
    with tempfile.TemporaryDirectory() as directory:
        small_path, large_path = Path(directory) / "1x.txt", Path(directory) / "nx.txt"
        small_path.write_text(seed, encoding="utf-8")
        large_path.write_text(large, encoding="utf-8")
        small_lines, large_lines = len(floor(small_path)), len(floor(large_path))
        parse(small_path)  # imports and compiles, once

        floor_small, _ = best_of(args.runs * 5, lambda: floor(small_path))
        parse_small, result_small = best_of(args.runs, lambda: parse(small_path))
        large_runs = max(5, args.runs // 3)
        floor_large, _ = best_of(large_runs * 5, lambda: floor(large_path))
        parse_large, result_large = best_of(large_runs, lambda: parse(large_path))

    clauses_small, clauses_large = len(result_small.clauses), len(result_large.clauses)
    floor_ratio_small, floor_ratio_large = parse_small / floor_small, parse_large / floor_large
    growth = (parse_large / large_lines) / (parse_small / small_lines)

    print(f"{SEED.name}: {small_lines:,} lines, {len(seed):,} characters")
    print(f"  1x  read + split lines (floor)  {seconds(floor_small)}")
    print(f"  1x  read + parse_protocol       {seconds(parse_small)}  ({clauses_small} clauses)")
    print(f"  {args.copies}x read + split lines (floor)  {seconds(floor_large)}")
    print(
        f"  {args.copies}x read + parse_protocol       {seconds(parse_large)}  "
        f"({clauses_large:,} clauses, {large_lines:,} lines)"
    )
    print(
        f"parse/floor 1x = {floor_ratio_small:.0f}x, {args.copies}x = {floor_ratio_large:.0f}x  "
        f"(target <= {FLOOR_TARGET:.0f}x)"
    )
    print(
        f"time per line {parse_small / small_lines * 1e6:.1f} us at 1x, "
        f"{parse_large / large_lines * 1e6:.1f} us at {args.copies}x: "
        f"{args.copies}x/1x = {growth:.2f}  (target <= {LINEAR_TARGET}: linear)"
    )

    if clauses_small != CLAUSES_PER_COPY or clauses_large != CLAUSES_PER_COPY * args.copies:
        print("The parse did not give the clauses expected.")
        return 1
    if growth > LINEAR_TARGET or max(floor_ratio_small, floor_ratio_large) > FLOOR_TARGET:
        print("A ratio missed its target.")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
