import PortalSupport

/// The state's line per source (`source`, path, size, modification fingerprint, content hash,
/// interface; tab-separated), kept as the bytes it was read from or written as, in the order of
/// the walk of `Content/` whose files it stamps. A build compares the walk's files with it by
/// position, and a rebuild copies the lines of the sources it did not change: at 10,000 sources,
/// making a dictionary of them and writing them out again cost a one-page rebuild more than
/// anything it then did with them.
struct SourceTable: Sendable, Equatable {
    /// The lines, each ending in a newline.
    private(set) var bytes: [UInt8] = []
    private var entries: [Entry] = []

    private struct Entry: Sendable, Equatable {
        /// Ranges of `bytes`.
        var line: Range<Int>
        var path: Range<Int>
        var stamp: FileStamp
        var interface: Range<Int>
    }

    init() {}

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }

    static let lineTag = "source"

    /// Adds a source's line at the end.
    mutating func append(_ path: String, _ source: BuildState.SourceState) {
        let start = bytes.count
        bytes.append(contentsOf: Self.lineTag.utf8)
        bytes.append(ASCII.tab)
        let pathStart = bytes.count
        bytes.append(contentsOf: path.utf8)
        let pathEnd = bytes.count
        bytes.append(ASCII.tab)
        appendDecimal(source.stamp.size, to: &bytes)
        bytes.append(ASCII.tab)
        appendDecimal(source.stamp.modified, to: &bytes)
        bytes.append(ASCII.tab)
        appendHex(source.stamp.content, to: &bytes)
        bytes.append(ASCII.tab)
        let interfaceStart = bytes.count
        bytes.append(contentsOf: source.interface.utf8)
        let interfaceEnd = bytes.count
        bytes.append(ASCII.newline)
        entries.append(
            Entry(
                line: start..<bytes.count, path: pathStart..<pathEnd, stamp: source.stamp,
                interface: interfaceStart..<interfaceEnd))
    }

    /// Keeps a line read from a state file: `line` is the whole line with its newline, the
    /// other ranges are within it (all as offsets into `file`).
    mutating func appendRead(
        _ file: UnsafeBufferPointer<UInt8>, line: Range<Int>, path: Range<Int>, stamp: FileStamp,
        interface: Range<Int>
    ) {
        let shift = bytes.count - line.lowerBound
        bytes.append(contentsOf: file[line])
        entries.append(
            Entry(
                line: (line.lowerBound + shift)..<(line.upperBound + shift),
                path: (path.lowerBound + shift)..<(path.upperBound + shift), stamp: stamp,
                interface: (interface.lowerBound + shift)..<(interface.upperBound + shift)))
    }

    mutating func reserveCapacity(lines: Int, bytes count: Int) {
        entries.reserveCapacity(lines)
        bytes.reserveCapacity(count)
    }

    func path(at position: Int) -> String { String(decoding: bytes[entries[position].path], as: UTF8.self) }

    /// Whether the source at `position` is `path`, without making a string.
    func hasPath(at position: Int, _ path: String) -> Bool {
        var path = path
        let range = entries[position].path
        return path.withUTF8 { wanted in
            wanted.count == range.count
                && bytes.withUnsafeBufferPointer { UnsafeBufferPointer(rebasing: $0[range]).elementsEqual(wanted) }
        }
    }

    func stamp(at position: Int) -> FileStamp { entries[position].stamp }

    func interface(at position: Int) -> String {
        String(decoding: bytes[entries[position].interface], as: UTF8.self)
    }

    func source(at position: Int) -> BuildState.SourceState {
        BuildState.SourceState(stamp: stamp(at: position), interface: interface(at: position))
    }

    /// Every source with its path, in order.
    var all: [(path: String, source: BuildState.SourceState)] {
        entries.indices.map { (path(at: $0), source(at: $0)) }
    }

    /// Where `path` is, by a look at every line: for tests and for the rare build whose walk does
    /// not line up with the state.
    func position(of path: String) -> Int? { entries.indices.first { hasPath(at: $0, path) } }

    subscript(path: String) -> BuildState.SourceState? { position(of: path).map(source(at:)) }

    /// The source at `path`, looked for first at `hint` (its place in the walk, where the table
    /// lines up with it), then everywhere.
    func source(_ path: String, near hint: Int?) -> BuildState.SourceState? {
        if let hint, hint < count, hasPath(at: hint, path) { return source(at: hint) }
        return self[path]
    }

    /// Stamps of every source listed, shared between threads (`StampRuns`), told from these.
    func stampRuns(root: String, trustedBefore: Int64?) -> StampRuns {
        StampRuns(
            root: root, names: bytes, paths: entries.map(\.path), previous: entries.map(\.stamp),
            trustedBefore: trustedBefore)
    }

    /// Every source by path: the walk no longer lines up with the state (a file added or
    /// removed, or a state of another order), and each file is looked up by name.
    func byPath() -> [String: BuildState.SourceState] {
        var sources: [String: BuildState.SourceState] = [:]
        sources.reserveCapacity(count)
        for position in entries.indices { sources[path(at: position)] = source(at: position) }
        return sources
    }

    /// The same table with the sources at these positions replaced; every other line is copied
    /// as it is.
    func replacing(_ replacements: [Int: (path: String, source: BuildState.SourceState)]) -> SourceTable {
        var table = SourceTable()
        table.reserveCapacity(lines: count, bytes: bytes.count + replacements.count * 64)
        bytes.withUnsafeBufferPointer { file in
            for (position, entry) in entries.enumerated() {
                if let replaced = replacements[position] {
                    table.append(replaced.path, replaced.source)
                } else {
                    table.appendRead(
                        file, line: entry.line, path: entry.path, stamp: entry.stamp, interface: entry.interface)
                }
            }
        }
        return table
    }
}
