import Foundation
import PortalMarkdown
import PortalSupport

/// The load cache: each Markdown source's load result (`Loaded<SourceDocument>`, front matter
/// typed, body parsed, problems found) from the last build, so a rebuild parses only the files
/// whose bytes changed. One file, `.portal-cache/load.pack` (one file rather than one per source:
/// creating 10,000 files cost a full build more system time than writing their bytes), in
/// `ByteWriter`'s form:
///
///     header   magic, buildID, environment fingerprint
///     entries  path, size, contentHash, payload length, payload, checksum of the payload
///     index    count, then (path, offset, length) of each live entry
///     trailer  index offset, index checksum, end magic
///
/// The whole pack is used only by the binary that wrote it (`buildID`) and for the environment
/// every body is parsed with (`SourceEnvironment.fingerprint`); an entry only for the path and
/// the file's size and `contentHash`, and when its checksum holds. Anything else (short,
/// foreign, corrupt, unreadable) is a miss: the file is parsed as if there were no cache. A
/// rebuild appends the entries it parsed and a new index; once the dead entries outweigh the
/// live ones, or when there was no usable pack, the pack is written anew and renamed into place.
public struct LoadCache: Sendable {
    package var file: URL
    /// The portal binary's identity: a new binary never trusts an old cache.
    package var buildID: String
    /// Off for `--full`: every file is parsed, and the pack is written anew for the next build.
    package var reads: Bool
    /// Each source's size and `contentHash` as the build stamped it before reading anything
    /// (`InputStamps`, which reuses the last build's while a file's size, times and inode are
    /// unchanged): a file whose entry matches its stamp is not read at all. The build records
    /// these stamps, so a file changed since is seen by the next build.
    package var stamps = SourceStampLookup()
    /// Where the size and `contentHash` of each source read are kept, for stamps taken without
    /// reading (a first build's): each file is then read once, here.
    package var readHashes: SourceReads?

    package init(folders: SiteFolders, buildID: String, reads: Bool) {
        file = folders.cache.appendingPathComponent("load.pack")
        self.buildID = buildID
        self.reads = reads
    }

    static let magic: [UInt8] = Array("portal-load-pack 1\n".utf8)
    static let endMagic: [UInt8] = Array("PORTLEND".utf8)
    static let trailerSize = 8 + 8 + 8

    func header(environment: UInt64) -> [UInt8] {
        var writer = ByteWriter()
        writer.raw(Self.magic)
        writer.string(buildID)
        writer.fixed64(environment)
        return writer.bytes
    }

    /// Opens the last build's pack (if any is usable) and where this build's entries go.
    /// `paths`: the sources this build loads, to tell live entries from dead.
    func session(environment: UInt64, paths: [String]) -> LoadCacheSession? {
        let folder = file.deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let header = header(environment: environment)
        let pack = reads ? LoadCachePack(path: file.path, header: header) : nil
        if let pack, pack.isWorthAppending(live: Set(paths)), let session = appending(to: pack) { return session }
        removeAbandonedPacks()
        let temporary = "\(file.path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return nil }
        let session = LoadCacheSession(
            pack: pack, stamps: stamps, readHashes: readHashes, descriptor: descriptor, end: 0, temporary: temporary,
            target: file.path)
        session.append(header)
        return session
    }
}

extension LoadCache {
    /// A session that adds this build's entries to the end of the last pack.
    private func appending(to pack: LoadCachePack) -> LoadCacheSession? {
        let descriptor = open(file.path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        return LoadCacheSession(
            pack: pack, stamps: stamps, readHashes: readHashes, descriptor: descriptor, end: pack.size,
            temporary: nil, target: file.path)
    }

    /// A text-only rebuild's session: the few changed sources are added to the last pack, whose
    /// index keeps every other entry as it was (a text-only rebuild has the last build's sources,
    /// whose entries the index holds, so all of them are live). Nil without a pack to add to, or
    /// when the pack is due to be written anew (which a full load does).
    func textEditSession(environment: UInt64) -> LoadCacheSession? {
        guard reads,
            let pack = LoadCachePack(path: file.path, header: header(environment: environment), populate: false),
            pack.isWorthAppending(live: nil), let session = appending(to: pack)
        else { return nil }
        session.keepEntries()
        return session
    }

    /// Packs a killed build was writing (`load.pack.tmp-<pid>-<n>`) are removed once their process
    /// is gone; a running build's (the preview server's, say) is left alone.
    func removeAbandonedPacks() {
        let folder = file.deletingLastPathComponent()
        let prefix = file.lastPathComponent + ".tmp-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count).prefix { $0 != "-" }), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(folder.path + "/" + name) }
        }
    }
}

/// The last build's pack, mapped read-only: only the entries a build uses are read.
final class LoadCachePack: @unchecked Sendable {
    private let file: MappedFile
    var base: UnsafeRawBufferPointer { file.buffer }
    /// Offset and length of each entry, by path.
    let index: [String: (offset: Int, length: Int)]
    /// The index's entries in the order it lists them (sorted by path), so an index of the same
    /// paths is written again without sorting or looking each one up.
    let ordered: [(path: String, entry: (offset: Int, length: Int))]
    var size: Int { base.count }

    /// `populate`: map every page at once, for a build that reads every entry: faulting the pages
    /// in one by one cost it about a tenth of a second at 10,000 pages. A text-only rebuild reads
    /// a few.
    init?(path: String, header: [UInt8], populate: Bool = true) {
        guard let file = MappedFile(path: path, populate: populate),
            file.buffer.count >= header.count + LoadCache.trailerSize,
            let (index, ordered) = Self.readIndex(file.buffer, header: header)
        else { return nil }
        self.file = file
        self.index = index
        self.ordered = ordered
    }

    private static func readIndex(_ base: UnsafeRawBufferPointer, header: [UInt8]) -> (
        [String: (offset: Int, length: Int)], [(path: String, entry: (offset: Int, length: Int))]
    )? {
        guard base.starts(with: header), base.suffix(8).elementsEqual(LoadCache.endMagic) else { return nil }
        var trailer = ByteReader(base, offset: base.count - LoadCache.trailerSize)
        guard let start = try? Int(trailer.fixed64()), let sum = try? trailer.fixed64(), start >= header.count,
            start <= base.count - LoadCache.trailerSize
        else { return nil }
        let bytes = UnsafeRawBufferPointer(rebasing: base[start..<(base.count - LoadCache.trailerSize)])
        guard contentHash(bytes) == sum else { return nil }
        var reader = ByteReader(bytes)
        var index: [String: (offset: Int, length: Int)] = [:]
        var ordered: [(path: String, entry: (offset: Int, length: Int))] = []
        do {
            let count = try reader.count()
            index.reserveCapacity(count)
            ordered.reserveCapacity(count)
            for _ in 0..<count {
                let path = try reader.string()
                let offset = Int(try reader.unsigned())
                let length = Int(try reader.unsigned())
                guard offset >= header.count, length >= 0, offset <= start, length <= start - offset else { return nil }
                index[path] = (offset, length)
                ordered.append((path, (offset, length)))
            }
        } catch { return nil }
        return reader.isAtEnd ? (index, ordered) : nil
    }

    /// Appending beats writing anew while the live entries are at least half the pack (`paths`:
    /// those still live; nil, every entry of the index).
    func isWorthAppending(live paths: Set<String>?) -> Bool {
        let live = index.reduce(0) { $0 + (paths?.contains($1.key) ?? true ? $1.value.length : 0) }
        return live * 2 >= size
    }

    /// The entry for `path` made from these bytes: its decoded result and its raw bytes.
    func lookup(path: String, size: Int, hash: UInt64) -> (loaded: Loaded<SourceDocument>, raw: UnsafeRawBufferPointer)?
    {
        guard let (offset, length) = index[path] else { return nil }
        let raw = UnsafeRawBufferPointer(rebasing: base[offset..<(offset + length)])
        var reader = ByteReader(raw)
        guard (try? reader.string()) == path, (try? reader.unsigned()) == UInt64(size),
            (try? reader.fixed64()) == hash, let count = try? reader.count(),
            let payload = try? reader.bytes(count), let sum = try? reader.fixed64(), reader.isAtEnd,
            contentHash(payload) == sum
        else { return nil }
        // Texts and HTML stay in the mapping until a page asks (`DeferredText`): the pack is
        // their owner, unmapped only when the last of them is gone.
        var body = ByteReader(payload, owner: self)
        guard let loaded = try? body.loaded(path: path), body.isAtEnd else { return nil }
        return (loaded, raw)
    }
}

/// One build's use of the cache: the last pack to read from, and the file this build's entries
/// are written to, from every core at once.
final class LoadCacheSession: @unchecked Sendable {
    let pack: LoadCachePack?
    let stamps: SourceStampLookup
    let readHashes: SourceReads?
    private let descriptor: Int32
    /// Where the next entry goes in the file written to.
    private var end: Int
    /// Set when the pack is written anew (renamed over `target` once whole).
    private let temporary: String?
    private let target: String
    /// This session's entries; with `keepsPack`, on top of every entry of the last pack's index.
    private var entries: [String: (offset: Int, length: Int)] = [:]
    private var keepsPack = false
    private var failed = false
    private let lock = NSLock()

    init(
        pack: LoadCachePack?, stamps: SourceStampLookup, readHashes: SourceReads?, descriptor: Int32,
        end: Int, temporary: String?, target: String
    ) {
        self.pack = pack
        self.stamps = stamps
        self.readHashes = readHashes
        self.descriptor = descriptor
        self.end = end
        self.temporary = temporary
        self.target = target
    }

    /// Writes the parts, one after another, at the end of the file; returns where they start.
    /// Only the place is taken under the lock, and each core writes its own bytes there: holding
    /// the lock through the write kept the other core waiting for it at every entry.
    @discardableResult func append(_ parts: [UInt8]...) -> Int {
        let start = reserve(parts.reduce(0) { $0 + $1.count })
        var offset = start
        for part in parts {
            write(part, at: offset)
            offset += part.count
        }
        return start
    }

    /// Writes a mapped entry of the last pack at the end of the file; returns where it starts.
    func append(_ raw: UnsafeRawBufferPointer) -> Int {
        let start = reserve(raw.count)
        write(raw, at: start)
        return start
    }

    private func reserve(_ count: Int) -> Int {
        lock.withLock {
            let start = end
            end += count
            return start
        }
    }

    private func write(_ bytes: some ContiguousBytes, at start: Int) {
        if bytes.withUnsafeBytes({ writeBytes(descriptor, $0, at: start) }) != nil { lock.withLock { failed = true } }
    }

    /// Keeps every entry of the last pack in the index this session writes, for a session that
    /// loads only some sources and appends to the pack.
    func keepEntries() {
        guard pack != nil, temporary == nil else { return }
        lock.withLock { keepsPack = true }
    }

    /// Records an entry of `path` at its place in the file.
    func record(_ path: String, offset: Int, length: Int) {
        lock.withLock { entries[path] = (offset, length) }
    }

    /// The entry for a source: found in the last pack (and, when the pack is written anew,
    /// copied into it), or nil.
    func lookup(path: String, size: Int, hash: UInt64) -> Loaded<SourceDocument>? {
        guard let (loaded, raw) = pack?.lookup(path: path, size: size, hash: hash) else { return nil }
        if temporary == nil {
            record(path, offset: raw.baseAddress! - pack!.base.baseAddress!, length: raw.count)
        } else {
            record(path, offset: append(raw), length: raw.count)
        }
        return loaded
    }

    func store(_ loaded: Loaded<SourceDocument>, path: String, size: Int, hash: UInt64) {
        var payload = ByteWriter(capacity: 32 * 1024)
        payload.loaded(loaded, path: path)
        // The payload is written from its own buffer: copying tens of kilobytes per source into
        // one entry buffer was a measurable part of a full build's memory traffic.
        var head = ByteWriter(capacity: path.utf8.count + 32)
        head.string(path)
        head.unsigned(UInt64(size))
        head.fixed64(hash)
        head.unsigned(UInt64(payload.bytes.count))
        var tail = ByteWriter(capacity: 8)
        tail.fixed64(payload.bytes.withUnsafeBytes(contentHash))
        let length = head.bytes.count + payload.bytes.count + tail.bytes.count
        record(path, offset: append(head.bytes, payload.bytes, tail.bytes), length: length)
    }

    /// Every entry the index lists, by path. A session that keeps the last pack's entries and
    /// replaced some of them (a text-only rebuild's) lists the pack's in its order, with this
    /// session's in their places: one look-up in a handful per entry, none in 10,000.
    private func indexEntries() -> [(key: String, value: (offset: Int, length: Int))] {
        guard keepsPack, let pack else { return entriesSorted(entries, listedIn: pack?.ordered.map(\.path)) }
        if entries.keys.allSatisfy({ pack.index[$0] != nil }) {
            return pack.ordered.map { (key: $0.path, value: entries[$0.path] ?? $0.entry) }
        }
        return entriesSorted(pack.index.merging(entries) { _, new in new }, listedIn: nil)
    }

    /// Writes the index and trailer; best effort: a pack that cannot be written whole is
    /// removed, and the next build parses every file.
    func finish() {
        let listed = indexEntries()
        var index = ByteWriter(capacity: listed.count * 48)
        index.unsigned(UInt64(listed.count))
        for (path, entry) in listed {
            index.string(path)
            index.unsigned(UInt64(entry.offset))
            index.unsigned(UInt64(entry.length))
        }
        let start = end
        var trailer = ByteWriter()
        trailer.fixed64(UInt64(start))
        trailer.fixed64(index.bytes.withUnsafeBytes(contentHash))
        trailer.raw(LoadCache.endMagic)
        append(index.bytes, trailer.bytes)
        close(descriptor)
        if let temporary {
            if failed || rename(temporary, target) != 0 { unlink(temporary) }
        } else if failed {
            unlink(target)
        }
    }
}

/// Loads one source through the cache: its bytes are read and hashed, and only a file whose
/// entry does not match them is parsed (by the same `loadSource` as without a cache).
func loadSource(root: URL, path: String, environment: SourceEnvironment, cache: LoadCacheSession?) -> Loaded<
    SourceDocument
> {
    guard let cache else { return loadSource(root: root, path: path, environment: environment) }
    if let stamp = cache.stamps[path], let hit = cache.lookup(path: path, size: stamp.size, hash: stamp.hash) {
        return hit
    }
    let read = readRegularFile(root.path + "/" + path)
    guard case .success(let bytes) = read else {
        return loadSource(path: path, read: SourceFile.decode(read, path: path), environment: environment)
    }
    let hash = bytes.withUnsafeBytes(contentHash)
    cache.readHashes?.record(path, size: bytes.count, hash: hash)
    if let hit = cache.lookup(path: path, size: bytes.count, hash: hash) { return hit }
    let loaded = loadSource(path: path, read: SourceFile.decode(bytes, path: path), environment: environment)
    cache.store(loaded, path: path, size: bytes.count, hash: hash)
    return loaded
}

/// The size and `contentHash` of each source as Load read it, from every core.
package final class SourceReads: @unchecked Sendable {
    private var hashes: [String: (size: Int, hash: UInt64)] = [:]
    private let lock = NSLock()

    package init() {}

    func record(_ path: String, size: Int, hash: UInt64) { lock.withLock { hashes[path] = (size, hash) } }

    package var recorded: [String: (size: Int, hash: UInt64)] { lock.withLock { hashes } }
}

// MARK: - The binary form of a load result

extension ByteWriter {
    mutating func loaded(_ loaded: Loaded<SourceDocument>, path: String) {
        array(loaded.diagnostics) { $0.diagnostic($1, in: path) }
        switch loaded.value {
        case nil: unsigned(0)
        case .section(let section)?:
            unsigned(1)
            self.section(section)
        case .capability(let capability)?:
            unsigned(2)
            self.capability(capability)
        }
    }

    private mutating func section(_ section: SectionSource) {
        let file = section.file
        string(section.slug)
        string(section.folder)
        located(section.title, in: file) { $0.string($1) }
        located(section.order, in: file) { $0.int($1) }
        string(section.kind)
        string(section.summary)
        optional(section.lead) { $0.string($1) }
        array(section.boards) { $0.located($1, in: file) { $0.string($1) } }
        array(section.capabilities) { $0.located($1, in: file) { $0.string($1) } }
        optional(section.inspection) { writer, inspection in
            writer.string(inspection.body)
            writer.string(inspection.status)
            writer.optional(inspection.date) { $0.string($1) }
            writer.optional(inspection.paragraph) { $0.located($1, in: file) { $0.int($1) } }
        }
        array(section.keyFigures) { $0.figure($1, in: file) }
        body(section.body)
        string(section.interface)
    }

    private mutating func capability(_ capability: CapabilitySource) {
        let file = capability.file
        string(capability.slug)
        located(capability.title, in: file) { $0.string($1) }
        string(capability.summary)
        optional(capability.level) { $0.string($1) }
        array(capability.sections) { $0.located($1, in: file) { $0.string($1) } }
        array(capability.figures) { $0.figure($1, in: file) }
        array(capability.aliases) { $0.string($1) }
        body(capability.body)
        string(capability.interface)
    }

    private mutating func located<Value>(
        _ located: Located<Value>, in file: String, _ write: (inout ByteWriter, Value) -> Void
    ) {
        write(&self, located.value)
        location(located.location, in: file)
    }

    private mutating func figure(_ figure: Figure, in file: String) {
        string(figure.label)
        switch figure.value {
        case .number(let number):
            bool(true)
            self.number(number)
        case .text(let text):
            bool(false)
            string(text)
        }
        optional(figure.unit) { $0.string($1) }
        optional(figure.target) { $0.number($1) }
        optional(figure.targetLabel) { $0.string($1) }
        located(figure.paragraph, in: file) { $0.int($1) }
    }

    /// A `Decimal` by its bytes, so it comes back exactly, not through text: the entry is only
    /// read by the binary that wrote it (`buildID`), so the layout is the same.
    private mutating func number(_ number: Number) {
        withUnsafeBytes(of: number.value) { raw($0) }
        int(number.decimals)
    }
}

extension ByteReader {
    mutating func loaded(path: String) throws -> Loaded<SourceDocument> {
        let diagnostics = try array { try $0.diagnostic(in: path) }
        switch try unsigned() {
        case 0: return Loaded(value: nil, diagnostics: diagnostics)
        case 1: return Loaded(value: .section(try section(path: path)), diagnostics: diagnostics)
        case 2: return Loaded(value: .capability(try capability(path: path)), diagnostics: diagnostics)
        default: throw Malformed()
        }
    }

    private mutating func section(path file: String) throws -> SectionSource {
        let slug = try string()
        let folder = try string()
        let title = try located(in: file) { try $0.string() }
        let order = try located(in: file) { try $0.int() }
        let kind = try string()
        let summary = try string()
        let lead = try optional { try $0.string() }
        let boards = try array { try $0.located(in: file) { try $0.string() } }
        let capabilities = try array { try $0.located(in: file) { try $0.string() } }
        let inspection = try optional { reader in
            Inspection(
                body: try reader.string(), status: try reader.string(), date: try reader.optional { try $0.string() },
                paragraph: try reader.optional { try $0.located(in: file) { try $0.int() } })
        }
        let figures = try array { try $0.figure(in: file) }
        let body = try body(of: file)
        return SectionSource(
            file: file, slug: slug, folder: folder, title: title, order: order, kind: kind, summary: summary,
            lead: lead, boards: boards, capabilities: capabilities, inspection: inspection, keyFigures: figures,
            body: body, interface: try string())
    }

    private mutating func capability(path file: String) throws -> CapabilitySource {
        let slug = try string()
        let title = try located(in: file) { try $0.string() }
        let summary = try string()
        let level = try optional { try $0.string() }
        let sections = try array { try $0.located(in: file) { try $0.string() } }
        let figures = try array { try $0.figure(in: file) }
        let aliases = try array { try $0.string() }
        let body = try body(of: file)
        return CapabilitySource(
            file: file, slug: slug, title: title, summary: summary, level: level, sections: sections,
            figures: figures, aliases: aliases, body: body, interface: try string())
    }

    private mutating func located<Value>(in file: String, _ read: (inout ByteReader) throws -> Value) throws
        -> Located<Value>
    {
        let value = try read(&self)
        return Located(value, at: try location(in: file))
    }

    private mutating func figure(in file: String) throws -> Figure {
        let label = try string()
        let value: FigureValue = try bool() ? .number(try number()) : .text(try string())
        return Figure(
            label: label, value: value, unit: try optional { try $0.string() },
            target: try optional { try $0.number() }, targetLabel: try optional { try $0.string() },
            paragraph: try located(in: file) { try $0.int() })
    }

    private mutating func number() throws -> Number {
        var value = Decimal()
        let stored = try bytes(MemoryLayout<Decimal>.size)
        withUnsafeMutableBytes(of: &value) { $0.copyMemory(from: stored) }
        return Number(value: value, decimals: try int())
    }
}

/// The size and content hash of each source as the build stamped it, by path: looked up in the
/// stamps where they are rather than copied into a dictionary of every source.
package struct SourceStampLookup: Sendable {
    private let find: @Sendable (String) -> (size: Int, hash: UInt64)?

    package init(_ find: @escaping @Sendable (String) -> (size: Int, hash: UInt64)?) { self.find = find }

    package init(_ stamps: [String: (size: Int, hash: UInt64)] = [:]) { self.init { stamps[$0] } }

    package subscript(path: String) -> (size: Int, hash: UInt64)? { find(path) }
}
