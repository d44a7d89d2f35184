import Foundation
import PortalLoad
import PortalSupport

/// The build's own identity: a new `portal` binary may render differently, so it invalidates the
/// cache like any changed input. Its inode and change time count too: hashing tens of megabytes
/// on every build would cost more than the rest of a no-op build.
func executableStamp() -> String {
    #if os(Linux)
        let path = "/proc/self/exe"
    #else
        let path = Bundle.main.executablePath ?? CommandLine.arguments[0]
    #endif
    let resolved = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? path
    guard let stamp = FileStamp.ofIdentity(resolved) else { return "unknown" }
    return "\(resolved):\(stamp.size):\(stamp.modified):\(stamp.content)"
}

/// One fingerprint for every input that is not a report section or capability file: site.yaml,
/// data files, tables, the theme, git's history and the binary, by their bytes. Any change means
/// a full build. `content`: the build's one walk of `Content/`, whose readable files other than
/// the sources are what Load reads (a stray file it does not read is in the walk's warnings,
/// which `walkFingerprint` covers).
func globalFingerprint(root: URL, content: ContentFiles) -> String {
    var hasher = StableHasher()
    hasher.combine(executableStamp())
    // (name, path) of every file that counts, in a fixed order; read on every core.
    // A file Load expects but did not find (or found as a folder) is told by its absence here
    // and by the walk's diagnostics.
    var files = content.readable.map { ($0, root.path + "/" + $0) }
    // Recorded editions are published with the site: recording one, or any change to one, is seen.
    let editions = root.appendingPathComponent(SitePath.editions)
    files += listFiles(under: editions).map { ("Editions/" + $0, editions.path + "/" + $0) }
    // A commit changes "last updated" dates: git's log of HEAD moves with every commit or checkout.
    // In a worktree `.git` is a file naming the folder that holds them.
    let gitFolder = gitDirectory(root: root)
    for git in ["logs/HEAD", "HEAD"] where FileStamp.of(gitFolder + "/" + git) != nil {
        files.append((".git/" + git, gitFolder + "/" + git))
    }
    let contents = parallelMap(files) { _, path -> String in
        if let stamp = FileStamp.ofContent(path) { return "\(stamp.size):\(String(stamp.content, radix: 16))" }
        // There but unreadable (a folder, a dangling link): different from any readable file.
        return FileStamp.of(path) == nil ? "missing" : "unreadable"
    }
    for ((name, _), content) in zip(files, contents) {
        hasher.combine(name)
        hasher.combine(content)
    }
    hasher.combine(themeFingerprint(root: root))
    return hasher.hex
}

/// Every file of the site's `Themes/`, by its bytes.
func themeFingerprint(root: URL) -> String {
    var hasher = StableHasher()
    let themes = root.appendingPathComponent(SitePath.themes)
    for file in listFiles(under: themes) {
        hasher.combine(file)
        let stamp = FileStamp.ofContent(themes.path + "/" + file)
        hasher.combine(stamp.map { String($0.content, radix: 16) + ":" + String($0.size) } ?? "unreadable")
    }
    return hasher.hex
}

/// The repository's git folder: `.git`, or where a worktree's `.git` file points.
private func gitDirectory(root: URL) -> String {
    let dotGit = root.path + "/.git"
    guard let bytes = readFileBytes(dotGit) else { return dotGit }
    let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    guard text.hasPrefix("gitdir: ") else { return dotGit }
    let target = String(text.dropFirst("gitdir: ".count))
    return target.hasPrefix("/") ? target : root.path + "/" + target
}
