"""Throughput benchmark: `make bench` (`python scripts/bench.py`).

Extracts the first N articles of a corpus with one worker process and with two, and prints for each
articles/s, MB/s (UTF-8 bytes of text), events/s and each worker's peak RSS, next to a *floor*: the
time to read the records and `normalize` + `split_sentences` + tokenise the same texts, i.e. what any
pipeline over this text has to pay. The ratio pipeline/floor says how much of the time the extractor's
own rules cost. Documents that fail count as errors and never stop the run. `--repeat` rounds (3)
each run every job count in turn, so a slow spell of a shared machine hits both; medians are
reported. `--stages` ends with the CPU time of each pipeline stage in one process.

Workers call the batch engine (`rasd.engines.process_records`) when it exists, else `rasd.extract`;
every worker of both pools has loaded the lexicons and gazetteer before the clock starts.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import time
from datetime import UTC, datetime
from itertools import islice
from multiprocessing import Barrier, Pool
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "data" / "corpus" / "arabic-news-2013.jsonl.gz"
WARMUP_TEXT = "قتل 12 مدنيا في قصف جوي على مدينة إدلب السورية اليوم الخميس، بحسب المرصد السوري لحقوق الإنسان."


def _peak_rss_mb() -> float:
    """Peak resident set size of this process in MB (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _extract_many(records: list[dict]) -> list[dict]:
    """The batch engine when it is there (same code path as `rasd corpus`), else `rasd.extract`."""
    try:
        from rasd.engines import process_records
    except ImportError:
        process_records = None
    if process_records is not None:
        return process_records(records)
    import rasd

    out = []
    for rec in records:
        try:
            doc = rasd.extract(rec["text"], published=rec.get("published"), outlet=rec.get("outlet"),
                               doc_id=rec.get("id"), title=rec.get("title"), url=rec.get("url"))
            out.append(doc.model_dump(mode="json", by_alias=True))
        except Exception as exc:  # noqa: BLE001 - a failing document is counted, never fatal
            out.append({"error": f"{type(exc).__name__}: {exc}"})
    return out


def _warm(barrier) -> None:
    """Pool initializer: load the lexicons and gazetteer, then wait until every worker has: no worker
    may start the timed run cold (a cold worker pays about a second and a half of loading inside it)."""
    _extract_many([{"id": "warmup", "text": WARMUP_TEXT, "published": "2020-01-16"}])
    barrier.wait()


def _pid(_: int) -> int:
    return os.getpid()


def _work(chunk: list[dict]) -> tuple[int, int, int, int, float]:
    """(pid, documents, events, errors, peak RSS MB) for one chunk; results stay in the worker."""
    try:
        results = _extract_many(chunk)
    except Exception:  # noqa: BLE001 - never fatal: the whole chunk counts as errors
        return os.getpid(), len(chunk), 0, len(chunk), _peak_rss_mb()
    events = sum(len(r.get("events") or []) for r in results)
    errors = sum(1 for r in results if r.get("error"))
    return os.getpid(), len(results), events, errors, _peak_rss_mb()


def read_records(path: Path, n: int) -> tuple[list[dict], float]:
    """The first n readable records with text, and the seconds it took to read them."""
    from rasd.io.readers import read_path

    t0 = time.perf_counter()
    recs = [r for r in islice(read_path(str(path)), n)]
    return [r for r in recs if r.get("text") and not r.get("error")], time.perf_counter() - t0


def floor_seconds(texts: list[str]) -> float:
    """normalise + sentences + tokens over the texts: the least any pipeline must do."""
    from rasd.text.normalize import normalize
    from rasd.text.segment import split_sentences, tokens

    t0 = time.perf_counter()
    for text in texts:
        norm = normalize(text)[0]
        split_sentences(norm)
        tokens(norm)
    return time.perf_counter() - t0


def run_pool(records: list[dict], jobs: int, chunk: int) -> dict:
    chunks = [records[i:i + chunk] for i in range(0, len(records), chunk)]
    t0 = time.perf_counter()
    barrier = Barrier(jobs)
    with Pool(processes=jobs, initializer=_warm, initargs=(barrier,)) as pool:
        pool.map(_pid, range(jobs), chunksize=1)  # runs once the initializers (and so the barrier) are done
        warm = time.perf_counter() - t0
        t0 = time.perf_counter()
        rss: dict[int, float] = {}
        docs = events = errors = 0
        for pid, d, e, err, peak in pool.imap_unordered(_work, chunks):
            docs, events, errors = docs + d, events + e, errors + err
            rss[pid] = max(rss.get(pid, 0.0), peak)
        seconds = time.perf_counter() - t0
    return {"jobs": jobs, "seconds": seconds, "warmup_s": warm, "documents": docs, "events": events,
            "errors": errors, "peak_rss_mb": sorted(rss.values(), reverse=True)}


def stage_times(records: list[dict]) -> dict[str, float]:
    """CPU seconds per pipeline stage over the records, in this process (the `--stages` table): the
    steps of `rasd.extract` (input cleaning, Document, `pipeline.run` stage by stage, the schema)
    and the JSON dump."""
    from rasd.document import Document
    from rasd.pipeline import parse_published, run, to_schema, warm_up
    from rasd.text.input import clean_input

    warm_up()
    spent: dict[str, float] = {}
    last = time.process_time()

    def lap(name: str) -> None:
        nonlocal last
        now = time.process_time()
        spent[name] = spent.get(name, 0.0) + now - last
        last = now

    for rec in records:
        last = time.process_time()
        try:
            text, _notes = clean_input(rec["text"])
        except ValueError:
            continue
        lap("input cleaning")
        doc = Document(text, published=parse_published(rec.get("published")))
        lap("normalise + sentences (Document)")
        run(doc, after_stage=lap)
        result = to_schema(doc)
        lap("to schema")
        result.model_dump(mode="json", by_alias=True)
        lap("JSON dump")
    return spent


def print_stage_table(records: list[dict]) -> None:
    spent = stage_times(records)
    total = sum(spent.values())
    n = max(len(records), 1)
    print(f"stages, one process, CPU time over {len(records)} articles: {total / n * 1000:.2f} ms/article, "
          f"{n / total:.1f} articles/s")
    for name, sec in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"  {name:34s} {sec / n * 1000:6.3f} ms/article  {100 * sec / total:5.1f} %")


def summarise(runs: list[dict], job_counts: list[int]) -> dict:
    """Median articles/s per job count over the rounds, and the median of each round's speed-up."""
    median: dict[str, dict] = {}
    lines = []
    for jobs in job_counts:
        mine = [r for r in runs if r["jobs"] == jobs]
        entry = {"articles_per_s": statistics.median(r["articles_per_s"] for r in mine),
                 "mb_per_s": statistics.median(r["mb_per_s"] for r in mine),
                 "events_per_s": statistics.median(r["events_per_s"] for r in mine),
                 "peak_rss_mb": max(max(r["peak_rss_mb"]) for r in mine)}
        if jobs != 1 and 1 in job_counts:
            ups = [r["articles_per_s"] / one["articles_per_s"] for r in mine for one in runs
                   if one["jobs"] == 1 and one["round"] == r["round"]]
            entry["speed_up"] = statistics.median(ups)
        median[str(jobs)] = entry
        line = (f"median of {len(mine)} (jobs={jobs}): {entry['articles_per_s']:.1f} articles/s, "
                f"{entry['mb_per_s']:.3f} MB/s, {entry['events_per_s']:.1f} events/s, "
                f"peak RSS/worker {entry['peak_rss_mb']:.0f} MB")
        if "speed_up" in entry:
            line += f", speed-up vs jobs=1 {entry['speed_up']:.2f}x"
        lines.append(line)
    return {"median": median, "lines": lines}


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    return {"cores": os.cpu_count(), "cpu": model or "unknown", "python": platform.python_version(),
            "platform": platform.platform()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", default=str(DEFAULT_CORPUS), help="corpus (.jsonl/.jsonl.gz)")
    ap.add_argument("--n", type=int, default=5000, help="articles to extract (the first N)")
    ap.add_argument("--jobs", default="1,2", help="worker counts to run, comma-separated")
    ap.add_argument("--chunk", type=int, default=250, help="articles per task")
    ap.add_argument("--repeat", type=int, default=3, help="rounds (each runs every job count); medians are reported")
    ap.add_argument("--stages", action="store_true", help="also time each pipeline stage in this process")
    ap.add_argument("--json", dest="json_out", help="also write the numbers as JSON here")
    args = ap.parse_args(argv)

    path = Path(args.path)
    if not path.exists():
        print(f"corpus not found: {path} (pass a path, or put the shared data at {DEFAULT_CORPUS})", file=sys.stderr)
        return 2
    info = machine()
    print(f"machine: {info['cores']} cores, {info['cpu']}, Python {info['python']} ({info['platform']})")
    records, read_s = read_records(path, args.n)
    texts = [r["text"] for r in records]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"corpus: {path.name}, {len(records)} articles, {mb:.1f} MB of text (UTF-8), "
          f"{sum(map(len, texts)) / max(len(texts), 1):.0f} chars/article; read in {read_s:.2f}s")
    norm_s = floor_seconds(texts)
    floor = read_s + norm_s
    print(f"floor (read {read_s:.2f}s + normalise/sentences/tokens {norm_s:.2f}s): {floor:.2f}s, "
          f"{len(texts) / floor:.0f} articles/s")
    job_counts = [int(j) for j in args.jobs.split(",") if j.strip()]
    runs = []
    # the job counts alternate within each round, so a slow spell of a shared machine hits both alike
    for round_no in range(1, args.repeat + 1):
        for jobs in job_counts:
            r = run_pool(records, jobs, args.chunk)
            s = r["seconds"]
            r.update(round=round_no, articles_per_s=r["documents"] / s, mb_per_s=mb / s,
                     events_per_s=r["events"] / s, ratio_to_floor=s * jobs / floor)
            runs.append(r)
            rss = ", ".join(f"{x:.0f}" for x in r["peak_rss_mb"])
            print(f"round {round_no} jobs={jobs}: {s:.1f}s, {r['articles_per_s']:.1f} articles/s, "
                  f"{r['mb_per_s']:.3f} MB/s, {r['events_per_s']:.1f} events/s, {r['events']} events, "
                  f"{r['errors']} errors, peak RSS/worker MB [{rss}], warm-up {r['warmup_s']:.1f}s, "
                  f"pipeline/floor {r['ratio_to_floor']:.1f}x (CPU-seconds)", flush=True)
    summary = summarise(runs, job_counts)
    for line in summary["lines"]:
        print(line)
    if args.stages:  # last: the workers fork from this process and must not inherit its warm caches
        print_stage_table(records)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(
            {"date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": info,
             "corpus": str(path), "articles": len(records), "mb": mb, "read_s": read_s, "floor_s": floor,
             "runs": runs, "median": summary["median"]}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
