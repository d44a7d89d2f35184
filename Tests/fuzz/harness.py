"""What the fuzzer and the differential test share: copying the site, running portal under
limits, reading its diagnostics, and comparing output folders. Python 3.11 standard library only.
"""

import hashlib
import json
import os
import re
import resource
import shutil
import signal
import subprocess
from dataclasses import dataclass, field

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# "path:line:column: error: message (hint)", as `portal build` prints each diagnostic.
DIAGNOSTIC_LINE = re.compile(r"^(.*?):(\d+):(\d+): (error|warning): (.*)$")
# What a Swift runtime trap or a sanitiser prints; a process can also die of a signal.
CRASH_MARKERS = ("Fatal error", "fatal error:", "Assertion failed", "Stack dump", "Segmentation fault",
                 "Illegal instruction", "Precondition failed", "Current stack trace", "💣")


def copy_site(source_root, target_root):
    """Content/, Themes/ and any recorded Editions/ of a site into a scratch root, keeping times
    (cp -a)."""
    os.makedirs(target_root, exist_ok=True)
    for folder in ("Content", "Themes", "Editions"):
        if os.path.exists(os.path.join(source_root, folder)):
            subprocess.run(["cp", "-a", os.path.join(source_root, folder), target_root], check=True)


def copy_tree(source, target):
    """A folder with its files' bytes and times, as a previous build left them."""
    if os.path.exists(target):
        shutil.rmtree(target)
    subprocess.run(["cp", "-a", source, target], check=True)


@dataclass
class Run:
    argv: list
    exit: int | None  # None: killed at the time limit
    stdout: str
    stderr: str
    seconds: float = 0.0

    @property
    def timed_out(self):
        return self.exit is None

    @property
    def crashed(self):
        if self.exit is None:
            return False
        return self.exit < 0 or self.exit > 2 or any(m in self.stderr or m in self.stdout for m in CRASH_MARKERS)

    def head(self, lines=30):
        out = [f"$ {' '.join(self.argv)}", f"exit: {'timeout' if self.exit is None else self.exit}"]
        for name, text in (("stdout", self.stdout), ("stderr", self.stderr)):
            body = text.splitlines()
            if body:
                out.append(f"--- {name} ({len(body)} lines)")
                out += [line[:400] for line in body[:lines]]
        return "\n".join(out)


def run_portal(argv, timeout, memory_mb, cwd=None):
    """Runs portal with an address-space limit and a wall-clock limit; a run past the limit is
    killed with its whole process group."""
    import time

    def limits():
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    start = time.monotonic()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=limits,
                               start_new_session=True, cwd=cwd, env={**os.environ, "NO_COLOR": "1", "TERM": "dumb"})
    try:
        out, err = process.communicate(timeout=timeout)
        code = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
        code = None
    decode = lambda b: b.decode("utf-8", "replace")
    return Run(argv, code, decode(out), decode(err), time.monotonic() - start)


@dataclass(frozen=True)
class Diag:
    file: str
    line: int
    column: int
    severity: str
    message: str

    @property
    def located(self):
        return bool(self.file) and self.line >= 1 and self.column >= 1

    def key(self):
        return (self.file, self.line, self.column, self.severity)


def diagnostics_from_text(text):
    """Diagnostics as `portal build` prints them, one a line."""
    found = []
    for line in text.splitlines():
        m = DIAGNOSTIC_LINE.match(line)
        if m:
            found.append(Diag(m[1], int(m[2]), int(m[3]), m[4], m[5]))
    return found


def diagnostics_from_json(text):
    """Diagnostics of `portal check --format json`; None when the output is not that JSON."""
    try:
        doc = json.loads(text)
        return [Diag(d.get("file", ""), int(d.get("line", 0)), int(d.get("column", 0)), d.get("severity", ""),
                     d.get("message", "")) for d in doc["diagnostics"]]
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def build_errors(run):
    """Error lines of a build. A message may run over several lines (a YAML error quotes the
    line it is on); text before any diagnostic, or a failed build with none at all (a write
    failure prints a bare message), counts as an error without a location."""
    errors = [d for d in diagnostics_from_text(run.stderr) if d.severity == "error"]
    if run.exit not in (0, None):
        for line in run.stderr.splitlines():
            if DIAGNOSTIC_LINE.match(line):
                break
            if line and not line.startswith("build failed:"):
                errors.append(Diag("", 0, 0, "error", line))
    return errors


def snapshot(folder):
    """Every file under a folder: a hash of its bytes and its modification time in nanoseconds;
    links and folders by what they are."""
    result = {}
    if not os.path.exists(folder):
        return result
    for base, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files) + [d for d in dirs if os.path.islink(os.path.join(base, d))]:
            path = os.path.join(base, name)
            rel = os.path.relpath(path, folder)
            info = os.lstat(path)
            if os.path.islink(path):
                result[rel] = ("link", os.readlink(path), info.st_mtime_ns)
            else:
                with open(path, "rb") as f:
                    result[rel] = (hashlib.sha256(f.read()).hexdigest(), info.st_size, info.st_mtime_ns)
    return result


def tree_bytes(folder):
    """Every file under a folder and its bytes' hash: what `diff -r` compares."""
    return {path: value[0] for path, value in snapshot(folder).items()}


def tree_differences(a, b, limit=10):
    """What `diff -r` would list between two folders, at most `limit` lines."""
    left, right = tree_bytes(a), tree_bytes(b)
    out = []
    for path in sorted(set(left) | set(right)):
        if path not in right:
            out.append(f"only in {a}: {path}")
        elif path not in left:
            out.append(f"only in {b}: {path}")
        elif left[path] != right[path]:
            out.append(f"differ: {path}")
        if len(out) >= limit:
            out.append("...")
            break
    return out


def text_files(root, folders=("Content", "Themes")):
    """Regular files (not links) under the site's folders, sorted: what mutations pick from."""
    found = []
    for folder in folders:
        for base, dirs, files in os.walk(os.path.join(root, folder)):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(base, name)
                if not os.path.islink(path):
                    found.append(os.path.relpath(path, root))
    return found
