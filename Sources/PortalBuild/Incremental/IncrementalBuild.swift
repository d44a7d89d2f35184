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
    /// One per `content.markdown`, in its order; nil for a file that could not be stamped (gone
    /// since the walk).
    var stamps: [FileStamp?]
    /// The one walk of `Content/` these stamps were taken from, which Load reads by.
    var content: ContentFiles
    /// Whether `stamps` hold the hashes of the files' bytes; false until `withLoadedContent`
    /// when there was no last build.
    var hashed: Bool
    /// Against the last state's stamps, as each file was stamped: how many of the files it had,
    /// and which of those changed (unsorted). Nil without a last state.
    var comparedWithLast: (known: Int, changed: [String])? = nil
    /// Whether the last state lists exactly the walk's files, in its order: a rebuild then
    /// copies its lines by position (`SourceTable`).
    var linesUpWithLast = false

    /// The files stamped.
    var count: Int { stamps.reduce(0) { $0 + ($1 == nil ? 0 : 1) } }

    /// When the last state was written, in seconds: a file changed in that second or after may
    /// hold an edit its times do not show (`FileStamp.ofSource`).
    static func trustedBefore(root: URL) -> Int64? {
        FileStamp.of(BuildState.folder(root: root).appendingPathComponent("state").path).map {
            $0.modified / 1_000_000_000
        }
    }

    /// `previous`: the last build's state, whose stamps spare reading the files that cannot have
    /// changed since (`FileStamp.ofSource`). `content`: the walk of `Content/`, if already made.
    /// `early`: the stamps of the files `previous` lists, taken while the walk ran (`StampRuns`),
    /// used when the walk lists the same files.
    static func take(
        root: URL, previous: BuildState? = nil, content walked: ContentFiles? = nil, early: [FileStamp?]? = nil
    ) -> InputStamps {
        let content = walked ?? ContentFiles(root: root)
        let files = content.markdown
        // With no last build every file is read by Load anyway: the stamps take their hashes
        // from that read (`withLoadedContent`) rather than reading each file twice.
        let reading = previous != nil
        var taken = InputStamps(global: "", stamps: [], content: content, hashed: reading)
        if let table = previous?.sources, let early, early.count == files.count,
            files.indices.allSatisfy({ table.hasPath(at: $0, files[$0]) })
        {
            taken.stamps = early
            taken.linesUpWithLast = true
            var known = 0
            var changed: [String] = []
            for (position, stamp) in early.enumerated() {
                guard let stamp else { continue }
                known += 1
                if stamp != table.stamp(at: position) { changed.append(files[position]) }
            }
            taken.comparedWithLast = (known, changed)
        } else {
            let last = previous?.sources.byPath()
            // Every core: on a 50,000-page site this is most of a no-op build.
            let stamps = sourceStamps(
                root: root.path, files: files, previous: { last?[$0]?.stamp }, trustedBefore: trustedBefore(root: root),
                reading: reading)
            taken.stamps = stamps.map(\.now)
            var known = 0
            var changed: [String] = []
            for (file, (stamp, last)) in zip(files, stamps) {
                guard let stamp, let last else { continue }
                known += 1
                if last != stamp { changed.append(file) }
            }
            if previous != nil { taken.comparedWithLast = (known, changed) }
        }
        taken.global =
            globalFingerprint(root: root, content: content) + walkFingerprint(root: root, content: content)
        return taken
    }

    /// Each source's size and content hash, as the load cache matches its entries by.
    var forLoadCache: SourceStampLookup {
        let (content, stamps) = (content, stamps)
        return SourceStampLookup { path in
            content.position(of: path).flatMap { stamps[$0] }.map { (Int($0.size), $0.content) }
        }
    }

    /// The stamps with the hashes of the bytes Load read (`hashed` false): a source Load did not
    /// read is read here.
    func withLoadedContent(_ reads: SourceReads, root: URL) -> InputStamps {
        guard !hashed else { return self }
        var taken = self
        let recorded = reads.recorded
        for (position, path) in content.markdown.enumerated() {
            guard let stamp = stamps[position] else { continue }
            if let read = recorded[path] {
                taken.stamps[position] = stamp.withContent(size: read.size, hash: read.hash)
            } else {
                taken.stamps[position] = FileStamp.ofSource(
                    root.path + "/" + path, previous: nil, trustedBefore: nil)
            }
        }
        taken.hashed = true
        return taken
    }
}

/// The last state read, and the stamps of the files it lists taken beside the walk of
/// `Content/`: the thread that read the state starts stamping at once, and the walk's thread
/// joins it when it is done (`help`), so neither waits for the other.
final class StampsAhead: @unchecked Sendable {
    private let condition = NSCondition()
    private var decided = false
    private var runs: StampRuns?

    /// Reads the state and stamps its files; nil without a state. The stamps are complete once
    /// `help` has returned too.
    func readState(root: URL) -> (state: BuildState, stamps: StampRuns)? {
        let state = BuildState.read(root: root)
        let runs = state.map {
            $0.sources.stampRuns(root: root.path, trustedBefore: InputStamps.trustedBefore(root: root))
        }
        condition.withLock {
            self.runs = runs
            decided = true
            condition.broadcast()
        }
        runs?.help()
        guard let state, let runs else { return nil }
        return (state, runs)
    }

    /// Stamps alongside `readState` once it has the state (returns at once without one).
    func help() {
        let runs = condition.withLock {
            while !decided { condition.wait() }
            return self.runs
        }
        runs?.help()
    }
}

/// What the stamps say about the last build, before anything is read.
enum BuildPlan {
    /// Nothing changed: nothing is read or written.
    case upToDate(BuildReport)
    /// Only these section or capability files changed: the pipeline runs, and `affectedPages`
    /// decides which pages it renders again.
    case rebuild(changed: [String], previous: BuildState)
    /// Every page is rendered (still writing only files whose bytes changed); the reason, unless
    /// there was no earlier build.
    case full(reason: String?)
}

private let addedOrRemoved = "a section or capability was added or removed"

/// Compares the stamps with the last build's state.
func planBuild(_ options: BuildOptions, stamps: InputStamps, previous: BuildState?, start: DispatchTime) -> BuildPlan {
    guard options.incremental, let state = previous else { return .full(reason: nil) }
    let outputPath = options.output.path
    guard state.output == outputPath else { return .full(reason: "built into another folder last time") }
    guard state.executable == executableStamp() else { return .full(reason: "portal itself changed") }
    guard let marker = FileStamp.ofIdentity("\(outputPath)/\(outputMarker)"), marker == state.marker else {
        return .full(reason: "the output folder changed")
    }
    guard stamps.global == state.global else { return .full(reason: "site, data, theme or history changed") }
    // The same files (as many, each known) and which of them changed, as the stamps were taken
    // against this state (`InputStamps.take` with it as `previous`).
    let count = stamps.count
    guard count == state.sources.count, let compared = stamps.comparedWithLast, compared.known == count
    else { return .full(reason: addedOrRemoved) }
    let changed = compared.changed.sorted()
    guard changed.isEmpty else { return .rebuild(changed: changed, previous: state) }
    var summary = WriteSummary()
    summary.unchanged = state.summary.files
    let counts = state.summary
    let elapsed = Int((DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1_000_000)
    return .upToDate(
        BuildReport(
            pages: counts.pages, capabilities: counts.capabilities, tables: counts.tables,
            references: counts.references, paragraphs: counts.paragraphs, milliseconds: elapsed, write: summary,
            warnings: state.warnings, incremental: "up to date"))
}

/// The pages a rebuild renders again: those that read a fact the changed files now give
/// differently, as the last build recorded them. Nil, with the reason, when a change reaches
/// past the facts pages record one by one (a file's interface: its front matter, paragraph
/// numbers, headings or links, which every page may read through `.site`).
func affectedPages(
    changed: [String], graph: SiteGraph, previous: BuildState, content: ContentFiles, recorded: RecordedInputs?
) -> (pages: Set<String>?, inputs: RecordedInputs, reason: String?) {
    guard var inputs = recorded else { return (nil, RecordedInputs(), "no record of what each page read") }
    var changedInputs: Set<PageInput> = []
    let sources = graphSources(graph, only: Set(changed))
    let sections = Dictionary(
        uniqueKeysWithValues: graph.sections.lazy.filter { sources[$0.file] != nil }.map { ($0.file, $0) }
    )
    let abbreviations = AbbreviationIndex(graph.glossary)
    for file in changed {
        guard let source = sources[file] else { return (nil, inputs, "\(file) did not load") }
        guard previous.sources.source(file, near: content.position(of: file))?.interface == source.interface else {
            return (nil, inputs, "\(file) changed more than its text")
        }
        guard let old = inputs.facts[file] else { return (nil, inputs, "no record of \(file)") }
        let new = sourceFacts(source.body)
        if new.body != old.body { changedInputs.insert(.body(file)) }
        for (number, hash) in new.paragraphs where old.paragraphs[number] != hash {
            changedInputs.insert(.paragraph(number))
            changedInputs.insert(.paragraphs(file))
        }
        inputs.facts[file] = new
        // What the search index and the glossary derive from the texts: an edit that changes
        // neither the kept openings nor the acronyms used renders neither again.
        let derived = sections[file].map { sectionReadFacts($0, graph: graph, index: abbreviations) } ?? [:]
        for (input, hash) in derived where inputs.derived[input] != hash {
            changedInputs.insert(input)
            inputs.derived[input] = hash
        }
    }
    // What the what-changed pages show: an edit in one section can change another's comparison.
    if !changedInputs.isEmpty {
        for (input, hash) in editionChangesFacts(graph) where inputs.derived[input] != hash {
            changedInputs.insert(input)
            inputs.derived[input] = hash
        }
    }
    let pages = inputs.reads.pages(readingAnyOf: changedInputs)
    return (pages, inputs, nil)
}

/// Each source file's interface and body, sections and capabilities alike (`only`: just these
/// files; a rebuild looks at the few that changed, not at ten thousand).
private func graphSources(_ graph: SiteGraph, only: Set<String>? = nil) -> [String: (
    interface: String, body: ParsedBody
)] {
    var sources: [String: (interface: String, body: ParsedBody)] = [:]
    for section in graph.sections where only?.contains(section.file) ?? true {
        sources[section.file] = (section.source.interface, section.source.body)
    }
    for capability in graph.capabilities where only?.contains(capability.file) ?? true {
        sources[capability.file] = (capability.source.interface, capability.source.body)
    }
    return sources
}

/// Fingerprints of a body's HTML (before its links are filled: they belong to the interface)
/// and of each numbered paragraph's text.
func sourceFacts(_ body: ParsedBody) -> RecordedInputs.SourceFacts {
    var hasher = StableHasher()
    for block in body.blocks {
        switch block {
        case .heading(let index, let level, let html):
            hasher.combine("h\(index).\(level)")
            hasher.combine(Int(bitPattern: UInt(textHash(html))))
        case .paragraph(let number, let html):
            hasher.combine(number)
            hasher.combine(Int(bitPattern: UInt(textHash(html))))
        case .other(let html):
            hasher.combine("o")
            hasher.combine(Int(bitPattern: UInt(textHash(html))))
        }
    }
    var paragraphs: [Int: UInt64] = [:]
    for paragraph in body.paragraphs { paragraphs[paragraph.number] = paragraph.storedText.utf8Hash }
    return RecordedInputs.SourceFacts(body: hasher.value, paragraphs: paragraphs)
}

/// What a build records for the next one; nil when it cannot account for every source (then no
/// state is kept and the next build is full). A rebuild passes the inputs it started from, with
/// the changed sources' facts already updated, and only the reads of the pages it rendered; the
/// files it found changed and the last state, whose every other source it keeps as it was.
func prepareState(
    options: BuildOptions, stamps: InputStamps, graph: SiteGraph, output: RenderOutput, warnings: [Diagnostic],
    counts: BuildCounts, rebuilt: (inputs: RecordedInputs, changed: [String], previous: BuildState)?
) -> (state: BuildState, inputs: RecordedInputs)? {
    let bySource = graphSources(graph, only: rebuilt.map { Set($0.changed) })
    guard let sources = stateSources(stamps: stamps, bySource: bySource, previous: rebuilt?.previous) else {
        return nil
    }
    var inputs: RecordedInputs
    if let rebuilt {
        inputs = rebuilt.inputs
        inputs.reads.merge(output.reads)
        inputs.derived.merge(output.fingerprints)
    } else {
        // Hashing every body costs a few tens of milliseconds at 10,000 pages; on every core.
        let all = bySource.sorted { $0.key < $1.key }
        let facts = parallelMap(all) { sourceFacts($0.value.body) }
        inputs = RecordedInputs(
            reads: RecordedReads(output.reads),
            facts: RecordedFacts(Dictionary(uniqueKeysWithValues: zip(all.map(\.key), facts))),
            derived: RecordedDerived(output.fingerprints))
    }
    let state = BuildState(
        executable: executableStamp(), output: options.output.path, global: stamps.global, marker: nil,
        sources: sources, warnings: warnings, summary: counts)
    return (state, inputs)
}

/// The state's sources, in the walk's order: every file stamped with its interface, or for a
/// rebuild (`previous`) the last state's lines but for the files in `bySource`. A rebuild's other
/// sources are the last build's: their stamps are how they were told from the changed ones, and
/// their interfaces come from the same bytes with the same site. Nil unless every source is
/// accounted for, or the next build could miss a change.
private func stateSources(
    stamps: InputStamps, bySource: [String: (interface: String, body: ParsedBody)], previous: BuildState?
) -> SourceTable? {
    let files = stamps.content.markdown
    if let previous, stamps.linesUpWithLast {
        var replacements: [Int: (path: String, source: BuildState.SourceState)] = [:]
        for (file, source) in bySource {
            guard let position = stamps.content.position(of: file), let stamp = stamps.stamps[position] else {
                return nil
            }
            replacements[position] = (file, BuildState.SourceState(stamp: stamp, interface: source.interface))
        }
        guard stamps.count == files.count else { return nil }
        return previous.sources.replacing(replacements)
    }
    let last = previous?.sources.byPath()
    var table = SourceTable()
    table.reserveCapacity(lines: files.count, bytes: files.count * 100)
    for (file, stamp) in zip(files, stamps.stamps) {
        guard let stamp else { continue }
        let interface = bySource[file]?.interface ?? last?[file]?.interface
        guard let interface else { return nil }
        table.append(file, BuildState.SourceState(stamp: stamp, interface: interface))
    }
    return table
}

/// Saves the state once the site is written, with the output marker's stamp; a state that
/// cannot be written is removed, so the next build is full rather than wrong.
func saveState(_ prepared: (state: BuildState, inputs: RecordedInputs)?, options: BuildOptions) {
    guard var state = prepared?.state, let inputs = prepared?.inputs else {
        BuildState.remove(root: options.root)
        return
    }
    state.marker = FileStamp.ofIdentity("\(options.output.path)/\(outputMarker)")
    do { try state.write(root: options.root, inputs: inputs) } catch { BuildState.remove(root: options.root) }
}
