import Foundation

/// What the last build left in `.portal-cache/` (outside the output, git-ignored): enough to see
/// that nothing changed without reading any content, and to splice a text-only edit into the
/// pages that show it without rendering the site again.
struct BuildState: Sendable {
    static let header = "portal-state 1"

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
        var entry: SourceEntry
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

    /// Plain text, one record per line; embedded HTML is length-prefixed. Simple to read fast
    /// and to inspect by eye.
    func encoded() -> [UInt8] { encodedWithoutMarker() + encodedMarker() }

    /// The last lines: the output marker's stamp, known only once the site is written, and the
    /// end line that shows the state was written whole.
    func encodedMarker() -> [UInt8] {
        Array("marker\t\(marker.map { "\($0.size)\t\($0.modified)" } ?? "-")\nend\n".utf8)
    }

    /// Everything else, which a build encodes while it writes the site.
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
        for warning in warnings {
            let d = warning.diagnostic
            line(
                "warning", warning.fromLoad ? "load" : "resolve", d.location.file, String(d.location.line),
                String(d.location.column), d.code, clean(d.message), clean(d.hint ?? ""))
        }
        for path in sources.keys.sorted() {
            let source = sources[path]!
            line("source", path, String(source.stamp.size), String(source.stamp.modified), source.interface)
            for href in source.entry.hrefs { line("href", clean(href)) }
            for id in source.entry.headingIDs { line("heading", id) }
            for page in source.entry.bodyPages { line("body-page", page) }
            for excerpt in source.entry.excerpts { line("excerpt", String(excerpt.paragraph), excerpt.page) }
            for index in source.entry.embeds.keys.sorted() {
                let html = Array(source.entry.embeds[index]!.utf8)
                line("embed", String(index), String(html.count))
                out.append(contentsOf: html)
                out.append(0x0A)
            }
        }
        return out
    }

    static func decode(_ bytes: [UInt8]) -> BuildState? {
        var state = BuildState(
            executable: "", output: "", global: "", marker: nil, sources: [:], warnings: [], summary: BuildCounts())
        var index = 0
        var current: String?
        var sawEnd = false
        func nextLine() -> [Substring]? {
            guard index < bytes.count, let newline = bytes[index...].firstIndex(of: 0x0A) else { return nil }
            let text = String(decoding: bytes[index..<newline], as: UTF8.self)
            index = newline + 1
            return text.split(separator: "\t", omittingEmptySubsequences: false)
        }
        guard let first = nextLine(), first.joined() == header else { return nil }
        while let fields = nextLine() {
            switch fields[0] {
            case "executable": state.executable = String(fields[1])
            case "output": state.output = String(fields[1])
            case "global": state.global = String(fields[1])
            case "marker":
                if fields.count == 3, let size = Int64(fields[1]), let time = Int64(fields[2]) {
                    state.marker = FileStamp(size: size, modified: time)
                }
            case "search":
                guard fields.count == 2, let limit = Int(fields[1]) else { return nil }
                state.searchLimit = limit
            case "counts":
                guard fields.count == 6 else { return nil }
                let numbers = fields.dropFirst().map { Int($0) ?? 0 }
                state.summary = BuildCounts(
                    pages: numbers[0], capabilities: numbers[1], tables: numbers[2], paragraphs: numbers[3],
                    references: numbers[4])
            case "warning":
                guard fields.count == 8, let line = Int(fields[3]), let column = Int(fields[4]) else { return nil }
                let diagnostic = Diagnostic(
                    .warning, String(fields[5]), String(fields[6]), hint: fields[7].isEmpty ? nil : String(fields[7]),
                    at: SourceLocation(file: String(fields[2]), line: line, column: column))
                state.warnings.append(StoredWarning(fromLoad: fields[1] == "load", diagnostic: diagnostic))
            case "source":
                guard fields.count == 5, let size = Int64(fields[2]), let time = Int64(fields[3]) else { return nil }
                let path = String(fields[1])
                current = path
                state.sources[path] = SourceState(
                    stamp: FileStamp(size: size, modified: time), interface: String(fields[4]), entry: SourceEntry())
            case "href": state.sources[current ?? ""]?.entry.hrefs.append(String(fields[1]))
            case "heading": state.sources[current ?? ""]?.entry.headingIDs.append(String(fields[1]))
            case "body-page": state.sources[current ?? ""]?.entry.bodyPages.append(String(fields[1]))
            case "excerpt":
                guard fields.count == 3, let number = Int(fields[1]) else { return nil }
                state.sources[current ?? ""]?.entry.excerpts.append(Excerpt(paragraph: number, page: String(fields[2])))
            case "embed":
                guard fields.count == 3, let embed = Int(fields[1]), let length = Int(fields[2]),
                    index + length < bytes.count
                else { return nil }
                state.sources[current ?? ""]?.entry.embeds[embed] = String(
                    decoding: bytes[index..<index + length], as: UTF8.self)
                index += length + 1
            case "end": sawEnd = true
            default: return nil
            }
        }
        // A state cut short (an interrupted write) is no state at all.
        return sawEnd ? state : nil
    }

    static func read(root: URL) -> BuildState? {
        let url = folder(root: root).appendingPathComponent("state")
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return decode([UInt8](data))
    }

    /// Written to a temporary file and renamed, so a reader never sees half a state.
    func write(root: URL, encoded bytes: [UInt8]? = nil) throws {
        let folder = Self.folder(root: root)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(bytes ?? encoded()).write(to: folder.appendingPathComponent("state"), options: .atomic)
    }

    static func remove(root: URL) {
        try? FileManager.default.removeItem(at: folder(root: root).appendingPathComponent("state"))
    }
}

/// Tabs and newlines separate records; messages never need them.
private func clean(_ text: String) -> String {
    guard text.utf8.contains(where: { $0 == 0x09 || $0 == 0x0A }) else { return text }
    return String(decoding: text.utf8.map { $0 == 0x09 || $0 == 0x0A ? 0x20 : $0 }, as: UTF8.self)
}
