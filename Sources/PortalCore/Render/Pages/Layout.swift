/// The page shell every page shares: site navigation, breadcrumbs, language, asset paths.
func layoutContext(for page: PageID, title: String, breadcrumbs: [Crumb], graph: SiteGraph) -> [String: Any] {
    let href = { (target: PageID) in relativeURL(from: page.path, to: target.path) }
    var nav: [[String: Any]] = []
    nav.append(["title": "Overview", "href": href(.home), "current": page == .home])
    // A board paper has a dozen sections; a site with thousands lists the first ones, the page
    // being read, and a link to all of them, so each page's size does not grow with the site.
    var listed = Array(graph.sections.prefix(maxNavSections))
    if case .section(let slug) = page, let position = graph.sectionIndex[slug], position >= maxNavSections {
        listed.append(graph.sections[position])
    }
    for section in listed {
        nav.append([
            "title": section.title, "href": href(.section(section.slug)), "current": page == .section(section.slug),
        ])
    }
    if graph.sections.count > maxNavSections {
        nav.append([
            "title": "All \(formatNumberText(String(graph.sections.count))) sections",
            "href": href(.home) + "#threats", "current": false,
        ])
    }
    var reference: [[String: Any]] = []
    let referencePages: [(String, PageID)] =
        [("Capabilities", .capabilities), ("Figures", .tables), ("Commitments", .commitments)]
        + EntityKind.allCases.map { ($0.pluralSlug.capitalized, PageID.register($0)) }
        + [("Glossary", .glossary)] + (graph.config.fullReport ? [("Full report", PageID.report)] : [])
    for (name, target) in referencePages {
        reference.append(["title": name, "href": href(target), "current": page == target])
    }
    let trail = page == .home ? [] : [Crumb(title: "Overview", page: .home)] + breadcrumbs
    return [
        "page_kind": pageKind(page),
        "is_search": page == .search,
        "search_href": href(.search),
        "report_href": graph.config.fullReport ? href(.report) : "",
        "glossary_href": href(.glossary),
        "lang": graph.config.language,
        "site_title": graph.config.title,
        "organisation": graph.config.organisation,
        "title": title,
        "is_home": page == .home,
        "root": rootPrefix(of: page.path),
        "home_href": href(.home),
        "nav": nav,
        "reference_nav": reference,
        "breadcrumbs": trail.map { ["title": $0.title, "href": href($0.page)] },
        "has_breadcrumbs": !trail.isEmpty,
    ]
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
        graph.paragraphIndex[number].map { href(.section($0), fragment: "p\(number)") }
    }

    /// "paragraphs 59 and 75" with each number linked; escaped HTML.
    func paragraphsHTML(_ numbers: [Int], graph: SiteGraph) -> String {
        paragraphLinks(numbers, base: rootPrefix(of: from.path), graph: graph)
    }
}

/// A figure as text: "42", "13.3%", "£60,000", or the words the report used.
func figureText(_ figure: Figure) -> String {
    switch figure.value {
    case .number(let number): return withUnit(number.formatted, unit: figure.unit)
    case .text(let text): return text
    }
}

func figureContext(_ figure: Figure, linker: Linker, graph: SiteGraph) -> [String: Any] {
    var context: [String: Any] = [
        "label": figure.label, "value": figureText(figure), "paragraph": figure.paragraph.value,
        "paragraph_href": linker.paragraph(figure.paragraph.value, graph: graph) ?? "",
    ]
    if let target = figure.target {
        context["target"] = withUnit(target.formatted, unit: figure.unit)
        context["target_label"] = figure.targetLabel ?? "target"
        if case .number(let value) = figure.value {
            context["target_gap"] = gapText(value, target, unit: figure.unit, words: (lower: "below", higher: "above"))
        }
    }
    return context
}

func levelName(_ level: CapabilityLevel?) -> String {
    switch level {
    case .local: return "Local"
    case .regional: return "Regional"
    case .national: return "National"
    case nil: return "Level not stated"
    }
}
