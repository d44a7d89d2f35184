"""Seeded mutations of a site's Content/ and Themes/, for the fuzzer. Each takes the trial's
random generator and the site root, changes files in place and says what it did in one line
("name: file: what"), or returns None when it does not apply (then another is drawn). Every
choice comes from the generator over sorted listings, so a seed always gives the same files.
Sizes are bounded (a huge line is at most 1 MB, an alias chain at most 10^5 nodes).
"""

import os
import re

import harness

NUMBERED = re.compile(r"^(\s{0,3})(\d+)\.(\s)")


def files(root, rng, suffixes=None, under=("Content", "Themes", "Editions")):
    found = [f for f in harness.text_files(root, under) if suffixes is None or f.endswith(tuple(suffixes))]
    return rng.choice(found) if found else None


def read(root, rel):
    with open(os.path.join(root, rel), "rb") as f:
        return f.read()


def write(root, rel, data):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.islink(path):
        os.remove(path)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def lines_of(root, rel):
    return read(root, rel).decode("utf-8", "replace").split("\n")


def put_lines(root, rel, lines):
    write(root, rel, "\n".join(lines))


def section_file(root, rng):
    return files(root, rng, [".md"], ("Content/threats",))


def numbered_lines(lines):
    return [i for i, line in enumerate(lines) if NUMBERED.match(line)]


ODD_LINES = [
    "", "---", "...", "- a bullet", "* another", "• a Word bullet", "1. one", "150. a new paragraph",
    "29. a repeated paragraph", "## A new heading", "# Top heading", "> quoted", "    indented code",
    "```", "~~~", "<!-- comment", "-->", "<div>raw html</div>", "<script>alert(1)</script>",
    "[link](capability:no-such-capability)", "[para](para:99999)", "[para](para:0)", "[x](threat:nowhere#p1)",
    "[t](table:no-such-table)", "![image without alt](x.png)", "![Drone](table:funding)", "[b](board:nope)",
    "{{title}}", "{{#each}}", "| a | b |\n| - | - |\n| 1 | 2 |", "title: injected", "key: [unclosed",
    "\t12. tabbed", "12.\ttab after", "12.\u00a0nbsp after", "\u00a012. nbsp before", "１２. fullwidth",
    "12a. letter", "012. leading zero", "12) paren", "-1. negative", "0. zero", "9999999999. ten digits",
    "\u200b13. zero width", "\ufeff14. bom", "15.\u2003em space", "\u202eRTL override", "e\u0301\u0301\u0301",
    "😀 emoji line", "\r", "line with lone CR\rinside", "\x00 nul byte", "\x1b[31m escape", "&#0; &bogus; &amp",
    "CTSFO ACRONYMS NOTINGLOSSARY", "[](capability:prevent)", "<https://example.org>", "www.example.org",
]


TEXT = [".md", ".yaml", ".csv", ".mustache"]


def text_lines(rng, root, minimum=0):
    """A text file and its lines, if it has at least `minimum`."""
    rel = files(root, rng, TEXT)
    lines = lines_of(root, rel) if rel else []
    return (rel, lines) if rel and len(lines) >= minimum else (None, None)


def edit_lines(rng, root, minimum, name, change):
    """Draws a text file of at least `minimum` lines, lets `change` edit its lines in place (it
    returns what it did) and writes them back."""
    rel, lines = text_lines(rng, root, minimum)
    if not rel:
        return None
    what = change(lines)
    put_lines(root, rel, lines)
    return f"{name}: {rel}:{what}"


def insert_line(rng, root):
    def change(lines):
        at = rng.randint(0, len(lines))
        new = rng.choice(ODD_LINES)
        lines.insert(at, new)
        return f"{at + 1}: {new!r}"

    return edit_lines(rng, root, 0, "insert-line", change)


def delete_line(rng, root):
    def change(lines):
        at = rng.randrange(len(lines))
        return f"{at + 1}: {lines.pop(at)[:60]!r}"

    return edit_lines(rng, root, 2, "delete-line", change)


def swap_lines(rng, root):
    def change(lines):
        a = rng.randrange(len(lines))
        b = min(len(lines) - 1, a + 1) if rng.random() < 0.5 else rng.randrange(len(lines))
        lines[a], lines[b] = lines[b], lines[a]
        return f"{a + 1}<->{b + 1}"

    return edit_lines(rng, root, 3, "swap-lines", change)


def byte_flip(rng, root):
    rel = files(root, rng)
    data = bytearray(read(root, rel)) if rel else bytearray()
    if not data:
        return None
    spots = []
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(data))
        data[at] ^= rng.randint(1, 255)
        spots.append(at)
    write(root, rel, bytes(data))
    return f"byte-flip: {rel}: offsets {spots}"


def edit_paragraphs(rng, root, minimum, name, change):
    """Draws a section file with at least `minimum` numbered paragraphs; `change(lines,
    numbered)` edits its lines (numbered: the indices of the numbered ones) and says what it did."""
    rel = section_file(root, rng)
    lines = lines_of(root, rel) if rel else []
    numbered = numbered_lines(lines)
    if not rel or len(numbered) < minimum:
        return None
    what = change(lines, numbered)
    put_lines(root, rel, lines)
    return f"{name}: {rel}:{what}"


def duplicate_paragraph_number(rng, root):
    def change(lines, numbered):
        a, b = rng.sample(numbered, 2)
        number = NUMBERED.match(lines[b])[2]
        lines[a] = NUMBERED.sub(lambda m: f"{m[1]}{number}.{m[3]}", lines[a], count=1)
        return f"{a + 1}: now {number}, as line {b + 1}"

    return edit_paragraphs(rng, root, 2, "duplicate-number", change)


ODD_NUMBERS = ["{n}a", "{n} ", "0{n}", "{n}.{n}", "１２", "١٢", "{n}\u200b", "\u00a0{n}", "-{n}", "0",
               "99999999999", "{n}{n}{n}{n}", "1e3", "Ⅻ", "{n}\u0301", "+{n}", "{n},"]


def odd_paragraph_number(rng, root):
    def change(lines, numbered):
        at = rng.choice(numbered)
        m = NUMBERED.match(lines[at])
        odd = rng.choice(ODD_NUMBERS).format(n=m[2])
        lines[at] = f"{m[1]}{odd}.{m[3]}" + lines[at][m.end():]
        return f"{at + 1}: {m[2]!r} -> {odd!r}"

    return edit_paragraphs(rng, root, 1, "odd-number", change)


def nbsp(rng, root):
    rel = files(root, rng, [".md", ".yaml", ".csv"])
    lines = lines_of(root, rel) if rel else []
    candidates = [i for i, line in enumerate(lines) if " " in line]
    if not candidates:
        return None
    at = rng.choice(candidates)
    line = lines[at]
    spaces = [i for i, c in enumerate(line) if c == " "]
    spot = spaces[0] if rng.random() < 0.5 else rng.choice(spaces)
    lines[at] = line[:spot] + rng.choice(["\u00a0", "\u202f", "\u2007", "\u3000"]) + line[spot + 1:]
    put_lines(root, rel, lines)
    return f"nbsp: {rel}:{at + 1}:{spot + 1}"


def bullets(rng, root):
    def change(lines, numbered):
        at = rng.choice(numbered)
        style = rng.choice(["- ", "* ", "• ", "· ", "– ", "+ ", "   - ", "1. "])
        if rng.random() < 0.5:
            lines[at] = style + lines[at].lstrip()
            what = "prefixed"
        else:
            lines.insert(at + 1, "")
            lines.insert(at + 2, "    " + style + "a nested bullet under the paragraph")
            what = "nested after"
        return f"{at + 1}: {what} {style!r}"

    return edit_paragraphs(rng, root, 1, "bullets", change)


UNICODE = ["\u200b", "\u200d", "\u202e", "\u2028", "\u2029", "\ufeff", "\u0301", "\ud7ff", "😀", "\U0001f3f4",
           "\u00ad", "\ufffd", "ﬁ", "Å", "\u0000", "\x7f", "\x0c", "\u061c"]


def unicode_chars(rng, root):
    rel = files(root, rng, TEXT)
    text = read(root, rel).decode("utf-8", "replace") if rel else ""
    if not text:
        return None
    at = rng.randrange(len(text))
    char = rng.choice(UNICODE)
    write(root, rel, text[:at] + char + text[at:])
    return f"unicode: {rel}: U+{ord(char):04X} at character {at}"


def yaml_file(root, rng):
    """A YAML file, or a Markdown file (its front matter)."""
    return files(root, rng, [".yaml", ".md"], ("Content",))


def front_matter_lines(lines, rel):
    if rel.endswith(".yaml"):
        return list(range(len(lines)))
    if not lines or lines[0].strip() != "---":
        return []
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            return list(range(1, i))
    return []


def edit_yaml(rng, root, pattern, change):
    """Draws a YAML file or a Markdown file's front matter and one of its lines (matching
    `pattern` if given); `change(lines, at, rel)` edits the lines and returns its name and what it
    did; they are written back."""
    rel = yaml_file(root, rng)
    lines = lines_of(root, rel) if rel else []
    candidates = [i for i in front_matter_lines(lines, rel) if pattern is None or re.search(pattern, lines[i])]
    if not candidates:
        return None
    at = rng.choice(candidates)
    name, what = change(lines, at, rel)
    put_lines(root, rel, lines)
    return f"{name}: {rel}:{at + 1}{what}"


def yaml_damage(rng, root):
    def change(lines, at, rel):
        line = lines[at]
        kind = rng.choice(["no-colon", "indent", "tab", "unclosed-quote", "unclosed-bracket", "duplicate-key",
                           "drop-fence", "null", "type", "list-item", "doc-end"])
        if kind == "no-colon":
            lines[at] = line.replace(":", "", 1)
        elif kind == "indent":
            lines[at] = "   " + line
        elif kind == "tab":
            lines[at] = "\t" + line
        elif kind == "unclosed-quote":
            lines[at] = line.replace(": ", ': "', 1)
        elif kind == "unclosed-bracket":
            lines[at] = line.replace(": ", ": [", 1)
        elif kind == "duplicate-key":
            lines.insert(at + 1, line)
        elif kind == "drop-fence" and rel.endswith(".md"):
            lines.pop(0 if rng.random() < 0.5 else front_matter_lines(lines, rel)[-1] + 1)
        elif kind == "null":
            lines[at] = re.sub(r":\s.*$", ": ~", line)
        elif kind == "type":
            value = rng.choice([": [1, 2]", ": {a: b}", ": 12", ": true", ": 2023-13-45"])
            lines[at] = re.sub(r":\s.*$", value, line)
        elif kind == "list-item":
            lines.insert(at, "- stray item")
        else:
            lines.insert(at, rng.choice(["...", "---", "%YAML 1.2", "!!binary x"]))
        return f"yaml-{kind}", ""

    return edit_yaml(rng, root, None, change)


def unquoted_commas(rng, root):
    def change(lines, at, rel):
        value = rng.choice(["a, b: c", "£1,234", "one, two, three", "x: y, z", "[a, b", "a,b,,c", "{a, b}",
                            "'it''s', fine", "1,2", "# not a comment, really"])
        lines[at] = re.sub(r"(:\s+).*$", lambda m: m[1] + value, lines[at], count=1)
        return "unquoted-commas", f": {value!r}"

    return edit_yaml(rng, root, r":\s+\S", change)


def yaml_aliases(rng, root):
    def change(lines, at, rel):
        kind = rng.choice(["anchor", "alias-undefined", "merge", "laughs"])
        if kind == "anchor":
            lines[at] = re.sub(r"(:\s+)", r"\1&anchor ", lines[at], count=1)
            lines.insert(at + 1, re.sub(r":\s+.*$", "_copy: *anchor", lines[at]).replace("- ", "  ", 1))
        elif kind == "alias-undefined":
            lines[at] = re.sub(r"(:\s+).*$", r"\1*nowhere", lines[at], count=1)
        elif kind == "merge":
            lines.insert(at, "<<: *nowhere")
        else:
            levels = rng.randint(2, 5)  # at most 10^5 nodes: bounded
            bomb = ["lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
            for level in range(1, levels + 1):
                bomb.append(f"lol{level}: &l{level} [{', '.join([f'*l{level - 1}'] * 10)}]")
            in_list = rel.endswith(".yaml") and lines[0].startswith("-")
            lines[at:at] = ["- " + b for b in bomb] if in_list else bomb
        return f"yaml-{kind}", ""

    return edit_yaml(rng, root, r"^\s*-?\s*\w+:\s+\S", change)


CSV_CELLS = ["£1,234", '"£1,234"', "NaN", "1e309", "", "-0", "1.2.3", " 12 ", "１２", "12%", "inf", "0x1F", "−5",
             "1 234", "00012", "12.", ".5", '"unclosed', "9" * 40, "-", "n/a", "1e-400", "12\u00a0345"]


def csv_damage(rng, root):
    rel = files(root, rng, [".csv"], ("Content",))
    lines = lines_of(root, rel) if rel else []
    rows = [i for i, line in enumerate(lines) if line.strip()]
    if len(rows) < 2:
        return None
    at = rng.choice(rows[1:])
    cells = lines[at].split(",")
    kind = rng.choice(["cell", "cell", "cell", "extra-column", "missing-column", "blank-row", "header"])
    if kind == "cell":
        column = rng.randrange(len(cells))
        cells[column] = rng.choice(CSV_CELLS)
        lines[at] = ",".join(cells)
        what = f"column {column + 1} = {cells[column]!r}"
    elif kind == "extra-column":
        lines[at] = lines[at] + "," + rng.choice(["7", "x", ""])
        what = "extra column"
    elif kind == "missing-column":
        lines[at] = ",".join(cells[:-1])
        what = "a column short"
    elif kind == "blank-row":
        lines.insert(at, rng.choice(["", ",,,", " "]))
        what = "blank row"
    else:
        at = rows[0]
        header = lines[at].split(",")
        header[rng.randrange(len(header))] = rng.choice(["", "Total", header[0], "Paragraph"])
        lines[at] = ",".join(header)
        what = "header damaged"
    put_lines(root, rel, lines)
    return f"csv-{kind}: {rel}:{at + 1}: {what}"


def template_damage(rng, root):
    rel = files(root, rng, [".mustache"], ("Themes",))
    if not rel:
        return None
    text = read(root, rel).decode("utf-8", "replace")
    name = os.path.basename(rel)[: -len(".mustache")]
    insert = rng.choice(["{{#unclosed}}", "{{/never_opened}}", "{{unknown_variable}}", "{{> " + name + "}}",
                         "{{> layout}}", "{{> no_such_partial}}", "{{{title}}", "{{", "}}", "{{#title}}{{/body}}",
                         "{{! unclosed comment", "{{=<% %>=}}", "{{^missing}}x{{/missing}}", "{{&title}}",
                         "{{title.no.such.path}}", "{{#each items}}{{/each}}", "{{ . }}"])
    if rng.random() < 0.3 and "}}" in text:
        # Remove one closing brace pair instead of inserting.
        spots = [m.start() for m in re.finditer(r"\}\}", text)]
        at = rng.choice(spots)
        write(root, rel, text[:at] + text[at + 2:])
        return f"template-unclose: {rel}: '}}}}' removed at character {at}"
    at = rng.randrange(len(text) + 1)
    write(root, rel, text[:at] + insert + text[at:])
    return f"template: {rel}: {insert!r} at character {at}"


def symlink_out(rng, root):
    kind = rng.choice(["replace", "add-csv", "add-md", "dir", "theme", "dangling"])
    outside = rng.choice(["/etc/hostname", "/etc/passwd", "/dev/null", "/proc/self/status", "/dev/zero"])
    if kind == "replace":
        rel = files(root, rng, TEXT)
        if not rel:
            return None
        os.remove(os.path.join(root, rel))
        os.symlink(outside, os.path.join(root, rel))
    elif kind == "add-csv":
        rel = "Content/data/tables/outside.csv"
        os.symlink(outside, os.path.join(root, rel))
    elif kind == "add-md":
        rel = rng.choice(["Content/threats/outside.md", "Content/capabilities/outside.md"])
        os.symlink(outside, os.path.join(root, rel))
    elif kind == "dir":
        rel = rng.choice(["Content/threats/etc", "Content/data/tables/etc", "Themes/default/assets/etc"])
        outside = "/etc"
        os.symlink(outside, os.path.join(root, rel))
    elif kind == "theme":
        rel = files(root, rng, [".mustache", ".css", ".js"], ("Themes",))
        if not rel:
            return None
        os.remove(os.path.join(root, rel))
        os.symlink(outside, os.path.join(root, rel))
    else:
        rel = files(root, rng, [".md", ".yaml", ".csv"], ("Content",))
        if not rel:
            return None
        os.remove(os.path.join(root, rel))
        outside = "/nonexistent/portal-fuzz"
        os.symlink(outside, os.path.join(root, rel))
    return f"symlink-{kind}: {rel} -> {outside}"


def empty_file(rng, root):
    rel = files(root, rng)
    if not rel:
        return None
    write(root, rel, rng.choice([b"", b"\n", b"\xef\xbb\xbf", b"---\n---\n", b" "]))
    return f"empty-file: {rel}"


def dot_file(rng, root):
    folder = rng.choice(["Content", "Content/threats", "Content/capabilities", "Content/data",
                         "Content/data/tables", "Themes/default/templates", "Themes/default/assets"])
    name = rng.choice([".DS_Store", "._terrorism.md", ".hidden.md", ".#lock.csv", ".swp.yaml", ".git"])
    write(root, f"{folder}/{name}", bytes(rng.randrange(256) for _ in range(rng.randint(0, 64))))
    return f"dot-file: {folder}/{name}"


def huge_line(rng, root):
    def change(lines):
        size = rng.choice([5_000, 100_000, 1_000_000])
        unit = rng.choice(["a", "word ", "1", "[x](#p1) ", "*", "`", "<", "|", "[", "CTSFO "])
        line = (unit * (size // len(unit) + 1))[:size]
        at = rng.randrange(len(lines) + 1)
        if rng.random() < 0.3 and at < len(lines):
            lines[at] = lines[at] + line
        else:
            lines.insert(at, line)
        return f"{at + 1}: {size} bytes of {unit!r}"

    return edit_lines(rng, root, 1, "huge-line", change)


def line_endings(rng, root):
    rel = files(root, rng, TEXT)
    data = read(root, rel) if rel else b""
    if not data:
        return None
    kind = rng.choice(["crlf", "cr", "mixed", "bom", "double-bom", "no-final-newline", "latin1"])
    if kind == "crlf":
        data = data.replace(b"\n", b"\r\n")
    elif kind == "cr":
        data = data.replace(b"\n", b"\r")
    elif kind == "mixed":
        data = data.replace(b"\n", b"\r\n", rng.randint(1, 20))
    elif kind == "bom":
        data = b"\xef\xbb\xbf" + data
    elif kind == "double-bom":
        data = b"\xef\xbb\xbf\xef\xbb\xbf" + data
    elif kind == "no-final-newline":
        data = data.rstrip(b"\n")
    else:
        data = data.decode("utf-8", "replace").encode("latin-1", "replace")
    write(root, rel, data)
    return f"line-endings-{kind}: {rel}"


def remove_file(rng, root):
    rel = files(root, rng)
    if not rel:
        return None
    os.remove(os.path.join(root, rel))
    return f"remove-file: {rel}"


def add_file(rng, root):
    kind = rng.choice(["section-copy", "capability-copy", "csv-no-sidecar", "sidecar-no-csv", "template",
                       "subfolder", "other-extension"])
    if kind in ("section-copy", "capability-copy"):
        folder = "threats" if kind == "section-copy" else "capabilities"
        rel = files(root, rng, [".md"], (f"Content/{folder}",))
        if not rel:
            return None
        new = f"Content/{folder}/copy-of-{os.path.basename(rel)}"
        write(root, new, read(root, rel))
    elif kind == "csv-no-sidecar":
        new = "Content/data/tables/extra.csv"
        write(root, new, "Measure,Number\nOfficers,12\nStaff,7\n")
    elif kind == "sidecar-no-csv":
        new = "Content/data/tables/lonely.yaml"
        write(root, new, "caption: A table without its CSV\nparagraphs: [1]\n")
    elif kind == "template":
        new = "Themes/default/templates/extra.mustache"
        write(root, new, "{{> extra}}")
    elif kind == "subfolder":
        new = rng.choice(["Content/threats/sub/nested.md", "Content/data/tables/sub/t.csv"])
        write(root, new, "---\ntitle: Nested\n---\n\n999. Nested paragraph.\n")
    else:
        new = rng.choice(["Content/threats/notes.txt", "Content/threats/terrorism.md.bak",
                          "Content/capabilities/README", "Content/data/extra.yml", "Content/threats/UPPER.MD"])
        write(root, new, "1. A paragraph in a file the loader may not read.\n")
    return f"add-file-{kind}: {new}"


MUTATIONS = [
    (byte_flip, 3), (insert_line, 4), (delete_line, 3), (swap_lines, 3), (duplicate_paragraph_number, 2),
    (odd_paragraph_number, 3), (nbsp, 2), (bullets, 2), (unicode_chars, 2), (yaml_damage, 3),
    (unquoted_commas, 2), (yaml_aliases, 2), (csv_damage, 4), (template_damage, 3), (symlink_out, 2),
    (empty_file, 1), (dot_file, 1), (huge_line, 1), (line_endings, 2), (remove_file, 1), (add_file, 2),
]


def mutate(rng, root, count):
    """Applies `count` mutations drawn by weight; returns their descriptions."""
    functions = [f for f, _ in MUTATIONS]
    weights = [w for _, w in MUTATIONS]
    applied = []
    attempts = 0
    while len(applied) < count and attempts < count * 10:
        attempts += 1
        function = rng.choices(functions, weights)[0]
        description = function(rng, root)
        if description:
            applied.append(description)
    return applied
