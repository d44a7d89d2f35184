import Foundation
import PortalRender
import PortalSupport

/// What the last build left in `.portal-cache/` (outside the output, git-ignored). Two files:
/// `state`, small, read by every build, enough to see that nothing changed without reading any
/// content (one line per source: its stamp and interface fingerprint); and `inputs`
/// (`RecordedInputs`), read only by a rebuild: what each page read and a fingerprint of each of
/// those facts as it was.
struct BuildState: Sendable {
    static let header = "portal-state 6"

    var executable: String
    var output: String
    var global: String
    var marker: FileStamp?
    /// Per section or capability file (path relative to the root), in the walk's order.
    var sources: SourceTable
    var warnings: [Diagnostic]
    var summary: BuildCounts
    /// The token of the graph snapshot this state goes with (`GraphSnapshot`); nil when the
    /// build kept none, and a text-only rebuild then resolves everything.
    var graph: UInt64? = nil

    struct SourceState: Sendable, Equatable {
        var stamp: FileStamp
        /// `SectionSource.interface` or `CapabilitySource.interface`.
        var interface: String
    }
}

/// The counts a build summary prints, kept so a build that reads nothing can print them too.
struct BuildCounts: Sendable, Equatable {
    var pages = 0
    var capabilities = 0
    var tables = 0
    var paragraphs = 0
    var references = 0
    /// Every file of the output, pages, downloads and assets, for "N unchanged".
    var files = 0
}

extension BuildState {
    static func folder(root: URL) -> URL { root.appendingPathComponent(".portal-cache") }

    /// Plain text, one record per line. The output marker's stamp, known only once the site is
    /// written, comes last, then the line that shows the file was written whole.
    func encodedWithoutMarker() -> [UInt8] {
        var out: [UInt8] = []
        func line(_ parts: String...) {
            out.append(contentsOf: parts.joined(separator: "\t").utf8)
            out.append(0x0A)
        }
        line(Self.header)
        line("executable", executable)
        line("output", output)
        line("global", global)
        if let graph { line("graph", String(graph, radix: 16)) }
        line(
            "counts", String(summary.pages), String(summary.capabilities), String(summary.tables),
            String(summary.paragraphs), String(summary.references), String(summary.files))
        for d in warnings {
            let fields = [
                "warning", d.location.file, String(d.location.line), String(d.location.column), d.code,
                clean(d.message), clean(d.hint ?? ""),
            ]
            line(fields.joined(separator: "\t"))
        }
        // One line per source, kept as bytes (`SourceTable`): on a large site most of the file.
        out.append(contentsOf: sources.bytes)
        return out
    }

    func encodedMarker() -> [UInt8] {
        Array(
            "marker\t\(marker.map { "\($0.size)\t\($0.modified)\t\(String($0.content, radix: 16))" } ?? "-")\nend\n"
                .utf8)
    }

    func encoded() -> [UInt8] { encodedWithoutMarker() + encodedMarker() }

    static func decode(_ bytes: [UInt8]) -> BuildState? {
        var state = BuildState(
            executable: "", output: "", global: "", marker: nil, sources: SourceTable(), warnings: [],
            summary: BuildCounts())
        // About a hundred bytes a source: reserved once rather than grown ten times.
        state.sources.reserveCapacity(lines: bytes.count / 100, bytes: bytes.count)
        var sawEnd = false
        var first = true
        var malformed = false
        forEachRecord(bytes) { record in
            // Source lines are nearly all of a large site's state: kept as they are, without a
            // string per field.
            if !first, record.fieldCount == 6, record.field(0).elementsEqual(SourceTable.lineTag.utf8) {
                guard let size = record.integer(2), let time = record.integer(3), let content = record.hex(4)
                else {
                    malformed = true
                    return false
                }
                state.sources.appendRead(
                    record.buffer, line: record.ranges[0].lowerBound..<(record.ranges[5].upperBound + 1),
                    path: record.ranges[1], stamp: FileStamp(size: size, modified: time, content: content),
                    interface: record.ranges[5])
                return true
            }
            let fields = (0..<record.fieldCount).map(record.text)
            if first {
                guard fields.count == 1, fields[0] == header else {
                    malformed = true
                    return false
                }
                first = false
                return true
            }
            switch fields[0] {
            case "executable": state.executable = fields[1]
            case "output": state.output = fields[1]
            case "global": state.global = fields[1]
            case "graph":
                guard fields.count == 2, let token = UInt64(fields[1], radix: 16) else {
                    malformed = true
                    return false
                }
                state.graph = token
            case "marker":
                if fields.count == 4, let size = Int64(fields[1]), let time = Int64(fields[2]),
                    let content = UInt64(fields[3], radix: 16)
                {
                    state.marker = FileStamp(size: size, modified: time, content: content)
                }
            case "counts":
                let numbers = fields.dropFirst().compactMap { Int($0) }
                guard numbers.count == 6 else {
                    malformed = true
                    return false
                }
                state.summary = BuildCounts(
                    pages: numbers[0], capabilities: numbers[1], tables: numbers[2], paragraphs: numbers[3],
                    references: numbers[4], files: numbers[5])
            case "warning":
                guard fields.count == 7, let line = Int(fields[2]), let column = Int(fields[3]) else {
                    malformed = true
                    return false
                }
                state.warnings.append(
                    Diagnostic(
                        .warning, fields[4], fields[5], hint: fields[6].isEmpty ? nil : fields[6],
                        at: SourceLocation(file: fields[1], line: line, column: column)))
            case "end": sawEnd = true
            default:
                malformed = true
                return false
            }
            return true
        }
        if malformed { return nil }
        // A state cut short (an interrupted write) is no state at all.
        return sawEnd ? state : nil
    }

    static func read(root: URL) -> BuildState? {
        readFileBytes(folder(root: root).appendingPathComponent("state").path).flatMap(decode)
    }

    /// Writes the state and the recorded inputs; each file is replaced by a rename, so a reader
    /// never sees half of one. The inputs go first: a state is only trusted with its inputs.
    /// Inputs read from a file whose changes since are small are written as those changes only
    /// (`inputs-changes`, `RecordedInputs.encodedChanges`): a one-page rebuild at 10,000 pages
    /// otherwise encoded, wrote and replaced 3.8 MB, about a seventh of its time.
    func write(root: URL, inputs: RecordedInputs) throws {
        let folder = Self.folder(root: root)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let paths = RecordedInputs.Paths(folder: folder)
        let statePath = folder.appendingPathComponent("state").path
        // Each encoded and written on its own thread (at 10,000 pages each is milliseconds with a
        // core idle), then renamed into place in order.
        let state = self
        let (inputsWritten, stateWritten) = concurrently(
            { () -> Result<(temporary: String, path: String), Error> in
                Result {
                    if let changes = inputs.encodedChanges() {
                        return (try writeTemporaryFile(changes, beside: paths.changes), paths.changes)
                    }
                    return (try writeTemporaryFile(inputs.encoded(), beside: paths.whole), paths.whole)
                }
            },
            { Result { try writeTemporaryFile(state.encoded(), beside: statePath) } })
        switch (inputsWritten, stateWritten) {
        case (.success(let written), .success(let stateTemporary)):
            try replaceFiles([(written.temporary, written.path)])
            // Changes made against the file just replaced apply to it no longer; a reader that
            // finds them anyway (the process stopped here) sees they name another file.
            if written.path == paths.whole { unlink(paths.changes) }
            try replaceFiles([(stateTemporary, statePath)])
        case (.failure(let error), let other):
            if case .success(let temporary) = other { unlink(temporary) }
            throw error
        case (.success(let written), .failure(let error)):
            unlink(written.temporary)
            throw error
        }
    }

    static func remove(root: URL) {
        try? FileManager.default.removeItem(at: folder(root: root).appendingPathComponent("state"))
    }
}

/// What the last build recorded for the next one to work out which pages an edit affects: every
/// page's `PageInput`s as `renderPage` recorded them, and a fingerprint of each fact a source
/// provides (its body, each paragraph's text) as it was then. Data the pipeline produced, keyed
/// by the source it came from; nothing is read back out of the pages.
struct RecordedInputs: Sendable, Equatable {
    static let header = "portal-inputs 6"

    /// By page path (the search index too).
    var reads = RecordedReads()
    /// By source file.
    var facts = RecordedFacts()
    /// Fingerprints of the derived reads (`.searchTexts`, `.acronymUses`) as pages made them.
    var derived = RecordedDerived()
    /// The checksum of the whole file these inputs were read from (`inputs`), which changes to
    /// them can be written against; nil for inputs not read from one.
    var base: UInt64? = nil

    /// Where the inputs are kept: the whole, and the changes made to it since it was written.
    struct Paths {
        var whole: String
        var changes: String

        init(folder: URL) {
            whole = folder.appendingPathComponent("inputs").path
            changes = folder.appendingPathComponent("inputs-changes").path
        }
    }

    /// Fingerprints of what one source gives the pages that read it.
    struct SourceFacts: Sendable, Equatable {
        var body: UInt64
        /// By paragraph number.
        var paragraphs: [Int: UInt64]
    }

    /// In `ByteWriter`'s binary form (a text form took a quarter of a one-page rebuild at 10,000
    /// pages to write and read back): the header, each source's facts, the derived reads'
    /// fingerprints, each page's inputs (`.site`, read by every page, is not written), then a
    /// checksum of everything before it.
    func encoded() -> [UInt8] {
        // About what was read, and room for what changed: the bytes are not copied as they grow.
        var writer = ByteWriter(capacity: facts.byteCount + derived.byteCount + reads.byteCount + (1 << 20))
        writer.string(Self.header)
        facts.encode(into: &writer)
        derived.encode(into: &writer)
        reads.encode(into: &writer)
        let sum = writer.bytes.withUnsafeBytes(contentHash)
        writer.fixed64(sum)
        return writer.bytes
    }

    /// Nil for anything short, foreign or damaged.
    static func decode(_ bytes: [UInt8]) -> RecordedInputs? { decode(CopiedBytes(bytes)) }

    /// The same, from bytes that stay in place (the file, mapped), which the entries keep.
    static func decode(_ bytes: StableBytes) -> RecordedInputs? {
        withCheckedBody(bytes.buffer) { body -> RecordedInputs? in
            var reader = ByteReader(body)
            var inputs = RecordedInputs()
            do {
                guard try reader.string() == header else { return nil }
                inputs.facts = try RecordedFacts(reading: &reader, in: bytes)
                inputs.derived = try RecordedDerived(reading: &reader, in: bytes)
                inputs.reads = try RecordedReads(reading: &reader, in: bytes)
                var trailer = ByteReader(bytes.buffer, offset: bytes.buffer.count - 8)
                inputs.base = try trailer.fixed64()
            } catch { return nil }
            return reader.isAtEnd ? inputs : nil
        }
    }

    static let changesHeader = "portal-input-changes 1"

    /// What changed since the inputs were read from their file (`base`), written against that
    /// file's checksum: the header, the checksum, each part's changed entries, then a checksum of
    /// everything before it. Nil when there is no such file, or when the changes have grown past
    /// an eighth of it (and 64 KB, which any site writes in well under a millisecond) and the
    /// whole is written again instead.
    func encodedChanges() -> [UInt8]? {
        guard let base else { return nil }
        var writer = ByteWriter()
        writer.string(Self.changesHeader)
        writer.fixed64(base)
        facts.encodeChanges(into: &writer)
        derived.encodeChanges(into: &writer)
        reads.encodeChanges(into: &writer)
        let whole = facts.byteCount + derived.byteCount + reads.byteCount
        guard writer.bytes.count <= max(whole / 8, 1 << 16) else { return nil }
        writer.fixed64(writer.bytes.withUnsafeBytes(contentHash))
        return writer.bytes
    }

    /// These inputs with the changes `encodedChanges` wrote against them; nil when the changes are
    /// damaged or were written against another file (a build stopped between replacing the
    /// whole and removing the changes made to the last one).
    func applying(changes bytes: [UInt8]) -> RecordedInputs? {
        withCheckedBody(bytes) { body -> RecordedInputs? in
            var reader = ByteReader(body)
            var inputs = self
            do {
                guard try reader.string() == Self.changesHeader, try reader.fixed64() == base else { return nil }
                try inputs.facts.applyChanges(reading: &reader)
                try inputs.derived.applyChanges(reading: &reader)
                try inputs.reads.applyChanges(reading: &reader)
            } catch { return nil }
            return reader.isAtEnd ? inputs : nil
        }
    }

    static func read(root: URL) -> RecordedInputs? {
        let paths = Paths(folder: BuildState.folder(root: root))
        guard let whole = MappedFile(path: paths.whole).flatMap(decode) else { return nil }
        // No changes file: the whole was written last. One that cannot be read is not ignored:
        // the inputs would be the older ones.
        switch readRegularFile(paths.changes) {
        case .success(let changes): return whole.applying(changes: changes)
        case .failure(let error): return error.isMissing ? whole : nil
        }
    }

    /// The same facts, reads and fingerprints, wherever they were read from.
    static func == (a: RecordedInputs, b: RecordedInputs) -> Bool {
        a.reads == b.reads && a.facts == b.facts && a.derived == b.derived
    }
}

/// Entries by path, read from a file and kept as its bytes until one is asked for, and written
/// back as they were unless set since: a rebuild asks for a few of 10,000, so no value is made or
/// hashed for the rest. Entries are in path order (UTF-8 bytes), so a look-up halves its way in.
struct KeptEntries<Value: Sendable & Equatable>: Sendable {
    /// The file read (mapped, not copied) and where in it this section is; where in the section
    /// each entry starts (its path's length), and where its path and its value are.
    private var file: StableBytes?
    private var section = 0..<0
    private var entries: [(start: Int, path: Range<Int>, value: Range<Int>)] = []
    /// Values set since (or every value, when not read from a file).
    private(set) var set: [String: Value] = [:]

    init(_ values: [String: Value] = [:]) { set = values }

    /// Reads what `encode` wrote, checking every entry's shape with `skip`, decoding none.
    init(reading reader: inout ByteReader, in bytes: StableBytes, skip: (inout ByteReader) throws -> Void) throws {
        let start = reader.offset
        let count = try reader.count()
        entries.reserveCapacity(count)
        var previous: Slice<UnsafeRawBufferPointer>?
        for _ in 0..<count {
            let entryStart = reader.offset
            let length = try reader.count()
            let pathStart = reader.offset
            _ = try reader.bytes(length)
            let valueStart = reader.offset
            try skip(&reader)
            let current = bytes.buffer[pathStart..<valueStart]
            if let previous, !previous.lexicographicallyPrecedes(current) { throw ByteReader.Malformed() }
            previous = current
            entries.append(
                (
                    entryStart - start, (pathStart - start)..<(valueStart - start),
                    (valueStart - start)..<(reader.offset - start)
                ))
        }
        file = bytes
        section = start..<reader.offset
    }

    /// The section's bytes.
    private var raw: UnsafeRawBufferPointer {
        file.map { UnsafeRawBufferPointer(rebasing: $0.buffer[section]) }
            ?? UnsafeRawBufferPointer(start: nil, count: 0)
    }

    func value(_ path: String, decode: (inout ByteReader) throws -> Value) -> Value? {
        if let value = set[path] { return value }
        guard let position = position(of: path) else { return nil }
        // Checked when read (the file's checksum, then every entry's shape).
        var reader = ByteReader(raw, offset: entries[position].value.lowerBound)
        return try? decode(&reader)
    }

    mutating func set(_ path: String, _ value: Value) { set[path] = value }

    /// Each read entry not set since, as its path's bytes and its value's reader.
    func forEachKept(_ body: (UnsafeRawBufferPointer, inout ByteReader) -> Void) {
        let replaced = Set(set.keys.compactMap(position(of:)))
        let raw = raw
        for index in entries.indices where !replaced.contains(index) {
            var reader = ByteReader(raw, offset: entries[index].value.lowerBound)
            body(part(entries[index].path), &reader)
        }
    }

    /// Bytes of `raw` by their place in it.
    private func part(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: raw[range])
    }

    /// Where a path's entry is among those read.
    private func position(of path: String) -> Int? {
        let key = Array(path.utf8)
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            let candidate = part(entries[middle].path)
            if candidate.elementsEqual(key) { return middle }
            if candidate.lexicographicallyPrecedes(key) { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    var paths: [String] {
        Array(Set(entries.map { String(decoding: part($0.path), as: UTF8.self) }).union(set.keys)).sorted()
    }

    /// In path order; the entries read and not set since are copied as their bytes, each run of
    /// them in one piece (a one-page rebuild keeps all but a few of 10,000).
    func encode(into writer: inout ByteWriter, _ encodeValue: (inout ByteWriter, Value) -> Void) {
        let added = set.keys.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
        let replaced = Set(set.keys.compactMap(position(of:)))
        writer.unsigned(UInt64(entries.count - replaced.count + added.count))
        var next = 0
        var run = 0..<0
        func writeRun() {
            writer.raw(part(run))
            run = run.upperBound..<run.upperBound
        }
        func writeAdded(_ path: [UInt8]) {
            let name = String(decoding: path, as: UTF8.self)
            writer.string(name)
            encodeValue(&writer, set[name]!)
        }
        for index in entries.indices where !replaced.contains(index) {
            let entry = entries[index].start..<entries[index].value.upperBound
            if next < added.count, added[next].lexicographicallyPrecedes(part(entries[index].path)) {
                writeRun()
                while next < added.count, added[next].lexicographicallyPrecedes(part(entries[index].path)) {
                    writeAdded(added[next])
                    next += 1
                }
            }
            if run.upperBound != entry.lowerBound {
                writeRun()
                run = entry
            } else {
                run = run.lowerBound..<entry.upperBound
            }
        }
        writeRun()
        for path in added[next...] { writeAdded(path) }
    }

    /// The values set since the entries were read, in path order: what `applyChanges` sets again.
    func encodeChanges(into writer: inout ByteWriter, _ encodeValue: (inout ByteWriter, Value) -> Void) {
        let changed = set.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        writer.array(changed) { writer, entry in
            writer.string(entry.key)
            encodeValue(&writer, entry.value)
        }
    }

    /// Sets the values `encodeChanges` wrote, over the entries read.
    mutating func applyChanges(reading reader: inout ByteReader, _ decode: (inout ByteReader) throws -> Value) throws {
        for _ in 0..<(try reader.count()) {
            let path = try reader.string()
            set[path] = try decode(&reader)
        }
    }

    /// How many bytes were read: about what `encode` writes again.
    var byteCount: Int { raw.count }

    func isEqual(to other: KeptEntries, decode: (inout ByteReader) throws -> Value) -> Bool {
        let paths = self.paths
        return paths == other.paths && paths.allSatisfy { value($0, decode: decode) == other.value($0, decode: decode) }
    }
}

/// A part of the recorded inputs kept as `KeptEntries`, and how each of its values is written.
private protocol KeptPart {
    associatedtype Value: Sendable & Equatable
    var kept: KeptEntries<Value> { get set }
    static func write(_ value: Value, into writer: inout ByteWriter)
    static func read(_ reader: inout ByteReader) throws -> Value
}

extension KeptPart {
    var byteCount: Int { kept.byteCount }

    func encode(into writer: inout ByteWriter) { kept.encode(into: &writer) { Self.write($1, into: &$0) } }

    func encodeChanges(into writer: inout ByteWriter) {
        kept.encodeChanges(into: &writer) { Self.write($1, into: &$0) }
    }

    mutating func applyChanges(reading reader: inout ByteReader) throws {
        try kept.applyChanges(reading: &reader, Self.read)
    }
}

/// Each source's `SourceFacts`, by file, kept as bytes until asked for (`KeptEntries`).
struct RecordedFacts: Sendable, Equatable, ExpressibleByDictionaryLiteral, KeptPart {
    fileprivate var kept: KeptEntries<RecordedInputs.SourceFacts>

    init(_ facts: [String: RecordedInputs.SourceFacts] = [:]) { kept = KeptEntries(facts) }

    init(dictionaryLiteral elements: (String, RecordedInputs.SourceFacts)...) {
        self.init(Dictionary(uniqueKeysWithValues: elements))
    }

    init(reading reader: inout ByteReader, in bytes: StableBytes) throws {
        kept = try KeptEntries(reading: &reader, in: bytes) { try $0.skipSourceFacts() }
    }

    subscript(file: String) -> RecordedInputs.SourceFacts? {
        get { kept.value(file, decode: Self.read) }
        set { if let newValue { kept.set(file, newValue) } }
    }

    fileprivate static func write(_ fact: RecordedInputs.SourceFacts, into writer: inout ByteWriter) {
        writer.fixed64(fact.body)
        writer.array(fact.paragraphs.sorted { $0.key < $1.key }) {
            $0.int($1.key)
            $0.fixed64($1.value)
        }
    }

    fileprivate static func read(_ reader: inout ByteReader) throws -> RecordedInputs.SourceFacts {
        try reader.sourceFacts()
    }

    static func == (a: RecordedFacts, b: RecordedFacts) -> Bool {
        a.kept.isEqual(to: b.kept, decode: Self.read)
    }
}

/// The fingerprint of each derived read, kept as bytes until asked for (`KeptEntries`): two for
/// every section, of which a one-page rebuild asks for two.
struct RecordedDerived: Sendable, Equatable, ExpressibleByDictionaryLiteral, KeptPart {
    fileprivate var kept: KeptEntries<UInt64>

    init(_ fingerprints: [PageInput: UInt64] = [:]) {
        kept = KeptEntries(Dictionary(uniqueKeysWithValues: fingerprints.map { (Self.key($0.key), $0.value) }))
    }

    init(dictionaryLiteral elements: (PageInput, UInt64)...) {
        self.init(Dictionary(uniqueKeysWithValues: elements))
    }

    init(reading reader: inout ByteReader, in bytes: StableBytes) throws {
        kept = try KeptEntries(reading: &reader, in: bytes) { _ = try $0.fixed64() }
    }

    subscript(input: PageInput) -> UInt64? {
        get { kept.value(Self.key(input), decode: Self.read) }
        set { if let newValue { kept.set(Self.key(input), newValue) } }
    }

    mutating func merge(_ fingerprints: [PageInput: UInt64]) {
        for (input, fingerprint) in fingerprints { self[input] = fingerprint }
    }

    fileprivate static func write(_ fingerprint: UInt64, into writer: inout ByteWriter) { writer.fixed64(fingerprint) }

    fileprivate static func read(_ reader: inout ByteReader) throws -> UInt64 { try reader.fixed64() }

    /// The entry's name: the kind of input, a space, and what it is of (no kind has a space).
    private static func key(_ input: PageInput) -> String {
        switch input {
        case .site: return "site"
        case .body(let file): return "body " + file
        case .paragraph(let number): return "paragraph \(number)"
        case .paragraphs(let file): return "paragraphs " + file
        case .searchTexts(let file): return "searchTexts " + file
        case .acronymUses(let file): return "acronymUses " + file
        case .editionChanges(let slug): return "editionChanges " + slug
        }
    }

    static func == (a: RecordedDerived, b: RecordedDerived) -> Bool {
        a.kept.isEqual(to: b.kept, decode: Self.read)
    }
}

/// What each page read, by page path, kept as bytes until asked for (`KeptEntries`). A rebuild
/// looks for the pages that read a changed input by comparing encoded inputs, so no set is made
/// for a page that did not.
struct RecordedReads: Sendable, Equatable, ExpressibleByDictionaryLiteral, KeptPart {
    fileprivate var kept: KeptEntries<Set<PageInput>>

    init(_ reads: [String: Set<PageInput>] = [:]) { kept = KeptEntries(reads) }

    init(dictionaryLiteral elements: (String, Set<PageInput>)...) {
        self.init(Dictionary(uniqueKeysWithValues: elements))
    }

    init(reading reader: inout ByteReader, in bytes: StableBytes) throws {
        kept = try KeptEntries(reading: &reader, in: bytes) { reader in
            for _ in 0..<(try reader.count()) { try reader.skipInput() }
        }
    }

    subscript(page: String) -> Set<PageInput>? {
        get { kept.value(page, decode: Self.read) }
        set { if let newValue { kept.set(page, newValue) } }
    }

    mutating func merge(_ reads: [String: Set<PageInput>]) {
        for (page, inputs) in reads { kept.set(page, inputs) }
    }

    /// The pages that read any of `inputs`.
    func pages(readingAnyOf inputs: Set<PageInput>) -> Set<String> {
        var pages = Set(kept.set.filter { !$0.value.isDisjoint(with: inputs) }.keys)
        // `.site` is every page's and never written, so it is looked for without reading.
        if inputs.contains(.site) {
            kept.forEachKept { path, _ in pages.insert(String(decoding: path, as: UTF8.self)) }
            return pages
        }
        let wanted: [[UInt8]] = inputs.map {
            var writer = ByteWriter()
            writer.input($0)
            return writer.bytes
        }
        kept.forEachKept { path, reader in
            guard let count = try? reader.count() else { return }
            for _ in 0..<count {
                // Stepped over, not decoded: its bytes are what is compared, and making 10,000
                // pages' inputs into values was a third to a half of this look-up.
                let start = reader.offset
                guard (try? reader.skipInput()) != nil else { return }
                let bytes = reader.bytesRead(from: start)
                if wanted.contains(where: { $0.elementsEqual(bytes) }) {
                    pages.insert(String(decoding: path, as: UTF8.self))
                    return
                }
            }
        }
        return pages
    }

    fileprivate static func write(_ inputs: Set<PageInput>, into writer: inout ByteWriter) {
        writer.array(inputs.filter { $0 != .site }) { $0.input($1) }
    }

    fileprivate static func read(_ reader: inout ByteReader) throws -> Set<PageInput> { try reader.pageInputs() }

    static func == (a: RecordedReads, b: RecordedReads) -> Bool {
        a.kept.isEqual(to: b.kept, decode: Self.read)
    }
}

extension ByteReader {
    fileprivate mutating func sourceFacts() throws -> RecordedInputs.SourceFacts {
        let body = try fixed64()
        var paragraphs: [Int: UInt64] = [:]
        for _ in 0..<(try count()) { paragraphs[try int()] = try fixed64() }
        return RecordedInputs.SourceFacts(body: body, paragraphs: paragraphs)
    }

    /// Steps over what `sourceFacts` reads, checking its shape, without making its values: a
    /// rebuild reads the facts of the few sources that changed, not of ten thousand.
    fileprivate mutating func skipSourceFacts() throws {
        _ = try fixed64()
        for _ in 0..<(try count()) {
            _ = try int()
            _ = try fixed64()
        }
    }

    fileprivate mutating func pageInputs() throws -> Set<PageInput> {
        var set: Set<PageInput> = [.site]
        for _ in 0..<(try count()) { set.insert(try input()) }
        return set
    }
}

extension ByteWriter {
    /// A kind, then its file or number (the kinds `ByteReader.input` reads back).
    mutating func input(_ input: PageInput) {
        let (kind, file): (UInt64, String?)
        switch input {
        case .site: (kind, file) = (0, nil)
        case .body(let path): (kind, file) = (1, path)
        case .paragraph(let number):
            unsigned(2)
            int(number)
            return
        case .paragraphs(let path): (kind, file) = (3, path)
        case .searchTexts(let path): (kind, file) = (4, path)
        case .acronymUses(let path): (kind, file) = (5, path)
        case .editionChanges(let slug): (kind, file) = (6, slug)
        }
        unsigned(kind)
        if let file { string(file) }
    }
}

extension ByteReader {
    mutating func input() throws -> PageInput {
        switch try unsigned() {
        case 0: return .site
        case 1: return .body(try string())
        case 2: return .paragraph(try int())
        case 3: return .paragraphs(try string())
        case 4: return .searchTexts(try string())
        case 5: return .acronymUses(try string())
        case 6: return .editionChanges(try string())
        default: throw Malformed()
        }
    }

    /// Steps over what `input` reads, checking its shape, without making the input.
    mutating func skipInput() throws {
        switch try unsigned() {
        case 0: return
        case 2: _ = try int()
        case 1, 3, 4, 5, 6: _ = try bytes(try count())
        default: throw Malformed()
        }
    }
}

/// One line of a cache file: its tab-separated fields as ranges of the file's bytes.
private struct Record {
    let buffer: UnsafeBufferPointer<UInt8>
    let ranges: [Range<Int>]

    var fieldCount: Int { ranges.count }
    func field(_ index: Int) -> Slice<UnsafeBufferPointer<UInt8>> { buffer[ranges[index]] }
    func text(_ index: Int) -> String { String(decoding: field(index), as: UTF8.self) }

    /// `UInt64(text(index), radix: 16)` without making the string: every source line has one.
    func hex(_ index: Int) -> UInt64? {
        let digits = field(index)
        guard !digits.isEmpty, digits.count <= 16 else { return nil }
        var value: UInt64 = 0
        for byte in digits {
            let digit: UInt8
            switch byte {
            case ASCII.digits: digit = byte - ASCII.zero
            case ASCII.lowerA...(ASCII.lowerA + 5): digit = byte - ASCII.lowerA + 10
            case ASCII.upperA...(ASCII.upperA + 5): digit = byte - ASCII.upperA + 10
            default: return nil
            }
            value = value << 4 | UInt64(digit)
        }
        return value
    }

    /// A decimal integer, optionally negative; nil if the field is anything else.
    func integer(_ index: Int) -> Int64? {
        var digits = field(index)
        let negative = digits.first == 0x2D
        if negative { digits = digits.dropFirst() }
        guard !digits.isEmpty else { return nil }
        var value: Int64 = 0
        for byte in digits {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, carry) = shifted.addingReportingOverflow(Int64(byte - 0x30))
            guard !overflow, !carry else { return nil }
            value = sum
        }
        return negative ? -value : value
    }
}

/// Calls `body` with each line of `bytes` until it returns false.
private func forEachRecord(_ bytes: [UInt8], _ body: (Record) -> Bool) {
    bytes.withUnsafeBufferPointer { buffer in
        var ranges: [Range<Int>] = []
        var start = 0
        for index in 0..<buffer.count {
            let byte = buffer[index]
            guard byte == 0x09 || byte == 0x0A else { continue }
            ranges.append(start..<index)
            start = index + 1
            if byte == 0x0A {
                guard body(Record(buffer: buffer, ranges: ranges)) else { return }
                ranges.removeAll(keepingCapacity: true)
            }
        }
    }
}

/// Tabs and newlines separate records; messages never need them, so they become spaces.
private func appendClean(_ text: String, to out: inout [UInt8]) {
    for byte in text.utf8 { out.append(byte == 0x09 || byte == 0x0A ? 0x20 : byte) }
}

private func clean(_ text: String) -> String {
    guard text.utf8.contains(where: { $0 == 0x09 || $0 == 0x0A }) else { return text }
    var out: [UInt8] = []
    appendClean(text, to: &out)
    return String(decoding: out, as: UTF8.self)
}
