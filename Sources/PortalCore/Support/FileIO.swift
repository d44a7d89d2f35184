import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Plain POSIX file writes and reads for the thousands of output files of a build. Foundation's
/// `Data.write` syncs each file to disk, which made writing dominate builds; the build's
/// atomicity comes from swapping the whole staging folder, not from syncing each file.
func writeFileBytes(_ bytes: [UInt8], to path: String) throws {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw POSIXFileError(path: path, code: errno, action: "create") }
    defer { close(descriptor) }
    var offset = 0
    try bytes.withUnsafeBytes { buffer in
        while offset < buffer.count {
            let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw POSIXFileError(path: path, code: errno, action: "write")
            }
            offset += written
        }
    }
}

/// Writes a file whole or not at all: to a temporary file beside it, then renamed over it, so a
/// reader never sees half of it.
func writeFileAtomically(_ bytes: [UInt8], to path: String) throws {
    let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    do {
        try writeFileBytes(bytes, to: temporary)
        guard rename(temporary, path) == 0 else { throw POSIXFileError(path: path, code: errno, action: "replace") }
    } catch {
        unlink(temporary)
        throw error
    }
}

/// Some of a file's bytes, read with one `pread`, or nil if they cannot be read.
func readFileBytes(_ path: String, range: Range<Int>) -> [UInt8]? {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    return readBytes(descriptor, count: range.count, at: range.lowerBound)
}

/// The file's bytes, or nil if it cannot be read.
func readFileBytes(_ path: String) -> [UInt8]? {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { return nil }
    return readBytes(descriptor, count: Int(info.st_size), at: 0)
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

struct POSIXFileError: Error, CustomStringConvertible {
    var path: String
    var code: Int32
    var action: String
    var description: String { "cannot \(action) \(path): \(String(cString: strerror(code)))" }
}

/// Files below a folder, as sorted relative paths (sorted so builds are deterministic). Hidden
/// files and folders are skipped; symbolic links to files count, links to folders are not
/// followed. Reads directories with `readdir`, which reports each entry's type, instead of one
/// `stat` per file: a 10,000-page site is listed on every build.
func listFiles(under url: URL) -> [String] {
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
