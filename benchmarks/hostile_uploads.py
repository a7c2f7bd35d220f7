"""Hostile and unlucky uploads: time, exit code, message and peak memory of each (issue #14).

    python benchmarks/hostile_uploads.py [--only NAME,...] [--keep DIR]
    python benchmarks/hostile_uploads.py --measure-factor

Builds each case in a temporary folder, then runs, each in a fresh process and one after the
other, the CLI (``python -m ecom_analytics ingest FILE --home TMP``) and the read path alone
(``readers.read_table`` on the file's bytes). Peak memory is the child's own peak resident set
(``os.wait4``), Python, pandas and DuckDB included. Cases:

- repeated_line.csv.gz: one Online Retail line repeated to 535 MB of text (1.8 MB of gzip);
- zeros_2gb.gz: 2 GB of zero bytes (about 2 MB of gzip);
- zip_bomb.zip: a CSV line repeated to 2 GB in a .zip whose header states the size;
- zip_bomb_lying.zip: the same .zip with the stated size rewritten to 1 MB;
- gz_in_zip.zip: repeated_line.csv.gz inside a .zip;
- retail_x3.csv.gz: the real file three times over (135 MB of text), a legitimate large upload;
- plain_500mb.csv: 500 MB of real text, uncompressed, with ECOM_ANALYTICS_MEMORY_MB=4000
  (its text limit is then 4000 / 12 = 333 MB);
- online_retail.csv.gz: the real file, for comparison.

``--measure-factor`` measures PEAK_BYTES_PER_TEXT_BYTE of ecom_analytics.ingest.readers: the peak
memory of a whole ingest (read, map, clean, store) above the memory held after the imports,
per byte of CSV text, on the real file, the real file three times over, and one line repeated
to 100 MB (the expansion checks are switched off in that child).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ONLINE_RETAIL = ROOT.parent / "shared" / "data" / "online_retail.csv.gz"
MB = 1024 * 1024


# --- building the cases -----------------------------------------------------------------------

def _real_text() -> bytes:
    return gzip.decompress(ONLINE_RETAIL.read_bytes())


def _header_and_line() -> tuple[bytes, bytes]:
    with gzip.open(ONLINE_RETAIL, "rb") as fh:
        header, line = fh.readline(), fh.readline()
    return header, line


def _write_gzip(path: Path, pieces, level: int = 6) -> None:
    """Write the concatenated ``pieces`` (an iterable of bytes) as one gzip member."""
    with open(path, "wb") as out, gzip.GzipFile(fileobj=out, mode="wb", compresslevel=level, mtime=0) as gz:
        for piece in pieces:
            gz.write(piece)


def _repeated(line: bytes, total: int, header: bytes = b""):
    block = line * max(1, MB // len(line))
    if header:
        yield header
    written = len(header)
    while written < total:
        yield block
        written += len(block)


def build_repeated_line(folder: Path, text_mb: int = 535) -> Path:
    header, line = _header_and_line()
    path = folder / "repeated_line.csv.gz"
    _write_gzip(path, _repeated(line, text_mb * MB, header), level=9)
    return path


def build_zeros(folder: Path, gb: int = 2) -> Path:
    path = folder / "zeros_2gb.gz"
    zeros = bytes(16 * MB)
    _write_gzip(path, (zeros for _ in range(gb * 1024 // 16)), level=9)
    return path


def _zip_of(path: Path, member: str, pieces) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        with zf.open(member, "w", force_zip64=True) as fh:
            for piece in pieces:
                fh.write(piece)


def build_zip_bomb(folder: Path) -> Path:
    header, line = _header_and_line()
    path = folder / "zip_bomb.zip"
    _zip_of(path, "orders.csv", _repeated(line, 2048 * MB, header))
    return path


def build_zip_bomb_lying(folder: Path, bomb: Path) -> Path:
    """``bomb`` with the member's stated size rewritten to 1 MB (central directory and local header)."""
    data = bytearray(bomb.read_bytes())
    for sig in (b"PK\x01\x02", b"PK\x03\x04"):
        at = data.find(sig)
        # zip64: the real sizes sit in the extra field; the 32-bit fields say 0xFFFFFFFF
        name_len = struct.unpack("<H", data[at + (28 if sig == b"PK\x01\x02" else 26):][:2])[0]
        extra_at = at + (46 if sig == b"PK\x01\x02" else 30) + name_len
        tag, size = struct.unpack("<HH", data[extra_at:extra_at + 4])
        assert tag == 1, "expected a zip64 extra field"
        data[extra_at + 4:extra_at + 12] = struct.pack("<Q", MB)  # uncompressed size
    path = folder / "zip_bomb_lying.zip"
    path.write_bytes(bytes(data))
    return path


def build_gz_in_zip(folder: Path, gz: Path) -> Path:
    path = folder / "gz_in_zip.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.write(gz, "orders.csv.gz")
    return path


def build_retail_times(folder: Path, times: int = 3) -> Path:
    text = _real_text()
    header, _, body = text.partition(b"\n")
    path = folder / f"retail_x{times}.csv.gz"
    _write_gzip(path, [header + b"\n"] + [body] * times, level=6)
    return path


def build_plain(folder: Path, text_mb: int = 500) -> Path:
    text = _real_text()
    header, _, body = text.partition(b"\n")
    path = folder / "plain_500mb.csv"
    with open(path, "wb") as out:
        out.write(header + b"\n")
        written = len(header) + 1
        while written < text_mb * MB:
            piece = body[: text_mb * MB - written]
            out.write(piece)
            written += len(piece)
    return path


# --- running a case in a fresh process --------------------------------------------------------

def run_child(cmd: list[str], env: dict | None = None) -> dict:
    """Run ``cmd``; its wall time, exit code, first line of output and peak RSS (MB)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env={**os.environ, **(env or {})}, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace").strip()
        text = err.read().decode(errors="replace").strip() or stdout
    inner = [ln[len("read_s="):] for ln in stdout.splitlines() if ln.startswith("read_s=")]
    text = "\n".join(ln for ln in text.splitlines() if not ln.startswith("read_s="))
    lines = [ln for ln in text.splitlines() if ln.strip()]
    first = lines[0] if lines else ""
    if proc.returncode == 0 and text.startswith("{"):  # the CLI's summary
        summary = json.loads(text)
        first = f"stored: {summary['rows_in']:,} rows in, {summary['rows_clean']:,} kept"
    return {"wall_s": round(wall, 1), "read_s": inner[0] if inner else "", "exit": proc.returncode,
            "message": first, "peak_mb": round(usage.ru_maxrss / 1024)}


READ_ONLY = (
    "import sys, time; from pathlib import Path; from ecom_analytics.errors import InputError; "
    "from ecom_analytics.ingest.readers import read_table\n"
    "p = Path(sys.argv[1]); data = p.read_bytes(); t0 = time.perf_counter()\n"
    "try:\n"
    "    t = read_table(data, p.name)\n"
    "except InputError as exc:\n"
    "    print(f'read_s={time.perf_counter() - t0:.2f}'); print('error:', exc, file=sys.stderr); sys.exit(2)\n"
    "print(f'read_s={time.perf_counter() - t0:.2f}'); print(f'{len(t.frame):,} rows read')\n"
)


def run_case(path: Path, env: dict | None = None) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as home:
        cli = run_child([sys.executable, "-m", "ecom_analytics", "ingest", str(path), "--home", home], env)
    rows.append({"case": path.name, "path": "CLI ingest", **cli})
    read = run_child([sys.executable, "-c", READ_ONLY, str(path)], env)
    rows.append({"case": path.name, "path": "read_table", **read})
    return rows


# --- the pandas expansion factor --------------------------------------------------------------

def _rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def measure_child(path: str) -> dict:
    """One ingest in this process; peak memory above the memory after the imports, per text byte."""
    import resource

    sys.path.insert(0, str(ROOT))
    from ecom_analytics.ingest import pipeline, readers
    from ecom_analytics.store import Workspace

    readers.MAX_EXPANSION_RATIO = 10 ** 9  # one line repeated must be read, not refused
    p = Path(path)
    data = p.read_bytes()
    text_bytes = len(gzip.decompress(data)) if data[:2] == b"\x1f\x8b" else len(data)
    import gc

    gc.collect()
    with tempfile.TemporaryDirectory() as home:
        ws = Workspace(home)
        ws.salt()
        base = _rss_mb()
        t0 = time.perf_counter()
        pipeline.ingest(data, p.name, workspace=ws)
        wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"case": p.name, "text_mb": round(text_bytes / MB, 1), "base_mb": round(base), "peak_mb": round(peak),
            "wall_s": round(wall, 1), "factor": round((peak - base) * MB / text_bytes, 2),
            "factor_with_base": round(peak * MB / text_bytes, 2)}


def measure_factor() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        header, line = _header_and_line()
        repeated = folder / "repeated_100mb.csv.gz"
        _write_gzip(repeated, _repeated(line, 100 * MB, header), level=6)
        cases = [ONLINE_RETAIL, build_retail_times(folder, 3), repeated]
        print(f"{'case':<26} {'text MB':>8} {'base MB':>8} {'peak MB':>8} {'time s':>7} {'factor':>7} {'with base':>9}")
        for path in cases:
            out = subprocess.run([sys.executable, __file__, "--measure-child", str(path)], capture_output=True,
                                 text=True, check=True, cwd=ROOT)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"{r['case']:<26} {r['text_mb']:>8} {r['base_mb']:>8} {r['peak_mb']:>8} {r['wall_s']:>7} "
                  f"{r['factor']:>7} {r['factor_with_base']:>9}")
    print("factor = (peak RSS - RSS after the imports) / bytes of text; compare readers.PEAK_BYTES_PER_TEXT_BYTE")


# --- main -------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated case names (file names without extension)")
    parser.add_argument("--keep", default=None, help="build the cases in this folder and keep them")
    parser.add_argument("--measure-factor", action="store_true")
    parser.add_argument("--measure-child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_child:
        print(json.dumps(measure_child(args.measure_child)))
        return
    if not ONLINE_RETAIL.exists():
        sys.exit(f"{ONLINE_RETAIL} not found: the cases are built from the Online Retail file.")
    if args.measure_factor:
        measure_factor()
        return
    sys.path.insert(0, str(ROOT))
    from ecom_analytics.ingest import readers

    only = {n.strip() for n in args.only.split(",") if n.strip()}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        repeated = build_repeated_line(folder)
        bomb = build_zip_bomb(folder)
        cases = [
            (repeated, None),
            (build_zeros(folder), None),
            (bomb, None),
            (build_zip_bomb_lying(folder, bomb), None),
            (build_gz_in_zip(folder, repeated), None),
            (build_retail_times(folder, 3), None),
            (build_plain(folder), {"ECOM_ANALYTICS_MEMORY_MB": "4000"}),
            (ONLINE_RETAIL, None),
        ]
        print(f"built the cases in {time.perf_counter() - t0:.0f} s; memory budget per upload "
              f"{readers.size_text(readers.memory_budget_bytes())}, text limit {readers.size_text(readers.text_limit_bytes())} "
              f"(machine {readers.size_text(readers.machine_memory_bytes())}, cpu count {os.cpu_count()})\n")
        rows = []
        for path, env in cases:
            if only and path.name.split(".")[0] not in only:
                continue
            for row in run_case(path, env):
                row["size"] = readers.size_text(path.stat().st_size)
                row["env"] = " ".join(f"{k}={v}" for k, v in (env or {}).items())
                rows.append(row)
                print(json.dumps(row), file=sys.stderr, flush=True)
    print("time s: the child process's wall time, Python's start and imports included; read s: read_table alone")
    print(f"{'case':<22} {'size':>9} {'path':<10} {'time s':>7} {'read s':>6} {'exit':>4} {'peak MB':>8}  message")
    for r in rows:
        message = r["message"] if len(r["message"]) <= 150 else r["message"][:147] + "..."
        env = f" [{r['env']}]" if r["env"] else ""
        print(f"{r['case']:<22} {r['size']:>9} {r['path']:<10} {r['wall_s']:>7} {r['read_s']:>6} {r['exit']:>4} "
              f"{r['peak_mb']:>8}  "
              f"{message}{env}")


if __name__ == "__main__":
    main()
