#!/usr/bin/env python3
"""Seeded, bounded mutation fuzzer of the site's Content/ and Themes/.

Usage:
  fuzz.py [--seed 1] [--trials 2000] [--portal .build/release/portal] [--jobs 2]
          [--timeout 20] [--memory-mb 1024] [--out test-output/fuzz] [--allow CLASS=N ...]
  fuzz.py --replay TRIAL --seed S --keep DIR    # one trial again, its files kept in DIR

Each trial copies the real site (Content/ + Themes/, and in a quarter of trials a recorded edition
of it in Editions/) into a scratch folder, applies 1-3 random
mutations chosen by the seed and the trial's number (so a trial is the same whatever --jobs is),
runs `portal check --format json` and `portal build` into an output folder holding a previous good
build, under a time and memory limit, and classifies what happened:

  ok                  built, and every oracle holds
  refusal             refused with errors that all carry file:line:column
  refusal-unlocated   refused, and some error has no file, line or column
  crash               a signal, an exit code above 2, or a Swift runtime trap
  hang                past the time limit
  wrong-exit          an exit code that does not match what was printed (1 without an error,
                      0 with one, 2 for a valid command line, check's JSON unreadable)
  output-changed      a failed build touched the previous output (bytes or modification times)
  disagreement        check and build disagree: one finds errors and the other not, or their
                      errors differ
  loss-warned         built, a stated paragraph has no anchor, and only a numbering-gap warning
                      elsewhere in its file says something is missing (counted, not failed)
  silent-loss         built, but something the sources state is missing and no diagnostic says why:
                      a section line `^\\s{0,3}(\\d+)\\.\\s` without its `id="pN"` anchor on the
                      section's page, a numeric CSV cell not on its table's page, a section or
                      capability file without its page

Counts per class are printed; each failing trial (seed, mutations, the files' differences, the
first lines of output) is written to OUT/trial-NNNNN.txt. Exits 1 when any crash, hang,
wrong-exit, output-changed, disagreement or silent-loss is found, beyond what --allow tolerates
(e.g. --allow silent-loss=3; FUZZ_ALLOW in the Makefile).
"""

import argparse
import concurrent.futures
import difflib
import os
import random
import re
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import mutations  # noqa: E402

FAILING = ["crash", "hang", "wrong-exit", "output-changed", "disagreement", "silent-loss"]
# loss-warned: built, a stated paragraph lost, and only a numbering-gap warning on another line
# says something is missing (not silent, but not where the cause is: counted, not failed).
CLASSES = ["ok", "refusal", "refusal-unlocated", "loss-warned"] + FAILING
# ASCII digits only: cmark reads no other digits as a list number (a fullwidth "１２." is prose and
# the paragraph it replaced shows up as a numbering gap); any white space, NBSP included, after.
PARAGRAPH_LINE = re.compile(r"^\s{0,3}([0-9]+)\.\s")
GAP_WARNING = re.compile(r"paragraph (\d+) follows paragraph (\d+)")
NUMERIC_CELL = re.compile(r"^-?\d+(\.\d+)?$")
EMBEDDED_LOCATION = re.compile(r"\b\d+:\d+: error\b")


def trial_rng(seed, trial):
    # A string seed is hashed the same way on every run (sha512), unlike hash().
    return random.Random(f"portal-fuzz:{seed}:{trial}")


def read_text(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8", "replace")


def front_matter_end(lines):
    """Index of the line after the closing `---` of front matter, 0 if there is none."""
    if not lines or lines[0].strip().lstrip("\ufeff") != "---":
        return 0
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return i + 1
    return len(lines)


def stated_paragraphs(text):
    """(line number, paragraph number) of each line that states a paragraph number, outside front
    matter, fenced code and HTML comments, where cmark could not read it as a numbered item."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    found = []
    fence = None
    comment = False
    for index in range(front_matter_end(lines), len(lines)):
        line = lines[index]
        stripped = line.lstrip(" ")
        if fence:
            if stripped.startswith(fence):
                fence = None
            continue
        if comment:
            comment = "-->" not in line
            continue
        if len(line) - len(stripped) <= 3 and (stripped.startswith("```") or stripped.startswith("~~~")):
            fence = stripped[:3]
            continue
        if stripped.startswith("<!--"):
            comment = "-->" not in stripped
            continue
        m = PARAGRAPH_LINE.match(line)
        # More than nine digits is no list item in CommonMark: prose, not a lost paragraph.
        if m and len(m[1]) <= 9:
            found.append((index + 1, int(m[1])))
    return found


def explained(diagnostics, file, line, number=None):
    """A diagnostic on that line of that file, or in that file naming the number, says what
    became of it: nothing was dropped silently."""
    for d in diagnostics:
        if d.file != file:
            continue
        if d.line == line:
            return True
        if number is not None and re.search(rf"(?<![\d.]){number}(?![\d])", d.message):
            return True
    return False


def gap_warned(diagnostics, file, number):
    """A warning in the file that the numbering jumps over `number`."""
    for d in diagnostics:
        m = GAP_WARNING.search(d.message) if d.file == file else None
        if m and int(m[2]) < number < int(m[1]):
            return True
    return False


def html_text(path):
    text = read_text(path)
    return re.sub(r"<[^>]+>", " ", text)


def number_forms(cell):
    """How a stated number may be written on a page: as stated, grouped in thousands, with a
    real minus sign."""
    forms = {cell}
    negative = cell.startswith("-")
    digits = cell[1:] if negative else cell
    whole, _, fraction = digits.partition(".")
    grouped = f"{int(whole):,}" + (f".{fraction}" if fraction else "")
    # The same number without leading zeros ("00012" is 12) and without the sign of a zero.
    plain = str(int(whole)) + (f".{fraction}" if fraction else "")
    zero = not digits.strip("0.")
    for body in (digits, grouped, plain):
        forms |= {("-" if negative else "") + body, ("\u2212" if negative else "") + body}
        if zero:
            forms.add(body)
    return forms


def oracle(root, output, diagnostics):
    """What a successful build must show of its sources; each problem as one line."""
    problems = []
    for folder, page_folder in (("threats", "threats"), ("capabilities", "capabilities")):
        base = os.path.join(root, "Content", folder)
        if not os.path.isdir(base):
            continue
        for name in sorted(os.listdir(base)):
            path = os.path.join(base, name)
            rel = f"Content/{folder}/{name}"
            if name.startswith(".") or not name.endswith(".md") or not os.path.isfile(path):
                continue
            page = os.path.join(output, page_folder, name[:-3] + ".html")
            if not os.path.isfile(page):
                if not any(d.file == rel for d in diagnostics):
                    problems.append(f"{rel}: no page {page_folder}/{name[:-3]}.html")
                continue
            if folder != "threats":
                continue
            html = read_text(page)
            for line, number in stated_paragraphs(read_text(path)):
                if f'id="p{number}"' in html or explained(diagnostics, rel, line, number):
                    continue
                warned = " (only a numbering-gap warning)" if gap_warned(diagnostics, rel, number) else ""
                problems.append(f"{rel}:{line}: paragraph {number} has no id=\"p{number}\" anchor{warned}")
    tables = os.path.join(root, "Content", "data", "tables")
    if os.path.isdir(tables):
        for name in sorted(os.listdir(tables)):
            path = os.path.join(tables, name)
            rel = f"Content/data/tables/{name}"
            if name.startswith(".") or not name.endswith(".csv") or not os.path.isfile(path):
                continue
            page = os.path.join(output, "tables", name[:-4] + ".html")
            if not os.path.isfile(page):
                if not any(d.file == rel for d in diagnostics):
                    problems.append(f"{rel}: no page tables/{name[:-4]}.html")
                continue
            text = html_text(page)
            for line_number, line in enumerate(read_text(path).splitlines()[1:], start=2):
                for cell in line.split(","):
                    cell = cell.strip()
                    if not NUMERIC_CELL.match(cell) or len(cell) > 30:
                        continue
                    pattern = "|".join(re.escape(form) for form in sorted(number_forms(cell)))
                    if not re.search(rf"(?<![\d.,])(?:{pattern})(?![\d])", text) and not explained(
                        diagnostics, rel, line_number
                    ):
                        problems.append(f"{rel}:{line_number}: cell {cell} not on tables/{name[:-4]}.html")
    return problems


def classify(check, build, before, after, root, output):
    """The trial's class, and the lines that say why."""
    notes = []
    for run in (check, build):
        if run.timed_out:
            return "hang", [f"{run.argv[1]} ran past the time limit"]
    for run in (check, build):
        if run.crashed:
            return "crash", [f"{run.argv[1]} exit {run.exit}"]
    check_diags = harness.diagnostics_from_json(check.stdout)
    build_diags = harness.diagnostics_from_text(build.stderr)
    build_errs = harness.build_errors(build)
    if check_diags is None:
        return "wrong-exit", ["check --format json printed no diagnostics JSON"]
    check_errs = [d for d in check_diags if d.severity == "error"]
    if check.exit == 2 or build.exit == 2:
        return "wrong-exit", ["exit 2 (usage error) for a valid command line"]
    if (check.exit == 0) != (not check_errs):
        return "wrong-exit", [f"check exit {check.exit} with {len(check_errs)} errors"]
    if (build.exit == 0) != (not build_errs):
        return "wrong-exit", [f"build exit {build.exit} with {len(build_errs)} errors"]
    if build.exit != 0 and before != after:
        changed = sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))
        return "output-changed", [f"failed build changed {len(changed)} files: {changed[:5]}"]
    if bool(check_errs) != bool(build_errs):
        return "disagreement", [f"check: {len(check_errs)} errors, build: {len(build_errs)} errors"] + [
            f"  {d.file}:{d.line}:{d.column}: {d.message[:200]}" for d in (check_errs or build_errs)[:5]
        ]
    if check_errs:
        a = {d.key() for d in check_errs}
        b = {d.key() for d in build_errs}
        if a != b:
            return "disagreement", [f"only check: {sorted(a - b)[:5]}", f"only build: {sorted(b - a)[:5]}"]
        # A location only inside the message ("1:1: invalid YAML: 3:106: error: ...") is not where
        # the author must look.
        unlocated = [d for d in build_errs if not d.located or EMBEDDED_LOCATION.search(d.message)]
        if not unlocated:
            return "refusal", notes
        return "refusal-unlocated", [f"{d.file}:{d.line}:{d.column}: {d.message[:200]}" for d in unlocated][:5]
    problems = oracle(root, output, build_diags + check_diags)
    if problems:
        silent = [p for p in problems if not p.endswith("(only a numbering-gap warning)")]
        return ("silent-loss" if silent else "loss-warned"), (silent or problems)[:20]
    return "ok", notes


def file_diff(original_root, root, limit=60):
    """The mutated files against the real ones, bounded: enough to reproduce the trial."""
    before = set(harness.text_files(original_root))
    after = set(harness.text_files(root))
    lines = []
    for rel in sorted(before | after):
        a_path, b_path = os.path.join(original_root, rel), os.path.join(root, rel)
        if rel not in after:
            lines.append(f"removed or replaced by a link: {rel}")
            if os.path.islink(b_path):
                lines.append(f"  {rel} -> {os.readlink(b_path)}")
            continue
        if rel not in before:
            size = os.path.getsize(b_path)
            lines.append(f"added: {rel} ({size} bytes): {read_text(b_path)[:300]!r}")
            continue
        with open(a_path, "rb") as f:
            a = f.read()
        with open(b_path, "rb") as f:
            b = f.read()
        if a != b:
            diff = difflib.unified_diff(
                a.decode("utf-8", "replace").splitlines(), b.decode("utf-8", "replace").splitlines(),
                f"a/{rel}", f"b/{rel}", n=1, lineterm="")
            lines += [line[:300] for line in diff]
    for base, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(base, name)
            if os.path.islink(path):
                lines.append(f"link: {os.path.relpath(path, root)} -> {os.readlink(path)}")
    return lines[:limit]


def run_trial(args, trial, good_output, keep=None):
    rng = trial_rng(args.seed, trial)
    scratch = keep or tempfile.mkdtemp(prefix=f"portal-fuzz-{trial}-")
    try:
        root = os.path.join(scratch, "site")
        if os.path.exists(root):
            shutil.rmtree(root)
        harness.copy_site(args.root, root)
        with_edition = rng.random() < 0.25
        if with_edition:
            harness.copy_tree(args.editions, os.path.join(root, "Editions"))
        applied = (["with edition 2023-12 recorded"] if with_edition else []) + mutations.mutate(
            rng, root, count=rng.randint(1, 3))
        output = os.path.join(scratch, "out")
        harness.copy_tree(good_output, output)
        before = harness.snapshot(output)
        check = harness.run_portal([args.portal, "check", "--format", "json", "--root", root], args.timeout,
                                   args.memory_mb)
        # Every error, as check's JSON has them all: the printed list is capped at 20 by default.
        build = harness.run_portal([args.portal, "build", "--root", root, "--output", output, "--max-errors", "0"],
                                   args.timeout, args.memory_mb)
        after = harness.snapshot(output)
        kind, notes = classify(check, build, before, after, root, output)
        report = None
        if kind not in ("ok", "refusal"):
            report = "\n".join(
                [f"trial {trial}, seed {args.seed}: {kind}",
                 f"replay: python3 Tests/fuzz/fuzz.py --seed {args.seed} --replay {trial} --keep /tmp/trial-{trial}"
                 f" --portal {args.portal}", "mutations:"]
                + [f"  {m}" for m in applied] + ["why:"] + [f"  {n}" for n in notes] + ["files:"]
                + [f"  {line}" for line in file_diff(args.root, root)] + [check.head(), build.head()]) + "\n"
        return trial, kind, applied, report
    finally:
        if keep is None:
            shutil.rmtree(scratch, ignore_errors=True)


def parse_allow(values):
    allowed = {}
    for value in values:
        for part in value.split(","):
            if not part.strip():
                continue
            name, _, count = part.partition("=")
            if name not in FAILING:
                sys.exit(f"fuzz: --allow {name}: not one of {', '.join(FAILING)}")
            allowed[name] = int(count or "1000000000")
    return allowed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--trials", type=int, default=2000)
    parser.add_argument("--portal", default=os.path.join(harness.REPO, ".build/release/portal"))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=20, help="seconds per portal run")
    parser.add_argument("--memory-mb", type=int, default=1024, help="address-space limit per portal run")
    parser.add_argument("--root", default=harness.REPO, help="the site to mutate (Content/ and Themes/)")
    parser.add_argument("--out", default=os.path.join(harness.REPO, "test-output/fuzz"))
    parser.add_argument("--allow", action="append", default=[],
                        help="CLASS=N: tolerate up to N trials of a failing class (repeatable, comma-separated)")
    parser.add_argument("--replay", type=int, help="run only this trial")
    parser.add_argument("--keep", help="with --replay: keep the trial's files in this folder")
    args = parser.parse_args()
    args.portal = os.path.abspath(args.portal)
    args.root = os.path.abspath(args.root)
    allowed = parse_allow(args.allow)
    if not os.access(args.portal, os.X_OK):
        sys.exit(f"fuzz: no portal binary at {args.portal} (build it, or pass --portal)")

    work = tempfile.mkdtemp(prefix="portal-fuzz-good-")
    try:
        # The previous good build every trial's output folder starts from.
        good_root = os.path.join(work, "site")
        harness.copy_site(args.root, good_root)
        good_output = os.path.join(work, "out")
        first = harness.run_portal([args.portal, "build", "--root", good_root, "--output", good_output, "--full"],
                                   args.timeout * 3, args.memory_mb)
        if first.exit != 0:
            sys.exit("fuzz: the unmutated site does not build:\n" + first.head())
        baseline = oracle(good_root, good_output, harness.diagnostics_from_text(first.stderr))
        if baseline:
            print("fuzz: the oracle fails on the unmutated site (fix the oracle or the site):", *baseline, sep="\n  ")
            return 1
        # A recorded edition of the unmutated site, which some trials carry (and may mutate): a
        # changed or broken edition must be refused at its file like any other input.
        edition_root = os.path.join(work, "edition")
        harness.copy_site(args.root, edition_root)
        recorded = harness.run_portal([args.portal, "edition", "2023-12", "--root", edition_root], args.timeout * 3,
                                      args.memory_mb)
        if recorded.exit != 0:
            sys.exit("fuzz: the unmutated site cannot be recorded as an edition:\n" + recorded.head())
        args.editions = os.path.join(edition_root, "Editions")
        if args.replay is not None:
            keep = os.path.abspath(args.keep) if args.keep else None
            if keep:
                os.makedirs(keep, exist_ok=True)
            _, kind, applied, report = run_trial(args, args.replay, good_output, keep)
            print(report or f"trial {args.replay}: {kind}\n  " + "\n  ".join(applied))
            return 0
        os.makedirs(args.out, exist_ok=True)
        for name in os.listdir(args.out):
            if name.startswith("trial-") or name == "summary.txt":
                os.remove(os.path.join(args.out, name))
        counts = {name: 0 for name in CLASSES}
        by_mutation = {}
        start = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futures = [pool.submit(run_trial, args, trial, good_output) for trial in range(args.trials)]
            results = []
            # A line every tenth of the run, so a long run shows it is moving.
            step = max(1, args.trials // 10)
            for done, future in enumerate(concurrent.futures.as_completed(futures), start=1):
                results.append(future.result())
                if done % step == 0 and done < args.trials:
                    bad = sum(1 for r in results if r[1] in FAILING)
                    print(f"fuzz: {done}/{args.trials} trials, {bad} failing", file=sys.stderr, flush=True)
        failing_trials = []
        for trial, kind, applied, report in sorted(results):
            counts[kind] += 1
            for m in applied:
                by_mutation.setdefault(m.split(":")[0], {}).setdefault(kind, 0)
                by_mutation[m.split(":")[0]][kind] += 1
            if report:
                with open(os.path.join(args.out, f"trial-{trial:05d}.txt"), "w") as f:
                    f.write(report)
            if kind in FAILING:
                failing_trials.append((trial, kind))
        elapsed = time.monotonic() - start
        lines = [f"fuzz: seed {args.seed}, {args.trials} trials in {elapsed:.0f} s ({args.portal})"]
        lines += [f"  {name:18} {counts[name]}" for name in CLASSES]
        lines.append("by mutation (trials holding it, by class):")
        for name in sorted(by_mutation):
            parts = ", ".join(f"{k} {v}" for k, v in sorted(by_mutation[name].items()))
            lines.append(f"  {name:22} {parts}")
        over = [name for name in FAILING if counts[name] > allowed.get(name, 0)]
        if failing_trials:
            lines.append(f"failing trials (details in {os.path.relpath(args.out)}/trial-NNNNN.txt):")
            lines.append("  " + " ".join(f"{t}:{k}" for t, k in failing_trials[:60]))
        lines.append("fuzz: FAILED: " + ", ".join(f"{n} {counts[n]}" for n in over) if over else "fuzz: passed")
        print("\n".join(lines))
        with open(os.path.join(args.out, "summary.txt"), "w") as f:
            f.write("\n".join(lines) + "\n")
        return 1 if over else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
