import Foundation

/// FNV-1a, 64 bits: a stable hash (Swift's `Hasher` is seeded per process) for telling whether
/// inputs changed between builds. Not for security.
struct StableHasher {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func combine(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            value ^= UInt64(byte)
            value = value &* 0x100_0000_01b3
        }
    }

    mutating func combine(_ text: String) {
        combine(text.utf8)
        // The separator, mixed in without making an array for it.
        value ^= 0x1F
        value = value &* 0x100_0000_01b3
    }

    mutating func combine(_ number: Int) { combine(String(number)) }

    var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// Size and modification time, as rsync and make use them to see a changed file.
struct FileStamp: Hashable, Sendable {
    var size: Int64
    var modified: Int64

    static func of(_ path: String) -> FileStamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if canImport(Darwin)
            let time = info.st_mtimespec
        #else
            let time = info.st_mtim
        #endif
        return FileStamp(size: Int64(info.st_size), modified: Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec))
    }
}

/// The build's own identity: a new `portal` binary may render differently, so it invalidates the
/// cache like any changed input.
func executableStamp() -> String {
    #if os(Linux)
        let path = "/proc/self/exe"
    #else
        let path = Bundle.main.executablePath ?? CommandLine.arguments[0]
    #endif
    let resolved = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? path
    guard let stamp = FileStamp.of(resolved) else { return "unknown" }
    return "\(resolved):\(stamp.size):\(stamp.modified)"
}

/// One fingerprint for every input that is not a report section or capability file: site.yaml,
/// data files, tables, the theme, git's history and the binary. Any change means a full build.
func globalFingerprint(root: URL) -> String {
    var hasher = StableHasher()
    hasher.combine(executableStamp())
    let contentFolder = root.appendingPathComponent("Content")
    // Everything in Content/ but the section and capability folders, which are stamped per file.
    let topLevel = (try? FileManager.default.contentsOfDirectory(atPath: contentFolder.path)) ?? []
    for name in topLevel.sorted() where !name.hasPrefix(".") && !sectionFolders.contains(name) && name != "capabilities"
    {
        let url = contentFolder.appendingPathComponent(name)
        let files = FileStamp.of(url.path).map { _ in listFiles(under: url).map { name + "/" + $0 } } ?? []
        for file in files.isEmpty ? [name] : files {
            hasher.combine(file)
            if let stamp = FileStamp.of(contentFolder.path + "/" + file) {
                hasher.combine(Int(stamp.size))
                hasher.combine(Int(stamp.modified))
            }
        }
    }
    let themes = root.appendingPathComponent("Themes")
    for file in listFiles(under: themes) {
        hasher.combine(file)
        if let stamp = FileStamp.of(themes.path + "/" + file) {
            hasher.combine(Int(stamp.size))
            hasher.combine(Int(stamp.modified))
        }
    }
    // A commit changes "last updated" dates: git's log of HEAD moves with every commit or checkout.
    for git in [".git/logs/HEAD", ".git/HEAD"] {
        if let stamp = FileStamp.of(root.appendingPathComponent(git).path) {
            hasher.combine(git)
            hasher.combine(Int(stamp.size))
            hasher.combine(Int(stamp.modified))
        }
    }
    return hasher.hex
}

extension YAMLNode {
    /// The values, not where they were written, so moving a line does not count as a change.
    func combine(into hasher: inout StableHasher) {
        switch value {
        case .scalar(let text):
            hasher.combine(isPlainScalar ? "s" : "q")
            hasher.combine(text)
        case .sequence(let items):
            hasher.combine("[\(items.count)")
            for item in items { item.combine(into: &hasher) }
        case .mapping(let pairs):
            hasher.combine("{\(pairs.count)")
            for (key, value) in pairs {
                key.combine(into: &hasher)
                value.combine(into: &hasher)
            }
        }
    }
}

extension ParsedBody {
    /// What other pages depend on in a body: paragraph numbers, headings, links and where they
    /// sit. The text itself is not part of it: a text-only edit changes just the fragments of
    /// pages that show this body, which the fast path splices in.
    func combineInterface(into hasher: inout StableHasher) {
        hasher.combine(isEmpty ? "empty" : "body")
        for paragraph in paragraphs { hasher.combine(paragraph.number) }
        hasher.combine("headings")
        for heading in headings {
            hasher.combine(heading.level)
            hasher.combine(heading.text)
        }
        hasher.combine("links")
        for link in links {
            hasher.combine(link.url)
            hasher.combine(link.isImage ? "i" : "l")
            hasher.combine(link.hasText ? "t" : "-")
            hasher.combine(link.paragraph ?? -1)
        }
    }
}
