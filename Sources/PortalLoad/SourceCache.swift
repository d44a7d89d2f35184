import Foundation
import PortalMarkdown
import PortalSupport

/// The load cache: each Markdown source's load result (`Loaded<SourceDocument>`, front matter
/// typed, body parsed, problems found) from the last build, so a rebuild parses only the files
/// whose bytes changed. One file per source under `.portal-cache/load/`, named by a hash of its
/// path, in `ByteWriter`'s form. An entry is used only when everything the parse depends on is
/// the same: the portal binary (`buildID`), the environment every body is parsed with
/// (`SourceEnvironment.fingerprint`), the path, and the file's bytes (size and `contentHash`);
/// a checksum covers the rest. Anything else (short, foreign, corrupt, unreadable) is a miss,
/// and the file is parsed as if there were no cache.
public struct LoadCache: Sendable {
    package var folder: URL
    /// The portal binary's identity: a new binary never trusts an old cache.
    package var buildID: String
    /// Off for `--full`: every file is parsed, and the entries are written for the next build.
    package var reads: Bool
    /// Removes the entries of sources no longer in the site (a full build does).
    package var prunes: Bool

    package init(folders: SiteFolders, buildID: String, reads: Bool, prunes: Bool) {
        folder = folders.cache.appendingPathComponent("load")
        self.buildID = buildID
        self.reads = reads
        self.prunes = prunes
    }

    static let magic: [UInt8] = Array("portal-load 1\n".utf8)

    func entryName(_ path: String) -> String {
        var hasher = StableHasher()
        hasher.combine(path)
        return hasher.hex
    }

    func entryPath(_ path: String) -> String { folder.path + "/" + entryName(path) }

    /// What an entry must say before its payload to be used for `path` with these bytes.
    func key(path: String, environment: UInt64, bytes: [UInt8]) -> [UInt8] {
        var writer = ByteWriter(capacity: 128)
        writer.raw(Self.magic)
        writer.string(buildID)
        writer.fixed64(environment)
        writer.string(path)
        writer.unsigned(UInt64(bytes.count))
        writer.fixed64(bytes.withUnsafeBytes(contentHash))
        return writer.bytes
    }

    /// The cached result for `path`, or nil on any mismatch or damage.
    func lookup(path: String, key: [UInt8]) -> Loaded<SourceDocument>? {
        guard reads, let entry = readFileBytes(entryPath(path)), entry.count >= key.count + 8,
            entry.starts(with: key)
        else { return nil }
        return entry.withUnsafeBytes { buffer -> Loaded<SourceDocument>? in
            let payload = UnsafeRawBufferPointer(rebasing: buffer[key.count..<(buffer.count - 8)])
            let sum = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: buffer.count - 8, as: UInt64.self))
            guard contentHash(payload) == sum else { return nil }
            var reader = ByteReader(payload)
            guard let loaded = try? reader.loaded(path: path), reader.isAtEnd else { return nil }
            return loaded
        }
    }

    /// Best effort: a cache that cannot be written only makes the next build parse again.
    func store(_ loaded: Loaded<SourceDocument>, path: String, key: [UInt8]) {
        var writer = ByteWriter(capacity: 32 * 1024)
        writer.raw(key)
        let start = writer.bytes.count
        writer.loaded(loaded, path: path)
        let sum = writer.bytes.withUnsafeBytes { contentHash(UnsafeRawBufferPointer(rebasing: $0[start...])) }
        writer.fixed64(sum)
        let target = entryPath(path)
        // Written in place: a half-written entry fails its checksum, and a rename per file would
        // double the system calls of a full build.
        if (try? writeFileBytes(writer.bytes, to: target)) == nil { unlink(target) }
    }

    func prepare() {
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// Removes the entries no source of `paths` would use.
    func prune(keeping paths: [String]) {
        guard prunes, let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        let kept = Set(paths.map(entryName))
        for name in names where !kept.contains(name) { unlink(folder.path + "/" + name) }
    }
}

/// Loads one source through the cache: its bytes are read and hashed, and only a file whose
/// entry does not match them is parsed (by the same `loadSource` as without a cache).
func loadSource(root: URL, path: String, environment: SourceEnvironment, cache: LoadCache?) -> Loaded<
    SourceDocument
> {
    guard let cache else { return loadSource(root: root, path: path, environment: environment) }
    let read = readRegularFile(root.path + "/" + path)
    guard case .success(let bytes) = read else {
        return loadSource(path: path, read: SourceFile.decode(read, path: path), environment: environment)
    }
    let key = cache.key(path: path, environment: environment.fingerprint, bytes: bytes)
    if let hit = cache.lookup(path: path, key: key) { return hit }
    let loaded = loadSource(path: path, read: SourceFile.decode(bytes, path: path), environment: environment)
    cache.store(loaded, path: path, key: key)
    return loaded
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
