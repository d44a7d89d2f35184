import PortalLoad
import PortalMarkdown
import PortalSupport

/// Resolve stage: builds the site graph from what was loaded. Checks every reference and every
/// figure, computes backlinks, and collects all problems instead of stopping at the first.
/// `editions`: what the recorded editions state (their snapshots), for `edition:` references and
/// for comparing this edition with the one before. `links`: the last build's resolved links
/// (`LinkStore`), reused for bodies whose links and targets are the same, and given back with
/// this build's links for the next one. Nil: every link is resolved, nothing kept.
public func resolveSite(_ loaded: LoadedSite, editions: EditionHistory = .none) -> (SiteGraph?, [Diagnostic]) {
    let resolved = resolveSite(loaded, editions: editions, links: nil)
    return (resolved.graph, resolved.diagnostics)
}

package func resolveSite(_ loaded: LoadedSite, editions: EditionHistory, links store: LinkStore?) -> (
    graph: SiteGraph?, diagnostics: [Diagnostic], links: LinkStore?
) {
    var store = store
    var diagnostics: [Diagnostic] = []
    let sources = sectionsInReportOrder(loaded, diagnostics: &diagnostics)
    // Two passes over every section that each must run in report order, independent of each
    // other: side by side, on two cores.
    let sequenceAcrossSections = !loaded.unloaded.contains(where: \.isSection)
    let ((paragraphIndex, numberingProblems), sectionHeadings) = concurrently(
        {
            var problems: [Diagnostic] = []
            let index = numberParagraphs(
                sources, sequenceAcrossSections: sequenceAcrossSections, diagnostics: &problems)
            return (index, problems)
        }, { uniqueHeadingIDs(sources) })
    diagnostics += numberingProblems
    let (registerEntries, registerEntryIDs) = uniqueRegisterEntries(loaded.registerEntries, diagnostics: &diagnostics)
    let index = referenceIndex(
        loaded, sources: sources, headings: sectionHeadings, registerEntryIDs: registerEntryIDs,
        paragraphIndex: paragraphIndex, editions: editions)
    var links = resolveEveryLink(sources: sources, capabilities: loaded.capabilities, index: index, store: &store)
    diagnostics += links.diagnostics
    diagnostics = checkNamedIDs(loaded, sources: sources, index: index, diagnostics: diagnostics)
    let paragraphs = ParagraphIndex(paragraphIndex)
    let tables = verifiedTables(loaded.tables, paragraphIndex: paragraphs, diagnostics: &diagnostics)
    let relied = sectionCapabilities(
        sources, capabilities: loaded.capabilities, citations: links.citations, index: index)
    // The capabilities are resolved on one core while the sections are on every other.
    let resolvedLinks = links
    let (sections, (capabilities, capabilityProblems)) = concurrently(
        {
            resolvedSections(
                sources, headings: sectionHeadings, relied: relied, capabilities: loaded.capabilities,
                tables: tables, boardIDs: registerEntryIDs[.board] ?? [], links: resolvedLinks.perBody)
        },
        {
            var problems: [Diagnostic] = []
            let capabilities = resolvedCapabilities(
                loaded, sources: sources, relied: relied, links: resolvedLinks, diagnostics: &problems)
            return (capabilities, problems)
        })
    diagnostics += capabilityProblems
    for section in sections where section.paragraphs.isEmpty && section.source.body.isEmpty {
        diagnostics.append(
            .warning(
                "empty-section", "section '\(section.slug)' has no text",
                hint: "write its numbered paragraphs, or remove the file", at: section.source.title.location))
    }
    let commitments = commitmentsByDueDate(loaded.commitments, paragraphIndex: paragraphs)
    links.sortCitations()

    if diagnostics.hasErrors { return (nil, diagnostics, store) }
    let graph = assembledGraph(
        loaded, sections: sections, capabilities: capabilities, tables: tables, registerEntries: registerEntries,
        commitments: commitments, paragraphIndex: paragraphs, citations: .loaded(links.citations),
        referenceCount: links.count, editions: editions)
    return (graph, diagnostics + renumberingWarnings(graph), store)
}

/// The graph of resolved parts, with its look-up tables and what changed since the edition before.
func assembledGraph(
    _ loaded: LoadedSite, sections: [Section], capabilities: [Capability], tables: [DataTable],
    registerEntries: [RegisterEntry], commitments: [Commitment], paragraphIndex: ParagraphIndex,
    citations: SourceSlot<[CitedThing: [Citation]]>, referenceCount: Int, editions: EditionHistory
) -> SiteGraph {
    var graph = SiteGraph(
        config: loaded.config, theme: loaded.theme, folders: loaded.folders, history: loaded.history,
        sections: sections,
        capabilities: capabilities,
        tables: tables.sorted { $0.id < $1.id }, glossary: loaded.glossary, registerEntries: registerEntries,
        commitments: commitments, paragraphIndex: paragraphIndex, citationSlot: citations,
        referenceCount: referenceCount,
        sectionIndex: Dictionary(uniqueKeysWithValues: sections.enumerated().map { ($1.slug, $0) }),
        capabilityIndex: Dictionary(uniqueKeysWithValues: capabilities.enumerated().map { ($1.slug, $0) }),
        tableIndex: [:])
    graph.tableIndex = Dictionary(uniqueKeysWithValues: graph.tables.enumerated().map { ($1.id, $0) })
    graph.editions = editions
    for (position, entry) in registerEntries.enumerated() {
        graph.registerEntryIndex[entry.source.register, default: [:]][entry.id] = position
    }
    graph.changes = editionChanges(of: graph)
    return graph
}

/// Sections in report order; two sections claiming one place is an authoring mistake, and so is
/// a section or capability taking a slug the site's own pages use.
private func sectionsInReportOrder(_ loaded: LoadedSite, diagnostics: inout [Diagnostic]) -> [SectionSource] {
    let sources = loaded.sections.sorted { ($0.order.value, $0.slug) < ($1.order.value, $1.slug) }
    var seenOrder: [Int: String] = [:]
    for source in sources {
        if let other = seenOrder[source.order.value] {
            diagnostics.append(
                .error(
                    "duplicate-order", "order \(source.order.value) is already used by \(other)",
                    hint: "give each section its own order number", at: source.order.location))
        }
        seenOrder[source.order.value] = source.file
        if reservedSlugs.contains(source.slug) {
            diagnostics.append(
                .error(
                    "reserved-slug", "'\(source.slug)' is reserved for the site's own pages",
                    hint: "rename the file", at: SourceLocation(file: source.file)))
        }
    }
    for capability in loaded.capabilities where reservedSlugs.contains(capability.slug) {
        diagnostics.append(
            .error(
                "reserved-slug", "'\(capability.slug)' is reserved for the site's own pages", hint: "rename the file",
                at: SourceLocation(file: capability.file)))
    }
    return sources
}

/// Heading ids unique across the report, so the full report can reuse each section's ids.
private func uniqueHeadingIDs(_ sources: [SectionSource]) -> [[Heading]] {
    var takenIDs = UniqueIDs(taken: reservedPageIDs)
    return sources.map { source in
        source.body.headings.map { Heading(level: $0.level, text: $0.text, id: takenIDs.claim($0.baseID)) }
    }
}

/// Numbered paragraphs: unique across the whole site, since `#p75` must mean one paragraph; the
/// section each number is in. Numbering runs on from section to section in report order, so a
/// gap is a warning, unless it follows from a number the body already reported lost or bad.
private func numberParagraphs(
    _ sources: [SectionSource], sequenceAcrossSections: Bool, diagnostics: inout [Diagnostic]
) -> [Int: String] {
    let paragraphCount = sources.reduce(0) { $0 + $1.body.paragraphs.count }
    var paragraphIndex: [Int: String] = .init(minimumCapacity: paragraphCount)
    // Where each number first appears, for the hint of a repeated one: found by look-up, as a
    // report repeating one number a hundred thousand times must not search for each. Made at the
    // first repeat only: a report without one (nearly all) keeps one table, not two.
    var firstLocations: [Int: SourceLocation]?
    // The last paragraph of the section before, unless a section failed to load or lost a number
    // (the gap follows from that).
    var previousSection: (last: (number: Int, location: SourceLocation), file: String)?
    for source in sources {
        let paragraphs = source.body.paragraphs
        let lostLines = source.body.diagnostics.filter {
            $0.severity == .error && lostParagraphCodes.contains($0.code)
        }.map(\.location.line)
        if sequenceAcrossSections, let (last, file) = previousSection, let first = paragraphs.first,
            first.number != last.number + 1, lostLines.isEmpty
        {
            diagnostics.append(
                .warning(
                    "paragraph-sequence",
                    "paragraph \(first.number) opens this section, but the section before ends at \(last.number)",
                    hint: "check the numbering; it runs on from \(file) (the section before in 'order')",
                    at: first.location))
        }
        if let last = paragraphs.last {
            previousSection = nil
            if lostLines.isEmpty {
                previousSection = (last: (number: last.number, location: last.location), file: source.file)
            }
        }
        for position in paragraphs.indices {
            let number = paragraphs[position].number
            let location = paragraphs[position].location
            if let first = paragraphIndex.updateValue(source.slug, forKey: number) {
                // The first paragraph keeps the number.
                paragraphIndex[number] = first
                if firstLocations == nil { firstLocations = firstParagraphLocations(sources) }
                diagnostics.append(
                    .error(
                        "duplicate-paragraph", "paragraph \(number) is numbered twice",
                        hint: "it is also at \(firstLocations![number]!); "
                            + "paragraph numbers must be unique across the report",
                        at: location))
            }
            if position > 0 {
                let previous = paragraphs[position - 1]
                if number != previous.number + 1,
                    !lostLines.contains(where: { (previous.location.line...location.line).contains($0) })
                {
                    diagnostics.append(
                        .warning(
                            "paragraph-sequence", "paragraph \(number) follows paragraph \(previous.number)",
                            hint: "check the numbering; board papers number paragraphs consecutively",
                            at: location))
                }
            }
        }
    }
    return paragraphIndex
}

/// Where each paragraph number first appears, in report order.
private func firstParagraphLocations(_ sources: [SectionSource]) -> [Int: SourceLocation] {
    var locations: [Int: SourceLocation] = [:]
    for source in sources {
        for paragraph in source.body.paragraphs where locations[paragraph.number] == nil {
            locations[paragraph.number] = paragraph.location
        }
    }
    return locations
}

/// Each register's entries, the first of each id kept (a repeated id is an error), and the ids.
func uniqueRegisterEntries(
    _ sources: [RegisterEntrySource], diagnostics: inout [Diagnostic]
) -> ([RegisterEntry], [Register: Set<String>]) {
    var entries: [RegisterEntry] = []
    var ids: [Register: Set<String>] = [:]
    for source in sources {
        if ids[source.register, default: []].contains(source.id.value) {
            diagnostics.append(
                .error(
                    "duplicate-id", "\(source.register.rawValue) id '\(source.id.value)' is used twice",
                    hint: "ids must be unique within \(source.register.file)", at: source.id.location))
            continue
        }
        ids[source.register, default: []].insert(source.id.value)
        entries.append(RegisterEntry(source: source))
    }
    return (entries, ids)
}

/// What links and ids may point at, including what failed to load (so one mistake is one error).
private func referenceIndex(
    _ loaded: LoadedSite, sources: [SectionSource], headings: [[Heading]], registerEntryIDs: [Register: Set<String>],
    paragraphIndex: [Int: String], editions: EditionHistory
) -> ReferenceIndex {
    var index = ReferenceIndex(
        sections: Dictionary(
            uniqueKeysWithValues: zip(sources, headings).map {
                ($0.slug, (Set($0.body.paragraphs.map(\.number)), Set($1.map(\.id)), $0.file))
            }),
        capabilities: Dictionary(uniqueKeysWithValues: loaded.capabilities.map { ($0.slug, $0.file) }),
        tables: Set(loaded.tables.map(\.id)), registerEntries: registerEntryIDs, paragraphs: paragraphIndex)
    index.register(loaded.unloaded)
    index.registerLost(in: sources)
    index.failedData = loaded.failedDataFiles
    for recorded in editions.earlier {
        let pages = Dictionary(uniqueKeysWithValues: recorded.snapshot.sections.map { ($0.slug, $0.path) })
        index.editions[recorded.info.id] = Dictionary(
            recorded.snapshot.paragraphs.compactMap { paragraph in
                pages[paragraph.section].map { (paragraph.number, $0) }
            }
        ) { first, _ in first }
    }
    return index
}

/// Every link of every body, resolved from the facts parsing read off cmark's tree: the section
/// bodies' in report order, then the capabilities', in `perBody`; what each cites, gathered.
private struct SiteLinks {
    var perBody: [ResolvedLinks]
    var citations: [CitedThing: [Citation]] = [:]
    var count = 0
    var diagnostics: [Diagnostic] = []

    /// Each thing's citations in report order, then those from outside numbered paragraphs.
    /// Sorted where they are: a sorted copy of every list would hold them all twice at once, at
    /// the top of a large build's memory.
    mutating func sortCitations() {
        for thing in Array(citations.keys) {
            citations[thing]?.sort {
                ($0.paragraph ?? Int.max, $0.location) < ($1.paragraph ?? Int.max, $1.location)
            }
        }
    }
}

/// With a `store`, a body whose links and possible targets are those of the last build takes
/// its resolved links from it, and the store is left holding every body's for the next build.
private func resolveEveryLink(
    sources: [SectionSource], capabilities: [CapabilitySource], index: ReferenceIndex, store: inout LinkStore?
) -> SiteLinks {
    let contexts =
        sources.map { LinkContext(body: $0.body, page: $0.page, section: $0.slug) }
        + capabilities.map { LinkContext(body: $0.body, page: .capability($0.slug), section: nil) }
    guard let last = store else {
        return gathered(SiteLinks(perBody: parallelMap(contexts) { resolveLinks(in: $0, index: index) }))
    }
    let indexKey = index.key
    let results = parallelMap(contexts) { context in
        let file = context.body.file
        let key = linkKey(context)
        if let (links, payload) = last.reused(file: file, linkKey: key, indexKey: indexKey) {
            return (links, (file: file, linkKey: key, indexKey: indexKey, payload: payload), true)
        }
        let links = resolveLinks(in: context, index: index)
        var writer = ByteWriter(capacity: links.targets.count * 24)
        writer.resolvedLinks(links, in: file)
        return (links, (file: file, linkKey: key, indexKey: indexKey, payload: writer.bytes), false)
    }
    store?.keep(results.map(\.1), reused: results.filter(\.2).count)
    return gathered(SiteLinks(perBody: results.map(\.0)))
}

/// Every body's citations in one table, with their problems and their count.
private func gathered(_ resolved: SiteLinks) -> SiteLinks {
    var links = resolved
    for result in links.perBody {
        for (thing, citation) in result.citations { links.citations[thing, default: []].append(citation) }
        links.diagnostics += result.diagnostics
        links.count += result.count
    }
    return links
}

/// Front matter and data files name things by id: checks each one. Returns the diagnostics
/// with any problems added.
private func checkNamedIDs(
    _ loaded: LoadedSite, sources: [SectionSource], index: ReferenceIndex, diagnostics: [Diagnostic]
) -> [Diagnostic] {
    var checker = IDChecker(index: index, diagnostics: diagnostics)
    for source in sources {
        checker.capabilities(source.capabilities)
        checker.registerEntries(.board, source.boards)
        checker.paragraphs(source.keyFigures.map(\.paragraph) + [source.inspection?.paragraph].compactMap { $0 })
    }
    for capability in loaded.capabilities {
        checker.sections(capability.sections)
        checker.paragraphs(capability.figures.map(\.paragraph))
    }
    for entry in loaded.registerEntries {
        checker.sections(entry.sections)
        checker.paragraphs(entry.paragraphs)
    }
    checker.paragraphs(loaded.glossary.compactMap(\.paragraph))
    checker.paragraphs([loaded.config.report.updatesParagraph].compactMap { $0 })
    var commitmentIDs = Set<String>()
    for commitment in loaded.commitments {
        checker.paragraphs([commitment.paragraph])
        checker.sections([commitment.section].compactMap { $0 })
        if !commitmentIDs.insert(commitment.id.value).inserted {
            checker.diagnostics.append(
                .error(
                    "duplicate-id", "commitment id '\(commitment.id.value)' is used twice",
                    hint: "ids must be unique within commitments.yaml", at: commitment.id.location))
        }
    }
    checker.paragraphs(loaded.tables.flatMap(\.paragraphs))
    return checker.diagnostics
}

/// Tables with every stated total verified, each in the section of its first paragraph.
func verifiedTables(
    _ sources: [TableSource], paragraphIndex: ParagraphIndex, diagnostics: inout [Diagnostic]
) -> [DataTable] {
    var tables: [DataTable] = []
    for (verified, source) in zip(parallelMap(sources, verifyTable), sources) {
        var (table, problems) = verified
        table.section = source.paragraphs.first.flatMap { paragraphIndex[$0.value] }
        tables.append(table)
        diagnostics += problems
    }
    return tables
}

/// The capabilities each section relies on: those it lists or cites, and those that say they
/// serve it.
private func sectionCapabilities(
    _ sources: [SectionSource], capabilities: [CapabilitySource], citations: [CitedThing: [Citation]],
    index: ReferenceIndex
) -> [String: Set<String>] {
    var relied: [String: Set<String>] = [:]
    for source in sources { relied[source.slug] = Set(source.capabilities.map(\.value)) }
    for (thing, list) in citations {
        guard case .capability(let slug) = thing else { continue }
        for citation in list {
            if case .section(let section, _) = citation.page { relied[section, default: []].insert(slug) }
        }
    }
    for capability in capabilities {
        for section in capability.sections where index.sections[section.value] != nil {
            relied[section.value, default: []].insert(capability.slug)
        }
    }
    return relied
}

/// Each section is built on its own: thousands of them, on every core.
private func resolvedSections(
    _ sources: [SectionSource], headings: [[Heading]], relied: [String: Set<String>],
    capabilities: [CapabilitySource], tables: [DataTable], boardIDs: Set<String>, links: [ResolvedLinks]
) -> [Section] {
    let capabilityTitles = Dictionary(uniqueKeysWithValues: capabilities.map { ($0.slug, $0.title.value) })
    let sectionTables = Dictionary(grouping: tables.filter { $0.section != nil }, by: { $0.section! })
    return parallelMap(Array(zip(sources, headings).enumerated())) { position, pair -> Section in
        let (source, headings) = pair
        let capabilities = (relied[source.slug] ?? []).filter { capabilityTitles[$0] != nil }
            .sorted { (capabilityTitles[$0]!, $0) < (capabilityTitles[$1]!, $1) }
        return Section(
            source: source, headings: headings,
            capabilities: capabilities,
            boards: source.boards.map(\.value).filter { boardIDs.contains($0) },
            tables: (sectionTables[source.slug] ?? []).map(\.id), links: links[position].targets)
    }
}

/// Capabilities with the sections they serve, in report order, sorted by title; one no numbered
/// paragraph cites is a warning.
private func resolvedCapabilities(
    _ loaded: LoadedSite, sources: [SectionSource], relied: [String: Set<String>], links: SiteLinks,
    diagnostics: inout [Diagnostic]
) -> [Capability] {
    let order = Dictionary(uniqueKeysWithValues: sources.enumerated().map { ($1.slug, $0) })
    // The relation read the other way, built once rather than searched per capability.
    var capabilitySections: [String: [String]] = [:]
    for (section, slugs) in relied {
        for slug in slugs { capabilitySections[slug, default: []].append(section) }
    }
    var capabilities: [Capability] = []
    let textLost = loaded.unloaded.contains(where: \.isSection) || sources.contains { !$0.body.lostParagraphs.isEmpty }
    for source in loaded.capabilities {
        let serves = (capabilitySections[source.slug] ?? []).compactMap { slug in order[slug].map { ($0, slug) } }
            .sorted { $0.0 < $1.0 }.map(\.1)
        var capabilityIDs = UniqueIDs(taken: reservedPageIDs)
        let headings = source.body.headings.map {
            Heading(level: $0.level, text: $0.text, id: capabilityIDs.claim($0.baseID))
        }
        capabilities.append(
            Capability(
                source: source, sections: serves, headings: headings,
                links: links.perBody[sources.count + capabilities.count].targets))
        let cited = (links.citations[.capability(source.slug)] ?? []).contains { $0.paragraph != nil }
        // A section that failed to load, or a paragraph that lost its number, may be what cites it.
        if !cited, !textLost {
            diagnostics.append(
                .warning(
                    "orphan-capability", "capability '\(source.slug)' is not cited by any numbered paragraph",
                    hint: "link it from the paragraphs that rely on it: [text](capability:\(source.slug))",
                    at: source.title.location))
        }
    }
    return capabilities.sorted { ($0.title.lowercased(), $0.slug) < ($1.title.lowercased(), $1.slug) }
}

/// Commitments in their sections (named, or the section of their paragraph), dated ones first
/// by due date, then by paragraph.
func commitmentsByDueDate(_ sources: [CommitmentSource], paragraphIndex: ParagraphIndex) -> [Commitment] {
    sources.map { source in
        Commitment(source: source, section: source.section?.value ?? paragraphIndex[source.paragraph.value])
    }.sorted { a, b in
        switch (a.source.due, b.source.due) {
        case (let x?, let y?): return (x, a.source.paragraph.value) < (y, b.source.paragraph.value)
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return a.source.paragraph.value < b.source.paragraph.value
        }
    }
}

/// Problems parsing reports with paragraph numbers: the gaps they leave are not reported again.
let lostParagraphCodes: Set<String> = [
    "paragraph-number-invalid", "paragraph-run-on", "paragraph-indented", "paragraph-empty", "bullet-invalid",
]

/// Slugs the site's own pages use in the same folders.
let reservedSlugs: Set<String> = ["index"]

/// Checks ids named in front matter and data files, with did-you-mean hints.
private struct IDChecker {
    let index: ReferenceIndex
    var diagnostics: [Diagnostic]

    mutating func sections(_ slugs: [Located<String>]) {
        for slug in slugs where index.sections[slug.value] == nil {
            diagnostics.append(
                .error(
                    "unknown-reference", "unknown section '\(slug.value)'",
                    hint: didYouMean(slug.value, in: Array(index.sections.keys)), at: slug.location))
        }
    }

    mutating func capabilities(_ slugs: [Located<String>]) {
        for slug in slugs where index.capabilities[slug.value] == nil {
            diagnostics.append(
                .error(
                    "unknown-reference", "unknown capability '\(slug.value)'",
                    hint: didYouMean(slug.value, in: Array(index.capabilities.keys)), at: slug.location))
        }
    }

    mutating func registerEntries(_ kind: Register, _ ids: [Located<String>]) {
        let known = index.registerEntries[kind] ?? []
        for id in ids where !known.contains(id.value) && !index.mayBeMissing(kind) {
            diagnostics.append(
                .error(
                    "unknown-reference", "unknown \(kind.rawValue) '\(id.value)'",
                    hint: didYouMean(id.value, in: Array(known)) ?? "add it to \(SitePath.data(kind.file))",
                    at: id.location))
        }
    }

    mutating func paragraphs(_ numbers: [Located<Int>]) {
        for number in numbers where index.paragraphs[number.value] == nil && index.unread.isEmpty {
            diagnostics.append(
                .error(
                    "unknown-paragraph", "there is no paragraph \(number.value) in the report",
                    hint: "cite the number of a numbered paragraph of a section", at: number.location))
        }
    }
}
