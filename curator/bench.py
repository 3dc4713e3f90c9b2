"""``scripts/bench``: throughput and peak memory of each stage, printed as a table.

    scripts/bench                      # 1k and 10k messages, every stage
    scripts/bench --sizes 1000,10000,100000 --only poll

Stages:
  imap-bare   imapclient batch fetch (500 UIDs, BODY.PEEK[]) of the bench folder: the ceiling
  poll        `curator poll --no-process` into a fresh SQLite file (raw mail stored durably)
  understand  parse + kind + trim + sign-off + route of every message (in process)
  tag         position and argument tagging of the replies (in process; cold, then warm)
  process     `curator reprocess` (understanding and tagging through the database)
  backfill    poll + process, whole commands: the line for README.md (with poll and process)
  render      `curator render` (HTML, text) of 8 picked responses, 50 times each, in process
  list        `curator list` and `list --search` (limit 50) over 100,000 seeded responses

Poll stages need the throwaway Dovecot (``scripts/services/dovecot``, root); they are skipped
with a note when it cannot start. Each CLI stage runs in a subprocess so its peak memory is its
own: the largest sum of resident memory over the command and the processes it starts.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from curator.argtypes import choice_list

REPO = Path(__file__).resolve().parents[1]
DOVECOT = REPO / "scripts" / "services" / "dovecot"
FOLDER = "Bench"


@dataclass
class Row:
    stage: str
    n: int
    seconds: float
    peak_mb: float | None
    note: str = ""
    command_seconds: float | None = None  # the whole command, start-up included
    latency: bool = False  # one command's time over n rows, not a throughput

    @property
    def rate(self) -> float:
        return self.n / self.seconds if self.seconds and not self.latency else 0.0


def _run_measured(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run a command; return (seconds, its peak memory in MB, stdout). Raises on failure.

    The peak is the largest sum of resident memory over the command and every process it
    started (the process stage tags in a worker), sampled ten times a second, and never less
    than the command's own peak RSS from ``wait4``.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        tree_peak = 0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)  # wait4: the child's own rusage
            if pid:
                break
            tree_peak = max(tree_peak, _tree_rss(proc.pid))
            time.sleep(0.1)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode(errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {stderr[-2000:]}")
    return seconds, max(usage.ru_maxrss * 1024, tree_peak) / 2**20, stdout


def _tree_rss(pid: int) -> int:
    """Resident bytes of a process and its descendants now (0 for one that just exited)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/statm", encoding="ascii") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as f:
                    todo += [int(c) for c in f.read().split()]
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return total


def _measure_child(code: str, env: dict[str, str]) -> tuple[float, str]:
    """Peak RSS (MB) of a fresh Python running ``code``, and what it printed."""
    proc = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    return float(data["peak_mb"]), str(data["result"])


# ---------------------------------------------------------------------------------------------
# Dovecot


@contextmanager
def dovecot(workdir: Path) -> Iterator[dict[str, str] | None]:
    if os.geteuid() != 0 or not shutil.which("dovecot"):
        yield None
        return
    env = {**os.environ, "CURATOR_DOVECOT_DIR": str(workdir / "dovecot")}
    started = subprocess.run(
        [str(DOVECOT), "start"], env=env, capture_output=True, text=True, check=False
    )
    if started.returncode != 0:
        print(f"note: Dovecot did not start: {started.stderr.strip()}", file=sys.stderr)
        yield None
        return
    values = dict(
        line.removeprefix("export ").split("=", 1)
        for line in started.stdout.splitlines()
        if line.startswith("export ")
    )
    values = {k: v.strip("'\"") for k, v in values.items()}
    try:
        yield values
    finally:
        subprocess.run([str(DOVECOT), "stop"], env=env, capture_output=True, check=False)


def _client(dv: dict[str, str]):  # type: ignore[no-untyped-def]
    import ssl

    from imapclient import IMAPClient

    ctx = ssl.create_default_context(cafile=dv["CURATOR_DOVECOT_CAFILE"])
    c = IMAPClient(
        dv["CURATOR_DOVECOT_HOST"],
        port=int(dv["CURATOR_DOVECOT_IMAPS_PORT"]),
        ssl=True,
        ssl_context=ctx,
        timeout=60,
    )
    c.login(dv["CURATOR_DOVECOT_USER"], dv["CURATOR_DOVECOT_PASSWORD"])
    return c


def load_folder(dv: dict[str, str], n: int) -> None:
    """Fill the bench folder with exactly n generated replies (MULTIAPPEND, not timed)."""
    from curator.samples.generate import generate_replies

    c = _client(dv)
    try:
        if c.folder_exists(FOLDER):
            c.delete_folder(FOLDER)
        c.create_folder(FOLDER)
        batch: list[bytes] = []
        for raw in generate_replies(n, seed=42):
            batch.append(raw)
            if len(batch) == 200:
                c.multiappend(FOLDER, batch)
                batch = []
        if batch:
            c.multiappend(FOLDER, batch)
    finally:
        c.logout()


def bench_bare_fetch(dv: dict[str, str], n: int) -> Row:
    c = _client(dv)
    try:
        start = time.perf_counter()
        c.select_folder(FOLDER, readonly=True)
        uids = c.search(["ALL"])
        got = 0
        for i in range(0, len(uids), 500):
            got += len(c.fetch(uids[i : i + 500], ["BODY.PEEK[]"]))
        seconds = time.perf_counter() - start
    finally:
        c.logout()
    assert got == n, (got, n)
    return Row("imap-bare", n, seconds, None, "imapclient, 500 UIDs per FETCH")


def _config(workdir: Path, dv: dict[str, str] | None, questions: str = "") -> Path:
    lines = ['[database]\nurl = "sqlite:///bench.db"\n']
    if dv:
        lines.append(
            '[[mailboxes]]\nname = "bench"\n'
            f'host = "{dv["CURATOR_DOVECOT_HOST"]}"\nport = {dv["CURATOR_DOVECOT_IMAPS_PORT"]}\n'
            f'security = "ssl"\nusername = "{dv["CURATOR_DOVECOT_USER"]}"\n'
            'password_env = "CURATOR_BENCH_PASSWORD"\n'
            f'folder = "{FOLDER}"\nca_file = "{dv["CURATOR_DOVECOT_CAFILE"]}"\n'
        )
    lines.append(questions)
    path = workdir / "config.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _env(home: Path, config: Path, dv: dict[str, str] | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CURATOR_")}
    env.update(CURATOR_HOME=str(home), CURATOR_CONFIG=str(config), PYTHONPATH=str(REPO))
    if dv:
        env["CURATOR_BENCH_PASSWORD"] = dv["CURATOR_DOVECOT_PASSWORD"]
    return env


def bench_poll(workdir: Path, dv: dict[str, str], n: int) -> tuple[Row, Path, dict[str, str]]:
    home = workdir / f"poll-{n}"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    questions = (REPO / "curator" / "samples" / "question.toml").read_text(encoding="utf-8")
    env = _env(home, _config(home, dv, questions), dv)
    subprocess.run(
        [sys.executable, "-m", "curator", "db", "upgrade"], env=env, check=True, capture_output=True
    )
    seconds, peak, out = _run_measured(
        [sys.executable, "-m", "curator", "poll", "--no-process", "--json"], env
    )
    summary = json.loads(out)
    assert summary["stored"] == n, summary
    stages = summary["mailboxes"][0]["seconds"]
    inner = summary["seconds"]["poll"]
    note = (
        f"whole command {n / seconds:,.0f} msgs/s ({seconds:.2f} s incl. start-up); "
        "fetch {fetch:.2f}s, store {store:.2f}s, overlapping".format(**stages)
    )
    return Row("poll", n, inner, peak, note, seconds), home, env


def bench_process(env: dict[str, str], n: int) -> Row:
    # A fresh home has no tagging cache: the static embedder then builds its token table with
    # onnxruntime as it meets new tokens (a one-off that costs a few hundred MB of memory).
    cache = Path(env["CURATOR_HOME"]) / "cache" / "tagging"
    state = "warm tagging cache" if cache.is_dir() else "cold tagging cache (first run)"
    seconds, peak, out = _run_measured(
        [sys.executable, "-m", "curator", "reprocess", "--json"], env
    )
    data = json.loads(out)
    note = f"`curator reprocess`, {state}: {data['responses']} responses, {data['failed']} failed"
    return Row("process", n, seconds, peak, note, seconds)


def backfill_row(poll: Row, process: Row) -> Row:
    """Poll then process, as a first `curator poll` of a full mailbox does: the two whole
    commands (start-up included), and the larger of their peaks (they run one after the
    other)."""
    assert poll.command_seconds is not None and process.command_seconds is not None
    seconds = poll.command_seconds + process.command_seconds
    peak = max(poll.peak_mb or 0.0, process.peak_mb or 0.0)
    note = (
        f"backfill {poll.n:,}: poll {poll.command_seconds:.0f} s + process "
        f"{process.command_seconds:.0f} s = {seconds:.0f} s, peak {peak:.0f} MB"
    )
    return Row("backfill", poll.n, seconds, peak, note, seconds)


UNDERSTAND_CODE = """
import json, resource, time
from curator.samples.generate import generate_replies
from curator.understand import understand_message
mails = list(generate_replies({n}, seed=7))
start, cpu = time.perf_counter(), time.process_time()
kinds = {{}}
for raw in mails:
    u = understand_message(raw)
    kinds[u.kind] = kinds.get(u.kind, 0) + 1
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
print(json.dumps({{"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "result": json.dumps({{"seconds": seconds, "cpu": cpu, "kinds": kinds}})}}))
"""


def bench_understand(n: int) -> Row:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    peak, result = _measure_child(UNDERSTAND_CODE.format(n=n), env)
    data = json.loads(result)
    top = ", ".join(f"{k} {v}" for k, v in sorted(data["kinds"].items(), key=lambda kv: -kv[1])[:3])
    per_cpu = n / max(data["cpu"], 1e-9)
    note = f"{per_cpu:,.0f} msgs per CPU-second; in process (peak incl. corpus); {top}"
    return Row("understand", n, data["seconds"], peak, note)


TAG_CODE = """
import json, os, resource, tempfile, time
from pathlib import Path
from curator.samples.generate import generate_replies
from curator.tagging.config import load_questions
from curator.understand import understand_message
question = load_questions(Path({question!r}))[0]
texts = [u.reply for u in map(understand_message, generate_replies({n}, seed=11))
         if u.kind == "response"]
def status(key):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) / 1024 for line in f if line.startswith(key))
try:  # reset the peak: what tagging adds, not the corpus built above
    Path("/proc/self/clear_refs").write_text("5")
    reset = True
except OSError:
    reset = False
before = status("VmRSS:")
os.environ["CURATOR_HOME"] = tempfile.mkdtemp(prefix="curator-bench-tag-")  # cold token table
from curator.tagging import Tagger
runs = []
tagger = Tagger.fit(question, [])
for _ in range(2):  # first: cold token table (as a first backfill); then warm
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(0, len(texts), 500):
        tagger.tag(texts[i : i + 500])
    runs.append((time.perf_counter() - wall, time.process_time() - cpu))
peak = status("VmHWM:") if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"peak_mb": peak - before if reset else peak,
                  "result": json.dumps({{"replies": len(texts), "runs": runs, "added": reset}})}}))
"""


def bench_tag(n: int) -> list[Row]:
    """Position and argument tagging of the replies among n generated mails, in batches of
    500 as the process stage does, twice: with a cold token table (a first backfill), then
    warm. The peak is the memory tagging adds to the process (the corpus excluded)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    question = REPO / "curator" / "samples" / "question.toml"
    peak, result = _measure_child(TAG_CODE.format(n=n, question=str(question)), env)
    data = json.loads(result)
    replies = int(data["replies"])
    what = "added by tagging" if data["added"] else "of the process, corpus included"
    rows = []
    for label, (wall, cpu) in zip(("cold", "warm"), data["runs"], strict=True):
        note = f"{label} token table; {replies / cpu:,.0f} replies per CPU-second; peak {what}"
        rows.append(Row(f"tag-{label}", replies, wall, peak, note))
    return rows


LIST_WORDS = [
    "refugees",
    "deserters",
    "europe",
    "border",
    "visa",
    "asylum",
    "security",
    "spies",
    "sanctions",
    "duty",
    "conscience",
    "putin",
    "mobilisation",
    "families",
    "students",
    "workers",
    "economy",
    "latvia",
    "finland",
    "georgia",
    "kazakhstan",
    "welcome",
    "screen",
    "carefully",
    "risk",
    "moral",
    "history",
    "protest",
    "war",
    "peace",
    "young",
    "educated",
]
LIST_PLACES = (("Riga, Latvia", "LV"), ("Berlin", "DE"), ("Toronto", "CA"), ("Milan", "IT"))
LIST_SORTS = ("quality", "confidence", "length")


def bench_list(n: int) -> list[Row]:
    """`curator list --limit 50`, `curator list --search WORD --limit 50` and each `--sort`
    (in process, so the figure is the command's own work: open the store, query, print) over
    n responses bulk-inserted into a fresh SQLite file. The target is 300 ms at 100,000."""
    import random
    import statistics

    from click.testing import CliRunner

    from curator.cli import cli
    from curator.store.engine import open_store
    from curator.store.seed import SeedResponse, ensure_question, insert_responses

    rng = random.Random(5)
    with tempfile.TemporaryDirectory(prefix="curator-bench-list-") as tmp:
        url = f"sqlite:///{tmp}/list.db"
        store = open_store(url)
        start = time.perf_counter()
        with store.transaction() as session:
            qid = ensure_question(session, "bench", ("admit", "refuse"), ("security_risk",))
            for first in range(0, n, 10_000):
                rows = [
                    SeedResponse(
                        " ".join(rng.choices(LIST_WORDS, k=rng.randint(20, 120))),
                        name=f"Reader {first + i}",
                        location=(place := rng.choice(LIST_PLACES))[0],
                        country=place[1],
                        position=rng.choice(("admit", "refuse")),
                        confidence=rng.random(),
                        quality=rng.random(),
                    )
                    for i in range(min(10_000, n - first))
                ]
                insert_responses(session, qid, rows)
        seeded = time.perf_counter() - start
        store.dispose()
        env = {"CURATOR_DATABASE_URL": url, "CURATOR_HOME": tmp}
        out: list[Row] = []
        for stage, args in (
            ("list", ["list", "--limit", "50"]),
            ("list-search", ["list", "--search", "kazakhstan", "--limit", "50"]),
            ("list-search", ["list", "--search", "reader 4242", "--limit", "50"]),
            *(("list-sort", ["list", "--sort", s, "--limit", "50"]) for s in LIST_SORTS),
            ("list-review", ["list", "--needs-review", "--sort", "confidence", "--limit", "50"]),
        ):
            times = []
            for _ in range(7):
                t0 = time.perf_counter()
                result = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
                times.append(time.perf_counter() - t0)
                assert result.exit_code == 0, result.output
            median = statistics.median(times)
            note = f"{median * 1000:.0f} ms median of 7 (max {max(times) * 1000:.0f} ms)"
            note += f", `curator {' '.join(args)}`"
            out.append(Row(stage, n, median, None, note, latency=True))
        out.append(Row("list-seed", n, seeded, None, "bulk insert incl. FTS triggers"))
    return out


def bench_render(runs: int = 50) -> list[Row]:
    """`curator render` (HTML and plain text) of 8 picked responses, in process like `list`:
    open the store, read the picks, render through the templates, inline the CSS, write."""
    import random
    import statistics

    from click.testing import CliRunner

    from curator.cli import cli
    from curator.store.engine import open_store
    from curator.store.seed import SeedResponse, ensure_question, insert_responses

    rng = random.Random(8)
    out: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="curator-bench-render-") as tmp:
        url = f"sqlite:///{tmp}/render.db"
        store = open_store(url)
        with store.transaction() as session:
            qid = ensure_question(session, "bench", ("admit", "refuse"), ("security_risk",))
            rows = [
                SeedResponse(
                    " ".join(rng.choices(LIST_WORDS, k=rng.randint(40, 160))).capitalize() + ".",
                    name=f"Reader {i}",
                    location=(place := rng.choice(LIST_PLACES))[0],
                    country=place[1],
                    position=("admit", "refuse")[i % 2],
                    confidence=rng.random(),
                )
                for i in range(200)
            ]
            insert_responses(session, qid, rows)
        store.dispose()
        env = {"CURATOR_DATABASE_URL": url, "CURATOR_HOME": tmp}
        runner = CliRunner()
        picked = runner.invoke(cli, ["pick", *map(str, range(1, 9))], env=env)
        assert picked.exit_code == 0, picked.output
        for fmt in ("html", "text"):
            target = f"{tmp}/digest.{fmt}"
            args = ["render", "--question", "bench", "--format", fmt, "--out", target]
            times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                result = runner.invoke(cli, args, env=env, catch_exceptions=False)
                times.append(time.perf_counter() - t0)
                assert result.exit_code == 0, result.output
            rendered = Path(target).read_text(encoding="utf-8")
            assert len(set(re.findall(r"Reader \d+", rendered))) == 8, "not 8 quotes rendered"
            median = statistics.median(times)
            note = f"{median * 1000:.0f} ms median of {runs} (max {max(times) * 1000:.0f} ms)"
            out.append(Row(f"render-{fmt}", 8, median, None, note + ", 8 picks", latency=True))
    return out


def print_table(rows: list[Row]) -> None:
    print(f"{'stage':<11} {'messages':>9} {'seconds':>9} {'msgs/s':>10} {'peak MB':>8}  note")
    for r in rows:
        peak = f"{r.peak_mb:8.0f}" if r.peak_mb is not None else f"{'—':>8}"
        rate = f"{'—':>10}" if r.latency else f"{r.rate:>10,.0f}"
        print(f"{r.stage:<11} {r.n:>9,} {r.seconds:>9.2f} {rate} {peak}  {r.note}")


STAGES = ("imap-bare", "poll", "understand", "tag", "process", "backfill", "render", "list")


def selected_stages(only: Sequence[str]) -> set[str]:
    """The stages to run for ``--only`` (none given: all); the backfill line needs both of
    the stages it adds up."""
    stages = set(only or STAGES)
    return stages | {"poll", "process"} if "backfill" in stages else stages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated message counts")
    parser.add_argument(
        "--only",
        action="extend",
        default=[],
        type=choice_list(STAGES, "stage"),
        metavar="STAGE[,STAGE]",
        help=f"run only these stages: {', '.join(STAGES)} (repeatable, or comma-separated)",
    )
    parser.add_argument("--json", action="store_true", help="print rows as JSON too")
    parser.add_argument(
        "--process-runs",
        type=int,
        default=1,
        help="run the process stage this many times (the first is the backfill's; later ones "
        "reprocess with a warm tagging cache and existing responses)",
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    only = selected_stages(args.only)
    wanted: Callable[[str], bool] = lambda s: s in only  # noqa: E731
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="curator-bench-") as tmp:
        workdir = Path(tmp)
        workdir.chmod(0o755)  # Dovecot's unprivileged auth and mail processes read below it
        with dovecot(workdir) as dv:
            if dv is None and (wanted("poll") or wanted("imap-bare")):
                print(
                    "note: no Dovecot here (needs root and dovecot-imapd): poll stages skipped",
                    file=sys.stderr,
                )
            for n in sizes:
                if dv is not None and (wanted("poll") or wanted("imap-bare") or wanted("process")):
                    load_folder(dv, n)
                    if wanted("imap-bare"):
                        rows.append(bench_bare_fetch(dv, n))
                    poll, _home, env = bench_poll(workdir, dv, n)
                    if wanted("poll"):
                        rows.append(poll)
                    if wanted("process"):
                        runs = [bench_process(env, n) for _ in range(max(1, args.process_runs))]
                        rows += runs
                        if wanted("poll"):
                            rows.append(backfill_row(poll, runs[0]))
                if wanted("understand"):
                    rows.append(bench_understand(n))
                if wanted("tag"):
                    rows.extend(bench_tag(n))
                if wanted("render") and n == sizes[-1]:
                    rows.extend(bench_render())
                if wanted("list") and n == sizes[-1]:
                    rows.extend(bench_list(max(n, 100_000)))
                print_table(rows) if n == sizes[-1] else None
    for r in rows:
        if r.stage == "backfill":
            print(r.note)  # the line for README.md
    if args.json:
        print(json.dumps([r.__dict__ | {"rate": r.rate} for r in rows], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
