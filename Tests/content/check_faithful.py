#!/usr/bin/env python3
"""Faithfulness checker for the Assurance Portal default content.

Compares the numbered paragraphs of the seed report
(Tests/Fixtures/seed-report.txt, text extracted from the PDF) with the
numbered paragraphs written as Markdown ordered-list items in
Content/threats/*.md, and cross-checks the paragraph-75 table, the section
headings and the link targets used in Content/.

Usage: check_faithful.py [REPO_ROOT]
Standard library only. Exit status 0 when everything matches, 1 otherwise.
"""

import csv
import difflib
import os
import re
import sys

# ---------------------------------------------------------------------------
# Seed structure
# ---------------------------------------------------------------------------

TOTAL_PARAGRAPHS = 149

# (slug, first paragraph, last paragraph) in report order.
SECTIONS = [
    ("purpose-and-background", 1, 11),
    ("violence-against-women-and-girls", 12, 28),
    ("terrorism", 29, 68),
    ("serious-and-organised-crime", 69, 81),
    ("national-cyber-event", 82, 100),
    ("child-sexual-abuse", 101, 122),
    ("public-disorder", 123, 137),
    ("civil-emergencies", 138, 146),
    ("cross-cutting-capabilities", 147, 149),
]

# Headings that sit between numbered paragraphs in the seed, keyed by the
# paragraph they follow (0 = before paragraph 1). Section titles come first,
# then the Board's questions and sub-headings, in the order they appear.
HEADINGS_AFTER = {
    0: ["Purpose of paper"],
    1: ["Background"],
    11: ["Violence against Women and Girls",
         "A summary of how West Midlands Police have ensured compliance with "
         "the new requirement to consider Violence Against Women and Girls as "
         "a critical national threat."],
    23: ["The capacity and possibility for opportunities for regional "
         "collaboration around VAWG now it has been included in the Strategic "
         "Policing Requirement."],
    28: ["Terrorism",
         "An update on activity and performance against the \u201c4Ps\u201d of "
         "Pursue, Prevent, Protect and Prepare"],
    33: ["Independent Review of Prevent"],
    39: ["Interventions"],
    43: ["Preparedness"],
    45: ["Martyn\u2019s Law"],
    50: ["The number of national and regional investigations that are ongoing "
         "across West Midlands Counter Terrorism Unit compared to the same "
         "time frame last year."],
    53: ["The resilience and capacity of West Midlands Counter Terrorism Unit "
         "to ensure compliance against the SPR in the face of an uptick in "
         "pressure on the counter terrorism service."],
    61: ["Maintenance of the CT armed capability beyond March 2024"],
    68: ["Serious and Organised Crime",
         "The working relationship with the National Crime Agency, including "
         "day-to-day tasking and requests from the Director General to perform "
         "a task under Section 5(1)(a) Crime and Courts Act 2013."],
    71: ["The impact of the NCA tilt and how this is affecting regional "
         "capacity/tasking. What level of activity previously undertaken by "
         "NCA is WMROCU now delivering?"],
    73: ["The resilience of the capacity and capabilities required for SPR "
         "compliance, including reference to vacancy rates"],
    75: ["How is Clear, Hold, Build being used to tackle SOC across the region"],
    81: ["National Cyber Event",
         "Information on the planning expectations within the force to "
         "response to a major cyber incident"],
    88: ["The work of the Cyber Resilience Centre within WMROCU", "Background"],
    100: ["Child Sexual Abuse",
          "Detail of the response to the concerns of HMICFRS in respect of "
          "MARAC, management of registered sex offenders and online child "
          "abuse"],
    111: ["Capacity Requirements"],
    114: ["Collaboration & Connectivity with Partners"],
    116: ["An explanation as to how the work of the Under Cover Online team in "
          "WMROCU coordinated with force led investigations"],
    122: ["Public Disorder",
          "The capacity and capability of West Midlands Police to meet and "
          "sustain the commitment in the National Policing Requirement for "
          "public order policing and the current status within WMP of suitably "
          "trained officers"],
    137: ["Civil Emergencies",
          "A summary of the learning from the past year of civil emergencies "
          "in the Force area and how this is being implemented, any gaps or "
          "challenges."],
    146: ["Cross Cutting Capabilities",
          "Details of force response to the identified cross cutting "
          "capabilities identified in the SPR23"],
}

# Page furniture removed from the seed before parsing.
FURNITURE_LINE_RES = [
    re.compile(r"^AGENDA ITEM 7$"),
    re.compile(r"^\d{1,3}$"),                       # stray page numbers
    re.compile(r"^https://gbr01\.safelinks\.protection\.outlook\.com/\S*$"),
]

# The paragraph-75 table as laid out in the seed.
TABLE75_HEADER = "West Mids. Warks. West Mercia Staffs Total"
TABLE75_ROWS = [
    "Police Officer Establishment",
    "Police Officer Headcount",
    "Police Officer Vacancies",
    "Police Staff Establishment",
    "Police Staff Headcount",
    "Police Staff Vacancies",
    "Total Establishment",
]
TABLE75_COLUMNS = ["West Mids.", "Warks.", "West Mercia", "Staffs", "Total"]
TABLE75_ID = "rocu-establishment"

LINK_SCHEMES = ("capability", "threat", "para", "board", "operation",
                "partner", "table")

# ---------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------

_CHAR_MAP = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u200b": "",
    "\u2022": " ", "\u25aa": " ", "\u25cf": " ", "\uf0b7": " ",
}


def join_lines(lines):
    """Join text lines with spaces, re-joining words hyphenated at a break."""
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if not out:
            out = line
        elif re.search(r"[A-Za-z]-$", out) and re.match(r"[A-Za-z]", line):
            out += line
        else:
            out += " " + line
    return out


def normalise(text):
    text = "".join(_CHAR_MAP.get(ch, ch) for ch in text)
    text = re.sub(r"([A-Za-z])-\s*\n\s*([A-Za-z])", r"\1-\2", text)
    text = re.sub(r"\s+", " ", text)
    return text.strip()


def words(text):
    return normalise(text).split(" ")

# ---------------------------------------------------------------------------
# Seed parsing
# ---------------------------------------------------------------------------


def seed_lines(path):
    with open(path, encoding="utf-8") as fh:
        raw = fh.read().splitlines()
    lines = []
    for line in raw:
        s = line.strip()
        if not s:
            continue
        if any(r.match(s) for r in FURNITURE_LINE_RES):
            continue
        lines.append(s)
    return lines


def strip_trailing_headings(text, headings, para_no, errors):
    """Remove the given headings (in order) from the end of text."""
    for heading in reversed(headings):
        h = normalise(heading)
        # A page number may be glued in front of a heading ("19 Collaboration").
        m = re.search(r"(?:\s\d{1,3})?\s*" + re.escape(h) + r"$", text)
        if not m:
            errors.append("seed: heading %r not found after paragraph %d"
                          % (heading, para_no))
            continue
        text = text[:m.start()].rstrip()
    return text


def parse_seed(path, errors):
    """Return {number: normalised paragraph text}, and the raw table text."""
    lines = seed_lines(path)
    starts = []
    expected = 1
    for idx, line in enumerate(lines):
        m = re.match(r"^(\d{1,3})\.\s", line + " ")
        if m and int(m.group(1)) == expected:
            starts.append((expected, idx))
            expected += 1
    if expected - 1 != TOTAL_PARAGRAPHS:
        errors.append("seed: found %d numbered paragraphs, expected %d"
                      % (expected - 1, TOTAL_PARAGRAPHS))
    paragraphs = {}
    table_text = ""
    preamble = normalise(join_lines(lines[:starts[0][1]])) if starts else ""
    rest = strip_trailing_headings(preamble, HEADINGS_AFTER.get(0, []), 0,
                                   errors)
    if rest:
        errors.append("seed: unexpected text before paragraph 1: %r" % rest)
    for i, (num, idx) in enumerate(starts):
        end = starts[i + 1][1] if i + 1 < len(starts) else len(lines)
        text = normalise(join_lines(lines[idx:end]))
        text = re.sub(r"^%d\.\s*" % num, "", text)
        text = strip_trailing_headings(text, HEADINGS_AFTER.get(num, []), num,
                                       errors)
        if num == 75:
            pos = text.find(normalise(TABLE75_HEADER))
            if pos < 0:
                errors.append("seed: paragraph 75 table header not found")
            else:
                table_text = text[pos:]
                text = text[:pos].rstrip()
        paragraphs[num] = text
    return paragraphs, table_text


def parse_seed_table(table_text, errors):
    """Return {row label: [numbers as strings]} for the paragraph-75 table."""
    body = table_text[len(normalise(TABLE75_HEADER)):].strip()
    rows = {}
    for i, label in enumerate(TABLE75_ROWS):
        nxt = TABLE75_ROWS[i + 1] if i + 1 < len(TABLE75_ROWS) else None
        pat = re.escape(label).replace(r"\ ", r"\s+") + r"\s+(.*?)"
        pat += (r"\s+(?=" + re.escape(nxt).replace(r"\ ", r"\s+") + ")") \
            if nxt else r"\s*$"
        m = re.search(pat, body)
        if not m:
            errors.append("seed: table row %r not found" % label)
            continue
        nums = m.group(1).split()
        if len(nums) != len(TABLE75_COLUMNS):
            errors.append("seed: table row %r has %d values" % (label, len(nums)))
        rows[label] = nums
    return rows

# ---------------------------------------------------------------------------
# Markdown parsing
# ---------------------------------------------------------------------------


def split_front_matter(text):
    if not text.startswith("---\n"):
        return "", text
    end = text.find("\n---\n", 4)
    if end < 0:
        return "", text
    return text[4:end], text[end + 5:]


def fm_scalar(fm, key):
    m = re.search(r"^%s:[ \t]*(.*)$" % re.escape(key), fm, re.M)
    if not m:
        return None
    v = m.group(1).strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
        v = v[1:-1]
        v = v.replace('\\"', '"') if m.group(1).strip()[0] == '"' else \
            v.replace("''", "'")
    return v


def fm_list(fm, key):
    """A list value, either flow style [a, b] or block style (- a)."""
    m = re.search(r"^%s:[ \t]*(.*)$" % re.escape(key), fm, re.M)
    if not m:
        return []
    v = m.group(1).strip()
    if v.startswith("["):
        return [x.strip().strip("\"'") for x in v.strip("[]").split(",")
                if x.strip()]
    items = []
    for line in fm[m.end():].split("\n")[1:]:
        lm = re.match(r"^\s*-\s+(.*)$", line)
        if lm:
            items.append(lm.group(1).strip().strip("\"'"))
        elif line.strip() and not line.startswith(" "):
            break
    return items


LINK_RE = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(([^()\s]*)\)")


def strip_markdown(text):
    text = LINK_RE.sub(lambda m: "" if m.group(1) else m.group(2), text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text)
    text = re.sub(r"(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)", r"\1", text)
    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)
    return text


def parse_markdown(path, errors):
    """Return (front matter, [(number, text)], [headings], [links])."""
    with open(path, encoding="utf-8") as fh:
        fm, body = split_front_matter(fh.read())
    items = []
    headings = []
    current = None
    current_lines = []
    plain_after_blank = False

    def flush():
        if current is not None:
            items.append((current, current_lines[:]))

    blank = False
    for line in body.split("\n"):
        m = re.match(r"^(\d{1,3})\.\s+(.*)$", line)
        if m:
            flush()
            current = int(m.group(1))
            current_lines = [m.group(2)]
            blank = False
            continue
        if line.startswith("#"):
            flush()
            current, current_lines = None, []
            headings.append(re.sub(r"^#+\s*", "", line).strip())
            blank = False
            continue
        if not line.strip():
            blank = True
            continue
        if current is not None and (line.startswith(" ") or not blank):
            s = line.strip()
            s = re.sub(r"^(?:[-*+]\s+|>\s?)+", "", s)
            current_lines.append(s)
        else:
            # Plain text outside any numbered item ends the item.
            flush()
            current, current_lines = None, []
        blank = False
    flush()
    result = []
    for num, lines in items:
        result.append((num, normalise(strip_markdown(join_lines(lines)))))
    links = [m.group(3) for m in LINK_RE.finditer(body) if not m.group(1)]
    embeds = [m.group(3) for m in LINK_RE.finditer(body) if m.group(1)]
    # Link targets per paragraph, for the capability cross-check.
    per_para = {}
    current = None
    for line in body.split("\n"):
        m = re.match(r"^(\d{1,3})\.\s", line)
        if m:
            current = int(m.group(1))
        elif line.startswith("#") or (line.strip() and not line.startswith(" ")):
            current = None
        if current is not None:
            for lm in LINK_RE.finditer(line):
                if not lm.group(1):
                    per_para.setdefault(current, []).append(lm.group(3))
    return fm, result, headings, links + embeds, per_para

# ---------------------------------------------------------------------------
# Data files (tiny YAML reading: only what the cross-checks need)
# ---------------------------------------------------------------------------


def yaml_ids(path):
    if not os.path.exists(path):
        return None
    ids = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            m = re.match(r"^\s*-?\s*\{?\s*id:\s*\"?([A-Za-z0-9_.-]+)\"?", line)
            if m:
                ids.append(m.group(1))
    return ids


def parse_sidecar_lists(path):
    """Read the block lists `totals` and `discrepancies` of a table sidecar.

    Handles the small YAML subset used there: a top-level key followed by
    "- key: value" items whose values are scalars or flow lists [a, b].
    """
    result = {"totals": [], "discrepancies": []}
    if not os.path.exists(path):
        return result
    current = None
    item = None
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if not line.startswith(" ") and not line.startswith("-"):
                key = line.split(":", 1)[0].strip()
                current = key if key in result else None
                item = None
                continue
            if current is None:
                continue
            m = re.match(r"^\s*(-\s+)?([A-Za-z_]+):\s*(.*)$", line)
            if not m:
                continue
            if m.group(1):
                item = {}
                result[current].append(item)
            if item is None:
                continue
            value = m.group(3).strip()
            if value.startswith("["):
                value = [v.strip().strip("\"'") for v in value.strip("[]").split(",")
                         if v.strip()]
            elif len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            item[m.group(2)] = value
    return result


def to_number(cell):
    try:
        return float(cell)
    except (TypeError, ValueError):
        return None


def check_table_totals(name, rows, sidecar, errors):
    """Verify the sidecar's totals checks; mismatches must be declared.

    Same rule as the Swift build: a declared discrepancy's `expected` value
    stands in for the stated cell wherever that cell is an input to another
    check, so one wrong figure is reported once; a discrepancy must itself be
    confirmed by at least one check that computes exactly its `expected`.
    """
    header = [h.strip() for h in rows[0]]
    body = {r[0].strip(): [c.strip() for c in r] for r in rows[1:] if r}
    declared = {}
    for d in sidecar["discrepancies"]:
        declared[(d.get("row"), d.get("column"))] = to_number(d.get("expected"))
    confirmed = set()

    def stated(row, col):
        if row not in body or col not in header:
            errors.append("%s: totals check refers to missing %s / %s"
                          % (name, row, col))
            return None
        r = body[row]
        i = header.index(col)
        return to_number(r[i]) if i < len(r) else None

    def effective(row, col):
        if (row, col) in declared and declared[(row, col)] is not None:
            return declared[(row, col)]
        return stated(row, col)

    def compare(row, col, computed):
        target = stated(row, col)
        if target is None or computed is None:
            return
        key = (row, col)
        if key in declared:
            if declared[key] is not None and abs(declared[key] - computed) < 0.005:
                confirmed.add(key)
            else:
                errors.append("%s: discrepancy %s / %s declares expected %s, a "
                              "check gives %s" % (name, row, col, declared[key],
                                                  round(computed, 2)))
        elif abs(target - computed) >= 0.005:
            errors.append("%s: %s / %s is %s but the check gives %s and no "
                          "discrepancy is declared" % (name, row, col, target,
                                                       round(computed, 2)))

    def numeric_column(col):
        i = header.index(col)
        cells = [r[i] for r in body.values() if i < len(r) and r[i]]
        return bool(cells) and all(to_number(c) is not None for c in cells)

    for check in sidecar["totals"]:
        if "column" in check and "sum_of" in check:
            for row in body:
                parts = [effective(row, c) for c in check["sum_of"]]
                if None not in parts:
                    compare(row, check["column"], sum(parts))
        elif "row" in check:
            for col in header[1:]:
                if not numeric_column(col):
                    continue
                if "difference_of" in check:
                    a, b = (effective(r, col) for r in check["difference_of"])
                    if a is not None and b is not None:
                        compare(check["row"], col, a - b)
                elif "sum_of" in check:
                    parts = [effective(r, col) for r in check["sum_of"]]
                    if None not in parts:
                        compare(check["row"], col, sum(parts))
    for key in declared:
        if key not in confirmed:
            errors.append("%s: declared discrepancy %s / %s is not confirmed "
                          "by any totals check" % (name, key[0], key[1]))


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))

# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------


def diff(num, expected, actual):
    lines = difflib.unified_diff(words(expected), words(actual),
                                 "seed/para-%d" % num, "content/para-%d" % num,
                                 lineterm="", n=3)
    return "\n".join(lines)


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.abspath(argv[1]) if len(argv) > 1 else \
        os.path.dirname(os.path.dirname(here))
    seed_path = os.path.join(root, "Tests", "Fixtures", "seed-report.txt")
    content = os.path.join(root, "Content")
    errors = []
    mismatches = 0

    seed, table_text = parse_seed(seed_path, errors)

    # --- threat pages ------------------------------------------------------
    threat_dir = os.path.join(content, "threats")
    pages = []
    for name in sorted(os.listdir(threat_dir)) if os.path.isdir(threat_dir) else []:
        if not name.endswith(".md"):
            continue
        path = os.path.join(threat_dir, name)
        fm, items, headings, links, per_para = parse_markdown(path, errors)
        order = fm_scalar(fm, "order")
        try:
            order = int(order)
        except (TypeError, ValueError):
            errors.append("%s: missing or non-integer order" % name)
            order = 999
        pages.append(dict(slug=name[:-3], order=order, fm=fm, items=items,
                          headings=headings, links=links, per_para=per_para))
    pages.sort(key=lambda p: p["order"])

    expected_slugs = [s for s, _, _ in SECTIONS]
    got_slugs = [p["slug"] for p in pages]
    if got_slugs != expected_slugs:
        errors.append("threat pages in order %s, expected %s"
                      % (got_slugs, expected_slugs))
    for i, p in enumerate(pages):
        if p["order"] != i + 1:
            errors.append("%s: order %s, expected %d" % (p["slug"], p["order"], i + 1))

    content_paras = {}
    para_page = {}
    sequence = []
    for p in pages:
        for num, text in p["items"]:
            sequence.append(num)
            if num in content_paras:
                errors.append("paragraph %d appears more than once" % num)
            content_paras[num] = text
            para_page[num] = p["slug"]
    if sequence != list(range(1, TOTAL_PARAGRAPHS + 1)):
        errors.append("numbered paragraphs are not 1..%d in order (got %d items;"
                      " first out of place: %s)" % (
                          TOTAL_PARAGRAPHS, len(sequence),
                          next((n for i, n in enumerate(sequence) if n != i + 1),
                               None)))
    for slug, first, last in SECTIONS:
        for n in range(first, last + 1):
            if n in para_page and para_page[n] != slug:
                errors.append("paragraph %d is in %s, expected %s"
                              % (n, para_page[n], slug))

    for n in range(1, TOTAL_PARAGRAPHS + 1):
        exp = seed.get(n)
        act = content_paras.get(n)
        if exp is None or act is None:
            errors.append("paragraph %d missing from %s"
                          % (n, "seed" if exp is None else "content"))
            continue
        if words(exp) != words(act):
            mismatches += 1
            print(diff(n, exp, act))
            print()

    # --- headings: every seed heading is a title, summary or ## heading ----
    for slug, first, last in SECTIONS:
        page = next((p for p in pages if p["slug"] == slug), None)
        if page is None:
            continue
        title = normalise(fm_scalar(page["fm"], "title") or "")
        summary = normalise(fm_scalar(page["fm"], "summary") or "")
        md_heads = [normalise(strip_markdown(h)) for h in page["headings"]]
        seed_heads = []
        for after, heads in sorted(HEADINGS_AFTER.items()):
            if first - 1 <= after < last:
                seed_heads.extend(normalise(h) for h in heads)
        used_summary = False
        for h in seed_heads:
            if h == title or (h and h in title and not used_summary):
                continue
            if h == summary:
                used_summary = True
                continue
            if h in md_heads:
                md_heads.remove(h)
                continue
            errors.append("%s: seed heading %r is not the title, the summary "
                          "or a heading" % (slug, h))
        for h in md_heads:
            errors.append("%s: heading %r is not in the report" % (slug, h))

    # --- paragraph-75 table against the CSV --------------------------------
    seed_table = parse_seed_table(table_text, errors)
    csv_path = os.path.join(content, "data", "tables", TABLE75_ID + ".csv")
    if not os.path.exists(csv_path):
        errors.append("missing %s" % csv_path)
    else:
        rows = read_csv(csv_path)
        header = [h.strip() for h in rows[0]]
        by_label = {r[0].strip(): r for r in rows[1:] if r}
        for label, nums in seed_table.items():
            row = by_label.get(label)
            if row is None:
                errors.append("%s.csv: row %r missing" % (TABLE75_ID, label))
                continue
            for col, num in zip(TABLE75_COLUMNS, nums):
                if col not in header:
                    errors.append("%s.csv: column %r missing" % (TABLE75_ID, col))
                    continue
                cell = row[header.index(col)].strip() if header.index(col) < len(row) else ""
                try:
                    same = float(cell) == float(num)
                except ValueError:
                    same = False
                if not same:
                    errors.append("%s.csv: %s / %s is %r, report says %s"
                                  % (TABLE75_ID, label, col, cell, num))
        if header[:1] and len(by_label) != len(seed_table):
            errors.append("%s.csv: %d rows, report table has %d"
                          % (TABLE75_ID, len(by_label), len(seed_table)))

    # --- every table: CSV shape and the sidecar's totals checks -------------
    table_dir = os.path.join(content, "data", "tables")
    for name in sorted(os.listdir(table_dir)) if os.path.isdir(table_dir) else []:
        if not name.endswith(".csv"):
            continue
        tid = name[:-4]
        rows = read_csv(os.path.join(table_dir, name))
        sidecar_path = os.path.join(table_dir, tid + ".yaml")
        if not os.path.exists(sidecar_path):
            errors.append("tables/%s: sidecar %s.yaml missing" % (name, tid))
        if not rows:
            errors.append("tables/%s: empty" % name)
            continue
        width = len(rows[0])
        for i, r in enumerate(rows[1:], 2):
            if len(r) != width:
                errors.append("tables/%s: line %d has %d cells, header has %d"
                              % (name, i, len(r), width))
            for c in r[1:]:
                if re.match(r"^-?[\d,]+(\.\d+)?$", c.strip()) and "," in c:
                    errors.append("tables/%s: thousands separator in %r" % (name, c))
        check_table_totals("tables/" + name, rows,
                           parse_sidecar_lists(sidecar_path), errors)

    # --- link targets --------------------------------------------------------
    data = os.path.join(content, "data")
    ids = {
        "board": yaml_ids(os.path.join(data, "boards.yaml")) or [],
        "operation": yaml_ids(os.path.join(data, "operations.yaml")) or [],
        "partner": yaml_ids(os.path.join(data, "partners.yaml")) or [],
    }
    cap_dir = os.path.join(content, "capabilities")
    capabilities = sorted(n[:-3] for n in os.listdir(cap_dir)
                          if n.endswith(".md")) if os.path.isdir(cap_dir) else []
    tables = sorted(n[:-4] for n in os.listdir(os.path.join(data, "tables"))
                    if n.endswith(".csv")) \
        if os.path.isdir(os.path.join(data, "tables")) else []
    page_paras = {p["slug"]: {n for n, _ in p["items"]} for p in pages}

    def check_target(target, where, own_slug=None):
        if target.startswith("#"):
            m = re.match(r"^#p(\d+)$", target)
            if not m or own_slug is None or \
                    int(m.group(1)) not in page_paras.get(own_slug, set()):
                errors.append("%s: anchor %s is not a paragraph on this page"
                              % (where, target))
            return
        if ":" not in target:
            return
        scheme, rest = target.split(":", 1)
        if scheme not in LINK_SCHEMES:
            return
        if scheme == "capability":
            ok = rest in capabilities
        elif scheme == "threat":
            slug, _, frag = rest.partition("#")
            ok = slug in page_paras
            if ok and frag:
                m = re.match(r"^p(\d+)$", frag)
                ok = bool(m) and int(m.group(1)) in page_paras[slug]
        elif scheme == "para":
            ok = rest.isdigit() and 1 <= int(rest) <= TOTAL_PARAGRAPHS
        elif scheme == "table":
            ok = rest in tables
        else:
            ok = rest in ids[scheme]
        if not ok:
            errors.append("%s: link target %s does not exist" % (where, target))

    cited = {}
    for p in pages:
        for t in p["links"]:
            check_target(t, "threats/%s.md" % p["slug"], p["slug"])
        listed = set(fm_list(p["fm"], "capabilities"))
        for num, targets in p["per_para"].items():
            seen = set()
            for t in targets:
                if t in seen:
                    errors.append("threats/%s.md: paragraph %d links %s twice"
                                  % (p["slug"], num, t))
                seen.add(t)
                if t.startswith("capability:"):
                    cap = t.split(":", 1)[1]
                    cited.setdefault(cap, set()).add(num)
                    if cap not in listed:
                        errors.append("threats/%s.md: capability %s linked but"
                                      " not listed in front matter"
                                      % (p["slug"], cap))
    for cap in capabilities:
        with open(os.path.join(cap_dir, cap + ".md"), encoding="utf-8") as fh:
            fm, body = split_front_matter(fh.read())
        for m in LINK_RE.finditer(body):
            check_target(m.group(3), "capabilities/%s.md" % cap)
        if re.search(r"^\d{1,3}\.\s", body, re.M):
            errors.append("capabilities/%s.md: numbered list in body" % cap)
        if cap not in cited:
            errors.append("capabilities/%s.md: no numbered paragraph cites it"
                          % cap)

    errors = list(dict.fromkeys(errors))
    for e in errors:
        print("ERROR:", e)
    if mismatches or errors:
        print("FAILED: %d paragraph mismatches, %d other errors"
              % (mismatches, len(errors)))
        return 1
    print("OK: %d paragraphs in %d sections match the seed report; "
          "%d capabilities, %d tables, %d links checked"
          % (len(content_paras), len(pages), len(capabilities), len(tables),
             sum(len(p["links"]) for p in pages)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
