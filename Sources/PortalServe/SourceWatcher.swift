import Foundation
import PortalBuild
import PortalSupport

/// The identity of a file as far as a rebuild cares: any write changes one of these.
struct WatchStamp: Hashable, Sendable {
    var size: Int64
    var modified: Int64
    var changed: Int64
    var inode: UInt64
}

/// Every file under the watched folders with its stamp. Comparing two fingerprints tells whether
/// anything was added, removed or written; polling this is portable and cheap for a site's few
/// hundred files, where platform file-event APIs differ and miss edits made through renames.
struct SourceSnapshot: Equatable, Sendable {
    var files: [String: WatchStamp] = [:]

    init(folders: [URL]) {
        let manager = FileManager.default
        for folder in folders {
            guard let enumerator = manager.enumerator(atPath: folder.path) else { continue }
            for case let path as String in enumerator {
                let name = (path as NSString).lastPathComponent
                // Editors' swap and backup files are not content.
                if name.hasPrefix(".") || name.hasSuffix("~") { continue }
                let full = folder.appendingPathComponent(path).path
                var info = stat()
                guard stat(full, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
                files[full] = WatchStamp(
                    size: Int64(info.st_size), modified: nanoseconds(modifiedOf: info),
                    changed: nanoseconds(changedOf: info), inode: UInt64(info.st_ino))
            }
        }
    }

    /// Files added, removed or written since `earlier`, for the rebuild message.
    func changes(since earlier: SourceSnapshot) -> [String] {
        let paths = Set(files.keys).union(earlier.files.keys)
        return paths.filter { files[$0] != earlier.files[$0] }.sorted()
    }
}

#if canImport(Darwin)
    private func nanoseconds(modifiedOf info: stat) -> Int64 {
        Int64(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(info.st_mtimespec.tv_nsec)
    }
    private func nanoseconds(changedOf info: stat) -> Int64 {
        Int64(info.st_ctimespec.tv_sec) * 1_000_000_000 + Int64(info.st_ctimespec.tv_nsec)
    }
#else
    private func nanoseconds(modifiedOf info: stat) -> Int64 {
        Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
    }
    private func nanoseconds(changedOf info: stat) -> Int64 {
        Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
    }
#endif
