import PortalLoad
import PortalSupport

/// The resolved graph's structure as a build left it (`.portal-cache/graph`), so a rebuild whose
/// changed files keep their interface (`resolveTextEdit`) takes it as it was instead of loading
/// and resolving ten thousand sources again. What a text edit cannot change is kept: each
/// section's and capability's file, slug, page, title, heading ids, relations and resolved
/// links; the paragraph index; the citations; the diagnostics Load and Resolve reported. Not the
/// sources themselves: those are the load cache's, read when a page asks. Git's history too,
/// since a commit or checkout moves HEAD, which makes the next build a full one: a text edit
/// runs no git process.
///
///     magic, buildID, token, files,
///     sections      slug, page, title, then the length and bytes of the rest
///     capabilities  slug, title, then the length and bytes of the rest
///     paragraph index, the length and bytes of the citations, reference count, diagnostics,
///     git's history (by path), then a checksum of all of it
///
/// What only some pages read (a section's links, the citations) is kept as its bytes and
/// decoded when first asked for: a one-page rebuild decodes a few sections, not ten thousand.
/// Read only by the binary that wrote it (`buildID`) and with the state that names its `token`.
package struct GraphSnapshot: Sendable {
    static let magic = "portal-graph 2"

    struct SectionShell: Sendable {
        var file: String
        var slug: String
        var page: PageID
        var title: String
        /// Headings, capabilities, boards, tables and links, in `bytes`.
        var rest: Range<Int>
    }

    struct CapabilityShell: Sendable {
        var file: String
        var slug: String
        var title: String
        /// Sections, headings and links, in `bytes`.
        var rest: Range<Int>
    }

    package var token: UInt64
    let bytes: SnapshotBytes
    /// In report order, as the graph holds them.
    var sections: [SectionShell]
    /// Sorted by title, as the graph holds them.
    var capabilities: [CapabilityShell]
    var paragraphIndex: ParagraphIndex
    var citations: Range<Int>
    var referenceCount: Int
    /// Everything Load and Resolve reported (warnings: a build with errors keeps no snapshot).
    package var diagnostics: [Diagnostic]
    /// Git's history as the build that wrote the snapshot read it.
    var history: GitHistory
}

/// A snapshot's bytes (the file, mapped), which its deferred parts are decoded from, with its
/// source files by place.
final class SnapshotBytes: Sendable {
    let bytes: StableBytes
    let files: [String]

    init(bytes: StableBytes, files: [String]) {
        self.bytes = bytes
        self.files = files
    }

    /// Decodes `range` (which the checksum vouched for with the rest); nil only if it does not fit.
    func read<Value>(_ range: Range<Int>, _ decode: (inout ByteReader) throws -> Value) -> Value? {
        var reader = ByteReader(UnsafeRawBufferPointer(rebasing: bytes.buffer[range]))
        guard let value = try? decode(&reader), reader.isAtEnd else { return nil }
        return value
    }

    func file(_ position: Int) throws -> String {
        guard position < files.count else { throw ByteReader.Malformed() }
        return files[position]
    }
}

/// The snapshot of `graph`, with the diagnostics the build reported before rendering.
package func encodedSnapshot(_ graph: SiteGraph, diagnostics: [Diagnostic], buildID: String, token: UInt64)
    -> [UInt8]
{
    var writer = ByteWriter(capacity: graph.paragraphIndex.count * 48)
    writer.string(GraphSnapshot.magic)
    writer.string(buildID)
    writer.fixed64(token)
    // Every source file once: citations name the file they sit in by its place here.
    let files = graph.sections.map(\.file) + graph.capabilities.map(\.file)
    let filePositions = Dictionary(files.enumerated().map { ($1, $0) }) { first, _ in first }
    writer.array(files) { $0.string($1) }
    writer.array(graph.sections) { writer, section in
        writer.string(section.slug)
        writer.pageID(section.page)
        writer.string(section.title)
        writer.block { writer in
            writer.headings(section.headings)
            writer.array(section.capabilities) { $0.string($1) }
            writer.array(section.boards) { $0.string($1) }
            writer.array(section.tables) { $0.string($1) }
            writer.links(section.links)
        }
    }
    writer.array(graph.capabilities) { writer, capability in
        writer.string(capability.slug)
        writer.string(capability.title)
        writer.block { writer in
            writer.array(capability.sections) { $0.string($1) }
            writer.headings(capability.headings)
            writer.links(capability.links)
        }
    }
    writer.array(Array(graph.paragraphIndex.entries)) { writer, entry in
        writer.int(entry.0)
        writer.unsigned(UInt64(graph.sectionIndex[entry.1]!))
    }
    // Sorted by thing, so the same graph gives the same bytes.
    let things = graph.citations.keys.map { thing -> (key: [UInt8], thing: CitedThing) in
        var key = ByteWriter()
        key.citedThing(thing)
        return (key.bytes, thing)
    }.sorted { $0.key.lexicographicallyPrecedes($1.key) }
    writer.block { writer in
        writer.array(things) { writer, entry in
            writer.citedThing(entry.thing)
            writer.array(graph.citations[entry.thing]!) { writer, citation in
                writer.pageID(citation.page)
                writer.optional(citation.paragraph) { $0.int($1) }
                // Its file's place plus one; zero, then the name, for a file that is not a source.
                let position = filePositions[citation.location.file]
                writer.unsigned(position.map { UInt64($0 + 1) } ?? 0)
                if position == nil { writer.string(citation.location.file) }
                writer.int(citation.location.line)
                writer.int(citation.location.column)
            }
        }
    }
    writer.int(graph.referenceCount)
    writer.array(diagnostics) { $0.diagnostic($1, in: "") }
    writer.array(graph.history.changes.sorted { $0.key < $1.key }) { writer, entry in
        writer.string(entry.key)
        writer.int(entry.value.date.year)
        writer.optional(entry.value.date.month) { $0.int($1) }
        writer.optional(entry.value.date.day) { $0.int($1) }
        writer.string(entry.value.author)
    }
    writer.fixed64(writer.bytes.withUnsafeBytes(contentHash))
    return writer.bytes
}

/// The snapshot in `bytes`; nil for anything short, foreign, damaged or of another binary.
package func decodedSnapshot(_ bytes: [UInt8], buildID: String) -> GraphSnapshot? {
    decodedSnapshot(CopiedBytes(bytes), buildID: buildID)
}

/// The same, from bytes that stay in place (the snapshot file, mapped: `MappedFile`).
package func decodedSnapshot(_ bytes: StableBytes, buildID: String) -> GraphSnapshot? {
    withCheckedBody(bytes.buffer) { body -> GraphSnapshot? in
        var reader = ByteReader(body)
        guard (try? reader.string()) == GraphSnapshot.magic, (try? reader.string()) == buildID,
            let snapshot = try? reader.snapshot(of: bytes), reader.isAtEnd
        else { return nil }
        return snapshot
    }
}

extension GraphSnapshot {
    /// What a section's shell leaves in the bytes, or nil if it does not decode.
    func sectionRest(_ shell: SectionShell) -> (
        headings: [Heading], capabilities: [String], boards: [String], tables: [String], links: [LinkTarget?]
    )? {
        bytes.read(shell.rest) { reader in
            (
                try reader.headings(), try reader.array { try $0.string() }, try reader.array { try $0.string() },
                try reader.array { try $0.string() }, try reader.links()
            )
        }
    }

    func capabilityRest(_ shell: CapabilityShell) -> (sections: [String], headings: [Heading], links: [LinkTarget?])? {
        bytes.read(shell.rest) { reader in
            (try reader.array { try $0.string() }, try reader.headings(), try reader.links())
        }
    }

    /// The citations, decoded, or nil if they do not.
    func decodedCitations() -> [CitedThing: [Citation]]? {
        let bytes = self.bytes
        return bytes.read(citations) { reader in
            let count = try reader.count()
            var citations: [CitedThing: [Citation]] = .init(minimumCapacity: count)
            for _ in 0..<count {
                let thing = try reader.citedThing()
                citations[thing] = try reader.array { reader in
                    let page = try reader.pageID()
                    let paragraph = try reader.optional { try $0.int() }
                    let place = try Int(reader.unsigned())
                    let path = place == 0 ? try reader.string() : try bytes.file(place - 1)
                    return Citation(
                        page: page, paragraph: paragraph,
                        location: SourceLocation(file: path, line: try reader.int(), column: try reader.int()))
                }
            }
            return citations
        }
    }
}

extension ByteWriter {
    /// The length of what `write` writes, then its bytes: a part a reader can step over.
    fileprivate mutating func block(_ write: (inout ByteWriter) -> Void) {
        var part = ByteWriter()
        write(&part)
        unsigned(UInt64(part.bytes.count))
        raw(part.bytes)
    }

    fileprivate mutating func headings(_ headings: [Heading]) {
        array(headings) { writer, heading in
            writer.int(heading.level)
            writer.string(heading.text)
            writer.string(heading.id)
        }
    }

    fileprivate mutating func links(_ links: [LinkTarget?]) {
        array(links) { writer, target in writer.optional(target) { $0.linkTarget($1) } }
    }
}

extension ByteReader {
    /// Where the block at the reader is, stepped over.
    fileprivate mutating func block() throws -> Range<Int> {
        let count = try self.count()
        let start = offset
        _ = try bytes(count)
        return start..<(start + count)
    }

    fileprivate mutating func snapshot(of bytes: StableBytes) throws -> GraphSnapshot {
        let token = try fixed64()
        let store = SnapshotBytes(bytes: bytes, files: try array { try $0.string() })
        var position = 0
        let sections = try array { reader -> GraphSnapshot.SectionShell in
            defer { position += 1 }
            return GraphSnapshot.SectionShell(
                file: try store.file(position), slug: try reader.string(), page: try reader.pageID(),
                title: try reader.string(), rest: try reader.block())
        }
        let capabilities = try array { reader -> GraphSnapshot.CapabilityShell in
            defer { position += 1 }
            return GraphSnapshot.CapabilityShell(
                file: try store.file(position), slug: try reader.string(), title: try reader.string(),
                rest: try reader.block())
        }
        let count = try self.count()
        var numbers: [Int] = []
        var slugs: [String] = []
        numbers.reserveCapacity(count)
        slugs.reserveCapacity(count)
        for _ in 0..<count {
            let number = try int()
            let section = try Int(unsigned())
            guard section < sections.count, number > numbers.last ?? Int.min else { throw Malformed() }
            numbers.append(number)
            slugs.append(sections[section].slug)
        }
        return GraphSnapshot(
            token: token, bytes: store, sections: sections, capabilities: capabilities,
            paragraphIndex: ParagraphIndex(numbers: numbers, slugs: slugs), citations: try block(),
            referenceCount: try int(), diagnostics: try array { try $0.diagnostic(in: "") }, history: try history())
    }

    fileprivate mutating func history() throws -> GitHistory {
        var changes: [String: LastChange] = [:]
        for _ in 0..<(try count()) {
            let path = try string()
            let year = try int()
            let month = try optional { try $0.int() }
            let day = try optional { try $0.int() }
            changes[path] = LastChange(date: PartialDate(year: year, month: month, day: day), author: try string())
        }
        return GitHistory(changes: changes)
    }

    fileprivate mutating func headings() throws -> [Heading] {
        try array { reader in
            Heading(level: try reader.int(), text: try reader.string(), id: try reader.string())
        }
    }

    fileprivate mutating func links() throws -> [LinkTarget?] {
        try array { reader in try reader.optional { try $0.linkTarget() } }
    }
}
