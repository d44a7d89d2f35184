import Foundation
import PortalSupport

/// What a request path maps to inside the output folder.
public enum ServedPath: Equatable, Sendable {
    /// A regular file inside the output folder.
    case file(URL)
    /// A folder asked for without its trailing slash: redirect, so relative links resolve.
    case redirect(String)
    /// Missing, or outside the output folder: both answer 404, so nothing outside can be probed.
    case notFound
}

/// Maps a raw, percent-encoded request path onto a file inside `root`. Percent-encoding is
/// decoded once, `.` and `..` segments are normalised, and the result must still lie inside the
/// folder after symbolic links are resolved; anything else is `.notFound`. Folders serve their
/// `index.html`.
public func servedPath(for rawPath: String, in root: URL) -> ServedPath {
    guard rawPath.hasPrefix("/"), let decoded = rawPath.removingPercentEncoding else { return .notFound }
    // NUL and backslashes never occur in the site's own paths; refuse rather than interpret them.
    guard !decoded.contains("\0"), !decoded.contains("\\") else { return .notFound }
    var segments: [String] = []
    for segment in decoded.split(separator: "/", omittingEmptySubsequences: true) {
        switch segment {
        case ".": continue
        case "..":
            // Climbing above the root is an escape, not something to clamp.
            guard !segments.isEmpty else { return .notFound }
            segments.removeLast()
        default: segments.append(String(segment))
        }
    }
    guard let rootReal = realPath(root.path) else { return .notFound }
    let candidate = ([rootReal] + segments).joined(separator: "/")
    guard let real = realPath(candidate), isInside(real, rootReal) else { return .notFound }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: real, isDirectory: &isDirectory) else { return .notFound }
    if !isDirectory.boolValue { return .file(URL(fileURLWithPath: real)) }
    if !rawPath.hasSuffix("/") {
        // Built from the normalised segments, never the raw input, so it cannot point off-site.
        let encoded = segments.map { $0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? $0 }
        return .redirect("/" + encoded.map { $0 + "/" }.joined())
    }
    guard let index = realPath(real + "/index.html"), isInside(index, rootReal),
        FileManager.default.fileExists(atPath: index, isDirectory: &isDirectory), !isDirectory.boolValue
    else { return .notFound }
    return .file(URL(fileURLWithPath: index))
}

/// Content types for what a site holds; anything else is served as bytes.
public func contentType(forPath path: String) -> String {
    switch (path as NSString).pathExtension.lowercased() {
    case "html", "htm": return "text/html; charset=utf-8"
    case "css": return "text/css; charset=utf-8"
    case "js", "mjs": return "text/javascript; charset=utf-8"
    case "json": return "application/json"
    case "csv": return "text/csv; charset=utf-8"
    case "txt", "md": return "text/plain; charset=utf-8"
    case "xml": return "application/xml"
    case "svg": return "image/svg+xml"
    case "png": return "image/png"
    case "jpg", "jpeg": return "image/jpeg"
    case "gif": return "image/gif"
    case "webp": return "image/webp"
    case "ico": return "image/x-icon"
    case "pdf": return "application/pdf"
    case "woff2": return "font/woff2"
    case "woff": return "font/woff"
    default: return "application/octet-stream"
    }
}
