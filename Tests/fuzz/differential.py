#!/usr/bin/env python3
"""Seeded differential test: incremental builds against builds from scratch.

Usage:
  differential.py [--seed 1] [--sequences 200] [--steps 4] [--portal .build/release/portal]
                  [--jobs 2] [--out test-output/differential] [--allow-mismatches 0]

Each sequence copies the real site into a scratch root (in some, records it as an edition
first, so the edition's cached pages are compared too), builds it once, then applies a few
seeded edits one after another: paragraph text, paragraph numbering, front matter, files added
and removed (and put back), CSV cells, templates; some edits keep the file's size and put its
modification time back, as `cp -p` and backup restores do. After every edit the site is built
incrementally (`portal build`, one output folder for the whole sequence, its cache kept;
sometimes after a build killed part way, whose unfinished commit the next build must finish) and
from scratch (`portal build --full` of a copy of the same files into a fresh folder). The two
sites must be byte-identical (every file, as `diff -r` compares them), and a build that fails
must fail both ways with the same errors.

Prints `N sequences, N builds, N mismatches`; each mismatch (seed, sequence, the edits so far,
the differing files) goes to OUT/sequence-NNNN.txt. Exits 1 on more mismatches than allowed.
"""

import argparse
import concurrent.futures
import os
import random
import re
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

NUMBERED = re.compile(r"^(\d+)\.(\s)")
# Glossary acronyms among them: a paragraph that starts using one changes the glossary page,
# which reads every paragraph's text.
WORDS = ["force", "region", "partners", "board", "capacity", "officers", "review", "threat", "policing",
         "assurance", "national", "local", "support", "training", "resilience", "PCC", "HMICFRS"]


def rel_files(root, folder, suffix):
    base = os.path.join(root, folder)
    return sorted(f"{folder}/{n}" for n in os.listdir(base) if n.endswith(suffix) and not n.startswith("."))


def read(root, rel):
    with open(os.path.join(root, rel), encoding="utf-8") as f:
        return f.read()


class Editor:
    """Edits one scratch site, remembering the real files so removed ones can be put back."""

    def __init__(self, rng, root, original):
        self.rng = rng
        self.root = root
        self.original = original
        self.removed = []

    def write(self, rel, text, keep_time):
        """Writes a file; with keep_time, an edit of the same size whose times are put back."""
        path = os.path.join(self.root, rel)
        before = os.stat(path) if os.path.exists(path) else None
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        if keep_time and before:
            os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))

    def same_size(self, text):
        """A same-size edit: one letter of a word replaced by another letter."""
        spots = [m.start() for m in re.finditer(r"(?<=[a-z])[a-z](?=[a-z])", text)]
        if not spots:
            return None
        at = self.rng.choice(spots)
        letter = self.rng.choice([c for c in "aeioust" if c != text[at]])
        return text[:at] + letter + text[at + 1:]

    def body_lines(self, text):
        lines = text.split("\n")
        start = 0
        if lines and lines[0] == "---":
            start = next((i + 1 for i in range(1, len(lines)) if lines[i] == "---"), len(lines))
        return lines, start

    def text_edit(self):
        rel = self.rng.choice(rel_files(self.root, "Content/threats", ".md")
                              + rel_files(self.root, "Content/capabilities", ".md"))
        text = read(self.root, rel)
        keep_time = self.rng.random() < 0.5
        if keep_time:
            lines, start = self.body_lines(text)
            head, body = "\n".join(lines[:start]), "\n".join(lines[start:])
            edited = self.same_size(body)
            if edited is None:
                return None
            self.write(rel, head + ("\n" if start else "") + edited, keep_time=True)
            return f"text (same size, time put back): {rel}"
        lines, start = self.body_lines(text)
        candidates = [i for i in range(start, len(lines)) if len(lines[i]) > 20]
        if not candidates:
            return None
        at = self.rng.choice(candidates)
        lines[at] = lines[at] + " " + " ".join(self.rng.choices(WORDS, k=self.rng.randint(1, 4))) + "."
        self.write(rel, "\n".join(lines), keep_time=False)
        return f"text: {rel}:{at + 1}"

    def numbering(self):
        rel = self.rng.choice(rel_files(self.root, "Content/threats", ".md"))
        lines = read(self.root, rel).split("\n")
        numbered = [i for i, line in enumerate(lines) if NUMBERED.match(line)]
        if len(numbered) < 2:
            return None
        kind = self.rng.choice(["swap", "swap", "duplicate", "gap"])
        a, b = sorted(self.rng.sample(numbered, 2))
        na, nb = NUMBERED.match(lines[a])[1], NUMBERED.match(lines[b])[1]
        if kind == "swap":
            lines[a] = NUMBERED.sub(lambda m: f"{nb}.{m[2]}", lines[a], count=1)
            lines[b] = NUMBERED.sub(lambda m: f"{na}.{m[2]}", lines[b], count=1)
        elif kind == "duplicate":
            lines[a] = NUMBERED.sub(lambda m: f"{nb}.{m[2]}", lines[a], count=1)
        else:
            lines[b] = NUMBERED.sub(lambda m: f"{int(nb) + 1000}.{m[2]}", lines[b], count=1)
        self.write(rel, "\n".join(lines), keep_time=self.rng.random() < 0.3)
        return f"numbering ({kind}): {rel}:{a + 1},{b + 1}"

    def front_matter(self):
        rel = self.rng.choice(rel_files(self.root, "Content/threats", ".md")
                              + rel_files(self.root, "Content/capabilities", ".md"))
        text = read(self.root, rel)
        keep_time = self.rng.random() < 0.4
        m = re.search(r'^(summary|title): "?([^"\n]*)"?$', text, re.M)
        if not m or len(m[2]) < 4:
            return None
        value = m[2]
        if keep_time:
            new = self.same_size(value) or value
        else:
            new = value + " " + self.rng.choice(WORDS)
        if new == value:
            return None
        text = text[:m.start()] + f'{m[1]}: "{new}"' + text[m.end():]
        self.write(rel, text, keep_time)
        return f"front matter {m[1]}{' (same size, time put back)' if keep_time else ''}: {rel}"

    def remove_file(self):
        rel = self.rng.choice(rel_files(self.root, "Content/capabilities", ".md")
                              + rel_files(self.root, "Content/data/tables", ".csv"))
        os.remove(os.path.join(self.root, rel))
        self.removed.append(rel)
        return f"removed: {rel}"

    def restore_file(self):
        if not self.removed:
            return None
        rel = self.removed.pop(self.rng.randrange(len(self.removed)))
        # Put back with its original times, as a restore from backup would.
        shutil.copy2(os.path.join(self.original, rel), os.path.join(self.root, rel))
        return f"restored (times kept): {rel}"

    def add_file(self):
        kind = self.rng.choice(["capability", "table"])
        n = self.rng.randint(1, 3)
        if kind == "capability":
            rel = f"Content/capabilities/added-{n}.md"
            threat = self.rng.choice(rel_files(self.root, "Content/threats", ".md"))[len("Content/threats/"):-3]
            self.write(rel, f'---\ntitle: "Added capability {n}"\nsummary: "Added by the differential test."\n'
                            f"level: local\nthreats: [{threat}]\n---\n\nA capability the test added.\n", False)
        else:
            rel = f"Content/data/tables/added-{n}.csv"
            self.write(rel, f"Measure,Number\nOfficers,{self.rng.randint(1, 999)}\nStaff,{self.rng.randint(1, 99)}\n",
                       False)
            self.write(rel[:-4] + ".yaml", f'caption: "Added table {n}"\n', False)
        return f"added: {rel}"

    def csv_cell(self):
        rel = self.rng.choice(rel_files(self.root, "Content/data/tables", ".csv"))
        lines = read(self.root, rel).split("\n")
        spots = [(i, m.start(), m.end()) for i, line in enumerate(lines[1:], 1) for m in re.finditer(r"\d+", line)]
        if not spots:
            return None
        i, start, end = self.rng.choice(spots)
        digits = lines[i][start:end]
        keep_time = self.rng.random() < 0.5
        new = "".join(self.rng.choice("0123456789") for _ in digits) if keep_time else str(int(digits) + 1)
        lines[i] = lines[i][:start] + new + lines[i][end:]
        self.write(rel, "\n".join(lines), keep_time)
        return f"csv cell{' (same size, time put back)' if keep_time else ''}: {rel}:{i + 1}: {digits} -> {new}"

    def template(self):
        rel = self.rng.choice(rel_files(self.root, "Themes/default/templates", ".mustache"))
        text = read(self.root, rel)
        keep_time = self.rng.random() < 0.4
        if keep_time:
            edited = self.same_size(text)
        else:
            at = text.rfind("</")
            edited = None if at < 0 else text[:at] + f"<!-- edit {self.rng.randint(1, 999)} -->" + text[at:]
        if edited is None:
            return None
        self.write(rel, edited, keep_time)
        return f"template{' (same size, time put back)' if keep_time else ''}: {rel}"

    def revert(self):
        """An edited file put back as it was, with its old times (older than the last build)."""
        edited = [rel for rel in harness.text_files(self.root) if os.path.exists(os.path.join(self.original, rel))
                  and read(self.root, rel) != read(self.original, rel)]
        if not edited:
            return None
        rel = self.rng.choice(edited)
        shutil.copy2(os.path.join(self.original, rel), os.path.join(self.root, rel))
        return f"reverted (times kept): {rel}"

    def nothing(self):
        return "no edit"

    EDITS = [("text_edit", 6), ("numbering", 2), ("front_matter", 2), ("remove_file", 1), ("restore_file", 3),
             ("add_file", 1), ("csv_cell", 2), ("template", 2), ("revert", 3), ("nothing", 1)]

    def edit(self):
        names = [n for n, _ in self.EDITS]
        weights = [w for _, w in self.EDITS]
        for _ in range(20):
            done = getattr(self, self.rng.choices(names, weights)[0])()
            if done:
                return done
        return "nothing applied"


def compare(incremental, full, inc_out, full_out):
    """Mismatch lines; empty when both builds agree."""
    if incremental.crashed or full.crashed or incremental.timed_out or full.timed_out:
        return [f"a build crashed or hung: incremental {incremental.exit}, full {full.exit}"]
    if (incremental.exit == 0) != (full.exit == 0):
        return [f"incremental exit {incremental.exit}, full exit {full.exit}"] + incremental.head(8).splitlines() \
            + full.head(8).splitlines()
    if incremental.exit != 0:
        a = {d.key() + (d.message,) for d in harness.build_errors(incremental)}
        b = {d.key() + (d.message,) for d in harness.build_errors(full)}
        return [] if a == b else [f"errors differ: only incremental {sorted(a - b)[:3]}",
                                  f"only full {sorted(b - a)[:3]}"]
    # The warnings too: a rebuild that reuses the last build's findings must report the same.
    a = {d.key() + (d.message,) for d in harness.diagnostics_from_text(incremental.stderr) if d.severity == "warning"}
    b = {d.key() + (d.message,) for d in harness.diagnostics_from_text(full.stderr) if d.severity == "warning"}
    if a != b:
        return [f"warnings differ: only incremental {sorted(a - b)[:3]}", f"only full {sorted(b - a)[:3]}"]
    return harness.tree_differences(inc_out, full_out)


def path_taken(run):
    """Which way the incremental build went, from its summary line."""
    if run.exit != 0:
        return "failed"
    m = re.search(r"\((incremental|full build): ([^)]*)\)", run.stdout)
    if not m:
        return "full"
    if m[2] == "up to date":
        return "up to date"
    if m[1] != "incremental":
        return "full"
    # A text-only rebuild takes the graph from the last build's snapshot (`--timings` names it).
    return "text-edit rebuilt" if "load and resolve the changed files" in run.stdout + run.stderr else "rebuilt"


def run_sequence(args, number, work_root):
    rng = random.Random(f"portal-differential:{args.seed}:{number}")
    scratch = tempfile.mkdtemp(prefix=f"portal-diff-{number}-", dir=work_root)
    builds = 0
    paths = {}
    try:
        root = os.path.join(scratch, "site")
        harness.copy_site(args.root, root)
        inc_out = os.path.join(root, "Public")
        editor = Editor(rng, root, args.root)
        history = []
        if rng.random() < 0.3:
            # The shipped report recorded as an edition first: its pages under editions/ must come
            # out the same whether the last build's cache of them was reused or not.
            recorded = harness.run_portal([args.portal, "edition", "2023-12", "--root", root], args.timeout,
                                          args.memory_mb)
            if recorded.exit != 0:
                return number, 1, ["recording an edition failed"] + recorded.head().splitlines(), paths
            history.append("recorded edition 2023-12")
        first = harness.run_portal([args.portal, "build", "--root", root], args.timeout, args.memory_mb)
        builds += 1
        if first.exit != 0:
            return number, builds, ["the unedited site does not build"] + first.head().splitlines(), paths
        for step in range(args.steps):
            history.append(editor.edit())
            if rng.random() < 0.2:
                # Killed part way (while loading, rendering or committing): the next build starts
                # from whatever it left, an unfinished journal included.
                after = rng.uniform(0.05, 1.5)
                killed = harness.run_portal([args.portal, "build", "--root", root], after, args.memory_mb)
                builds += 1
                history.append(f"a build killed after {after:.2f} s" if killed.timed_out else "a build not killed")
            incremental = harness.run_portal([args.portal, "build", "--root", root, "--timings"], args.timeout,
                                             args.memory_mb)
            # The same files, times kept, in their own root: a full build writes its own cache, which
            # must not replace the incremental one.
            fresh_root = os.path.join(scratch, f"fresh-{step}")
            harness.copy_site(root, fresh_root)
            full_out = os.path.join(fresh_root, "out")
            full = harness.run_portal([args.portal, "build", "--root", fresh_root, "--output", full_out, "--full"],
                                      args.timeout, args.memory_mb)
            builds += 2
            path = path_taken(incremental)
            paths[path] = paths.get(path, 0) + 1
            mismatch = compare(incremental, full, inc_out, full_out)
            shutil.rmtree(fresh_root, ignore_errors=True)
            if mismatch:
                report = [f"sequence {number}, seed {args.seed}: mismatch after step {step + 1}", "edits:"]
                report += [f"  {i + 1}. {h}" for i, h in enumerate(history)]
                report += ["incremental: " + (incremental.stdout.strip() or incremental.stderr.strip()[:300])]
                report += ["differences:"] + [f"  {line}" for line in mismatch]
                return number, builds, report, paths
        return number, builds, None, paths
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sequences", type=int, default=200)
    parser.add_argument("--steps", type=int, default=4, help="edits per sequence, each built both ways")
    parser.add_argument("--portal", default=os.path.join(harness.REPO, ".build/release/portal"))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--memory-mb", type=int, default=2048)
    parser.add_argument("--root", default=harness.REPO)
    parser.add_argument("--out", default=os.path.join(harness.REPO, "test-output/differential"))
    parser.add_argument("--allow-mismatches", type=int, default=0)
    args = parser.parse_args()
    args.portal = os.path.abspath(args.portal)
    args.root = os.path.abspath(args.root)
    if not os.access(args.portal, os.X_OK):
        sys.exit(f"differential: no portal binary at {args.portal} (build it, or pass --portal)")
    os.makedirs(args.out, exist_ok=True)
    for name in os.listdir(args.out):
        if name.startswith("sequence-"):
            os.remove(os.path.join(args.out, name))
    work = tempfile.mkdtemp(prefix="portal-differential-")
    start = time.monotonic()
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            results = list(pool.map(lambda n: run_sequence(args, n, work), range(args.sequences)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    builds = sum(r[1] for r in results)
    mismatches = [r for r in results if r[2]]
    paths = {}
    for result in results:
        for path, count in result[3].items():
            paths[path] = paths.get(path, 0) + count
    for number, _, report, _ in mismatches:
        with open(os.path.join(args.out, f"sequence-{number:04d}.txt"), "w") as f:
            f.write("\n".join(report) + "\n")
    print(f"differential: seed {args.seed}, {time.monotonic() - start:.0f} s ({args.portal})")
    print("incremental builds: " + ", ".join(f"{count} {path}" for path, count in sorted(paths.items())))
    for number, _, report, _ in mismatches[:10]:
        print("  " + "\n    ".join(report[:12]))
    print(f"{len(results)} sequences, {builds} builds, {len(mismatches)} mismatches")
    return 1 if len(mismatches) > args.allow_mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
