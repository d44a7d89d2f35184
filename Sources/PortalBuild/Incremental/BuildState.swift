import Foundation
import PortalRender
import PortalSupport

/// What the last build left in `.portal-cache/` (outside the output, git-ignored). Two files:
/// `state`, small, read by every build, enough to see that nothing changed without reading any
/// content (one line per source: its stamp and interface fingerprint); and `inputs`
/// (`RecordedInputs`), read only by a rebuild: what each page read and a fingerprint of each of
/// those facts as it was.
struct BuildState: Sendable {
    static let header = "portal-state 5"

    var executable: String
    var output: String
    var global: String
    var marker: FileStamp?
    /// Per section or capability file (path relative to the root).
    var sources: [String: SourceState]
    var warnings: [Diagnostic]
    var summary: BuildCounts

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
        // One line per source: on a large site most of the file, written as bytes without
        // building a string per field.
        out.reserveCapacity(out.count + sources.count * 96)
        for path in sources.keys.sorted() {
            let source = sources[path]!
            out.append(contentsOf: "source\t".utf8)
            out.append(contentsOf: path.utf8)
            for number in [source.stamp.size, source.stamp.modified] {
                out.append(0x09)
                appendDecimal(number, to: &out)
            }
            out.append(0x09)
            out.append(contentsOf: String(source.stamp.content, radix: 16).utf8)
            out.append(0x09)
            out.append(contentsOf: source.interface.utf8)
            out.append(0x0A)
        }
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
            executable: "", output: "", global: "", marker: nil, sources: [:], warnings: [], summary: BuildCounts())
        // About a hundred bytes a source: reserved once rather than grown ten times.
        state.sources.reserveCapacity(bytes.count / 100)
        var sawEnd = false
        var first = true
        var malformed = false
        forEachRecord(bytes) { record in
            // Source lines are nearly all of a large site's state: read without a string per field.
            if !first, record.fieldCount == 6, record.field(0).elementsEqual("source".utf8) {
                guard let size = record.integer(2), let time = record.integer(3),
                    let content = UInt64(record.text(4), radix: 16)
                else {
                    malformed = true
                    return false
                }
                state.sources[record.text(1)] = SourceState(
                    stamp: FileStamp(size: size, modified: time, content: content), interface: record.text(5))
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
    func write(root: URL, inputs: RecordedInputs) throws {
        let folder = Self.folder(root: root)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try writeFileAtomically(inputs.encoded(), to: folder.appendingPathComponent("inputs").path)
        try writeFileAtomically(encoded(), to: folder.appendingPathComponent("state").path)
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
    static let header = "portal-inputs 2"

    /// By page path (the search index too).
    var reads: [String: Set<PageInput>] = [:]
    /// By source file.
    var facts: [String: SourceFacts] = [:]
    /// Fingerprints of the derived reads (`.searchTexts`, `.acronymUses`) as pages made them.
    var derived: [PageInput: UInt64] = [:]

    /// Fingerprints of what one source gives the pages that read it.
    struct SourceFacts: Sendable, Equatable {
        var body: UInt64
        /// By paragraph number.
        var paragraphs: [Int: UInt64]
    }

    /// One line per page (its path, then its inputs), one per source (`body` fingerprint), one
    /// per paragraph. `.site` is read by every page and not written.
    func encoded() -> [UInt8] {
        var out = Array((Self.header + "\n").utf8)
        for path in facts.keys.sorted() {
            let fact = facts[path]!
            out += "source\t\(path)\t\(String(fact.body, radix: 16))\n".utf8
            for number in fact.paragraphs.keys.sorted() {
                out += "paragraph\t".utf8
                appendDecimal(Int64(number), to: &out)
                out += "\t\(String(fact.paragraphs[number]!, radix: 16))\n".utf8
            }
        }
        for (key, hash) in derived.map({ ($0.key.key, $0.value) }).sorted(by: { $0.0 < $1.0 }) {
            out += "derived\t\(key)\t\(String(hash, radix: 16))\n".utf8
        }
        for page in reads.keys.sorted() {
            out += "page\t".utf8
            out += page.utf8
            // Each key made once, then sorted: sorting by a key made in every comparison was a
            // sixth of a one-page rebuild at 10,000 pages.
            for key in reads[page]!.compactMap({ $0 == .site ? nil : $0.key }).sorted() {
                out.append(0x09)
                out += key.utf8
            }
            out.append(0x0A)
        }
        out += "end\n".utf8
        return out
    }

    static func decode(_ bytes: [UInt8]) -> RecordedInputs? {
        var inputs = RecordedInputs()
        var first = true
        var sawEnd = false
        var malformed = false
        var source: String?
        forEachRecord(bytes) { record in
            if first {
                first = false
                malformed = record.fieldCount != 1 || record.text(0) != header
                return !malformed
            }
            let kind = record.text(0)
            switch kind {
            case "page":
                var set: Set<PageInput> = [.site]
                for index in 2..<max(2, record.fieldCount) {
                    guard let input = PageInput(key: record.text(index)) else {
                        malformed = true
                        return false
                    }
                    set.insert(input)
                }
                inputs.reads[record.text(1)] = set
            case "source":
                guard record.fieldCount == 3, let body = UInt64(record.text(2), radix: 16) else {
                    malformed = true
                    return false
                }
                source = record.text(1)
                inputs.facts[record.text(1)] = SourceFacts(body: body, paragraphs: [:])
            case "paragraph":
                guard let source, record.fieldCount == 3, let number = record.integer(1),
                    let hash = UInt64(record.text(2), radix: 16)
                else {
                    malformed = true
                    return false
                }
                inputs.facts[source]!.paragraphs[Int(number)] = hash
            case "derived":
                guard record.fieldCount == 3, let input = PageInput(key: record.text(1)),
                    let hash = UInt64(record.text(2), radix: 16)
                else {
                    malformed = true
                    return false
                }
                inputs.derived[input] = hash
            case "end": sawEnd = true
            default: malformed = true
            }
            return !malformed
        }
        return malformed || !sawEnd ? nil : inputs
    }

    static func read(root: URL) -> RecordedInputs? {
        readFileBytes(BuildState.folder(root: root).appendingPathComponent("inputs").path).flatMap(decode)
    }
}

extension PageInput {
    /// How it is written in `inputs`: `b:` a body, `P:` a source's paragraphs, `p:` one paragraph,
    /// `s:` a section's search texts, `a:` its acronym uses.
    var key: String {
        switch self {
        case .site: "site"
        case .body(let file): "b:" + file
        case .paragraphs(let file): "P:" + file
        case .paragraph(let number): "p:" + String(number)
        case .searchTexts(let file): "s:" + file
        case .acronymUses(let file): "a:" + file
        }
    }

    init?(key: String) {
        let value = String(key.dropFirst(2))
        switch key.prefix(2) {
        case "b:": self = .body(value)
        case "P:": self = .paragraphs(value)
        case "s:": self = .searchTexts(value)
        case "a:": self = .acronymUses(value)
        case "p:":
            guard let number = Int(value) else { return nil }
            self = .paragraph(number)
        default:
            guard key == "site" else { return nil }
            self = .site
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
