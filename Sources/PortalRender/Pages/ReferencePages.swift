import PortalLoad
import PortalMarkdown
import PortalResolve
import PortalSupport
import PortalTemplates

/// The glossary, grouped by first letter.
func glossaryPage(_ context: RenderContext) -> BuiltPage {
    let graph = context.graph
    let linker = Linker(from: .glossary)
    // Anchors follow the glossary file's order, so search links to the same entry.
    let anchors = glossaryAnchors(graph.glossary)
    let uses = glossaryUses(context)
    let sorted = graph.glossary.indices.sorted {
        let a = graph.glossary[$0]
        let b = graph.glossary[$1]
        return (a.term.uppercased(), a.term, a.expansion, $0) < (b.term.uppercased(), b.term, b.expansion, $1)
    }
    var groups: [(String, [Int])] = []
    for index in sorted {
        let letter = graph.glossary[index].term.first.map { String($0).uppercased() } ?? "#"
        let key = letter.first!.isLetter ? letter : "#"
        if groups.last?.0 == key { groups[groups.count - 1].1.append(index) } else { groups.append((key, [index])) }
    }
    return BuiltPage(
        template: "glossary", title: "Glossary", description: "Acronyms used in the report",
        context: [
            "count": .number(graph.glossary.count),
            "count_text": .text(counted(graph.glossary.count, "acronym", "acronyms")),
            "letters": .list(
                groups.map { letter, entries -> TemplateValue in
                    [
                        "letter": .text(letter), "id": "letter-\(letter == "#" ? "other" : letter.lowercased())",
                        "count": .number(entries.count),
                        "entries": .list(
                            entries.map {
                                glossaryEntry(
                                    graph.glossary[$0], anchor: anchors[$0],
                                    usedIn: uses[graph.glossary[$0].term] ?? [],
                                    linker: linker, graph: graph)
                            }),
                    ]
                }),
        ], sources: [SitePath.glossary])
}

/// One glossary entry, linked to the report paragraph the glossary gives for it, if any.
private func glossaryEntry(
    _ entry: GlossaryEntry, anchor: String, usedIn: [Int], linker: Linker, graph: SiteGraph
) -> TemplateValue {
    var values: TemplateObject = [
        "term": .text(entry.term), "expansion": .text(entry.expansion), "expanded": .bool(!entry.expansion.isEmpty),
        "anchor": .text(anchor),
    ]
    // Where the report uses the term, not only where it spells it out: the first dozen.
    let shown = Array(usedIn.prefix(glossaryUsesShown))
    if !shown.isEmpty {
        values["used_html"] = .text(linker.paragraphsHTML(shown, graph: graph))
        if usedIn.count > shown.count { values["more_uses"] = .text("and \(usedIn.count - shown.count) more") }
    }
    if let paragraph = entry.paragraph, let href = linker.paragraph(paragraph.value, graph: graph) {
        values["paragraph"] = .number(paragraph.value)
        values["paragraph_href"] = .text(href)
    }
    return .object(values)
}

let glossaryUsesShown = 12

/// The paragraphs that use each glossary term (or its plural), in report order, read off the
/// paragraphs' text word by word; a word is looked up only when it could be a term.
func glossaryUses(_ context: RenderContext) -> [String: [Int]] {
    guard !context.abbreviations.isEmpty else { return [:] }
    var uses: [String: [Int]] = [:]
    for section in context.graph.sections {
        for use in context.acronymUses(of: section) {
            for term in use.terms { uses[term, default: []].append(use.number) }
        }
    }
    return uses
}

/// The glossary terms one numbered paragraph uses, each once, in the order it first uses them.
struct AcronymUse: Equatable {
    var number: Int
    var terms: [String]
}

/// The paragraphs of a section that use a glossary term, with the terms.
func acronymUses(_ paragraphs: [Paragraph], index: AbbreviationIndex) -> [AcronymUse] {
    guard !index.isEmpty else { return [] }
    // By index, as `searchTexts`: no copy of each paragraph.
    return paragraphs.indices.compactMap { position in
        let terms = acronymsUsed(in: paragraphs[position].text, index: index)
        return terms.isEmpty ? nil : AcronymUse(number: paragraphs[position].number, terms: terms)
    }
}

private func acronymsUsed(in text: String, index: AbbreviationIndex) -> [String] {
    var terms: [String] = []
    var text = text
    text.withUTF8 { bytes in
        let count = bytes.count
        var position = 0
        // Words of ASCII letters and digits: acronyms are written in them, and "PSU’s" splits
        // at the apostrophe into the term and its "s".
        while position < count {
            while position < count, !isASCIIAlphanumeric(bytes[position]) { position += 1 }
            let start = position
            while position < count, isASCIIAlphanumeric(bytes[position]) { position += 1 }
            guard position - start >= 2,
                let term = index.term(forBytes: UnsafeBufferPointer(rebasing: bytes[start..<position])),
                !terms.contains(term)
            else { continue }
            terms.append(term)
        }
    }
    return terms
}

func fingerprint(_ uses: [AcronymUse]) -> UInt64 {
    var hasher = StableHasher()
    for use in uses {
        hasher.combine(use.number)
        for term in use.terms { hasher.combine(term) }
        hasher.combine("")
    }
    return hasher.value
}

/// Boards, partners or operations: one entry each, with where the report mentions it.
func registerPage(_ kind: Register, context: RenderContext) -> BuiltPage {
    let graph = context.graph
    let page = PageID.register(kind)
    let linker = Linker(from: page)
    let title: String
    let intro: String
    switch kind {
    case .board:
        title = "Governance boards"
        intro = "Boards, groups and meetings the report names, with who chairs them where it says."
    case .partner:
        title = "Partners"
        intro = "Organisations the report names as working with the force."
    case .operation:
        title = "Operations"
        intro = "Named operations the report mentions."
    }
    let entries = graph.registerEntries.filter { $0.source.register == kind }.sorted {
        ($0.source.name.lowercased(), $0.id) < ($1.source.name.lowercased(), $1.id)
    }
    return BuiltPage(
        template: "register", title: title, description: intro,
        context: [
            "title": .text(title), "intro": .text(intro), "count": .number(entries.count),
            "entries": .list(entries.map { registerEntry($0, linker: linker, graph: graph) }),
        ], sources: [SitePath.data(kind.file)])
}

/// One board, partner or operation: what the data file says of it, the sections it serves and
/// every paragraph that names it, whether the data file lists it or the report's text links it.
private func registerEntry(_ entry: RegisterEntry, linker: Linker, graph: SiteGraph) -> TemplateValue {
    let source = entry.source
    var values: TemplateObject = ["anchor": .text(entry.anchor), "name": .text(source.name)]
    if let chair = source.chair { values["chair"] = .text(chair) }
    if let scope = source.scope { values["scope"] = .text(scope) }
    if let description = source.description { values["description"] = .text(description) }
    values["threats"] = .list(
        source.sections.compactMap { slug in
            graph.section(slug.value).map {
                ["title": .text($0.title), "href": .text(linker.href($0.page))]
            }
        })
    let cited = (graph.citations[.registerEntry(source.register, entry.id)] ?? []).compactMap(\.paragraph)
    let paragraphs = Array(Set(source.paragraphs.map(\.value) + cited)).sorted()
    if !paragraphs.isEmpty { values["paragraphs_html"] = .text(linker.paragraphsHTML(paragraphs, graph: graph)) }
    return .object(values)
}

/// Dated commitments and milestones, soonest first.
func commitmentsPage(_ context: RenderContext) -> BuiltPage {
    let graph = context.graph
    let linker = Linker(from: .commitments)
    return BuiltPage(
        template: "commitments", title: "Commitments",
        description: "Dated commitments and milestones the report states",
        context: [
            "count": .number(graph.commitments.count),
            "count_text": .text(
                counted(graph.commitments.count, "dated commitment or milestone", "dated commitments and milestones")),
            "commitments": .list(
                graph.commitments.map { .object(commitmentContext($0, linker: linker, graph: graph)) }),
        ], sources: [SitePath.commitments])
}

/// The whole report in paragraph order, for reading straight through and printing.
func reportPage(_ context: RenderContext) -> BuiltPage {
    let graph = context.graph
    let report = graph.config.report
    var values: TemplateObject = [
        "report_title": .text(report.title ?? graph.config.title),
        "organisation": .text(graph.config.organisation),
        "paragraph_count": .number(graph.paragraphIndex.count),
        "paragraphs_text": .text(counted(graph.paragraphIndex.count, "paragraph", "paragraphs")),
        "sections": .list(
            graph.sections.map { section -> TemplateValue in
                [
                    "title": .text(section.title), "id": "section-\(section.slug)",
                    "href": .text(relativeURL(from: PageID.report.path, to: section.page.path)),
                    // The paper prints a threat's question under its title; a context section's
                    // summary only repeats its first paragraph: kinds shown as cards print it.
                    "summary": .text(
                        graph.config.sectionKind(section.source.kind)?.cards ?? false ? section.source.summary : ""),
                    "body": .html(context.sectionBody(section, headingShift: 1)),
                    "paragraph_range": .text(paragraphRange(section)),
                ]
            }),
    ]
    // Only what the report states: Mustache shows a section for an empty string too.
    let stated: [(String, String?)] = [
        ("board", report.board), ("recipient", report.recipient), ("agenda_item", report.agendaItem),
        ("meeting_date", report.meetingDate),
    ]
    for (key, value) in stated {
        if let value, !value.isEmpty { values[key] = .text(value) }
    }
    return BuiltPage(
        template: "report", title: "Full report", description: report.title ?? graph.config.title,
        context: values, sources: graph.sections.map(\.file))
}

func notFoundPage(_ context: RenderContext) -> BuiltPage {
    BuiltPage(template: "not-found", title: "Page not found", context: [:])
}
