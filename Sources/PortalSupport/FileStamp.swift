import Foundation

/// FNV-1a, 64 bits: a stable hash (Swift's `Hasher` is seeded per process) for telling whether
/// inputs changed between builds. Not for security.
package struct StableHasher {
    package private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    package init(value: UInt64 = 0xcbf2_9ce4_8422_2325) {
        self.value = value
    }

    package mutating func combine(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            value ^= UInt64(byte)
            value = value &* 0x100_0000_01b3
        }
    }

    /// The same as the generic `combine` on bytes in memory: that one is not specialised across
    /// modules, and went through a witness table per byte (a tenth of a rebuild's CPU at 10,000
    /// pages, in `AbbreviationIndex.mightContain`).
    package mutating func combine(_ bytes: UnsafeBufferPointer<UInt8>) {
        var value = self.value
        for byte in bytes {
            value ^= UInt64(byte)
            value = value &* 0x100_0000_01b3
        }
        self.value = value
    }

    package mutating func combine(_ text: String) {
        var text = text
        text.withUTF8 { combine($0) }
        combineSeparator()
    }

    /// The separator after each string or number, mixed in without making an array for it.
    private mutating func combineSeparator() {
        value ^= 0x1F
        value = value &* 0x100_0000_01b3
    }

    /// The same as combining `String(number)`, without making the string: hashes of links and
    /// bodies combine hundreds of thousands of numbers on every build.
    package mutating func combine(_ number: Int) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var magnitude = number.magnitude
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = ASCII.zero + UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if number < 0 {
                start -= 1
                digits[start] = ASCII.hyphen
            }
            combine(UnsafeBufferPointer(rebasing: digits[start...]))
        }
        combineSeparator()
    }

    package var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// Size, modification time and a hash of what a file holds. Size and time alone miss an edit of
/// the same size whose time was put back (`cp -p`, `rsync -t`, `tar x`, a restored backup), so
/// inputs are stamped by their bytes; the time is kept only so a touched file is looked at again.
package struct FileStamp: Hashable, Sendable {
    package var size: Int64
    package var modified: Int64
    /// `contentHash` of the bytes (`ofContent`), or of the inode and change time (`ofIdentity`);
    /// 0 when only `of` was taken.
    package var content: UInt64 = 0

    /// Size and modification time only: for files the build itself made.
    package static func of(_ path: String) -> FileStamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileStamp(info)
    }

    /// Size, time and a hash of the bytes, read whole: for every input.
    package static func ofContent(_ path: String) -> FileStamp? {
        guard var stamp = of(path), let bytes = readFileBytes(path) else { return nil }
        // The bytes read are what counts: the file may have changed since the `stat`.
        stamp.size = Int64(bytes.count)
        stamp.content = bytes.withUnsafeBytes(contentHash)
        return stamp
    }

    /// A source's stamp: its size, a fingerprint of its modification time, change time, inode and
    /// device, and the hash of its bytes. The bytes are read only when the file may have changed
    /// since the last build: when any of those differ from `previous`, or when the file changed
    /// in the second before the last build's state was written (`trustedBefore`, seconds), where
    /// an edit could leave the same times (git's "racily clean" rule). The kernel sets the change
    /// time on every write and nothing else can set it, so a restored modification time
    /// (`cp -p`, `rsync -t`, `tar x`) still shows.
    /// `reading` false: the bytes are not read here (content 0) but by whoever uses the stamp,
    /// who puts in the hash of the bytes it used (`withContent`): a first build, which reads
    /// every file anyway, then reads each once.
    package static func ofSource(_ path: String, previous: FileStamp?, trustedBefore: Int64?, reading: Bool = true)
        -> FileStamp?
    {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return ofSource(info, previous: previous, trustedBefore: trustedBefore, reading: reading) {
            readFileBytes(path)
        }
    }

    /// `ofSource` from the file's `stat`, taken by the caller; `read` gives its bytes.
    package static func ofSource(
        _ info: stat, previous: FileStamp?, trustedBefore: Int64?, reading: Bool, read: () -> [UInt8]?
    ) -> FileStamp? {
        let (modified, changed) = fileTimes(info)
        // A tuple's bytes, as `hashWords` would hash them, without an array: every source of a
        // large site is stamped on every build.
        let words = (
            UInt64(modified.tv_sec), UInt64(modified.tv_nsec), UInt64(changed.tv_sec), UInt64(changed.tv_nsec),
            UInt64(info.st_ino), UInt64(info.st_dev)
        )
        let identity = Int64(bitPattern: withUnsafeBytes(of: words, contentHash))
        if let previous, let trustedBefore, previous.size == Int64(info.st_size), previous.modified == identity,
            Int64(changed.tv_sec) < trustedBefore - 1, Int64(modified.tv_sec) < trustedBefore - 1
        {
            return previous
        }
        guard reading else { return FileStamp(size: Int64(info.st_size), modified: identity) }
        guard let bytes = read() else { return nil }
        var stamp = FileStamp(size: Int64(bytes.count), modified: identity)
        stamp.content = bytes.withUnsafeBytes(contentHash)
        return stamp
    }

    /// The stamp with the size and hash of the bytes that were read after it was taken.
    package func withContent(size: Int, hash: UInt64) -> FileStamp {
        FileStamp(size: Int64(size), modified: modified, content: hash)
    }

    /// Size, time, inode and change time, without reading it: for the output marker and the
    /// binary. Nothing outside the kernel sets a change time, so a file put back from a copy or a
    /// backup has a new one even when its modification time was restored.
    package static func ofIdentity(_ path: String) -> FileStamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        var stamp = FileStamp(info)
        let changed = fileTimes(info).changed
        stamp.content = hashWords([
            UInt64(info.st_ino), UInt64(info.st_dev), UInt64(changed.tv_sec), UInt64(changed.tv_nsec),
        ])
        return stamp
    }

    private init(_ info: stat) {
        let time = fileTimes(info).modified
        self.init(size: Int64(info.st_size), modified: Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec))
    }

    package init(size: Int64, modified: Int64, content: UInt64 = 0) {
        self.size = size
        self.modified = modified
        self.content = content
    }
}

/// A file's modification and change times, under either platform's field names.
private func fileTimes(_ info: stat) -> (modified: timespec, changed: timespec) {
    #if canImport(Darwin)
        return (info.st_mtimespec, info.st_ctimespec)
    #else
        return (info.st_mtim, info.st_ctim)
    #endif
}

/// `contentHash` of a few numbers (times, inode, device), as their bytes.
package func hashWords(_ words: [UInt64]) -> UInt64 {
    var words = words
    return words.withUnsafeMutableBytes { contentHash(UnsafeRawBufferPointer($0)) }
}

/// A 64-bit hash of bytes, eight at a time in four lanes (xxHash64's rounds, not its exact
/// output): a 10,000-page site's 80 MB is hashed on every build, so FNV's byte at a time is too
/// slow. Each round is a bijection of its lane for a fixed input and of its input for a fixed
/// lane, so an edit of one word always changes the result; any other edit collides with a
/// chance of about 2^-64. Little-endian loads: the state never leaves the machine.
package func contentHash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    func round(_ lane: UInt64, _ input: UInt64) -> UInt64 {
        let sum = lane &+ input &* prime2
        return ((sum << 31) | (sum >> 33)) &* prime1
    }
    func word(_ offset: Int) -> UInt64 {
        UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
    let count = bytes.count
    var offset = 0
    var hash: UInt64
    if count >= 32 {
        var lanes = (prime1 &+ prime2, prime2, UInt64(0), 0 &- prime1)
        while offset + 32 <= count {
            lanes.0 = round(lanes.0, word(offset))
            lanes.1 = round(lanes.1, word(offset + 8))
            lanes.2 = round(lanes.2, word(offset + 16))
            lanes.3 = round(lanes.3, word(offset + 24))
            offset += 32
        }
        hash = 0
        for lane in [lanes.0, lanes.1, lanes.2, lanes.3] {
            hash = (hash ^ round(0, lane)) &* prime1 &+ prime4
        }
    } else {
        hash = prime3
    }
    hash = hash &+ UInt64(count)
    while offset + 8 <= count {
        hash ^= round(0, word(offset))
        hash = ((hash << 27) | (hash >> 37)) &* prime1 &+ prime4
        offset += 8
    }
    while offset < count {
        hash ^= UInt64(bytes[offset]) &* 0x27D4_EB2F_1656_67C5
        hash = ((hash << 11) | (hash >> 53)) &* prime1
        offset += 1
    }
    hash ^= hash >> 33
    hash = hash &* prime2
    hash ^= hash >> 29
    hash = hash &* prime3
    return hash ^ (hash >> 32)
}

/// `FileStamp.ofSource` of many files, by paths relative to `root`, on every core. Each worker
/// takes a run of the paths (sorted, so a folder's files are together) and looks each name up in
/// its folder's descriptor (`fstatat`): the kernel then walks one name per file, not the whole
/// path, which on a 10,000-page site was most of what a rebuild spent finding what changed.
/// Gives each file's stamp with the `previous` one it was told from (nil when it had none).
package func sourceStamps(
    root: String, files: [String], previous: @Sendable (String) -> FileStamp?, trustedBefore: Int64?,
    reading: Bool
) -> [(now: FileStamp?, last: FileStamp?)] {
    let run = max(256, files.count / (ProcessInfo.processInfo.activeProcessorCount * 4) + 1)
    let starts = Array(stride(from: 0, to: files.count, by: run))
    return parallelMap(starts) { first -> [(now: FileStamp?, last: FileStamp?)] in
        var folder = OpenFolder(root: root)
        defer { folder.release() }
        return files[first..<min(first + run, files.count)].map { file in
            let last = previous(file)
            var info = stat()
            guard folder.stat(file, &info) else { return (nil, last) }
            let now = FileStamp.ofSource(info, previous: last, trustedBefore: trustedBefore, reading: reading) {
                readFileBytes(root + "/" + file)
            }
            return (now, last)
        }
    }.flatMap { $0 }
}

/// `FileStamp.ofSource` of the files a last build listed, named by ranges of `names` (UTF-8
/// paths relative to `root`) with the stamps it took, in runs shared by every thread that calls
/// `help()`: the thread that read the list starts at once, and the walk of `Content/`, which the
/// stamps do not wait for, joins when it is done. No path becomes a string on the way.
package final class StampRuns: @unchecked Sendable {
    private let root: String
    private let names: [UInt8]
    private let paths: [Range<Int>]
    private let previous: [FileStamp]
    private let trustedBefore: Int64?
    private let run = 256
    private let lock = NSLock()
    private var next = 0
    private let results: UnsafeMutableBufferPointer<FileStamp?>

    package init(root: String, names: [UInt8], paths: [Range<Int>], previous: [FileStamp], trustedBefore: Int64?) {
        precondition(paths.count == previous.count)
        self.root = root
        self.names = names
        self.paths = paths
        self.previous = previous
        self.trustedBefore = trustedBefore
        results = .allocate(capacity: paths.count)
        results.initialize(repeating: nil)
    }

    deinit { results.deallocate() }

    /// Stamps runs of the files until none is left.
    package func help() {
        while let first = claim() {
            var folder = OpenFolder(root: root)
            defer { folder.release() }
            names.withUnsafeBufferPointer { names in
                for index in first..<min(first + run, paths.count) {
                    let path = UnsafeBufferPointer(rebasing: names[paths[index]])
                    var info = stat()
                    guard folder.stat(path, &info) else { continue }
                    results[index] = FileStamp.ofSource(
                        info, previous: previous[index], trustedBefore: trustedBefore, reading: true
                    ) { readFileBytes(root + "/" + String(decoding: path, as: UTF8.self)) }
                }
            }
        }
    }

    private func claim() -> Int? {
        lock.withLock {
            guard next < paths.count else { return nil }
            defer { next += run }
            return next
        }
    }

    /// Each file's stamp, nil where it could not be stamped; once every `help()` has returned.
    package var stamps: [FileStamp?] { Array(results) }
}

private func statPath(_ path: String, _ info: inout stat) -> Bool { stat(path, &info) == 0 }

/// The folder of the last file looked up, kept open for the next name in it.
private struct OpenFolder {
    let root: String
    var path: Substring? = nil
    var descriptor: Int32 = -1

    init(root: String) { self.root = root }

    /// `stat` of a path relative to the root, through its folder's descriptor (by the whole path
    /// where that cannot be done); false when it cannot be stamped at all.
    mutating func stat(_ file: String, _ info: inout stat) -> Bool {
        var file = file
        return file.withUTF8 { stat($0, &info) }
    }

    /// The same for a path given as UTF-8 bytes.
    mutating func stat(_ file: UnsafeBufferPointer<UInt8>, _ info: inout stat) -> Bool {
        func whole() -> Bool { statPath(root + "/" + String(decoding: file, as: UTF8.self), &info) }
        guard let slash = file.lastIndex(of: ASCII.slash), file.count - slash < 256 else { return whole() }
        let folder = UnsafeBufferPointer(rebasing: file[..<slash])
        if path.map({ !$0.utf8.elementsEqual(folder) }) ?? true {
            release()
            let name = String(decoding: folder, as: UTF8.self)
            path = Substring(name)
            descriptor = open(root + "/" + name, O_RDONLY | O_CLOEXEC | O_DIRECTORY)
        }
        guard descriptor >= 0 else { return whole() }
        // The name with its terminating zero, on the stack.
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: file.count - slash) { name in
            var length = 0
            for byte in file[(slash + 1)...] {
                name[length] = CChar(bitPattern: byte)
                length += 1
            }
            name[length] = 0
            return fstatat(descriptor, name.baseAddress!, &info, 0) == 0
        }
    }

    mutating func release() {
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
    }
}
