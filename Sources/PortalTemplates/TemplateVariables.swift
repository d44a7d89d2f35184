/// The template variables: every name a page template's context fills, what it holds and which
/// page templates have it. This one catalog is the source of truth for the theme check
/// (`TemplateCheck.swift`: a tag naming anything else is an error when the theme is loaded), for
/// debug builds (every context handed to a template is checked against it, names and kinds, so a
/// name a page builder in `PortalRender/Pages` adds without adding it here fails the tests), and for
/// the reference in `Themes/README.md`, generated from it (`templateReference()`; a unit test
/// compares the two).

/// What a variable holds, as a theme author uses it: text shows escaped with `{{name}}`, HTML
/// (already escaped and marked up by the portal) shows with `{{{name}}}`, a flag or a list opens
/// a `{{#name}}` section, an object's fields are read inside one.
enum TemplateVariableKind: String, Sendable {
    case text
    case html = "HTML"
    case number, flag, list, object

    /// Whether a context value is of this kind. HTML may also be text the portal escaped itself.
    func holds(_ value: TemplateValue) -> Bool {
        switch (self, value) {
        case (.text, .text), (.html, .text), (.html, .html), (.number, .number), (.flag, .bool), (.list, .list),
            (.object, .object):
            return true
        default: return false
        }
    }
}

/// One name page templates may use, at any depth of their contexts.
struct TemplateVariable: Sendable {
    let name: String
    let kind: TemplateVariableKind
    /// One line for the reference.
    let holds: String
    /// The page templates whose contexts fill it (on some pages or all: an optional field, such as
    /// a section's `lead`, is absent from some pages and present on others).
    let templates: [String]

    init(_ name: String, _ kind: TemplateVariableKind, _ holds: String, _ templates: [String]) {
        self.name = name
        self.kind = kind
        self.holds = holds
        self.templates = templates
    }
}

/// The page templates, in the reference's order: `layout` frames every page's output.
let pageTemplates = [
    "layout", "home", "section", "capability", "capabilities", "table", "tables", "glossary", "register",
    "commitments", "report", "search", "not-found", "editions", "changes", "section-changes",
]

let templateVariables: [TemplateVariable] = [
    TemplateVariable("added_count", .number, "in `section_counts`: paragraphs added", ["changes"]),
    TemplateVariable(
        "agenda_item", .text, "the report's agenda item at its board meeting (site.yaml `report.agenda_item`)",
        ["report"]),
    TemplateVariable("aliases", .text, "other names of the capability, joined by commas", ["capability"]),
    TemplateVariable("all", .list, "every capability, in report order (title, href, summary, level)", ["capabilities"]),
    TemplateVariable(
        "anchor", .text, "a fragment id: a section kind's block, a glossary term, a register entry",
        ["home", "glossary", "register"]),
    TemplateVariable("author", .text, "in `last_updated`: who made the last commit to the page's sources", ["layout"]),
    TemplateVariable(
        "banner_changes_href", .text, "in `edition_banner`: what changed in this edition, when it has one before it",
        ["layout"]),
    TemplateVariable(
        "banner_current_href", .text, "in `edition_banner`: the same page in the current edition, or its home",
        ["layout"]),
    TemplateVariable(
        "banner_current_label", .text, "what `banner_current_href` leads to (\"this page\" or \"the overview\")",
        ["layout"]),
    TemplateVariable("banner_date", .text, "in `edition_banner`: the date it was presented, if recorded", ["layout"]),
    TemplateVariable("banner_date_iso", .text, "the same as year-month-day", ["layout"]),
    TemplateVariable("banner_editions_href", .text, "in `edition_banner`: the list of every edition", ["layout"]),
    TemplateVariable("banner_name", .text, "in `edition_banner`: the edition's title and id", ["layout"]),
    TemplateVariable("base_href", .text, "the not-found page's `<base href>`, from site.yaml `base_path`", ["layout"]),
    TemplateVariable(
        "base_script", .html,
        "without `base_path`: the not-found page's script that sets its `<base href>` from the address", ["layout"]),
    TemplateVariable("board", .text, "the board the report goes to (site.yaml `report.board`)", ["report"]),
    TemplateVariable("boards", .list, "the boards a section names (name, href)", ["home", "section"]),
    TemplateVariable(
        "body", .html, "a page's rendered Markdown body; inside `inspection`, text: the finding, shown with `{{body}}`",
        ["home", "section", "capability", "report"]),
    TemplateVariable("breadcrumbs", .list, "the trail from the overview to the page (title, href)", ["layout"]),
    TemplateVariable("by_kind", .text, "the label of the first section kind shown as cards (\"threat\")", ["home"]),
    TemplateVariable(
        "by_level", .list, "capabilities grouped by level (id, name, count, href, items)", ["capabilities"]),
    TemplateVariable(
        "by_threat", .list, "capabilities grouped by the section relying on them (id, title, href, count, items)",
        ["capabilities"]),
    TemplateVariable(
        "capabilities", .list, "the capabilities a section relies on (title, href, summary, level)", ["section"]),
    TemplateVariable(
        "capabilities_href", .text, "a link to the capabilities: the index, or a section's own list",
        ["home", "section", "search"]),
    TemplateVariable(
        "capabilities_text", .text, "the number of capabilities in words: \"12 capabilities\"", ["home", "search"]),
    TemplateVariable(
        "capability_count", .number, "how many capabilities (the site's, or a section's)",
        ["home", "section", "search"]),
    TemplateVariable(
        "capability_noun", .text, "\"capability\" or \"capabilities\", to agree with `capability_count`",
        ["home", "section"]),
    TemplateVariable("caption", .text, "a table's caption", ["home", "section", "capability", "tables"]),
    TemplateVariable("card_kinds", .list, "the section kinds shown as cards (anchor, heading, cards)", ["home"]),
    TemplateVariable(
        "cards", .list, "one card per section of a kind: title, href, summary, lead, key figures, boards…", ["home"]),
    TemplateVariable(
        "cells_html", .html, "the table cells that changed, old and new, as a table; absent when none did", ["changes"]),
    TemplateVariable("chair", .text, "who chairs a board", ["register"]),
    TemplateVariable(
        "change_kind", .text, "the same as a class name: changed, added, removed or moved", ["section-changes"]),
    TemplateVariable(
        "change_label", .text, "what happened to it, in words: \"Changed\", \"Added\", \"Moved from 31 to 33\"",
        ["section-changes"]),
    TemplateVariable(
        "change_number", .number, "its number now, or its number before when removed", ["section-changes"]),
    TemplateVariable("changed_count", .number, "in `section_counts`: paragraphs changed", ["changes"]),
    TemplateVariable(
        "changes_href", .text, "a link to what changed since the edition before: the report's, or the section's",
        ["home", "section", "section-changes"]),
    TemplateVariable(
        "changes_since", .text, "the edition before, as the site names it: \"Test edition B (2024-03)\"",
        ["home", "section"]),
    TemplateVariable(
        "changes_summary", .text, "the paragraphs' changes in words: \"5 paragraphs: 2 changed, 1 added and 2 moved.\"",
        ["changes"]),
    TemplateVariable("chart_title", .text, "the title of a table's chart, where it has one", ["tables"]),
    TemplateVariable(
        "charts", .list, "charts shown on the overview (html, href, caption, paragraphs_html, section)", ["home"]),
    TemplateVariable("citation_count", .number, "how many report paragraphs cite the capability", ["capability"]),
    TemplateVariable(
        "citation_noun", .text, "\"paragraph\" or \"paragraphs\", to agree with `citation_count`", ["capability"]),
    TemplateVariable(
        "citations", .list, "the citing paragraphs, grouped by section (title, href, paragraphs)", ["capability"]),
    TemplateVariable("commitment_count", .number, "how many commitments the report makes", ["home"]),
    TemplateVariable(
        "commitments", .list, "commitments (what, what_html, due, due_iso, due_text, paragraph, section)",
        ["home", "section", "commitments"]),
    TemplateVariable("commitments_href", .text, "a link to the commitments page", ["home"]),
    TemplateVariable(
        "commitments_html", .html, "the edition before's dated commitments and what this edition says of them",
        ["changes"]),
    TemplateVariable("commitments_text", .text, "the number of commitments in words: \"9 commitments\"", ["home"]),
    TemplateVariable("content", .html, "the page template's output, for the layout to frame", ["layout"]),
    TemplateVariable(
        "contents", .list, "the page's contents list (id, text, and `sub` for a lower heading)",
        ["section", "capability"]),
    TemplateVariable(
        "count", .number, "how many entries: on the page, or in a group",
        ["capabilities", "glossary", "register", "commitments"]),
    TemplateVariable(
        "count_text", .text, "`count` in words: \"42 acronyms\"", ["capabilities", "glossary", "commitments"]),
    TemplateVariable("csv_href", .text, "a link to a table's CSV download", ["section", "capability", "table"]),
    TemplateVariable("current", .flag, "in `nav` and `reference_nav`: true for the page being shown", ["layout"]),
    TemplateVariable(
        "date", .text, "a date as readers see it (\"March 2024\"): of the last update, or an inspection",
        ["layout", "home", "section"]),
    TemplateVariable(
        "date_iso", .text, "the same date for `<time datetime>`: \"2024-03\"", ["layout", "home", "section"]),
    TemplateVariable(
        "description", .text, "the page's description (`<meta>`); a register entry's description",
        ["layout", "register"]),
    TemplateVariable(
        "details", .list, "in `report`: the report's facts (label, value; href and paragraph for updates)", ["home"]),
    TemplateVariable(
        "diff_html", .html, "its text; when changed, with `<del>` and `<ins>` around the words removed and added",
        ["section-changes"]),
    TemplateVariable("discrepancy_count", .number, "how many stated figures in the table do not add up", ["table"]),
    TemplateVariable("discrepancy_text", .text, "`discrepancy_count` in words", ["table"]),
    TemplateVariable(
        "due", .text, "when a commitment is due, as readers see it, or \"Not stated\"",
        ["home", "section", "commitments"]),
    TemplateVariable(
        "due_iso", .text, "a commitment's due date for `<time datetime>`, where it has one",
        ["home", "section", "commitments"]),
    TemplateVariable(
        "due_text", .text, "the report's own wording of when a commitment is due", ["home", "section", "commitments"]),
    TemplateVariable(
        "edition_banner", .object,
        "on a recorded edition's pages: which edition it is and where the current one is (banner_…)", ["layout"]),
    TemplateVariable(
        "edition_changes_href", .text, "what changed in an edition since the one before, if there is one",
        ["editions"]),
    TemplateVariable("edition_count_text", .text, "how many editions, in words", ["editions"]),
    TemplateVariable("edition_date", .text, "the date an edition was presented, where recorded", ["editions"]),
    TemplateVariable("edition_date_iso", .text, "the same as year-month-day", ["editions"]),
    TemplateVariable("edition_href", .text, "an edition's overview page", ["editions"]),
    TemplateVariable("edition_id", .text, "an edition's id (`2023-12`)", ["editions"]),
    TemplateVariable("edition_is_current", .flag, "the edition at the site's root, being written", ["editions"]),
    TemplateVariable("edition_title", .text, "an edition's title", ["editions"]),
    TemplateVariable("editions", .list, "every edition, newest first (edition_title, edition_href…)", ["editions"]),
    TemplateVariable(
        "editions_json", .text,
        "the earlier editions' search indexes as JSON ([id, name, address]…), for search.js; empty without editions",
        ["search"]),
    TemplateVariable("embedded_href", .text, "a link to a table drawn in the section's narrative", ["section"]),
    TemplateVariable(
        "entries", .list, "glossary entries under a letter, or a register's entries", ["glossary", "register"]),
    TemplateVariable("examples", .list, "search suggestions from this site (text, separator)", ["search"]),
    TemplateVariable("excerpt_html", .html, "a citing paragraph's opening, escaped", ["capability"]),
    TemplateVariable("expanded", .flag, "whether a glossary term has an expansion", ["glossary"]),
    TemplateVariable("expansion", .text, "what a glossary term stands for", ["glossary"]),
    TemplateVariable(
        "figures", .list, "a capability's figures (label, label_html, value, paragraph, target…)", ["capability"]),
    TemplateVariable(
        "figures_html", .html, "the key figures that changed, old and new, as a table; absent when none did",
        ["changes"]),
    TemplateVariable("glossary_count", .number, "how many glossary terms", ["home"]),
    TemplateVariable("glossary_href", .text, "a link to the glossary", ["layout", "home", "search"]),
    TemplateVariable("glossary_text", .text, "`glossary_count` in words: \"42 acronyms\"", ["home"]),
    TemplateVariable("has_body", .flag, "whether the capability has a Markdown body", ["capability"]),
    TemplateVariable("has_breadcrumbs", .flag, "whether `breadcrumbs` has any entries", ["layout"]),
    TemplateVariable(
        "has_contents", .flag, "whether the page is long enough to show its contents list", ["section", "capability"]),
    TemplateVariable("has_discrepancies", .flag, "whether any stated figure in the table does not add up", ["table"]),
    TemplateVariable("has_level", .flag, "whether the capability states its level", ["capability"]),
    TemplateVariable("has_verified", .flag, "whether the table has any stated total checked", ["table"]),
    TemplateVariable(
        "heading", .text, "the heading of a section kind's block: \"The 7 threats at a glance\"", ["home"]),
    TemplateVariable("home_href", .text, "a link to the overview", ["layout"]),
    TemplateVariable(
        "href", .text, "a link (relative to the page) to whatever the item is",
        ["layout", "home", "section", "capability", "capabilities", "tables", "register", "report", "changes"]),
    TemplateVariable("html", .html, "a chart as inline SVG with its data table", ["home"]),
    TemplateVariable(
        "id", .text, "a fragment id for a contents entry, a group, a section in the full report",
        ["section", "capability", "capabilities", "glossary", "report"]),
    TemplateVariable("index_src", .text, "the address of the search index script", ["search"]),
    TemplateVariable(
        "inline_css", .text, "the plain stylesheet, inlined in the not-found page when there is no `base_path`",
        ["layout"]),
    TemplateVariable(
        "inspection", .object, "a section's inspection finding (body, status, date, date_iso, paragraph)",
        ["home", "section"]),
    TemplateVariable("intro", .text, "a register page's opening sentence", ["register"]),
    TemplateVariable("is_home", .flag, "true on the overview", ["layout"]),
    TemplateVariable("is_search", .flag, "true on the search page", ["layout"]),
    TemplateVariable("items", .list, "in a group: its capabilities (title, href, summary, level)", ["capabilities"]),
    TemplateVariable(
        "key_figures", .list, "a section's key figures (label, label_html, value, paragraph, target…)",
        ["home", "section"]),
    TemplateVariable("kind_label", .text, "the section's kind, capitalised: \"Threat\"", ["section"]),
    TemplateVariable("label", .text, "a figure's or a report detail's label", ["home", "section", "capability"]),
    TemplateVariable("label_html", .html, "a figure's label with acronyms marked", ["home", "section", "capability"]),
    TemplateVariable("lang", .text, "the site's language tag: \"en-GB\"", ["layout"]),
    TemplateVariable(
        "last_updated", .object, "the last commit to the page's sources (date, date_iso, author)", ["layout"]),
    TemplateVariable("lead", .text, "a section's lead question or sentence", ["home", "section"]),
    TemplateVariable("lead_html", .html, "the lead with acronyms marked", ["home", "section"]),
    TemplateVariable("letter", .text, "a glossary group's letter", ["glossary"]),
    TemplateVariable("letters", .list, "glossary groups by first letter (letter, id, count, entries)", ["glossary"]),
    TemplateVariable(
        "level", .text, "a capability's level (\"Regional\"), or \"Level not stated\"",
        ["section", "capability", "capabilities"]),
    TemplateVariable("list_kinds", .list, "section kinds shown as lists (anchor, heading, sections)", ["home"]),
    TemplateVariable("meeting_date", .text, "the board meeting's date (site.yaml `report.meeting_date`)", ["report"]),
    TemplateVariable("more_uses", .text, "\"and 5 more\" when a term is used more often than shown", ["glossary"]),
    TemplateVariable("moved_count", .number, "in `section_counts`: paragraphs moved into the section", ["changes"]),
    TemplateVariable(
        "name", .text, "the name of a board, register entry or capability level",
        ["home", "section", "capabilities", "register"]),
    TemplateVariable("nav", .list, "the site navigation (title, href, current)", ["layout"]),
    TemplateVariable("new_href", .text, "a link to it in this edition", ["section-changes"]),
    TemplateVariable("new_number", .number, "its number in this edition", ["section-changes"]),
    TemplateVariable("next", .object, "the next section (title, href)", ["section"]),
    TemplateVariable("number", .number, "a citing paragraph's number", ["capability"]),
    TemplateVariable("old_href", .text, "a link to it in the edition compared with", ["section-changes"]),
    TemplateVariable("old_number", .number, "its number in the edition compared with", ["section-changes"]),
    TemplateVariable(
        "organisation", .text, "the organisation's name (site.yaml `organisation`)", ["layout", "home", "report"]),
    TemplateVariable(
        "other_citations", .list, "pages citing the capability outside numbered paragraphs (title, href)",
        ["capability"]),
    TemplateVariable(
        "page_kind", .text, "the kind of page, for a class on `<body>`: home, section, glossary…", ["layout"]),
    TemplateVariable(
        "paragraph", .number, "the number of the paragraph something comes from",
        ["home", "section", "capability", "glossary", "commitments"]),
    TemplateVariable(
        "paragraph_changes", .list,
        "each paragraph of the section that changed (change_label, change_kind, diff_html, old_href, new_href…)",
        ["section-changes"]),
    TemplateVariable(
        "paragraph_count", .number, "how many numbered paragraphs the report has", ["home", "report", "search"]),
    TemplateVariable(
        "paragraph_href", .text, "a link to that paragraph",
        ["home", "section", "capability", "glossary", "commitments"]),
    TemplateVariable("paragraph_range", .text, "\"Paragraphs 69 to 81\"", ["home", "section", "report"]),
    TemplateVariable(
        "paragraphs", .list, "in `citations`: the citing paragraphs (number, href, excerpt_html)", ["capability"]),
    TemplateVariable(
        "paragraphs_html", .html, "\"paragraphs 59 and 75\", each linked",
        ["home", "section", "table", "tables", "register"]),
    TemplateVariable(
        "paragraphs_text", .text, "`paragraph_count` in words: \"149 paragraphs\"", ["home", "report", "search"]),
    TemplateVariable("previous", .object, "the previous section (title, href)", ["section"]),
    TemplateVariable(
        "previous_section_href", .text, "the section in the edition compared with, where it had it",
        ["section-changes"]),
    TemplateVariable(
        "print_header", .text, "the report's title as a CSS string, for the printed page header", ["layout"]),
    TemplateVariable("recipient", .text, "who the report is to (site.yaml `report.recipient`)", ["report"]),
    TemplateVariable("reference_nav", .list, "the reference links (title, href, current)", ["layout"]),
    TemplateVariable("removed_count", .number, "in `section_counts`: paragraphs removed", ["changes"]),
    TemplateVariable("report", .object, "the report's facts: details, organisation, summary, summary_html", ["home"]),
    TemplateVariable("report_date", .text, "the report's date, as readers see it", ["home"]),
    TemplateVariable(
        "report_href", .text, "a link to the full report (at the section, on a section page); empty without one",
        ["layout", "home", "section", "search"]),
    TemplateVariable("report_title", .text, "the report's title", ["report"]),
    TemplateVariable(
        "root", .text, "the relative path from the page to the site's root (\"../\")", ["layout", "search"]),
    TemplateVariable("scope", .text, "a board's level or an operation's scope", ["register"]),
    TemplateVariable("script_src", .text, "the address of the search script", ["search"]),
    TemplateVariable("search_href", .text, "a link to the search page", ["layout", "home"]),
    TemplateVariable(
        "section_counts", .list,
        "one row per section of either edition (title, href, changed_count, added_count, removed_count, moved_count)",
        ["changes"]),
    TemplateVariable(
        "section_href", .text, "a link to the section something belongs to",
        ["home", "section", "table", "tables", "commitments", "section-changes"]),
    TemplateVariable(
        "section_title", .text, "the title of that section",
        ["home", "section", "table", "tables", "commitments", "section-changes"]),
    TemplateVariable(
        "sections", .list, "the report's sections (the full report: id, title, body…; lists: title, href, summary)",
        ["home", "report"]),
    TemplateVariable("separator", .text, "what follows a search example: \", \", \" or \" or nothing", ["search"]),
    TemplateVariable(
        "since_date", .text, "the date it was presented, where recorded", ["changes", "section-changes"]),
    TemplateVariable("since_date_iso", .text, "the same for `<time datetime>`", ["changes", "section-changes"]),
    TemplateVariable("since_href", .text, "a link to that edition's overview", ["changes", "section-changes"]),
    TemplateVariable(
        "since_id", .text, "the id of the edition compared with (`2023-12`)", ["changes", "section-changes"]),
    TemplateVariable(
        "since_title", .text, "the edition compared with, by title and id, or by id", ["changes", "section-changes"]),
    TemplateVariable("site_title", .text, "the site's title (site.yaml `title`)", ["layout", "home"]),
    TemplateVariable("status", .text, "an inspection's status", ["home", "section"]),
    TemplateVariable("sub", .flag, "in `contents`: a lower-level heading", ["section"]),
    TemplateVariable(
        "summary", .text, "a one-line summary: of a section, a capability, the report",
        ["home", "section", "capability", "capabilities", "report"]),
    TemplateVariable("summary_html", .html, "the summary with acronyms marked", ["home", "section"]),
    TemplateVariable("table_count", .number, "how many tables of figures", ["home"]),
    TemplateVariable("table_html", .html, "a table of figures as HTML", ["section", "capability", "table"]),
    TemplateVariable(
        "tables", .list, "tables of figures (caption, href, csv_href, paragraphs_html, table_html…)",
        ["section", "capability", "tables"]),
    TemplateVariable("tables_href", .text, "a link to the figures index", ["home", "search"]),
    TemplateVariable("tables_text", .text, "`table_count` in words: \"6 tables\"", ["home"]),
    TemplateVariable(
        "target", .text, "a figure's target, where the report states one", ["home", "section", "capability"]),
    TemplateVariable(
        "target_gap", .text, "how far the figure is from its target: \"2 below\"", ["home", "section", "capability"]),
    TemplateVariable(
        "target_label", .text, "what the target is called (\"target\" unless the data says)",
        ["home", "section", "capability"]),
    TemplateVariable("term", .text, "a glossary term", ["glossary"]),
    TemplateVariable(
        "text", .text, "a contents entry's or a search example's text", ["section", "capability", "search"]),
    TemplateVariable(
        "threats", .list, "the sections a capability or register entry serves (title, href); the name of the data key",
        ["capability", "register"]),
    TemplateVariable(
        "title", .text, "the page's title; in a list, the item's",
        [
            "layout", "home", "section", "capability", "capabilities", "table", "register", "report", "changes",
            "section-changes",
        ]),
    TemplateVariable(
        "trends_html", .html, "with three or more editions: each changed figure's trend, inline SVG and its table",
        ["changes"]),
    TemplateVariable("used_html", .html, "the first paragraphs that use a glossary term, each linked", ["glossary"]),
    TemplateVariable(
        "value", .text, "a figure's value as text (\"13.3%\"), or a report detail's", ["home", "section", "capability"]),
    TemplateVariable("verified", .number, "how many stated totals in the table were checked", ["table"]),
    TemplateVariable("verified_text", .text, "`verified` in words: \"3 stated totals\"", ["table"]),
    TemplateVariable("what", .text, "what a commitment promises", ["home", "section", "commitments"]),
    TemplateVariable("what_html", .html, "the same with acronyms marked", ["home", "section", "commitments"]),
]

/// Names every page template but the layout accepts, filled or not, so one partial can serve
/// several kinds of page; where a page does not fill one, it shows nothing.
let sharedTemplateNames: Set<String> = [
    "agenda_item", "board", "body", "capabilities", "capabilities_href", "chair", "chart_title", "citation_count",
    "citation_noun", "citations", "commitments", "contents", "date", "date_iso", "details", "due_iso", "due_text",
    "embedded_href", "has_contents", "href", "inspection", "lead", "level", "meeting_date", "next", "organisation",
    "other_citations", "paragraph", "paragraph_href", "paragraphs_html", "previous", "recipient", "report_href",
    "scope", "section_href", "section_title", "table_html", "tables", "target", "target_gap", "target_label", "threats",
    "title",
]

/// The names each page template's context fills.
let filledTemplateNames: [String: Set<String>] = {
    var names: [String: Set<String>] = Dictionary(uniqueKeysWithValues: pageTemplates.map { ($0, []) })
    for variable in templateVariables {
        for template in variable.templates { names[template, default: []].insert(variable.name) }
    }
    return names
}()

/// The names a theme's tags may use in each page template: those its context fills, and the
/// shared ones. Anything else can never show a value, so it is a mistake (`{{titel}}`).
let pageTemplateNames: [String: Set<String>] = Dictionary(
    uniqueKeysWithValues: pageTemplates.map { template in
        (template, filledTemplateNames[template, default: []].union(template == "layout" ? [] : sharedTemplateNames))
    })

let templateVariableIndex: [String: TemplateVariable] = Dictionary(
    uniqueKeysWithValues: templateVariables.map { ($0.name, $0) })

/// Names in a context that the catalog does not give its template, or gives another kind:
/// "name" or "name (list, not text)". Empty for a template that is not a page template.
func undeclaredNames(in value: TemplateValue, template: String) -> [String] {
    guard let filled = filledTemplateNames[template] else { return [] }
    var problems: Set<String> = []
    func walk(_ value: TemplateValue) {
        switch value {
        case .object(let object):
            for (key, child) in zip(object.keys, object.values) {
                if !filled.contains(key) {
                    problems.insert(key)
                } else if let variable = templateVariableIndex[key], !variable.kind.holds(child) {
                    problems.insert("\(key) (not \(variable.kind.rawValue))")
                }
                walk(child)
            }
        case .list(let items): items.forEach(walk)
        default: break
        }
    }
    walk(value)
    return problems.sorted()
}

/// The reference for theme authors, as `Themes/README.md` holds it.
func templateReference() -> String {
    var text = """
        # Template variables

        <!-- Generated from Sources/PortalTemplates/TemplateVariables.swift: do not edit. \
        To regenerate: PORTAL_WRITE_REFERENCE=1 swift test --filter templateReference -->

        The names each page template (`Themes/<name>/templates/<page>.mustache`) can use, at any
        depth of its context. Kinds: **text** shows escaped with `{{name}}`; **HTML** is already
        escaped by the portal and shows with `{{{name}}}`; a **flag** or a **list** opens a
        `{{#name}}…{{/name}}` section (a list once per item, whose names are then read inside it);
        an **object**'s fields are read inside its section; a **number** shows as digits. The
        `layout` template frames every page: it shows the page template's output as `{{{content}}}`.

        A tag naming anything not listed for its template is an error when the theme is loaded
        (`portal check`, `portal build`). Besides its own names, every page template but `layout`
        also accepts the shared names (marked *shared* below), so one partial can serve several
        kinds of page; where a page has no value for one, it shows nothing.

        | name | kind | holds | filled in |
        | --- | --- | --- | --- |

        """
    for variable in templateVariables {
        let shared = sharedTemplateNames.contains(variable.name) ? " (*shared*)" : ""
        let templates = variable.templates.map { "`\($0)`" }.joined(separator: ", ")
        text += "| `\(variable.name)` | \(variable.kind.rawValue) | \(variable.holds) | \(templates)\(shared) |\n"
    }
    return text
}
