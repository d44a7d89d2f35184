import Foundation
import PortalSupport

/// What the last build left in `.portal-cache/` (outside the output, git-ignored): enough to see
/// that nothing changed without reading any content, and to splice a text-only edit into the
/// pages that show it without rendering the site again.
///
/// Two files: `state`, small, read by every build (one line per source: its stamp, its interface
/// fingerprint, where its entry is); and `entries`, read only for the files an edit touched.
struct BuildState: Sendable {
    static let header = "portal-state 4"

    var executable: String
    var output: String
    var global: String
    var marker: FileStamp?
    /// Per section or capability file (path relative to the root).
    var sources: [String: SourceState]
    var warnings: [StoredWarning]
    var summary: BuildCounts
    /// How much of each paragraph the search index keeps; nil when the site has no index.
    var searchLimit: Int? = nil

    struct SourceState: Sendable {
        var stamp: FileStamp
        var interface: String
        /// Where its entry sits in the `entries` file.
        var entryRange: Range<Int> = 0..<0
        /// `searchLinesFingerprint` of its paragraphs' lines in the search index; empty for none.
        var searchLines = ""
        /// The entry itself, when a build has it in memory.
        var entry: SourceEntry?
    }

    /// Everything needed to re-render one body on its own: where its links point, what its table
    /// embeds draw, its heading ids, and which pages show its text.
    struct SourceEntry: Sendable {
        var hrefs: [String] = []
        var embeds: [Int: String] = [:]
        var headingIDs: [String] = []
        /// Pages holding the body fragment (its own page, the full report).
        var bodyPages: [String] = []
        /// Pages quoting its paragraphs (capability pages citing them), by paragraph.
        var excerpts: [Excerpt] = []
    }

    struct Excerpt: Sendable, Hashable {
        var paragraph: Int
        var page: String
    }

    struct StoredWarning: Sendable {
        /// Load-stage warnings come from reading one file and are redone when it is re-read.
        var fromLoad: Bool
        var diagnostic: Diagnostic
    }
}

/// The counts a build summary prints, kept so an incremental build can print them too.
struct BuildCounts: Sendable {
    var pages = 0
    var capabilities = 0
    var tables = 0
    var paragraphs = 0
    var references = 0
}

extension BuildState {
    static func folder(root: URL) -> URL { root.appendingPathComponent(".portal-cache") }

    /// The entries file's bytes, recording each source's range in it.
    mutating func encodeEntries() -> [UInt8] {
        var out: [UInt8] = []
        // Written as bytes: a 10,000-page site has well over a hundred thousand lines here.
        func line(_ tag: StaticString, _ text: String) {
            tag.withUTF8Buffer { out.append(contentsOf: $0) }
            out.append(0x09)
            appendClean(text, to: &out)
            out.append(0x0A)
        }
        for path in sources.keys.sorted() {
            guard let entry = sources[path]?.entry else { continue }
            let start = out.count
            for href in entry.hrefs { line("href", href) }
            for id in entry.headingIDs { line("heading", id) }
            for page in entry.bodyPages { line("body-page", page) }
            for excerpt in entry.excerpts {
                out.append(contentsOf: "excerpt\t".utf8)
                appendDecimal(Int64(excerpt.paragraph), to: &out)
                out.append(0x09)
                out.append(contentsOf: excerpt.page.utf8)
                out.append(0x0A)
            }
            for index in entry.embeds.keys.sorted() {
                let html = Array(entry.embeds[index]!.utf8)
                out.append(contentsOf: "embed\t".utf8)
                appendDecimal(Int64(index), to: &out)
                out.append(0x09)
                appendDecimal(Int64(html.count), to: &out)
                out.append(0x0A)
                out.append(contentsOf: html)
                out.append(0x0A)
            }
            sources[path]?.entryRange = start..<out.count
        }
        return out
    }

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
        if let searchLimit { line("search", String(searchLimit)) }
        line(
            "counts", String(summary.pages), String(summary.capabilities), String(summary.tables),
            String(summary.paragraphs), String(summary.references))
        out += Self.encoded(warnings)
        // One line per source: on a large site most of the file, written as bytes without
        // building a string per field.
        out.reserveCapacity(out.count + sources.count * 96)
        for path in sources.keys.sorted() { appendSourceLine(path, to: &out) }
        return out
    }

    private static func encoded(_ warnings: [StoredWarning]) -> [UInt8] {
        var out: [UInt8] = []
        for warning in warnings {
            let d = warning.diagnostic
            let fields = [
                "warning", warning.fromLoad ? "load" : "resolve", d.location.file, String(d.location.line),
                String(d.location.column), d.code, clean(d.message), clean(d.hint ?? ""),
            ]
            out.append(contentsOf: fields.joined(separator: "\t").utf8)
            out.append(0x0A)
        }
        return out
    }

    private func appendSourceLine(_ path: String, to out: inout [UInt8]) {
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
        for number in [source.entryRange.lowerBound, source.entryRange.count] {
            out.append(0x09)
            appendDecimal(Int64(number), to: &out)
        }
        out.append(0x09)
        out.append(contentsOf: source.searchLines.isEmpty ? "-".utf8 : source.searchLines.utf8)
        out.append(0x0A)
    }

    /// This state written as an edit of `old`, the bytes it was read from: only the lines of the
    /// sources in `changed` are replaced, instead of every line being written again (an edit
    /// rebuild of a 10,000-page site spent a sixth of its time there). Nil when more than those
    /// lines differ (the warnings changed); then `encoded()` writes it whole.
    func encoded(editing old: [UInt8], previousWarnings: [StoredWarning], changed: [String]) -> [UInt8]? {
        guard Self.encoded(previousWarnings) == Self.encoded(warnings) else { return nil }
        var out = old
        for path in changed {
            guard sources[path] != nil, let start = findBytes(Array("\nsource\t\(path)\t".utf8), in: out, from: 0),
                let end = out[(start + 1)...].firstIndex(of: 0x0A)
            else { return nil }
            var line: [UInt8] = []
            appendSourceLine(path, to: &line)
            out.replaceSubrange((start + 1)...end, with: line)
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
            if !first, record.fieldCount == 9, record.field(0).elementsEqual("source".utf8) {
                guard let size = record.integer(2), let time = record.integer(3),
                    let content = UInt64(record.text(4), radix: 16), let offset = record.integer(6),
                    let length = record.integer(7)
                else {
                    malformed = true
                    return false
                }
                let searchLines = record.text(8)
                state.sources[record.text(1)] = SourceState(
                    stamp: FileStamp(size: size, modified: time, content: content), interface: record.text(5),
                    entryRange: Int(offset)..<Int(offset + length), searchLines: searchLines == "-" ? "" : searchLines)
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
            case "search":
                guard fields.count == 2, let limit = Int(fields[1]) else {
                    malformed = true
                    return false
                }
                state.searchLimit = limit
            case "counts":
                guard fields.count == 6 else {
                    malformed = true
                    return false
                }
                let numbers = fields.dropFirst().map { Int($0) ?? 0 }
                state.summary = BuildCounts(
                    pages: numbers[0], capabilities: numbers[1], tables: numbers[2], paragraphs: numbers[3],
                    references: numbers[4])
            case "warning":
                guard fields.count == 8, let line = Int(fields[3]), let column = Int(fields[4]) else {
                    malformed = true
                    return false
                }
                let diagnostic = Diagnostic(
                    .warning, fields[5], fields[6], hint: fields[7].isEmpty ? nil : fields[7],
                    at: SourceLocation(file: fields[2], line: line, column: column))
                state.warnings.append(StoredWarning(fromLoad: fields[1] == "load", diagnostic: diagnostic))
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

    static func decodeEntry(_ bytes: ArraySlice<UInt8>) -> SourceEntry? {
        var entry = SourceEntry()
        var index = bytes.startIndex
        while index < bytes.endIndex {
            guard let newline = bytes[index...].firstIndex(of: 0x0A) else { return nil }
            let fields = String(decoding: bytes[index..<newline], as: UTF8.self)
                .split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            index = newline + 1
            switch fields[0] {
            case "href": entry.hrefs.append(fields[1])
            case "heading": entry.headingIDs.append(fields[1])
            case "body-page": entry.bodyPages.append(fields[1])
            case "excerpt":
                guard fields.count == 3, let number = Int(fields[1]) else { return nil }
                entry.excerpts.append(Excerpt(paragraph: number, page: fields[2]))
            case "embed":
                guard fields.count == 3, let embed = Int(fields[1]), let length = Int(fields[2]),
                    index + length < bytes.endIndex
                else { return nil }
                entry.embeds[embed] = String(decoding: bytes[index..<index + length], as: UTF8.self)
                index += length + 1
            default: return nil
            }
        }
        return entry
    }

    static func read(root: URL) -> BuildState? {
        readWithBytes(root: root)?.state
    }

    /// The state and the bytes it was read from, for an edit that rewrites only a few lines.
    static func readWithBytes(root: URL) -> (state: BuildState, bytes: [UInt8])? {
        guard let bytes = readFileBytes(folder(root: root).appendingPathComponent("state").path),
            let state = decode(bytes)
        else { return nil }
        return (state, bytes)
    }

    /// A source's entry, read from the `entries` file the same build wrote.
    func entry(for path: String, root: URL) -> SourceEntry? {
        if let entry = sources[path]?.entry { return entry }
        guard let range = sources[path]?.entryRange,
            let bytes = readFileBytes(Self.folder(root: root).appendingPathComponent("entries").path, range: range)
        else { return nil }
        return Self.decodeEntry(bytes[...])
    }

    /// Writes the state, and the entries when `entries` is given (a full build); each file is
    /// replaced by a rename, so a reader never sees half of one.
    func write(root: URL, state bytes: [UInt8], entries: [UInt8]?) throws {
        let folder = Self.folder(root: root)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if let entries { try writeFileAtomically(entries, to: folder.appendingPathComponent("entries").path) }
        try writeFileAtomically(bytes, to: folder.appendingPathComponent("state").path)
    }

    static func remove(root: URL) {
        try? FileManager.default.removeItem(at: folder(root: root).appendingPathComponent("state"))
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
