"""Export bench: peak memory and time to write an N-row register as XLSX.

Run from the project root:  python -m bench.exports [--rows 100000] [--modes stream,whole]
"stream" is the app's export (app.core.tabular.xlsx_file: openpyxl write-only mode, rows from
a generator, into a spooled temp file); "whole" is the way it was before (a normal workbook
built in memory from a list of rows, saved into bytes). Each mode runs in its own process,
so that one's peak (ru_maxrss) does not hide the other's.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HEADERS = [
    "检查日期", "单位名称", "类别", "所属辖区", "检查项目", "检查人员", "第二检查人员", "结果",
    "得分", "等级", "不合格项数", "版本", "检查编号",
]  # fmt: skip


def inspection_like(n: int) -> list:
    """A row shaped like the inspection export's, distinct per row as real rows are."""
    return [
        date(2024, 1 + n % 12, 1 + n % 28),
        f"石河村便民店{n}",
        "农村食品经营店",
        f"新区街道 · 第{n % 300}社区",
        "农村食品经营店“五好”检查表",
        f"检查员{n % 50}",
        f"检查员{(n + 7) % 50}",
        "基本符合",
        60 + n % 40,
        "“五好”未达标",
        n % 5,
        1 + n % 3,
        n,
    ]


def peak_mb() -> float:
    """This process's peak resident memory so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(mode: str, rows: int) -> dict:
    """Write the export once in this process; its time, size and peak memory."""
    import io

    from openpyxl import Workbook

    from app.core.tabular import xlsx_file

    baseline = peak_mb()
    started = time.perf_counter()
    if mode == "stream":
        with xlsx_file({"检查记录": (HEADERS, (inspection_like(n) for n in range(rows)))}) as fh:
            size = fh.seek(0, 2)
    else:
        data = [inspection_like(n) for n in range(rows)]
        book = Workbook()
        sheet = book.active
        sheet.append(HEADERS)
        for row in data:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        size = len(out.getvalue())
    took = time.perf_counter() - started
    return {
        "mode": mode,
        "rows": rows,
        "seconds": round(took, 1),
        "file_mb": round(size / 2**20, 1),
        "peak_mb_over_baseline": round(peak_mb() - baseline, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--modes", default="stream,whole")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # the child: run this mode only
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run(args.one, args.rows)))
        return
    for mode in args.modes.split(","):
        child = [sys.executable, "-m", "bench.exports", "--rows", str(args.rows), "--one", mode]
        result = json.loads(subprocess.run(child, cwd=ROOT, check=True, capture_output=True).stdout)
        print(
            f"{result['mode']:>6}: {result['rows']} rows in {result['seconds']} s, "
            f"{result['file_mb']} MB file, peak memory +{result['peak_mb_over_baseline']} MB"
        )


if __name__ == "__main__":
    main()
