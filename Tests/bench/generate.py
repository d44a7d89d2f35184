#!/usr/bin/env python3
"""Generate a synthetic Strategic Policing Requirement report for benchmarking.

Usage:
  generate.py OUT_DIR --pages N [--seed 42] [--themes PATH] [--quiet]

Writes two sites holding the same pages:

  OUT_DIR/portal/   a portal site root: Content/ (site.yaml, threats/, capabilities/, data/)
                    and Themes -> the repository's Themes/ (symlink)
  OUT_DIR/hugo/     the same pages as a Hugo site (hugo.toml, content/, layouts/, data/, static/)
  OUT_DIR/manifest.json  counts and the paragraph/edit information the benchmark needs

N is the number of threat-like section pages. Each has 12 numbered paragraphs (page 1 has
1..12, page 2 13..24, ...), about 8 KB of prose, one GFM table with a right-aligned numeric
column, and cross-references of every kind (capability:, threat:..#pN, para:, #pN, table:
link and embed, board:, operation:, partner:, relative .md). There is one capability page per
20 section pages (at least 20), each cited by about 60 paragraphs, and one data table
(CSV + sidecar with a totals check that holds) per 50 section pages. Acronyms in the text are
all in the glossary, so a portal build prints no warnings.

In the Hugo copy the reference links become relref shortcodes (para:N is resolved to its page
by the generator, since Hugo has no such index), numbered paragraphs become a `para`
shortcode that writes the same anchor markup as portal, and table embeds become Markdown
tables. Capability backlinks come from one cached pass over the pages (a partial), as portal
computes them once.

Deterministic: the same N and seed give byte-identical files (Python stdlib only).
"""

import argparse
import json
import os
import random
import shutil
import sys
import time

PARAS_PER_PAGE = 12
PAGES_PER_CAPABILITY = 20
MIN_CAPABILITIES = 20
PAGES_PER_TABLE = 50
N_BOARDS = 12
N_PARTNERS = 16
N_OPERATIONS = 8
N_COMMITMENTS = 10

# --- vocabulary ------------------------------------------------------------------------------

AREAS = [
    "Birmingham East", "Birmingham West", "Coventry", "Dudley", "Sandwell", "Solihull",
    "Walsall", "Wolverhampton", "the Black Country", "the force area", "the region",
    "Northfield", "Erdington", "Sutton Coldfield", "Handsworth", "Small Heath", "Stechford",
    "Tipton", "Wednesbury", "Bilston", "Halesowen", "Stourbridge", "Oldbury", "Willenhall",
    "Bloxwich", "Kingswinford", "Chelmsley Wood", "Shirley", "Tile Hill", "Foleshill",
]
TOPICS = [
    "Serious violence", "Knife crime", "Exploitation of children", "Modern slavery",
    "Organised immigration crime", "County lines", "Domestic abuse", "Stalking and harassment",
    "Fraud against older people", "Online child sexual abuse", "Public order", "Protest policing",
    "Cyber resilience", "Economic crime", "Firearms discharges", "Road harm", "Burglary",
    "Night-time economy", "Hate crime", "Radicalisation", "Flooding response",
    "Major event planning", "Drug supply", "Money laundering", "Rape and serious sexual offences",
    "Missing persons", "Anti-social behaviour", "Vehicle crime", "Wildlife crime",
    "Retail crime", "Cash machine attacks", "Rural crime", "Youth violence", "Weapons in schools",
    "Cannabis cultivation", "Human trafficking", "Ransomware", "Identity fraud",
    "Civil contingencies", "Counter terrorism policing",
]
HEADINGS = [
    "Partnership working", "Performance and outcomes", "Governance and assurance",
    "Workforce and training", "Prevention", "Investigation standards", "Victim care",
    "Intelligence picture", "Resilience and mutual aid", "Funding and investment",
    "Learning from reviews", "Community engagement", "Digital capability", "Next steps",
    "Risks and issues", "National picture", "Regional collaboration", "Local delivery",
    "Safeguarding", "Demand and capacity",
]
UNITS = [
    "Firearms Operations Unit", "Roads Policing Unit", "Public Protection Unit",
    "Major Investigation Unit", "Economic Crime Unit", "Cyber Crime Unit", "Dog Unit",
    "Mounted Section", "Digital Forensics Unit", "Intelligence Hub", "Safeguarding Review Team",
    "Missing Persons Unit", "Operational Support Unit", "Force Contact Centre",
    "Offender Management Team", "Child Abuse Investigation Team", "Hate Crime Team",
    "Fraud Triage Team", "Protest Liaison Team", "Emergency Planning Team", "Harm Reduction Team",
    "Covert Operations Unit", "Surveillance Unit", "Prison Intelligence Team",
    "Counter Corruption Unit",
]
LEVELS = ["local", "regional", "national"]
MEASURES = ["Arrests", "Charges", "Referrals", "Visits", "Seizures", "Warrants", "Disruptions",
            "Interventions", "Reports", "Safeguarding plans"]
QUARTERS = ["Q1", "Q2", "Q3", "Q4", "Year to date"]
# Acronyms the prose uses; every one is in the glossary.
GLOSSARY = [
    ("ROCU", "Regional Organised Crime Unit"),
    ("CTU", "Counter Terrorism Unit"),
    ("VAWG", "Violence Against Women and Girls"),
    ("PCC", "Police and Crime Commissioner"),
    ("NCA", "National Crime Agency"),
    ("CSE", "Child Sexual Exploitation"),
    ("ANPR", "Automatic Number Plate Recognition"),
    ("MASH", "Multi-Agency Safeguarding Hub"),
    ("ARV", "Armed Response Vehicle"),
    ("JESIP", "Joint Emergency Services Interoperability Principles"),
    ("OCG", "Organised Crime Group"),
    ("LPA", "Local Policing Area"),
]
ACRONYMS = [a for a, _ in GLOSSARY]

SUBJECTS = [
    "The force", "Each local policing team", "The partnership", "The neighbourhood team",
    "The tactical delivery group", "The investigation hub", "The performance board",
    "The specialist team", "The multi-agency panel", "The strategic lead", "The analytical team",
    "The regional network", "The response team", "The supervision group",
    "The safeguarding team", "The volunteer scheme",
]
VERBS = [
    "continues to strengthen", "has reviewed", "is improving", "has invested in",
    "now coordinates", "regularly tests", "has expanded", "closely monitors", "is refreshing",
    "has published", "is embedding", "has prioritised", "reports quarterly on",
    "is developing", "has completed work on", "keeps under review",
]
OBJECTS = [
    "the response to repeat victims", "its approach to high harm offenders",
    "the quality of initial investigations", "the sharing of intelligence with partners",
    "training for frontline supervisors", "the use of preventative orders",
    "the management of dangerous offenders", "its capacity to respond to spontaneous incidents",
    "the understanding of emerging threats", "the safeguarding of vulnerable adults",
    "arrangements for mutual aid", "the identification of exploitation",
    "its analysis of demand", "the timeliness of referrals", "the recording of crime",
    "the care given to witnesses", "digital evidence recovery", "problem-solving plans",
]
QUALIFIERS = [
    "across every neighbourhood", "in line with national guidance", "with clear accountability",
    "so that victims receive a consistent service", "ahead of the next inspection",
    "through a dedicated working group", "using the latest performance data",
    "with support from regional colleagues", "as part of the annual plan",
    "within existing budgets", "following a review of recent cases",
    "in partnership with local authorities", "to reduce harm in the longer term",
    "with the oversight of the chief officer team", "over the coming financial year",
]
CONNECTIVES = [
    "In addition,", "As a result,", "Over the last year,", "At the same time,",
    "Importantly,", "Since the last update,", "Looking ahead,", "In practice,",
    "During the reporting period,", "Where appropriate,",
]
ACRONYM_SENTENCES = [
    "The {a} is represented at each meeting and shares its assessment of the threat.",
    "Work with the {a} remains a priority for the coming year.",
    "Officers receive briefings from the {a} so that the latest picture informs deployments.",
    "The {a} contributes to the monthly tasking process and its actions are tracked.",
]
FIGURE_SENTENCES = [
    "In the reporting period there were {n} {m} recorded, compared with {k} in the previous year.",
    "A total of {n} {m} were completed, an increase of {p} per cent on the same period.",
    "The team completed {n} {m} against a plan of {k}.",
]


def sentence(rng):
    s = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(QUALIFIERS)}."
    if rng.random() < 0.35:
        s = f"{rng.choice(CONNECTIVES)} {s[0].lower()}{s[1:]}"
    return s


def figure_sentence(rng):
    return rng.choice(FIGURE_SENTENCES).format(
        n=rng.randint(12, 4800), k=rng.randint(12, 4800), p=rng.randint(2, 40),
        m=rng.choice(MEASURES).lower())


def prose(rng, target_chars):
    parts = []
    length = 0
    while length < target_chars:
        r = rng.random()
        if r < 0.12:
            s = rng.choice(ACRONYM_SENTENCES).format(a=rng.choice(ACRONYMS))
        elif r < 0.22:
            s = figure_sentence(rng)
        else:
            s = sentence(rng)
        parts.append(s)
        length += len(s) + 1
    return parts


# --- the synthetic report --------------------------------------------------------------------


def slug_threat(i):
    return f"t{i:05d}"


def slug_cap(k):
    return f"c{k:04d}"


def slug_table(k):
    return f"d{k:04d}"


def slug_board(k):
    return f"b{k:03d}"


def slug_partner(k):
    return f"p{k:03d}"


def slug_operation(k):
    return f"o{k:03d}"


def first_para(i):
    return (i - 1) * PARAS_PER_PAGE + 1


def page_of_para(p):
    return (p - 1) // PARAS_PER_PAGE + 1


def yq(s):
    """A YAML double-quoted scalar (the text never holds control characters)."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Report:
    def __init__(self, pages, seed):
        self.n = pages
        self.seed = seed
        self.n_caps = max(MIN_CAPABILITIES, pages // PAGES_PER_CAPABILITY)
        self.n_tables = max(1, pages // PAGES_PER_TABLE)
        self.n_paras = pages * PARAS_PER_PAGE

    def rng(self, *key):
        # str seeds hash with SHA-512: stable across runs and Python versions.
        return random.Random("-".join(str(k) for k in (self.seed,) + key))

    def page_caps(self, i):
        c = self.n_caps
        caps = []
        for k in ((i - 1) % c, (i * 7 + 3) % c, (i * 13 + 5) % c):
            if k + 1 not in caps:
                caps.append(k + 1)
        return caps

    def table_home(self, k):
        """The section page whose paragraph 8 states (and embeds) table k."""
        return min(self.n, (k - 1) * PAGES_PER_TABLE + 1)

    def table_para(self, k):
        return first_para(self.table_home(k)) + 7

    def page_table(self, i):
        return min(self.n_tables, (i - 1) // PAGES_PER_TABLE + 1)

    def page_title(self, i):
        rng = self.rng("title", i)
        return f"{rng.choice(TOPICS)} in {rng.choice(AREAS)} ({i})"

    def cap_title(self, k):
        return f"{UNITS[(k - 1) % len(UNITS)]} {(k - 1) // len(UNITS) + 1}"

    def table_caption(self, k):
        rng = self.rng("caption", k)
        return f"{rng.choice(MEASURES)} by area, {rng.choice(AREAS)} (table {k})"

    def table_rows(self, k):
        rng = self.rng("table", k)
        rows = []
        for m in rng.sample(MEASURES, 5):
            values = [rng.randint(3, 900) for _ in range(4)]
            rows.append((m, values, sum(values)))
        return rows

    # Entities: small lists whose ids the links use; their paragraphs are early ones.
    def entity_paras(self, kind, k):
        rng = self.rng(kind, k)
        return sorted(rng.sample(range(1, min(self.n_paras, 600) + 1), 2))


class Page:
    """One section page as structured blocks, rendered two ways."""

    def __init__(self, report, i):
        self.r = report
        self.i = i
        self.slug = slug_threat(i)
        self.p0 = first_para(i)
        self.paras = []  # [(number, [block, ...])]; block = ("text", str) | ("table", rows)
        #                     | ("embed", table_k) | ("bullets", [str])
        self.headings = {}  # paragraph number -> heading text placed before it
        self.build()

    def link(self, text, kind, target, frag=None):
        return ("link", text, kind, target, frag)

    def build(self):
        r, i = self.r, self.i
        rng = r.rng("page", i)
        caps = r.page_caps(i)
        n = r.n
        other = lambda: rng.randint(1, n)  # noqa: E731
        table_k = r.page_table(i)
        target_chars = 520

        def para_text(extra_links, chars=target_chars):
            sentences = prose(rng, chars)
            # Put each link inside a sentence, at a stable place.
            out = []
            for s in sentences:
                out.append(s)
            for pos, lnk in extra_links:
                idx = min(pos, len(out) - 1)
                out[idx] = [out[idx], " See ", lnk, "."]
            flat = []
            for s in out:
                if isinstance(s, list):
                    flat.extend(s)
                else:
                    flat.append(s)
                flat.append(" ")
            flat.pop()
            return flat

        p = self.p0
        cap_link = lambda k, t=None: self.link(t or r.cap_title(k).lower(), "capability", slug_cap(k))  # noqa
        same = p + rng.randint(2, 11)
        j = other()
        jp = first_para(j) + rng.randint(0, 11)
        anywhere = rng.randint(1, r.n_paras)
        neighbour = i + 1 if i < n else max(1, i - 1)
        board = rng.randint(1, N_BOARDS)
        partner = rng.randint(1, N_PARTNERS)
        operation = rng.randint(1, N_OPERATIONS)

        links = {
            0: [(0, cap_link(caps[0])), (2, self.link("the governance board", "board", slug_board(board)))],
            1: [(1, self.link(f"paragraph {same}", "fragment", None, f"p{same}")),
                (3, cap_link(caps[-1]))],
            2: [(1, self.link(f"para {anywhere}", "para", anywhere)),
                (3, self.link("our partners", "partner", slug_partner(partner)))],
            3: [(0, self.link(f"paragraph {jp} of section {j}", "threat", slug_threat(j), f"p{jp}")),
                (2, self.link("the operation", "operation", slug_operation(operation)))],
            4: [(1, self.link("the next section" if neighbour > i else "the previous section",
                              "relative", slug_threat(neighbour))),
                (2, cap_link(caps[1 % len(caps)]))],
            6: [(0, self.link("the published figures", "table", slug_table(table_k))),
                (2, cap_link(caps[0], "this capability"))],
            8: [(1, self.link(f"section {j}", "threat", slug_threat(j)))],
            10: [(2, self.link("the capability", "capability", slug_cap(caps[2 % len(caps)])))],
        }
        heading_at = {3: None, 8: None}
        for h in heading_at:
            heading_at[h] = f"{rng.choice(HEADINGS)} in {rng.choice(AREAS)}"

        for q in range(PARAS_PER_PAGE):
            number = p + q
            if q in heading_at:
                self.headings[number] = heading_at[q]
            blocks = [("text", para_text(links.get(q, [])))]
            if q == 5:
                rows = []
                for m in rng.sample(MEASURES, 4):
                    rows.append((m, rng.choice(QUARTERS), rng.randint(1, 9999)))
                blocks.append(("text", ["The figures for the period were:"]))
                blocks.append(("table", rows))
            if q == 7 and any(r.table_home(k) == i for k in [table_k]):
                blocks.append(("text", ["The figures are set out below:"]))
                blocks.append(("embed", table_k))
            if q == 9:
                blocks.append(("bullets", [sentence(rng) for _ in range(3)]))
            if q == PARAS_PER_PAGE - 1:
                # The last paragraph is one plain line, so the benchmark can append a sentence.
                blocks = [("text", para_text([], 420))]
            self.paras.append((number, blocks))

        self.front = {
            "title": r.page_title(i),
            "order": i,
            "summary": f"How the force is responding: {sentence(rng)[:-1].lower()}.",
            "boards": [slug_board(board)],
            "capabilities": [slug_cap(k) for k in caps],
        }
        if i % 4 == 1:
            self.front["key_figures"] = [
                (f"{rng.choice(MEASURES)} recorded", rng.randint(10, 5000), p + 2),
                ("Officers trained", rng.randint(10, 900), p + 6),
            ]

    # --- portal -----------------------------------------------------------------------------

    def inline_portal(self, parts):
        out = []
        for part in parts:
            if isinstance(part, str):
                out.append(part)
                continue
            _, text, kind, target, frag = part
            if kind == "fragment":
                url = f"#{frag}"
            elif kind == "relative":
                url = f"{target}.md"
            elif kind == "para":
                url = f"para:{target}"
            else:
                url = f"{kind}:{target}" + (f"#{frag}" if frag else "")
            out.append(f"[{text}]({url})")
        return "".join(out)

    def portal(self):
        f = self.front
        lines = ["---", f"title: {yq(f['title'])}", f"order: {f['order']}", "kind: threat",
                 f"summary: {yq(f['summary'])}", f"boards: [{', '.join(f['boards'])}]",
                 f"capabilities: [{', '.join(f['capabilities'])}]"]
        if "key_figures" in f:
            lines.append("key_figures:")
            for label, value, para in f["key_figures"]:
                lines.append(f"  - {{label: {yq(label)}, value: {value}, paragraph: {para}}}")
        lines += ["---", ""]
        for number, blocks in self.paras:
            if number in self.headings:
                lines += [f"## {self.headings[number]}", ""]
            marker = f"{number}. "
            pad = " " * len(marker)
            first = True
            for block in blocks:
                kind = block[0]
                if kind == "text":
                    block_lines = [self.inline_portal(block[1])]
                elif kind == "table":
                    block_lines = gfm_table(block[1])
                elif kind == "embed":
                    block_lines = [f"![{self.r.table_caption(block[1])}](table:{slug_table(block[1])})"]
                else:
                    block_lines = [f"- {b}" for b in block[1]]
                for line_no, line in enumerate(block_lines):
                    if first:
                        lines.append(marker + line)
                        first = False
                    else:
                        lines.append(pad + line)
                lines.append("")
        return "\n".join(lines)

    # --- hugo -------------------------------------------------------------------------------

    def inline_hugo(self, parts):
        out = []
        for part in parts:
            if isinstance(part, str):
                out.append(part)
                continue
            _, text, kind, target, frag = part
            if kind == "fragment":
                url = f"#{frag}"
            elif kind == "relative":
                url = f'{{{{< relref "{target}.md" >}}}}'
            elif kind == "para":
                url = f'{{{{< relref "/threats/{slug_threat(page_of_para(target))}.md#p{target}" >}}}}'
            elif kind == "threat":
                url = f'{{{{< relref "/threats/{target}.md{("#" + frag) if frag else ""}" >}}}}'
            elif kind == "capability":
                url = f'{{{{< relref "/capabilities/{target}.md" >}}}}'
            elif kind == "table":
                url = f'{{{{< relref "/tables/{target}.md" >}}}}'
            else:  # board, partner, operation: an entry on a register page
                url = f'{{{{< relref "/reference/{kind}s.md#{kind}-{target}" >}}}}'
            out.append(f"[{text}]({url})")
        return "".join(out)

    def hugo(self):
        f = self.front
        lines = ["---", f"title: {yq(f['title'])}", f"weight: {f['order']}",
                 f"summary: {yq(f['summary'])}", f"boards: [{', '.join(f['boards'])}]",
                 f"caps: [{', '.join(f['capabilities'])}]",
                 f"first_paragraph: {self.p0}", f"last_paragraph: {self.p0 + PARAS_PER_PAGE - 1}"]
        if "key_figures" in f:
            lines.append("key_figures:")
            for label, value, para in f["key_figures"]:
                lines.append(f"  - {{label: {yq(label)}, value: {value}, paragraph: {para}}}")
        lines += ["---", ""]
        for number, blocks in self.paras:
            if number in self.headings:
                lines += [f"## {self.headings[number]}", ""]
            lines.append(f"{{{{% para {number} %}}}}")
            for block in blocks:
                kind = block[0]
                if kind == "text":
                    lines.append(self.inline_hugo(block[1]))
                elif kind == "table":
                    lines += gfm_table(block[1])
                elif kind == "embed":
                    k = block[1]
                    lines.append(f"*{self.r.table_caption(k)}*")
                    lines.append("")
                    lines += data_table_markdown(self.r, k)
                else:
                    lines += [f"- {b}" for b in block[1]]
                lines.append("")
            lines[-1] = "{{% /para %}}"
            lines.append("")
        return "\n".join(lines)


def gfm_table(rows):
    out = ["| Measure | Period | Number |", "| --- | --- | ---: |"]
    for m, q, v in rows:
        out.append(f"| {m} | {q} | {v} |")
    return out


TABLE_COLUMNS = ["North", "South", "East", "West"]


def data_table_markdown(report, k):
    out = ["| Measure | " + " | ".join(TABLE_COLUMNS) + " | Total |",
           "| --- | " + " | ".join("---:" for _ in TABLE_COLUMNS) + " | ---: |"]
    for m, values, total in report.table_rows(k):
        out.append(f"| {m} | " + " | ".join(str(v) for v in values) + f" | {total} |")
    return out


# --- writing ---------------------------------------------------------------------------------


class Writer:
    def __init__(self):
        self.files = 0
        self.bytes = 0

    def write(self, path, text):
        data = text.encode("utf-8")
        with open(path, "wb") as f:
            f.write(data)
        self.files += 1
        self.bytes += len(data)


def capability_body(report, k, rng):
    # A short narrative citing a paragraph that really cites this capability (page k cites
    # capability k as its first one when k <= N), and the capability's figures table.
    i = min(report.n, k)
    para = first_para(i)
    return (f"{sentence(rng)} {sentence(rng)} The most recent assessment is in "
            f"[para {para}](para:{para}).")


def write_portal(report, root, themes, w, pages):
    content = os.path.join(root, "Content")
    for d in ("threats", "capabilities", "data/tables"):
        os.makedirs(os.path.join(content, d), exist_ok=True)
    w.write(os.path.join(content, "site.yaml"), "\n".join([
        "title: Synthetic assurance report",
        "organisation: Benchmark Constabulary",
        "language: en-GB",
        "theme: default",
        "allow_raw_html: false",
        # Both sites leave out the one-page full report: at 10,000 sections it is a 100 MB page
        # no reader opens, and an edit anywhere would have to rewrite it.
        "full_report: false",
        "report:",
        "  title: Strategic Policing Requirement",
        "  board: Strategic Policing and Crime Board",
        "  recipient: Police and Crime Commissioner",
        "  agenda_item: 7",
        ""]))
    link = os.path.join(root, "Themes")
    if os.path.lexists(link):
        os.remove(link)
    os.symlink(themes, link)

    for page in pages():
        w.write(os.path.join(content, "threats", page.slug + ".md"), page.portal())
    for k in range(1, report.n_caps + 1):
        rng = report.rng("cap", k)
        text = "\n".join([
            "---", f"title: {yq(report.cap_title(k))}",
            f"summary: {yq(sentence(rng))}", f"level: {LEVELS[k % 3]}", "---", "",
            capability_body(report, k, rng), ""])
        w.write(os.path.join(content, "capabilities", slug_cap(k) + ".md"), text)
    for k in range(1, report.n_tables + 1):
        rows = report.table_rows(k)
        csv = ["Measure," + ",".join(TABLE_COLUMNS) + ",Total"]
        for m, values, total in rows:
            csv.append(f"{m}," + ",".join(str(v) for v in values) + f",{total}")
        w.write(os.path.join(content, "data", "tables", slug_table(k) + ".csv"), "\n".join(csv) + "\n")
        w.write(os.path.join(content, "data", "tables", slug_table(k) + ".yaml"), "\n".join([
            f"caption: {yq(report.table_caption(k))}",
            f"paragraphs: [{report.table_para(k)}]",
            "units: {}",
            "totals:",
            "  - column: Total",
            f"    sum_of: [{', '.join(TABLE_COLUMNS)}]", ""]))
    data = os.path.join(content, "data")
    for name, text in data_files(report, "portal").items():
        w.write(os.path.join(data, name), text)


def entities(report):
    boards = [(slug_board(k), f"{HEADINGS[k % len(HEADINGS)]} Board {k}", report.entity_paras("b", k))
              for k in range(1, N_BOARDS + 1)]
    partners = [(slug_partner(k), f"{AREAS[k % len(AREAS)]} Council {k}", report.entity_paras("p", k))
                for k in range(1, N_PARTNERS + 1)]
    operations = [(slug_operation(k), f"Operation {['Falcon', 'Harbour', 'Lantern', 'Meridian', 'Orchard', 'Sentinel', 'Tamar', 'Willow'][k % 8]} {k}",
                   report.entity_paras("o", k)) for k in range(1, N_OPERATIONS + 1)]
    commitments = []
    for k in range(1, N_COMMITMENTS + 1):
        rng = report.rng("commitment", k)
        para = rng.randint(1, report.n_paras)
        commitments.append((f"commitment-{k}", f"The force will report on {rng.choice(OBJECTS)}",
                            f"2025-{(k % 12) + 1:02d}", para, slug_threat(page_of_para(para))))
    return boards, partners, operations, commitments


def data_files(report, flavour):
    boards, partners, operations, commitments = entities(report)
    out = {}
    if flavour == "portal":
        out["glossary.yaml"] = "".join(f"- {{term: {a}, expansion: {yq(e)}}}\n" for a, e in GLOSSARY)
        out["boards.yaml"] = "".join(
            f"- {{id: {i}, name: {yq(n)}, chair: \"Assistant Chief Constable\", level: force, "
            f"paragraphs: [{', '.join(map(str, p))}]}}\n" for i, n, p in boards)
        out["partners.yaml"] = "".join(
            f"- {{id: {i}, name: {yq(n)}, paragraphs: [{', '.join(map(str, p))}]}}\n" for i, n, p in partners)
        out["operations.yaml"] = "".join(
            f"- {{id: {i}, name: {yq(n)}, description: \"A named operation of the benchmark.\", "
            f"scope: force, paragraphs: [{', '.join(map(str, p))}]}}\n" for i, n, p in operations)
        out["commitments.yaml"] = "".join(
            f"- {{id: {i}, what: {yq(w)}, due: {d}, due_text: {yq('by ' + d)}, paragraph: {p}, threat: {t}}}\n"
            for i, w, d, p, t in commitments)
    else:  # hugo: maps keyed by id for O(1) lookups in templates
        out["glossary.yaml"] = "".join(f"{a}: {yq(e)}\n" for a, e in GLOSSARY)
        for name, rows in (("boards", boards), ("partners", partners), ("operations", operations)):
            out[name + ".yaml"] = "".join(
                f"{i}: {{name: {yq(n)}, paragraphs: [{', '.join(map(str, p))}]}}\n" for i, n, p in rows)
        out["commitments.yaml"] = "".join(
            f"- {{id: {i}, what: {yq(w)}, due: {yq(d)}, paragraph: {p}, threat: {t}}}\n"
            for i, w, d, p, t in commitments)
    return out


HUGO_CONFIG = """\
baseURL = "/"
title = "Synthetic assurance report"
languageCode = "en-gb"
# Comparable work: no taxonomy/term pages, feeds, sitemap or robots.txt (portal writes none).
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]
# Pages at threats/t00001.html and relative links, like portal's output.
uglyURLs = true
relativeURLs = true
enableRobotsTXT = false
# No taxonomies: capability backlinks come from one cached pass (layouts/partials/backlinks.html).
[taxonomies]
[params]
  organisation = "Benchmark Constabulary"
[markup.goldmark.renderer]
  unsafe = true
[markup.tableOfContents]
  startLevel = 2
  endLevel = 3
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """\
<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }}{{ if not .IsHome }} – {{ site.Title }}{{ end }}</title>
<meta name="description" content="{{ with .Params.summary }}{{ . }}{{ else }}{{ site.Title }}{{ end }}">
<link rel="stylesheet" href="{{ "assets/site.css" | relURL }}">
</head>
<body>
<a class="skip-link" href="#main-content">Skip to main content</a>
<header class="site-header">
<div class="wrap header-bar">
<a class="site-title" href="{{ "index.html" | relURL }}">{{ site.Title }}</a>
<span class="organisation">{{ site.Params.organisation }}</span>
</div>
<nav class="site-nav" aria-label="Site sections">
<ul class="wrap">
<li><a href="{{ "index.html" | relURL }}">Overview</a></li>
{{ range site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ul>
</nav>
</header>
<div class="wrap page">
{{ if not .IsHome }}<nav class="breadcrumbs" aria-label="Breadcrumb">
<ol>
{{ range .Ancestors.Reverse }}<li>{{ if .IsHome }}<a href="{{ "index.html" | relURL }}">Overview</a>{{ else }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</li>
{{ end }}<li aria-current="page">{{ .Title }}</li>
</ol>
</nav>{{ end }}
<main id="main-content" tabindex="-1">
{{ block "main" . }}{{ end }}
</main>
</div>
<footer class="site-footer">
<div class="wrap">
<nav aria-label="Reference">
<ul class="reference-nav">
<li><a href="{{ relref . "/capabilities" }}">Capabilities</a></li>
<li><a href="{{ relref . "/tables" }}">Figures</a></li>
<li><a href="{{ relref . "/reference/commitments.md" }}">Commitments</a></li>
<li><a href="{{ relref . "/reference/boards.md" }}">Boards</a></li>
<li><a href="{{ relref . "/reference/operations.md" }}">Operations</a></li>
<li><a href="{{ relref . "/reference/partners.md" }}">Partners</a></li>
<li><a href="{{ relref . "/reference/glossary.md" }}">Glossary</a></li>
</ul>
</nav>
<p>{{ site.Params.organisation }}. Built from the report by Hugo.</p>
</div>
</footer>
</body>
</html>
""",
    "_default/single.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ with .Params.summary }}<p class="lede">{{ . }}</p>{{ end }}
<div class="narrative">
{{ .Content }}
</div>
{{ end }}
""",
    "_default/list.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<p>{{ len .Pages }} pages.</p>
<ul class="link-list">
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a><br>{{ .Params.summary }}</li>
{{ end }}</ul>
{{ end }}
""",
    "index.html": """\
{{ define "main" }}
<h1>{{ site.Title }}</h1>
<p class="lede">{{ site.Params.organisation }}: the report section by section.</p>
<ol class="link-list">
{{ range (site.GetPage "/threats").Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <span class="tag">paragraphs {{ .Params.first_paragraph }} to {{ .Params.last_paragraph }}</span><br>{{ .Params.summary }}</li>
{{ end }}</ol>
{{ end }}
""",
    "404.html": """\
{{ define "main" }}
<h1>Page not found</h1>
<p>The page you asked for is not part of this report. Start from the <a href="{{ "index.html" | relURL }}">overview</a>.</p>
{{ end }}
""",
    "threats/single.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<p class="lede">{{ .Params.summary }}</p>
<dl class="summary-list">
<div class="summary-row"><dt>Report paragraphs</dt><dd>Paragraphs {{ .Params.first_paragraph }} to {{ .Params.last_paragraph }}</dd></div>
{{ with .Params.boards }}<div class="summary-row"><dt>Governance</dt><dd>{{ range $i, $b := . }}{{ if $i }}, {{ end }}<a href="{{ relref $ "/reference/boards.md" }}#board-{{ $b }}">{{ (index site.Data.boards $b).name }}</a>{{ end }}</dd></div>{{ end }}
{{ with .Params.caps }}<div class="summary-row"><dt>Capabilities</dt><dd><a href="#capabilities">{{ len . }} capabilities</a></dd></div>{{ end }}
{{ range .Params.key_figures }}<div class="summary-row"><dt>{{ .label }}</dt><dd class="figure">{{ lang.FormatNumber 0 .value }} <a class="para-ref" href="#p{{ .paragraph }}">para {{ .paragraph }}</a></dd></div>
{{ end }}</dl>
<nav class="contents" aria-labelledby="contents">
<h2 id="contents">Contents</h2>
{{ .TableOfContents }}
</nav>
<div class="narrative">
{{ .Content }}
</div>
{{ with .Params.caps }}<section aria-labelledby="capabilities">
<h2 id="capabilities">Capabilities this section relies on</h2>
<ul class="link-list">
{{ range . }}{{ with site.GetPage (printf "/capabilities/%s" .) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <span class="tag">{{ .Params.level }}</span><br>{{ .Params.summary }}</li>
{{ end }}{{ end }}</ul>
</section>{{ end }}
<nav class="pager" aria-label="Previous and next sections">
{{ with .NextInSection }}<a class="pager-prev" href="{{ .RelPermalink }}" rel="prev"><span class="pager-label">Previous section</span> {{ .Title }}</a>{{ end }}
{{ with .PrevInSection }}<a class="pager-next" href="{{ .RelPermalink }}" rel="next"><span class="pager-label">Next section</span> {{ .Title }}</a>{{ end }}
</nav>
{{ end }}
""",
    "capabilities/single.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<p class="lede">{{ .Params.summary }}</p>
{{ $cited := index (partialCached "backlinks.html" site) .File.ContentBaseName }}
<dl class="summary-list">
<div class="summary-row"><dt>Level</dt><dd>{{ .Params.level | humanize }}</dd></div>
<div class="summary-row"><dt>Relied on by</dt><dd>{{ len $cited }} sections</dd></div>
</dl>
<div class="narrative">
{{ .Content }}
</div>
<section aria-labelledby="cited-in">
<h2 id="cited-in">Where the report relies on it</h2>
<ul class="citations">
{{ range $cited }}<li><a class="para-ref" href="{{ .RelPermalink }}">{{ .Title }}</a> <q>{{ .Params.summary }}</q></li>
{{ end }}</ul>
</section>
{{ end }}
""",
    "tables/single.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<p>Stated in {{ range $i, $p := .Params.paragraphs }}{{ if $i }}, {{ end }}paragraph {{ $p }}{{ end }}. <a href="{{ .Params.csv }}">Download as CSV</a>.</p>
<div class="narrative">
{{ .Content }}
</div>
{{ end }}
""",
    "report/list.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ range (site.GetPage "/threats").Pages }}<section>
<h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
{{ .Content }}
</section>
{{ end }}
{{ end }}
""",
    "reference/register.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ $kind := .Params.kind }}
<dl class="register">
{{ range $id, $e := index site.Data .Params.data }}<div id="{{ $kind }}-{{ $id }}"><dt>{{ $e.name }}</dt><dd>Mentioned in {{ range $i, $p := $e.paragraphs }}{{ if $i }}, {{ end }}paragraph {{ $p }}{{ end }}</dd></div>
{{ end }}</dl>
{{ end }}
""",
    "reference/glossary.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<dl>
{{ range $term, $expansion := site.Data.glossary }}<dt><abbr>{{ $term }}</abbr></dt><dd>{{ $expansion }}</dd>
{{ end }}</dl>
{{ end }}
""",
    "reference/commitments.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul class="timeline">
{{ range sort site.Data.commitments "due" }}<li><strong class="due">{{ .due }}</strong> {{ .what }} <a class="para-ref" href="{{ relref $ (printf "/threats/%s.md" .threat) }}#p{{ .paragraph }}">para {{ .paragraph }}</a></li>
{{ end }}</ul>
{{ end }}
""",
    # Capability backlinks: one pass over the section pages, computed once and cached (as
    # portal computes them once), so the cost stays linear.
    "partials/backlinks.html": """\
{{ $index := newScratch }}
{{ range (site.GetPage "/threats").Pages }}{{ $page := . }}{{ range .Params.caps }}{{ $index.Add . (slice $page) }}{{ end }}{{ end }}
{{ return $index.Values }}
""",
    "shortcodes/para.html": """\
<div class="para" id="p{{ .Get 0 }}"><a class="para-num" href="#p{{ .Get 0 }}"><span class="visually-hidden">Paragraph </span>{{ .Get 0 }}</a><div class="para-body">

{{ .Inner }}

</div></div>
""",
}


def write_hugo(report, root, themes, w, pages):
    for d in ("content/threats", "content/capabilities", "content/tables", "content/reference",
              "content/report", "data", "static/assets", "static/tables"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    w.write(os.path.join(root, "hugo.toml"), HUGO_CONFIG)
    for rel, text in HUGO_LAYOUTS.items():
        path = os.path.join(root, "layouts", rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        w.write(path, text)
    css = os.path.join(themes, "default", "assets", "site.css")
    if os.path.exists(css):
        shutil.copyfile(css, os.path.join(root, "static", "assets", "site.css"))
    sections = {"threats": "Report sections", "capabilities": "Capabilities", "tables": "Figures",
                "reference": "Reference"}
    for name, title in sections.items():
        w.write(os.path.join(root, "content", name, "_index.md"), f"---\ntitle: {yq(title)}\n---\n")
    w.write(os.path.join(root, "content", "_index.md"), "---\ntitle: \"Synthetic assurance report\"\n---\n")

    for page in pages():
        w.write(os.path.join(root, "content", "threats", page.slug + ".md"), page.hugo())
    for k in range(1, report.n_caps + 1):
        rng = report.rng("cap", k)
        title, summary, level = report.cap_title(k), sentence(rng), LEVELS[k % 3]
        body = capability_body(report, k, rng)
        i = min(report.n, k)
        body = body.replace(f"(para:{first_para(i)})",
                            f'({{{{< relref "/threats/{slug_threat(i)}.md#p{first_para(i)}" >}}}})')
        w.write(os.path.join(root, "content", "capabilities", slug_cap(k) + ".md"), "\n".join([
            "---", f"title: {yq(title)}", f"summary: {yq(summary)}", f"level: {level}", "---", "",
            body, ""]))
    for k in range(1, report.n_tables + 1):
        slug = slug_table(k)
        w.write(os.path.join(root, "content", "tables", slug + ".md"), "\n".join([
            "---", f"title: {yq(report.table_caption(k))}", f"paragraphs: [{report.table_para(k)}]",
            f"csv: {slug}.csv", "---", ""] + data_table_markdown(report, k) + [""]))
        csv = ["Measure," + ",".join(TABLE_COLUMNS) + ",Total"]
        for m, values, total in report.table_rows(k):
            csv.append(f"{m}," + ",".join(str(v) for v in values) + f",{total}")
        w.write(os.path.join(root, "static", "tables", slug + ".csv"), "\n".join(csv) + "\n")
    for kind, title in (("board", "Governance boards"), ("partner", "Partners"), ("operation", "Operations")):
        w.write(os.path.join(root, "content", "reference", kind + "s.md"),
                f"---\ntitle: {yq(title)}\nlayout: register\nkind: {kind}\ndata: {kind}s\n---\n")
    w.write(os.path.join(root, "content", "reference", "glossary.md"),
            "---\ntitle: \"Glossary\"\nlayout: glossary\n---\n")
    w.write(os.path.join(root, "content", "reference", "commitments.md"),
            "---\ntitle: \"Commitments\"\nlayout: commitments\n---\n")
    for name, text in data_files(report, "hugo").items():
        w.write(os.path.join(root, "data", name), text)


def generate(out, pages, seed, themes, quiet=False):
    start = time.monotonic()
    report = Report(pages, seed)
    portal_root = os.path.join(out, "portal")
    hugo_root = os.path.join(out, "hugo")
    for d in (portal_root, hugo_root):
        if os.path.isdir(d):
            shutil.rmtree(d)
        os.makedirs(d)
    w_portal, w_hugo = Writer(), Writer()

    # One pass over the pages writes both sides, so memory stays flat at 50,000 pages.
    os.makedirs(os.path.join(hugo_root, "content", "threats"), exist_ok=True)

    def both():
        for i in range(1, pages + 1):
            page = Page(report, i)
            w_hugo.write(os.path.join(hugo_root, "content", "threats", page.slug + ".md"), page.hugo())
            yield page

    write_portal(report, portal_root, os.path.abspath(themes), w_portal, both)
    write_hugo(report, hugo_root, os.path.abspath(themes), w_hugo, lambda: iter(()))

    edit_slug = slug_threat(max(1, (pages + 1) // 2))
    manifest = {
        "pages": pages,
        "seed": seed,
        "paragraphs": report.n_paras,
        "capabilities": report.n_caps,
        "tables": report.n_tables,
        "boards": N_BOARDS,
        "partners": N_PARTNERS,
        "operations": N_OPERATIONS,
        "commitments": N_COMMITMENTS,
        "glossary": len(GLOSSARY),
        "portal_files": w_portal.files,
        "portal_bytes": w_portal.bytes,
        "hugo_files": w_hugo.files,
        "hugo_bytes": w_hugo.bytes,
        "edit_page": {
            "portal": f"portal/Content/threats/{edit_slug}.md",
            "hugo": f"hugo/content/threats/{edit_slug}.md",
            "last_paragraph": first_para(max(1, (pages + 1) // 2)) + PARAS_PER_PAGE - 1,
        },
        "seconds": round(time.monotonic() - start, 2),
    }
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2, sort_keys=True)
        f.write("\n")
    if not quiet:
        print(f"generated {pages} section pages ({report.n_paras} paragraphs, {report.n_caps} capabilities, "
              f"{report.n_tables} tables): portal {w_portal.files} files {w_portal.bytes / 1e6:.1f} MB, "
              f"hugo {w_hugo.files} files {w_hugo.bytes / 1e6:.1f} MB in {manifest['seconds']} s -> {out}")
    return manifest


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", help="output folder (portal/ and hugo/ are replaced)")
    parser.add_argument("--pages", type=int, required=True, help="number of section pages")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--themes", default=os.path.normpath(os.path.join(here, "..", "..", "Themes")),
                        help="the Themes folder to link (default: the repository's)")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    if args.pages < 2:
        parser.error("--pages must be at least 2")
    if not os.path.isdir(args.themes):
        parser.error(f"no Themes folder at {args.themes}")
    generate(args.out, args.pages, args.seed, args.themes, args.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
