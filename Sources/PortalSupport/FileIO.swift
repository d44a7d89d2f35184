import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Plain POSIX file writes and reads for the thousands of output files of a build. Foundation's
/// `Data.write` syncs each file to disk, which made writing dominate builds; the build's
/// atomicity comes from swapping the whole staging folder, not from syncing each file.
package func writeFileBytes(_ bytes: [UInt8], to path: String) throws {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw POSIXFileError(path: path, code: errno, action: "create") }
    defer { close(descriptor) }
    if let code = bytes.withUnsafeBytes({ writeBytes(descriptor, $0, at: 0) }) {
        throw POSIXFileError(path: path, code: code, action: "write")
    }
}

/// Writes every byte at `offset` (with `pwrite`, so threads may write their own parts of one
/// file at once); the `errno` of a failure, or nil.
package func writeBytes(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int32? {
    var done = 0
    while done < bytes.count {
        let written = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
        if written < 0 {
            if errno == EINTR { continue }
            return errno
        }
        done += written
    }
    return nil
}

/// Writes a file whole or not at all: to a temporary file beside it, then renamed over it, so a
/// reader never sees half of it.
package func writeFileAtomically(_ bytes: [UInt8], to path: String) throws {
    try replaceFiles([(try writeTemporaryFile(bytes, beside: path), path)])
}

/// Writes `bytes` to a new temporary file beside `path` and gives its name, for `replaceFiles`;
/// nothing is left behind when it fails. Several can be written at once, on their own threads.
package func writeTemporaryFile(_ bytes: [UInt8], beside path: String) throws -> String {
    let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    do {
        try writeFileBytes(bytes, to: temporary)
        return temporary
    } catch {
        unlink(temporary)
        throw error
    }
}

/// Renames each temporary file over its path, in the order given, so a reader that trusts a later
/// file only with the earlier ones never sees it without them; when one cannot be renamed, it and
/// the rest are removed.
package func replaceFiles(_ moves: [(temporary: String, path: String)]) throws {
    for (index, move) in moves.enumerated() where rename(move.temporary, move.path) != 0 {
        let error = POSIXFileError(path: move.path, code: errno, action: "replace")
        for left in moves[index...] { unlink(left.temporary) }
        throw error
    }
}

/// Some of a file's bytes, read with one `pread`, or nil if they cannot be read.
package func readFileBytes(_ path: String, range: Range<Int>) -> [UInt8]? {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    return readBytes(descriptor, count: range.count, at: range.lowerBound)
}

/// The file's bytes, or nil if it cannot be read or is not a regular file.
package func readFileBytes(_ path: String) -> [UInt8]? {
    try? readRegularFile(path).get()
}

/// Why a file could not be read, in words an author can act on.
package struct FileReadError: Error, CustomStringConvertible {
    /// "a FIFO", "a folder": set when the path is not a regular file.
    var kind: String?
    var code: Int32 = 0

    /// Nothing is at the path.
    package var isMissing: Bool { kind == nil && code == ENOENT }

    package var description: String {
        if let kind { return "is \(kind), not a regular file" }
        return "cannot be read: \(String(cString: strerror(code)))"
    }

    var hint: String {
        if kind == "a folder" { return "a file is expected here: move the folder away or rename it" }
        if kind != nil { return "replace it with an ordinary file" }
        switch code {
        case EACCES, EPERM: return "make it readable (chmod a+r)"
        case ENOENT: return "check that it exists"
        default: return "check that the file is an ordinary, readable file"
        }
    }
}

/// A regular file's bytes. Opened without blocking and checked before reading, so a FIFO or a
/// device in place of a file is refused at once instead of hanging the build on its first read.
package func readRegularFile(_ path: String) -> Result<[UInt8], FileReadError> {
    let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard descriptor >= 0 else { return .failure(FileReadError(code: errno)) }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { return .failure(FileReadError(code: errno)) }
    guard info.st_mode & S_IFMT == S_IFREG else { return .failure(FileReadError(kind: fileKind(info.st_mode))) }
    guard let bytes = readBytes(descriptor, count: Int(info.st_size), at: 0) else {
        return .failure(FileReadError(code: errno == 0 ? EIO : errno))
    }
    return .success(bytes)
}

/// "a FIFO", "a folder", ... for messages about something that is not a regular file.
func fileKind(_ mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFDIR: return "a folder"
    case S_IFIFO: return "a FIFO (named pipe)"
    case S_IFSOCK: return "a socket"
    case S_IFCHR: return "a character device"
    case S_IFBLK: return "a block device"
    case S_IFLNK: return "a symbolic link"
    default: return "not a regular file"
    }
}

/// Exactly `count` bytes from `offset`, read straight into an array that is never zeroed first:
/// large files (a site's search index) are read on every incremental build.
private func readBytes(_ descriptor: Int32, count: Int, at offset: Int) -> [UInt8]? {
    var complete = true
    let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
        var done = 0
        while done < count {
            let read = pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset + done))
            if read < 0 && errno == EINTR { continue }
            if read <= 0 { break }
            done += read
        }
        complete = done == count
        initialized = done
    }
    return complete ? bytes : nil
}

package struct POSIXFileError: Error, CustomStringConvertible {
    var path: String
    var code: Int32
    var action: String
    package var description: String { "cannot \(action) \(path): \(String(cString: strerror(code)))" }

    /// For the writer's journaled commit, which fails on the same system calls.
    package init(path: String, code: Int32, action: String) {
        self.path = path
        self.code = code
        self.action = action
    }

    /// What to do about it.
    package var hint: String {
        switch code {
        case EACCES, EPERM, EROFS: return "check that you may write there, or choose another --output"
        case ENOSPC, EDQUOT: return "free some disk space, then build again"
        case ENOTDIR, EEXIST: return "a file is in the way of a folder: move it, or choose another --output"
        case ENAMETOOLONG: return "choose a shorter --output path"
        default: return "fix the output folder or choose another --output, then build again"
        }
    }
}

/// A folder and any missing parents, like `mkdir -p`, with the failing path and cause.
package func createFolders(_ path: String) throws {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return }
    let parent = (path as NSString).deletingLastPathComponent
    if !parent.isEmpty && parent != path { try createFolders(parent) }
    guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
        throw POSIXFileError(path: path, code: errno, action: "create folder")
    }
    // EEXIST for a file in the way: say so rather than fail later inside it.
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw POSIXFileError(path: path, code: ENOTDIR, action: "create folder")
    }
}

package func renamePath(_ from: String, to: String) throws {
    guard rename(from, to) == 0 else { throw POSIXFileError(path: to, code: errno, action: "move a folder to") }
}

/// The path with every symbolic link resolved, or nil (with `errno` set) when that fails.
package func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
}

/// Whether `path` is `folder` or lies below it; both are real paths.
package func isInside(_ path: String, _ folder: String) -> Bool {
    path == folder || path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
}

/// Files below a folder, as sorted relative paths (sorted so builds are deterministic). Hidden
/// files and folders are skipped; symbolic links to files count, links to folders are not
/// followed. Reads directories with `readdir`, which reports each entry's type, instead of one
/// `stat` per file: a 10,000-page site is listed on every build.
package func listFiles(under url: URL) -> [String] {
    var files: [String] = []
    collectFiles(in: url.path, prefix: "", into: &files)
    return files.sorted()
}

private func collectFiles(in folder: String, prefix: String, into files: inout [String]) {
    guard let directory = opendir(folder) else { return }
    defer { closedir(directory) }
    while let entry = readdir(directory) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { buffer in
            String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
        }
        if name.hasPrefix(".") { continue }
        let path = folder + "/" + name
        var isDirectory = Int32(entry.pointee.d_type) == Int32(DT_DIR)
        var isFile = Int32(entry.pointee.d_type) == Int32(DT_REG)
        if Int32(entry.pointee.d_type) == Int32(DT_UNKNOWN) || Int32(entry.pointee.d_type) == Int32(DT_LNK) {
            var info = stat()
            guard stat(path, &info) == 0 else { continue }
            isFile = (info.st_mode & S_IFMT) == S_IFREG
            isDirectory = Int32(entry.pointee.d_type) == Int32(DT_UNKNOWN) && (info.st_mode & S_IFMT) == S_IFDIR
        }
        if isDirectory {
            collectFiles(in: path, prefix: prefix + name + "/", into: &files)
        } else if isFile {
            files.append(prefix + name)
        }
    }
}

/// The files of one folder of the site (`Content`, `Themes/default`), walked without ever
/// leaving its real path: a symbolic link whose real path is outside the folder, a link loop, a dangling
/// link, anything that is not a regular file or folder, and a name that is not UTF-8 are each
/// an error at their path, and are not listed. Editor swap and backup files and other hidden
/// files are skipped with a warning; the junk operating systems and git leave (`.DS_Store`,
/// `.gitkeep`, `.git`) is skipped silently, since authors cannot help it and a warning on every
/// build would teach them to ignore warnings.
package struct FolderWalk {
    /// Regular files, relative to the site root, sorted.
    package var files: [String] = []
    package var diagnostics: [Diagnostic] = []

    package init(files: [String] = [], diagnostics: [Diagnostic] = []) {
        self.files = files
        self.diagnostics = diagnostics
    }

    package init(root: URL, folder: String) {
        let top = root.path + "/" + folder
        // The folder itself may be a link (a theme shared between sites, the benchmark's
        // `Themes`): that is the site's own setup. Nothing inside it may lead out of it.
        guard let boundary = realPath(top) else { return }
        var ancestors: [FileID] = FileID(top).map { [$0] } ?? []
        collect(top, relative: folder, boundary: (boundary, folder), ancestors: &ancestors)
        files.sort()
    }

    private mutating func collect(
        _ folder: String, relative: String, boundary: (real: String, name: String), ancestors: inout [FileID]
    ) {
        guard let directory = opendir(folder) else {
            diagnostics.append(
                .error(
                    "unreadable-file", "folder cannot be read: \(String(cString: strerror(errno)))",
                    hint: "make it readable (chmod a+rx)", at: SourceLocation(file: relative)))
            return
        }
        // Each name is made a string once, straight from the entry (most are short enough to be
        // kept inline, with no allocation); one that is not UTF-8 keeps its bytes for the error.
        var entries: [(name: String?, bytes: [UInt8], type: Int32)] = []
        while let entry = readdir(directory) {
            let type = Int32(entry.pointee.d_type)
            withUnsafeBytes(of: entry.pointee.d_name) { raw in
                let bytes = UnsafeRawBufferPointer(rebasing: raw[..<(raw.firstIndex(of: 0) ?? raw.count)])
                // `.` and `..`.
                if !bytes.isEmpty && bytes.count <= 2 && bytes.allSatisfy({ $0 == ASCII.period }) { return }
                if let name = String(validating: bytes, as: UTF8.self) {
                    entries.append((name, [], type))
                } else {
                    entries.append((nil, Array(bytes), type))
                }
            }
        }
        closedir(directory)
        for (valid, bytes, entryType) in entries {
            guard let name = valid else {
                diagnostics.append(
                    .error(
                        "file-name-not-utf8", "file name is not valid UTF-8",
                        hint: "rename it using letters, digits and hyphens",
                        at: SourceLocation(file: relative + "/" + String(decoding: bytes, as: UTF8.self))))
                continue
            }
            let shown = relative + "/" + name
            if mightBeSkipped(name.utf8), let skipped = skippedFileDiagnostic(name, at: shown) {
                diagnostics += skipped
                continue
            }
            // Most entries are plain files, listed without a further system call.
            if entryType == Int32(DT_REG) {
                files.append(shown)
                continue
            }
            let path = folder + "/" + name
            var type = entryType
            if type == Int32(DT_LNK) || type == Int32(DT_UNKNOWN) {
                var info = stat()
                guard lstat(path, &info) == 0 else { continue }
                if info.st_mode & S_IFMT == S_IFLNK {
                    guard let target = linkTarget(path, shown: shown, boundary: boundary) else { continue }
                    guard stat(target, &info) == 0 else { continue }
                }
                type = modeType(info.st_mode)
            }
            if type == Int32(DT_DIR) {
                guard let id = FileID(path) else { continue }
                if ancestors.contains(id) {
                    diagnostics.append(
                        .error(
                            "symlink-loop", "'\(shown)' is a symbolic link to a folder that contains it",
                            hint: "remove the link; it would list the same files forever",
                            at: SourceLocation(file: shown)))
                    continue
                }
                ancestors.append(id)
                collect(path, relative: shown, boundary: boundary, ancestors: &ancestors)
                ancestors.removeLast()
            } else if type == Int32(DT_REG) {
                files.append(shown)
            } else {
                var info = stat()
                let kind = stat(path, &info) == 0 ? fileKind(info.st_mode) : "not a regular file"
                diagnostics.append(
                    .error(
                        "not-a-file", "'\(shown)' is \(kind), not a regular file",
                        hint: "replace it with an ordinary file, or remove it", at: SourceLocation(file: shown)))
            }
        }
    }

    /// Where a symbolic link leads, if that is inside the walked folder; otherwise an error.
    private mutating func linkTarget(_ path: String, shown: String, boundary: (real: String, name: String))
        -> String?
    {
        let written = linkText(path)
        guard let real = realPath(path) else {
            let loop = errno == ELOOP
            diagnostics.append(
                .error(
                    loop ? "symlink-loop" : "symlink-broken",
                    loop
                        ? "'\(shown)' is a symbolic link that leads back to itself ('\(written)')"
                        : "'\(shown)' is a symbolic link to '\(written)', which does not exist",
                    hint: loop ? "remove the link" : "fix the link or remove it", at: SourceLocation(file: shown)))
            return nil
        }
        guard isInside(real, boundary.real) else {
            diagnostics.append(linkOutside(shown, target: real, boundary: boundary.name + "/"))
            return nil
        }
        return real
    }
}

private func linkOutside(_ shown: String, target: String, boundary: String) -> Diagnostic {
    .error(
        "symlink-outside", "'\(shown)' is a symbolic link to '\(target)', outside \(boundary)",
        hint: "copy the file into the folder instead of linking to it; portal never publishes files from outside",
        at: SourceLocation(file: shown))
}

/// Names skipped by the walk: nil to list the entry, or the (possibly empty) diagnostics.
private func skippedFileDiagnostic(_ name: String, at shown: String) -> [Diagnostic]? {
    if ignoredJunk.contains(name) { return [] }
    let editor =
        name.hasSuffix("~") || name.hasPrefix(".#") || (name.hasPrefix("#") && name.hasSuffix("#"))
        || [".swp", ".swo", ".swn", ".bak", ".orig"].contains { name.hasSuffix($0) }
    if editor {
        return [
            .warning(
                "editor-file", "'\(shown)' looks like an editor's swap or backup file and is skipped",
                hint: "save and close the file in your editor, or delete it", at: SourceLocation(file: shown))
        ]
    }
    guard name.hasPrefix(".") else { return nil }
    return [
        .warning(
            "hidden-file", "'\(shown)' is hidden (its name starts with '.') and is skipped",
            hint: "rename it without the leading '.' if it belongs to the site, or delete it",
            at: SourceLocation(file: shown))
    ]
}

/// Whether `skippedFileDiagnostic` could skip a name, by its first and last bytes: most names
/// are plain and pass without its string tests (a walk of a 10,000-page site makes 10,000).
private func mightBeSkipped(_ name: String.UTF8View) -> Bool {
    guard let first = name.first, let last = name.last else { return true }
    return first == ASCII.period || first == ASCII.hash || last == ASCII.tilde || last == ASCII.hash
        || skippedEndings.contains { name.count >= $0.count && name.suffix($0.count).elementsEqual($0) }
}

/// Every ending a skipped name can have but `~` and `#`: the backup files' and the junk's.
private let skippedEndings: [[UInt8]] =
    [".swp", ".swo", ".swn", ".bak", ".orig"].map { Array($0.utf8) }
    + ignoredJunk.filter { !$0.hasPrefix(".") }.map { Array($0.suffix(4).utf8) }

/// Made by operating systems and git, never by authors: skipped without a word.
private let ignoredJunk: Set<String> = [
    ".DS_Store", ".gitkeep", ".keep", ".gitignore", ".gitattributes", ".git", "Thumbs.db", "desktop.ini",
]

/// What a link says, as written, for messages.
private func linkText(_ path: String) -> String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
}

private func modeType(_ mode: mode_t) -> Int32 {
    switch mode & S_IFMT {
    case S_IFDIR: return Int32(DT_DIR)
    case S_IFREG: return Int32(DT_REG)
    default: return Int32(DT_UNKNOWN)
    }
}

/// A folder's identity, to notice a link that leads back into a folder being walked.
private struct FileID: Equatable {
    var device: UInt64
    var inode: UInt64

    init?(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}
