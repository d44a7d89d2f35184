import PortalLoad
import PortalSupport

/// The links cache: each body's resolved links (`ResolvedLinks`: targets, citations, problems)
/// from the last build, so a rebuild resolves again only the bodies whose links or whose
/// possible targets changed. Resolving is most of Resolve at 10,000 pages (140,000 links); the
/// cache sits in front of the same `resolveLinks`. An entry is used only when both keys match:
/// the body's (`linkKey`: its file, page and every link as written, with its position) and the
/// whole reference index's (`indexKey`: every id a link can name). Resolve reads no files: Build
/// reads `.portal-cache/links` and hands its bytes in, and writes what `store` holds afterwards.
///
///     magic, buildID, then per body: file, linkKey, indexKey, payload; then a checksum of all.
package struct LinkStore: @unchecked Sendable {
    static let magic = "portal-links 1"
    /// The portal binary's identity: a new binary never trusts an old store.
    package var buildID: String
    /// The bytes read, and where each body's entry is in them.
    private var bytes: [UInt8] = []
    private var found: [String: (linkKey: UInt64, indexKey: UInt64, payload: Range<Int>)] = [:]
    /// What this build resolved or reused, by file: written for the next build.
    package private(set) var entries: [(file: String, linkKey: UInt64, indexKey: UInt64, payload: [UInt8])] = []

    /// An empty store: nothing to reuse, and every body's links kept for the next build.
    package init(buildID: String) { self.buildID = buildID }

    /// The store in `bytes`, or an empty one for anything short, foreign or damaged.
    package init(bytes: [UInt8]?, buildID: String) {
        self.buildID = buildID
        guard let bytes else { return }
        let found = withCheckedBody(bytes) { body -> [String: (UInt64, UInt64, Range<Int>)]? in
            var reader = ByteReader(body)
            var found: [String: (UInt64, UInt64, Range<Int>)] = [:]
            do {
                guard try reader.string() == Self.magic, try reader.string() == buildID else { return nil }
                let count = try reader.count()
                found.reserveCapacity(count)
                for _ in 0..<count {
                    let file = try reader.string()
                    let linkKey = try reader.fixed64()
                    let indexKey = try reader.fixed64()
                    let length = try reader.count()
                    let start = reader.offset
                    _ = try reader.bytes(length)
                    found[file] = (linkKey, indexKey, start..<(start + length))
                }
            } catch { return nil }
            return reader.isAtEnd ? found : nil
        }
        guard let found else { return }
        self.bytes = bytes
        self.found = found.mapValues { (linkKey: $0.0, indexKey: $0.1, payload: $0.2) }
    }

    /// How many bodies' links the store read could give back.
    var reusable: Int { found.count }

    /// The last build's links of a body, if it had the same links against the same index.
    func reused(file: String, linkKey: UInt64, indexKey: UInt64) -> (ResolvedLinks, [UInt8])? {
        guard let entry = found[file], entry.linkKey == linkKey, entry.indexKey == indexKey else { return nil }
        let payload = Array(bytes[entry.payload])
        let links = payload.withUnsafeBytes { buffer -> ResolvedLinks? in
            var reader = ByteReader(buffer)
            guard let links = try? reader.resolvedLinks(in: file), reader.isAtEnd else { return nil }
            return links
        }
        return links.map { ($0, payload) }
    }

    /// Whether `entries` differ from the store read (a body resolved again, added or gone): a
    /// store that does not is not written again.
    package private(set) var changed = true

    /// `reused`: how many of `entries` came from the store read.
    mutating func keep(_ entries: [(file: String, linkKey: UInt64, indexKey: UInt64, payload: [UInt8])], reused: Int) {
        changed = reused != entries.count || reused != found.count
        self.entries = entries
        bytes = []
        found = [:]
    }

    /// What this build resolved, for the next one.
    package func encoded() -> [UInt8] {
        var writer = ByteWriter(capacity: entries.reduce(64) { $0 + $1.payload.count + $1.file.utf8.count + 24 })
        writer.string(Self.magic)
        writer.string(buildID)
        writer.array(entries) { writer, entry in
            writer.string(entry.file)
            writer.fixed64(entry.linkKey)
            writer.fixed64(entry.indexKey)
            writer.unsigned(UInt64(entry.payload.count))
            writer.raw(entry.payload)
        }
        let sum = writer.bytes.withUnsafeBytes(contentHash)
        writer.fixed64(sum)
        return writer.bytes
    }
}

/// What a body's resolved links depend on in the body: its file, its page and section, and each
/// link as written, where it is and the paragraph it sits in.
func linkKey(_ context: LinkContext) -> UInt64 {
    var hasher = StableHasher()
    hasher.combine(context.body.file)
    hasher.combine(context.page.path)
    hasher.combine(context.section ?? "-")
    for link in context.body.links {
        hasher.combine(link.url)
        hasher.combine(link.isImage ? "i" : link.hasText ? "t" : "-")
        hasher.combine(link.location.file)
        hasher.combine(link.location.line)
        hasher.combine(link.location.column)
        hasher.combine(link.paragraph ?? -1)
    }
    return hasher.value
}

extension ReferenceIndex {
    /// Every id a link can name, as one number: the same index gives the same resolution.
    /// Dictionaries and sets are combined without regard to order (a sum of each entry's hash),
    /// so nothing is sorted.
    var key: UInt64 {
        func text(_ parts: String...) -> UInt64 {
            var hasher = StableHasher()
            for part in parts { hasher.combine(part) }
            return mix(hasher.value)
        }
        var sum: UInt64 = 0
        for (slug, info) in sections {
            var paragraphs: UInt64 = 0
            for number in info.paragraphs { paragraphs &+= mix(UInt64(bitPattern: Int64(number))) }
            var headings: UInt64 = 0
            for heading in info.headings { headings &+= text(heading) }
            sum &+= mix(text("section", slug, info.file) ^ mix(paragraphs ^ 0x5EC7) ^ mix(headings &+ 0x4EAD))
        }
        for (slug, file) in capabilities { sum &+= text("capability", slug, file) }
        for table in tables { sum &+= text("table", table) }
        for (kind, ids) in registerEntries {
            for id in ids { sum &+= text("entry", kind.rawValue, id) }
        }
        var slugs: [String: UInt64] = [:]
        for (number, slug) in paragraphs {
            let slugHash = slugs[slug] ?? text("paragraph", slug)
            slugs[slug] = slugHash
            sum &+= mix(slugHash ^ mix(UInt64(bitPattern: Int64(number))))
        }
        for slug in unread { sum &+= text("unread", slug) }
        for slug in unloaded { sum &+= text("unloaded", slug) }
        for file in failedData { sum &+= text("failed", file) }
        for (id, pages) in editions {
            for (number, page) in pages { sum &+= text("edition", id, String(number), page) }
        }
        return sum
    }
}

/// SplitMix64's finaliser: spreads a number's bits, so sums of them do not cancel by accident.
private func mix(_ value: UInt64) -> UInt64 {
    var z = value &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

// MARK: - The binary form of a body's resolved links

extension ByteWriter {
    mutating func resolvedLinks(_ links: ResolvedLinks, in file: String) {
        array(links.targets) { writer, target in writer.optional(target) { $0.linkTarget($1) } }
        array(links.citations) { writer, entry in
            writer.citedThing(entry.thing)
            writer.pageID(entry.citation.page)
            writer.optional(entry.citation.paragraph) { $0.int($1) }
            writer.location(entry.citation.location, in: file)
        }
        array(links.diagnostics) { $0.diagnostic($1, in: file) }
        int(links.count)
    }

    mutating func linkTarget(_ target: LinkTarget) {
        switch target {
        case .page(let page, let fragment):
            unsigned(0)
            pageID(page)
            optional(fragment) { $0.string($1) }
        case .fragment(let fragment):
            unsigned(1)
            string(fragment)
        case .external(let url):
            unsigned(2)
            string(url)
        case .embedTable(let id):
            unsigned(3)
            string(id)
        case .edition(let path, let fragment):
            unsigned(4)
            string(path)
            optional(fragment) { $0.string($1) }
        }
    }

    mutating func citedThing(_ thing: CitedThing) {
        switch thing {
        case .section(let slug):
            unsigned(0)
            string(slug)
        case .capability(let slug):
            unsigned(1)
            string(slug)
        case .table(let id):
            unsigned(2)
            string(id)
        case .registerEntry(let kind, let id):
            unsigned(3)
            string(kind.rawValue)
            string(id)
        }
    }

    /// A kind, then the page's names, in `PageID`'s order of cases.
    mutating func pageID(_ page: PageID) {
        switch page {
        case .home: unsigned(0)
        case .section(let slug, let folder):
            unsigned(1)
            string(slug)
            string(folder)
        case .capability(let slug):
            unsigned(2)
            string(slug)
        case .capabilities: unsigned(3)
        case .table(let id):
            unsigned(4)
            string(id)
        case .tables: unsigned(5)
        case .glossary: unsigned(6)
        case .register(let kind):
            unsigned(7)
            string(kind.rawValue)
        case .commitments: unsigned(8)
        case .report: unsigned(9)
        case .search: unsigned(10)
        case .notFound: unsigned(11)
        case .changes: unsigned(12)
        case .sectionChanges(let slug):
            unsigned(13)
            string(slug)
        case .editions: unsigned(14)
        }
    }
}

extension ByteReader {
    mutating func resolvedLinks(in file: String) throws -> ResolvedLinks {
        var links = ResolvedLinks()
        links.targets = try array { reader in try reader.optional { try $0.linkTarget() } }
        links.citations = try array { reader in
            let thing = try reader.citedThing()
            let citation = Citation(
                page: try reader.pageID(), paragraph: try reader.optional { try $0.int() },
                location: try reader.location(in: file))
            return (thing, citation)
        }
        links.diagnostics = try array { try $0.diagnostic(in: file) }
        links.count = try int()
        return links
    }

    mutating func linkTarget() throws -> LinkTarget {
        switch try unsigned() {
        case 0: return .page(try pageID(), fragment: try optional { try $0.string() })
        case 1: return .fragment(try string())
        case 2: return .external(try string())
        case 3: return .embedTable(try string())
        case 4: return .edition(try string(), fragment: try optional { try $0.string() })
        default: throw Malformed()
        }
    }

    mutating func citedThing() throws -> CitedThing {
        switch try unsigned() {
        case 0: return .section(try string())
        case 1: return .capability(try string())
        case 2: return .table(try string())
        case 3: return .registerEntry(try register(), try string())
        default: throw Malformed()
        }
    }

    private mutating func register() throws -> Register {
        guard let kind = Register(rawValue: try string()) else { throw Malformed() }
        return kind
    }

    mutating func pageID() throws -> PageID {
        switch try unsigned() {
        case 0: return .home
        case 1: return .section(try string(), in: try string())
        case 2: return .capability(try string())
        case 3: return .capabilities
        case 4: return .table(try string())
        case 5: return .tables
        case 6: return .glossary
        case 7: return .register(try register())
        case 8: return .commitments
        case 9: return .report
        case 10: return .search
        case 11: return .notFound
        case 12: return .changes
        case 13: return .sectionChanges(try string())
        case 14: return .editions
        default: throw Malformed()
        }
    }
}
