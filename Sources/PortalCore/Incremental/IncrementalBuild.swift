import Foundation

/// The inputs as they stand now, stamped before anything is read, so an edit made during a build
/// is seen by the next one.
struct InputStamps {
    var global: String
    var sources: [String: FileStamp]

    static func take(root: URL) -> InputStamps {
        let files = markdownSourceFiles(root: root)
        var sources: [String: FileStamp] = [:]
        for file in files {
            if let stamp = FileStamp.of(root.appendingPathComponent(file).path) { sources[file] = stamp }
        }
        return InputStamps(global: globalFingerprint(root: root), sources: sources)
    }
}

enum IncrementalOutcome {
    case built(BuildReport)
    /// Why the cheap paths do not apply; a full build follows.
    case fullBuildNeeded(String)
}

/// The two cheap builds. Nothing changed: nothing is read or written. Only the text of some
/// section or capability files changed (not their front matter, paragraph numbers, headings or
/// links): those files are re-parsed and their new fragments spliced into the pages that show
/// them; every other page keeps its bytes and modification time.
func incrementalBuild(_ options: BuildOptions, stamps: InputStamps, start: DispatchTime) -> IncrementalOutcome {
    let root = options.root
    guard let state = BuildState.read(root: root) else { return .fullBuildNeeded("no earlier build state") }
    let outputPath = options.output.path
    guard state.output == outputPath else { return .fullBuildNeeded("built into another folder last time") }
    guard state.executable == executableStamp() else { return .fullBuildNeeded("portal itself changed") }
    guard let marker = FileStamp.of("\(outputPath)/\(outputMarker)"), marker == state.marker else {
        return .fullBuildNeeded("the output folder changed")
    }
    guard stamps.global == state.global else { return .fullBuildNeeded("site, data, theme or history changed") }
    guard Set(stamps.sources.keys) == Set(state.sources.keys) else {
        return .fullBuildNeeded("a section or capability was added or removed")
    }
    let changed = stamps.sources.filter { state.sources[$0.key]?.stamp != $0.value }.keys.sorted()
    var summary = WriteSummary()
    var warnings = state.warnings
    if changed.isEmpty {
        summary.unchanged = state.summary.pages
        return .built(
            report(state.summary, summary, warnings.map(\.diagnostic), start: start, incremental: "up to date"))
    }

    // Re-read the changed files with the same data the full build parsed them with.
    var diagnostics: [Diagnostic] = []
    let config = loadConfig(root: root, diagnostics: &diagnostics)
    let data = loadDataFiles(root: root, config: config, diagnostics: &diagnostics)
    guard !diagnostics.hasErrors else { return .fullBuildNeeded("data files have errors") }
    var updates: [String: String] = [:]  // output path -> new bytes
    var newState = state
    for file in changed {
        let loaded = loadSource(root: root, path: file, environment: data.environment)
        guard let document = loaded.value, !loaded.diagnostics.hasErrors else {
            return .fullBuildNeeded("\(file) has errors")
        }
        let (body, interface) =
            switch document {
            case .section(let source): (source.body, source.interface)
            case .capability(let source): (source.body, source.interface)
            }
        guard var source = state.sources[file], source.interface == interface else {
            return .fullBuildNeeded("\(file) changed more than its text")
        }
        let links = BodyLinks(hrefs: source.entry.hrefs, embeds: source.entry.embeds)
        let rendered = finishBody(body, links: links, headingIDs: source.entry.headingIDs, key: sourceKey(file))
        // The body in its own page and the full report; must be found in each.
        for page in source.entry.bodyPages {
            let current = updates[page] ?? (try? String(contentsOfFile: "\(outputPath)/\(page)", encoding: .utf8))
            let fragment = page == PageID.report.path ? rendered.html(headingShift: 1) : rendered.html
            guard let html = current, let spliced = splice(html, key: sourceKey(file), with: fragment) else {
                return .fullBuildNeeded("\(page) has no marked body for \(file)")
            }
            updates[page] = spliced
        }
        // Excerpts of its paragraphs on the capability pages that cite them.
        let paragraphs = Dictionary(body.paragraphs.map { ($0.number, $0) }) { first, _ in first }
        for excerpt in source.entry.excerpts {
            let current =
                updates[excerpt.page] ?? (try? String(contentsOfFile: "\(outputPath)/\(excerpt.page)", encoding: .utf8))
            guard let paragraph = paragraphs[excerpt.paragraph], let html = current,
                let spliced = splice(
                    html, key: excerptKey(excerpt.paragraph),
                    with: excerptFragment(number: paragraph.number, text: paragraph.text))
            else { return .fullBuildNeeded("\(excerpt.page) has no marked excerpt of paragraph \(excerpt.paragraph)") }
            updates[excerpt.page] = spliced
        }
        // Its paragraphs' lines in the search index.
        if let limit = state.searchLimit, !body.paragraphs.isEmpty {
            let current =
                updates[searchIndexPath]
                ?? (try? String(contentsOfFile: "\(outputPath)/\(searchIndexPath)", encoding: .utf8))
            guard var index = current else { return .fullBuildNeeded("\(searchIndexPath) is missing") }
            let hasLimitNote = index.contains("\"paragraphLimit\"")
            for paragraph in body.paragraphs {
                guard
                    let updated = replaceSearchLine(
                        in: index, paragraph: paragraph, limit: limit, hasLimitNote: hasLimitNote)
                else {
                    return .fullBuildNeeded("\(searchIndexPath) cannot take paragraph \(paragraph.number) in place")
                }
                index = updated
            }
            updates[searchIndexPath] = index
        }
        source.stamp = stamps.sources[file]!
        newState.sources[file] = source
        warnings.removeAll { $0.fromLoad && $0.diagnostic.location.file == file }
        warnings += loaded.diagnostics.warnings.map { BuildState.StoredWarning(fromLoad: true, diagnostic: $0) }
    }
    do {
        for page in updates.keys.sorted() {
            let url = URL(fileURLWithPath: "\(outputPath)/\(page)")
            let bytes = Data(updates[page]!.utf8)
            if FileManager.default.contents(atPath: url.path) == bytes { continue }
            // Each file is replaced whole by a rename, so a reader never sees half a page.
            try bytes.write(to: url, options: .atomic)
            summary.written.append(page)
        }
    } catch {
        BuildState.remove(root: root)
        return .fullBuildNeeded("could not write: \(error)")
    }
    summary.unchanged = state.summary.pages - summary.written.count
    newState.warnings = warnings.sorted { $0.diagnostic.location < $1.diagnostic.location }
    try? newState.write(root: root)
    let incremental = "\(changed.count) changed file\(changed.count == 1 ? "" : "s")"
    return .built(
        report(state.summary, summary, newState.warnings.map(\.diagnostic), start: start, incremental: incremental))
}

/// Replaces the marked fragment `key` (every occurrence) with `replacement`, which carries its
/// own markers. Nil when the page has no such fragment.
func splice(_ html: String, key: String, with replacement: String) -> String? {
    let start = fragmentStart(key)
    guard html.contains(start) else { return nil }
    var output = ""
    var rest = Substring(html)
    while let open = rest.range(of: start) {
        guard let close = rest[open.upperBound...].range(of: fragmentEnd) else { return nil }
        output += rest[..<open.lowerBound]
        output += replacement
        rest = rest[close.upperBound...]
    }
    output += rest
    return output
}

func excerptKey(_ number: Int) -> String { "p\(number)" }

/// Replaces paragraph N's line of the search index (`[N,section,"text"]`), keeping its section.
/// Nil when the line is not there, or when the index's note that texts were cut would have to
/// change (that depends on every paragraph, so it takes a full build).
func replaceSearchLine(in index: String, paragraph: ParagraphFacts, limit: Int, hasLimitNote: Bool) -> String? {
    let bytes = Array(index.utf8)
    let marker = Array("\n[\(paragraph.number),".utf8)
    guard let found = firstRange(of: marker, in: bytes) else { return nil }
    let start = found.lowerBound + 1
    var cursor = found.upperBound
    var section = 0
    while cursor < bytes.count, bytes[cursor] >= 0x30, bytes[cursor] <= 0x39 {
        section = section * 10 + Int(bytes[cursor] - 0x30)
        cursor += 1
    }
    guard cursor + 1 < bytes.count, bytes[cursor] == 0x2C, bytes[cursor + 1] == 0x22 else { return nil }
    cursor += 2
    // The end of the JSON string: the first quote not escaped by a backslash.
    while cursor < bytes.count, bytes[cursor] != 0x22 {
        cursor += bytes[cursor] == 0x5C ? 2 : 1
    }
    guard cursor + 1 < bytes.count, bytes[cursor + 1] == 0x5D else { return nil }
    let end = cursor + 2
    let (line, truncated) = searchParagraphLine(
        number: paragraph.number, section: section, text: paragraph.text, limit: limit)
    if truncated != hasLimitNote && (truncated || limit < searchTextLimit) { return nil }
    return String(decoding: bytes[..<start] + Array(line.utf8) + bytes[end...], as: UTF8.self)
}

private func firstRange(of pattern: [UInt8], in bytes: [UInt8]) -> Range<Int>? {
    guard !pattern.isEmpty, bytes.count >= pattern.count else { return nil }
    var index = 0
    while index <= bytes.count - pattern.count {
        if bytes[index] == pattern[0], bytes[index..<index + pattern.count].elementsEqual(pattern) {
            return index..<index + pattern.count
        }
        index += 1
    }
    return nil
}

/// A paragraph's excerpt as capability pages show it, escaped and marked for splicing.
func excerptFragment(number: Int, text: String) -> String {
    fragmentStart(excerptKey(number)) + escapeHTML(excerpt(text)) + fragmentEnd
}

private func report(
    _ counts: BuildCounts, _ summary: WriteSummary, _ warnings: [Diagnostic], start: DispatchTime, incremental: String
) -> BuildReport {
    let elapsed = Int((DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1_000_000)
    return BuildReport(
        pages: counts.pages, capabilities: counts.capabilities, tables: counts.tables, references: counts.references,
        paragraphs: counts.paragraphs, milliseconds: elapsed, write: summary, warnings: warnings,
        incremental: incremental)
}

/// What a full build records for the next one, encoded while the site is being written; nil
/// when it cannot account for every source (then no state is kept and the next build is full).
struct PreparedState: Sendable {
    var state: BuildState
    var encoded: [UInt8]

    /// Saves it once the site is written, with the new output marker's stamp.
    func save(options: BuildOptions) {
        var state = state
        state.marker = FileStamp.of("\(options.output.path)/\(outputMarker)")
        do {
            try state.write(root: options.root, encoded: encoded + state.encodedMarker())
        } catch {
            BuildState.remove(root: options.root)
        }
    }
}

func prepareState(
    options: BuildOptions, stamps: InputStamps, graph: SiteGraph, output: RenderOutput, loadWarnings: [Diagnostic],
    resolveWarnings: [Diagnostic], counts: BuildCounts
) -> PreparedState? {
    let hasReport = output.files.contains { $0.path == PageID.report.path }
    // Capability pages that quote each paragraph.
    var excerpts: [String: Set<BuildState.Excerpt>] = [:]
    for capability in graph.capabilities {
        for citation in graph.citations[.capability(capability.slug)] ?? [] {
            guard let number = citation.paragraph, let section = graph.paragraphIndex[number] else { continue }
            excerpts[section, default: []].insert(
                BuildState.Excerpt(paragraph: number, page: PageID.capability(capability.slug).path))
        }
    }
    var sources: [String: BuildState.SourceState] = [:]
    for section in graph.sections {
        let file = section.source.file
        guard let stamp = stamps.sources[file], let links = output.links[file] else { continue }
        var pages = [PageID.section(section.slug).path]
        if hasReport { pages.append(PageID.report.path) }
        sources[file] = BuildState.SourceState(
            stamp: stamp, interface: section.source.interface,
            entry: BuildState.SourceEntry(
                hrefs: links.hrefs, embeds: links.embeds, headingIDs: section.headings.map(\.id), bodyPages: pages,
                excerpts: (excerpts[section.slug] ?? []).sorted { ($0.paragraph, $0.page) < ($1.paragraph, $1.page) }))
    }
    for capability in graph.capabilities {
        let file = capability.source.file
        guard let stamp = stamps.sources[file], let links = output.links[file] else { continue }
        sources[file] = BuildState.SourceState(
            stamp: stamp, interface: capability.source.interface,
            entry: BuildState.SourceEntry(
                hrefs: links.hrefs, embeds: links.embeds, headingIDs: capability.headings.map(\.id),
                bodyPages: [PageID.capability(capability.slug).path]))
    }
    // Every source must be accounted for, or the next build could miss a change.
    guard sources.count == stamps.sources.count else { return nil }
    let hasSearch = output.files.contains { $0.path == searchIndexPath }
    let state = BuildState(
        executable: executableStamp(), output: options.output.path, global: stamps.global,
        marker: nil, sources: sources,
        warnings: loadWarnings.map { .init(fromLoad: true, diagnostic: $0) }
            + resolveWarnings.map { .init(fromLoad: false, diagnostic: $0) },
        summary: counts, searchLimit: hasSearch ? searchTextLimit(paragraphs: graph.paragraphIndex.count) : nil)
    return PreparedState(state: state, encoded: state.encodedWithoutMarker())
}
