import PortalLoad
import PortalResolve
import PortalSupport
import PortalTemplates

/// The page shell every page shares: site navigation, breadcrumbs, language, asset paths.
/// Everything but the current page's marks and title is the same for all pages in a folder, so
/// it is built once per folder (see `LayoutShell`) rather than once per page.
func layoutValue(for page: PageID, title: String, breadcrumbs: [Crumb], shell: LayoutShell, graph: SiteGraph)
    -> TemplateObject
{
    let folder = shell.folder(of: page)
    var nav = folder.nav
    if let position = folder.navPages.firstIndex(of: page) {
        nav[position] = navEntry(folder.navTitles[position], href: folder.navHrefs[position], current: true)
    } else if case .section(let slug, _) = page, let section = graph.section(slug), section.page == page {
        // A section beyond the listed ones is shown too, just before the link to all of them.
        nav.insert(
            navEntry(section.title, href: relativeURL(from: page.path, to: page.path), current: true),
            at: folder.navPages.count)
    }
    var reference = folder.reference
    if let position = folder.referencePages.firstIndex(of: page) {
        reference[position] = navEntry(
            folder.referenceTitles[position], href: folder.referenceHrefs[position], current: true)
    }
    let trail = page == .home ? [] : [Crumb(title: "Overview", page: .home)] + breadcrumbs
    var values = folder.fixed
    values["page_kind"] = .text(pageKind(page))
    values["is_search"] = .bool(page == .search)
    values["title"] = .text(title)
    values["is_home"] = .bool(page == .home)
    values["nav"] = .list(nav)
    values["reference_nav"] = .list(reference)
    values["breadcrumbs"] = .list(
        trail.map {
            .object(["title": .text($0.title), "href": .text(relativeURL(from: page.path, to: $0.page.path))])
        })
    values["has_breadcrumbs"] = .bool(!trail.isEmpty)
    if page == .notFound {
        if let base = shell.basePath { values["base_href"] = .text(base) }
        if let css = shell.inlineStyles { values["inline_css"] = .text(css) }
        if let script = shell.baseScript { values["base_script"] = .text(script) }
    }
    return values
}

private func navEntry(_ title: String, href: String, current: Bool) -> TemplateValue {
    .object(["title": .text(title), "href": .text(href), "current": .bool(current)])
}

/// The navigation and fixed values of the page shell, per output folder (links are relative, so
/// they differ between `index.html`, `threats/…` and `reference/…`).
struct LayoutShell: Sendable {
    struct Folder: Sendable {
        var navPages: [PageID] = []
        var navTitles: [String] = []
        var navHrefs: [String] = []
        /// The entries, plus the link to every section on large sites.
        var nav: [TemplateValue] = []
        var referencePages: [PageID] = []
        var referenceTitles: [String] = []
        var referenceHrefs: [String] = []
        var reference: [TemplateValue] = []
        var fixed: TemplateObject = [:]
    }

    var folders: [String: Folder] = [:]
    /// A web server answers a missing address at any depth (`/spr/threats/nope.html`) with
    /// `404.html`, so its relative links would resolve from the wrong folder. With `base_path`
    /// set, a `<base href>` makes them resolve from the site's root; without it, the page carries
    /// its styles inline so it is readable wherever it is served.
    /// `site.yaml`'s `base_path`, for the not-found page's `<base href>`.
    var basePath: String?
    /// The theme's plain stylesheet (`assets/plain.css`), inlined in the not-found page when
    /// there is no `base_path`.
    var inlineStyles: String?
    /// Without `base_path`: a script that finds the site's root from the address the server
    /// answered (the part before the first of the site's own folders) and sets `<base href>`,
    /// so the page's links work at any depth too.
    var baseScript: String?

    func folder(of page: PageID) -> Folder { folders[page.folder] ?? folders[""]! }
}

/// The site's own top-level folders: every page's, the theme's assets, and the folders editions
/// add. An address holding one of them has the site's root just before it.
private func siteFolders(_ folders: [(folder: String, first: PageID)]) -> [String] {
    let tops = Set(folders.compactMap { $0.folder.split(separator: "/").first.map(String.init) })
    return tops.union(["assets", "editions", "changes"]).sorted()
}

/// Each folder pages are written into, with its first page, in page order. A folder's pages
/// come together, so most pages are told from the one before by one comparison, not a look-up:
/// a large site has 10,000 pages in a handful of folders.
private func pageFolders(_ pages: [PageID]) -> [(folder: String, first: PageID)] {
    var folders: [(folder: String, first: PageID)] = []
    var seen = Set<String>()
    var last: String?
    for page in pages {
        let folder = page.folder
        if folder == last { continue }
        last = folder
        if seen.insert(folder).inserted { folders.append((folder, page)) }
    }
    return folders
}

/// The not-found page's `<base href>` worked out in the browser, for a site with no `base_path`:
/// `/spr/threats/nope.html` has its root at `/spr/`; an address in none of the site's folders
/// has it in its own folder. Written before anything in the page that links.
private func rootFindingScript(folders: [String]) -> String {
    let list = "[" + folders.map { "\"\($0)\"" }.joined(separator: ",") + "]"
    return "(function(){var f=\(list),p=location.pathname.split(\"/\");p.pop();"
        + "for(var i=1;i<p.length;i++){if(f.indexOf(p[i])>=0){p=p.slice(0,i);break;}}"
        + "document.write('<base href=\"'+p.join(\"/\").replace(/[\"<>]/g,encodeURIComponent)+'/\">');})();"
}

/// Builds the shell for every folder the site writes pages into.
func layoutShell(graph: SiteGraph, pages: [PageID]) -> LayoutShell {
    var shell = LayoutShell()
    shell.basePath = graph.config.basePath
    let folders = pageFolders(pages)
    if graph.config.basePath == nil {
        shell.baseScript = rootFindingScript(folders: siteFolders(folders))
    }
    if graph.config.basePath == nil, let css = graph.theme.assets.first(where: { $0.path == "plain.css" }) {
        shell.inlineStyles = String(decoding: css.bytes, as: UTF8.self)
    }
    var samples: [String: PageID] = ["": .home]
    for (folder, first) in folders where samples[folder] == nil { samples[folder] = first }
    // Whether the site has a page, looked for only when its folder is there.
    func has(_ page: PageID) -> Bool { samples[page.folder] != nil && pages.contains(page) }
    let navTargets: [(String, PageID)] =
        [("Overview", .home)] + graph.sections.prefix(maxNavSections).map { ($0.title, $0.page) }
    let referenceTargets: [(String, PageID)] =
        [("Capabilities", .capabilities), ("Figures", .tables), ("Commitments", .commitments)]
        + Register.allCases.map { ($0.pluralSlug.capitalized, PageID.register($0)) }
        + [("Glossary", .glossary)] + (graph.config.fullReport ? [("Full report", PageID.report)] : [])
        + (has(.editions) ? [("Editions", PageID.editions)] : [])
        + (has(.changes) ? [("What changed", PageID.changes)] : [])
    for (name, sample) in samples {
        let href = { (target: PageID) in relativeURL(from: sample.path, to: target.path) }
        var folder = LayoutShell.Folder()
        for (title, target) in navTargets {
            folder.navPages.append(target)
            folder.navTitles.append(title)
            folder.navHrefs.append(href(target))
            folder.nav.append(navEntry(title, href: href(target), current: false))
        }
        // A board paper has a dozen sections; a site with thousands lists the first ones, the
        // page being read, and a link to all of them, so each page's size does not grow.
        if graph.sections.count > maxNavSections {
            folder.nav.append(
                navEntry(
                    "All \(formatNumberText(String(graph.sections.count))) sections",
                    href: href(.home) + "#" + (graph.config.sectionKinds.first?.anchor ?? "threats"),
                    current: false))
        }
        for (title, target) in referenceTargets {
            folder.referencePages.append(target)
            folder.referenceTitles.append(title)
            folder.referenceHrefs.append(href(target))
            folder.reference.append(navEntry(title, href: href(target), current: false))
        }
        folder.fixed = [
            "print_header": .text(cssString(graph.config.report.title ?? graph.config.title)),
            "search_href": .text(href(.search)),
            "report_href": .text(graph.config.fullReport ? href(.report) : ""),
            "glossary_href": .text(href(.glossary)),
            "lang": .text(graph.config.language),
            "site_title": .text(graph.config.title),
            "organisation": .text(graph.config.organisation),
            "root": .text(rootPrefix(of: sample.path)),
            "home_href": .text(href(.home)),
        ]
        shell.folders[name] = folder
    }
    return shell
}

/// How many report sections the site navigation lists before it links to the full list.
let maxNavSections = 24

/// A class for the page's `<body>`, so the theme can lay out each kind of page its own way.
func pageKind(_ page: PageID) -> String {
    switch page {
    case .home: return "home"
    case .section: return "section"
    case .capability: return "capability"
    case .capabilities: return "capabilities"
    case .table: return "table"
    case .tables: return "tables"
    case .glossary: return "glossary"
    case .register: return "register"
    case .commitments: return "commitments"
    case .report: return "report"
    case .search: return "search"
    case .notFound: return "not-found"
    case .changes: return "changes"
    case .sectionChanges: return "section-changes"
    case .editions: return "editions"
    }
}

/// Links from one page to others, always relative.
struct Linker {
    var from: PageID

    func href(_ target: PageID, fragment: String? = nil) -> String {
        relativeURL(from: from.path, to: target.path) + (fragment.map { "#" + $0 } ?? "")
    }

    /// A link to a report paragraph wherever it is.
    func paragraph(_ number: Int, graph: SiteGraph) -> String? {
        graph.paragraphIndex[number].flatMap { graph.sectionPage($0) }.map { href($0, fragment: "p\(number)") }
    }

    /// "paragraphs 59 and 75" with each number linked; escaped HTML.
    func paragraphsHTML(_ numbers: [Int], graph: SiteGraph) -> String {
        paragraphLinks(numbers, base: rootPrefix(of: from.path), graph: graph)
    }
}

func figureContext(_ figure: Figure, linker: Linker, graph: SiteGraph, marker: AcronymMarker? = nil) -> TemplateObject {
    var context: TemplateObject = [
        "label": .text(figure.label), "label_html": marker?.html(figure.label) ?? .text(figure.label),
        "value": .text(figureText(figure)), "paragraph": .number(figure.paragraph.value),
        "paragraph_href": .text(linker.paragraph(figure.paragraph.value, graph: graph) ?? ""),
    ]
    if let target = figure.target {
        context["target"] = .text(withUnit(target.formatted, unit: figure.unit))
        context["target_label"] = .text(figure.targetLabel ?? "target")
        if case .number(let value) = figure.value {
            context["target_gap"] = .text(
                gapText(value, target, unit: figure.unit, words: (lower: "below", higher: "above")))
        }
    }
    return context
}

/// Text as the inside of a CSS string in a `<style>` element: quotes and backslashes escaped, and
/// `<` written as an escape so no `</style>` can end the element early.
func cssString(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "<": out += "\\3C "
        case "\n", "\r": out += " "
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}

/// "Regional" for `level: regional`: the site's own word, with a capital.
func levelName(_ level: String?) -> String {
    guard let level, let first = level.first else { return "Level not stated" }
    return first.uppercased() + level.dropFirst()
}

/// "1 table", "6 tables": a count with the noun that reads right.
func counted(_ count: Int, _ singular: String, _ plural: String) -> String {
    "\(formatNumberText(String(count))) \(count == 1 ? singular : plural)"
}

extension String {
    /// "National threats" for a heading from "national threats".
    var capitalisedFirst: String { (first?.uppercased() ?? "") + dropFirst() }
}
