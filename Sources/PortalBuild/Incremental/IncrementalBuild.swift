import CPortalSystem
import Foundation
import PortalLoad
import PortalMarkdown
import PortalRender
import PortalResolve
import PortalSupport
import PortalWrite

/// The inputs as they stand now, stamped before anything is read, so an edit made during a build
/// is seen by the next one.
struct InputStamps {
    var global: String
    var sources: [String: FileStamp]

    /// `previous`: the last build's state, whose stamps spare reading the files that cannot have
    /// changed since (`FileStamp.ofSource`).
    static func take(root: URL, previous: BuildState? = nil) -> InputStamps {
        let content = ContentFiles(root: root)
        let files = content.markdown
        // Plain string paths and every core: on a 50,000-page site this is most of a no-op build.
        let base = root.path + "/"
        let written = previous.flatMap { _ in
            FileStamp.of(BuildState.folder(root: root).appendingPathComponent("state").path).map {
                $0.modified / 1_000_000_000
            }
        }
        let stamps = parallelMap(files) {
            FileStamp.ofSource(base + $0, previous: previous?.sources[$0]?.stamp, trustedBefore: written)
        }
        var sources: [String: FileStamp] = [:]
        sources.reserveCapacity(files.count)
        for (file, stamp) in zip(files, stamps) {
            if let stamp { sources[file] = stamp }
        }
        return InputStamps(
            global: globalFingerprint(root: root) + walkFingerprint(root: root, content: content), sources: sources)
    }
}

let noEarlierState = "no earlier build state"

enum IncrementalOutcome {
    case built(BuildReport)
    /// Why the cheap paths do not apply; a full build follows.
    case fullBuildNeeded(String)
}

/// The two cheap builds. Nothing changed: nothing is read or written. Only the text of some
/// section or capability files changed (not their front matter, paragraph numbers, headings or
/// links): those files are re-parsed and their new fragments spliced into the pages that show
/// them; every other page keeps its bytes and modification time.
func incrementalBuild(
    _ options: BuildOptions, stamps: InputStamps, previous: (state: BuildState, bytes: [UInt8])?, start: DispatchTime
) -> IncrementalOutcome {
    let root = options.root
    guard let (read, stateBytes) = previous else { return .fullBuildNeeded(noEarlierState) }
    var state = read
    let outputPath = options.output.path
    guard state.output == outputPath else { return .fullBuildNeeded("built into another folder last time") }
    guard state.executable == executableStamp() else { return .fullBuildNeeded("portal itself changed") }
    guard let marker = FileStamp.ofIdentity("\(outputPath)/\(outputMarker)"), marker == state.marker else {
        return .fullBuildNeeded("the output folder changed")
    }
    guard stamps.global == state.global else { return .fullBuildNeeded("site, data, theme or history changed") }
    guard stamps.sources.count == state.sources.count, stamps.sources.keys.allSatisfy({ state.sources[$0] != nil })
    else {
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
    let config = loadConfig(root: root, files: nil, diagnostics: &diagnostics)
    let data = loadDataFiles(root: root, config: config, files: nil, diagnostics: &diagnostics)
    guard !diagnostics.hasErrors else { return .fullBuildNeeded("data files have errors") }
    // Pages as bytes: read once, spliced in place, written only if they changed.
    var pages = PageEdits(output: outputPath)
    // The state is updated in place: ten thousand sources are not copied for one edit.
    let previousWarnings = state.warnings
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
        guard let entry = state.entry(for: file, root: root) else {
            return .fullBuildNeeded("the cache has no entry for \(file)")
        }
        let links = BodyLinks(hrefs: entry.hrefs, embeds: entry.embeds)
        // The body in its own page and the full report; must be found in each.
        for page in entry.bodyPages {
            let fragment = bodyHTML(
                body, links: links, headingIDs: entry.headingIDs, key: sourceKey(file),
                headingShift: page == PageID.report.path ? 1 : 0)
            guard pages.splice(page, key: sourceKey(file), with: fragment) else {
                return .fullBuildNeeded("\(page) has no marked body for \(file)")
            }
        }
        // Excerpts of its paragraphs on the capability pages that cite them.
        let paragraphs = Dictionary(body.paragraphs.map { ($0.number, $0) }) { first, _ in first }
        for excerpt in entry.excerpts {
            guard let paragraph = paragraphs[excerpt.paragraph],
                pages.splice(
                    excerpt.page, key: excerptKey(excerpt.paragraph),
                    with: Array(excerptFragment(number: paragraph.number, text: paragraph.text).utf8))
            else { return .fullBuildNeeded("\(excerpt.page) has no marked excerpt of paragraph \(excerpt.paragraph)") }
        }
        // Its paragraphs' lines in the search index, unless they hold what they held: the index
        // holds every paragraph of the site, megabytes on a large one, and most edits do not
        // reach the opening of a paragraph that the index keeps.
        if let limit = state.searchLimit {
            let lines = searchLinesFingerprint(body.paragraphs.lazy.map { ($0.number, $0.text) }, limit: limit)
            if lines != source.searchLines {
                for paragraph in body.paragraphs {
                    guard pages.replaceSearchLine(paragraph, limit: limit) else {
                        return .fullBuildNeeded("\(searchIndexPath) cannot take paragraph \(paragraph.number) in place")
                    }
                }
                source.searchLines = lines
            }
        }
        source.stamp = stamps.sources[file]!
        state.sources[file] = source
        warnings.removeAll { $0.fromLoad && $0.diagnostic.location.file == file }
        warnings += loaded.diagnostics.warnings.map { BuildState.StoredWarning(fromLoad: true, diagnostic: $0) }
    }
    do {
        summary.written = try pages.write()
    } catch {
        BuildState.remove(root: root)
        return .fullBuildNeeded("could not write: \(error)")
    }
    summary.unchanged = state.summary.pages - summary.written.count
    state.warnings = warnings.sorted { $0.diagnostic.location < $1.diagnostic.location }
    let encoded =
        state.encoded(editing: stateBytes, previousWarnings: previousWarnings, changed: changed) ?? state.encoded()
    try? state.write(root: root, state: encoded, entries: nil)
    let incremental = "\(changed.count) changed file\(changed.count == 1 ? "" : "s")"
    return .built(
        report(state.summary, summary, state.warnings.map(\.diagnostic), start: start, incremental: incremental))
}

/// Output pages being edited in place: each read once, changed in memory, and written back
/// whole (by a rename) only if its bytes differ.
struct PageEdits {
    let output: String
    private var original: [String: [UInt8]] = [:]
    private var current: [String: [UInt8]] = [:]
    /// Where the last search line replaced ends: a source's paragraphs are consecutive lines.
    private var searchCursor = 0

    init(output: String) { self.output = output }

    private mutating func load(_ page: String) -> [UInt8]? {
        if let bytes = current[page] { return bytes }
        guard let bytes = readFileBytes("\(output)/\(page)") else { return nil }
        original[page] = bytes
        current[page] = bytes
        return bytes
    }

    /// Replaces every marked fragment `key` in a page; false if the page has none.
    mutating func splice(_ page: String, key: String, with replacement: [UInt8]) -> Bool {
        guard let bytes = load(page), let spliced = spliceFragment(bytes, key: key, with: replacement)
        else { return false }
        current[page] = spliced
        return true
    }

    mutating func replaceSearchLine(_ paragraph: ParagraphFacts, limit: Int) -> Bool {
        guard var bytes = load(searchIndexPath) else { return false }
        // Edited in place: the index holds every paragraph of the site, megabytes at 10,000 pages.
        current[searchIndexPath] = nil
        let end = PortalBuild.replaceSearchLine(in: &bytes, paragraph: paragraph, limit: limit, from: searchCursor)
        current[searchIndexPath] = bytes
        guard let end else { return false }
        searchCursor = end
        return true
    }

    /// Writes the pages that changed; returns their paths.
    func write() throws -> [String] {
        var written: [String] = []
        for page in current.keys.sorted() where current[page] != original[page] {
            try writeFileAtomically(current[page]!, to: "\(output)/\(page)")
            written.append(page)
        }
        return written
    }
}

/// Replaces the marked fragment `key` (every occurrence) with `replacement`, which carries its
/// own markers. Nil when the bytes have no such fragment.
func spliceFragment(_ bytes: [UInt8], key: String, with replacement: [UInt8]) -> [UInt8]? {
    let start = Array(fragmentStart(key).utf8)
    let end = Array(fragmentEnd.utf8)
    var output: [UInt8] = []
    var cursor = 0
    while let open = findBytes(start, in: bytes, from: cursor) {
        guard let close = findBytes(end, in: bytes, from: open + start.count) else { return nil }
        if output.isEmpty { output.reserveCapacity(bytes.count + replacement.count) }
        output.append(contentsOf: bytes[cursor..<open])
        output.append(contentsOf: replacement)
        cursor = close + end.count
    }
    guard cursor > 0 else { return nil }
    output.append(contentsOf: bytes[cursor...])
    return output
}

/// Where `pattern` first occurs in `bytes` at or after `offset` and before `end` (glibc's memmem).
func findBytes(_ pattern: [UInt8], in bytes: [UInt8], from offset: Int, to end: Int? = nil) -> Int? {
    let end = min(end ?? bytes.count, bytes.count)
    guard offset < end else { return nil }
    return bytes.withUnsafeBytes { haystack in
        pattern.withUnsafeBytes { needle in
            let base = haystack.baseAddress! + offset
            guard let found = portal_find_bytes(base, end - offset, needle.baseAddress, needle.count) else {
                return nil
            }
            return UnsafeRawPointer(found) - UnsafeRawPointer(haystack.baseAddress!)
        }
    }
}

func splice(_ html: String, key: String, with replacement: String) -> String? {
    spliceFragment(Array(html.utf8), key: key, with: Array(replacement.utf8)).map {
        String(decoding: $0, as: UTF8.self)
    }
}

/// Replaces paragraph N's line of the search index (`[N,section,"text"]`) in place, keeping its
/// section, and returns where the new line ends. It looks from `offset` first, where the next
/// paragraph of the same source is, then from the start. Nil when the line is not there, or when
/// the index's note that texts were cut would have to change (that depends on every paragraph,
/// so it takes a full build).
func replaceSearchLine(in bytes: inout [UInt8], paragraph: ParagraphFacts, limit: Int, from offset: Int) -> Int? {
    let needle = Array("\n[\(paragraph.number),".utf8)
    guard let found = findBytes(needle, in: bytes, from: offset) ?? findBytes(needle, in: bytes, from: 0) else {
        return nil
    }
    let start = found + 1
    var cursor = found + 1 + String(paragraph.number).utf8.count + 2
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
    let replacement = Array(line.utf8)
    if bytes[start..<end].elementsEqual(replacement) { return end }
    if (truncated || limit < searchTextLimit) && truncated != hasParagraphLimitNote(bytes) { return nil }
    bytes.replaceSubrange(start..<end, with: replacement)
    return start + replacement.count
}

/// Whether the index says its texts were cut. The note sits in the header, before the
/// paragraphs, so only the header is searched.
private func hasParagraphLimitNote(_ bytes: [UInt8]) -> Bool {
    let header = findBytes(Array("\n\"paragraphs\":[".utf8), in: bytes, from: 0) ?? bytes.count
    return findBytes(Array("\"paragraphLimit\"".utf8), in: bytes, from: 0, to: header) != nil
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

    var entries: [UInt8]

    /// Saves it once the site is written, with the new output marker's stamp.
    func save(options: BuildOptions) {
        var state = state
        state.marker = FileStamp.ofIdentity("\(options.output.path)/\(outputMarker)")
        do {
            try state.write(root: options.root, state: encoded + state.encodedMarker(), entries: entries)
        } catch {
            BuildState.remove(root: options.root)
        }
    }
}

func prepareState(
    options: BuildOptions, stamps: InputStamps, graph: SiteGraph, output: RenderOutput, loadWarnings: [Diagnostic],
    resolveWarnings: [Diagnostic], counts: BuildCounts
) -> PreparedState? {
    let hasReport = output.paths.contains(PageID.report.path)
    // Capability pages that quote each paragraph.
    var excerpts: [String: Set<BuildState.Excerpt>] = [:]
    for capability in graph.capabilities {
        for citation in graph.citations[.capability(capability.slug)] ?? [] {
            guard let number = citation.paragraph, let section = graph.paragraphIndex[number] else { continue }
            excerpts[section, default: []].insert(
                BuildState.Excerpt(paragraph: number, page: PageID.capability(capability.slug).path))
        }
    }
    let hasSearch = output.paths.contains(searchIndexPath)
    var sources: [String: BuildState.SourceState] = [:]
    for section in graph.sections {
        let file = section.source.file
        guard let stamp = stamps.sources[file], let links = output.links[file] else { continue }
        var pages = [section.page.path]
        if hasReport { pages.append(PageID.report.path) }
        sources[file] = BuildState.SourceState(
            stamp: stamp, interface: section.source.interface, searchLines: output.searchLines[file] ?? "",
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
    let state = BuildState(
        executable: executableStamp(), output: options.output.path, global: stamps.global,
        marker: nil, sources: sources,
        warnings: loadWarnings.map { .init(fromLoad: true, diagnostic: $0) }
            + resolveWarnings.map { .init(fromLoad: false, diagnostic: $0) },
        summary: counts, searchLimit: hasSearch ? searchTextLimit(paragraphs: graph.paragraphIndex.count) : nil)
    var withRanges = state
    let entries = withRanges.encodeEntries()
    return PreparedState(state: withRanges, encoded: withRanges.encodedWithoutMarker(), entries: entries)
}
