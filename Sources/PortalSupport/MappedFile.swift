import Foundation

/// Bytes that stay where they are for as long as the object lives, so decoders can keep reading
/// them later (a graph snapshot's deferred parts, the load cache's entries): a file mapped into
/// memory, or a copy.
package class StableBytes: @unchecked Sendable {
    package let buffer: UnsafeRawBufferPointer

    fileprivate init(buffer: UnsafeRawBufferPointer) { self.buffer = buffer }
}

/// A regular file mapped read-only. Reading a cache file of megabytes into an array had the
/// kernel copy it into fresh pages, each zeroed first; a mapping shares the page cache's. Only
/// for files portal replaces by renaming a new one over them, never by writing in place, so the
/// mapped bytes cannot change under a reader.
package final class MappedFile: StableBytes, @unchecked Sendable {
    /// `populate`: map every page at once, for a reader that reads them all (one system call
    /// instead of a page fault per page).
    package init?(path: String, populate: Bool = true) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0 else { return nil }
        let size = Int(info.st_size)
        #if os(Linux)
            let flags = populate ? MAP_PRIVATE | MAP_POPULATE : MAP_PRIVATE
        #else
            let flags = MAP_PRIVATE
        #endif
        guard let mapped = mmap(nil, size, PROT_READ, flags, descriptor, 0), mapped != MAP_FAILED else { return nil }
        super.init(buffer: UnsafeRawBufferPointer(start: mapped, count: size))
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: buffer.baseAddress), buffer.count) }
}

/// A copy of bytes in memory of its own, for decoders given an array.
package final class CopiedBytes: StableBytes, @unchecked Sendable {
    package init(_ bytes: [UInt8]) {
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 8)
        bytes.withUnsafeBytes { memory.copyMemory(from: $0) }
        super.init(buffer: UnsafeRawBufferPointer(rebasing: memory[..<bytes.count]))
    }

    deinit { buffer.baseAddress.map { UnsafeMutableRawPointer(mutating: $0).deallocate() } }
}
