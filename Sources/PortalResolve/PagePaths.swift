import PortalLoad
import PortalSupport

/// Every page the site has, and where it is written. All pages that show report Markdown sit one
/// folder deep, so fragments rendered once link correctly on each page that reuses them.
public enum PageID: Hashable, Sendable, Comparable {
    case home
    /// A report section, by slug, in the folder its file is in (`threats`, `sections`).
    case section(String, in: String)
    case capability(String)
    case capabilities
    case table(String)
    case tables
    case glossary
    case register(Register)
    case commitments
    case report
    case search
    case notFound
    /// What changed in the report since the edition before (only with one).
    case changes
    /// What changed in one section (by slug, of either edition) since the edition before.
    case sectionChanges(String)
    /// Every edition of the report, newest first: only when editions are recorded.
    case editions

    /// Output path relative to the site root.
    public var path: String {
        switch self {
        case .home: return "index.html"
        case .section(let slug, let folder): return "\(folder)/\(slug).html"
        case .capability(let slug): return "capabilities/\(slug).html"
        case .capabilities: return "capabilities/index.html"
        case .table(let id): return "tables/\(id).html"
        case .tables: return "tables/index.html"
        case .glossary: return "reference/glossary.html"
        case .register(let kind): return "reference/\(kind.pluralSlug).html"
        case .commitments: return "reference/commitments.html"
        case .report: return "report/index.html"
        case .search: return "search/index.html"
        case .notFound: return "404.html"
        case .changes: return "changes/index.html"
        case .sectionChanges(let slug): return "changes/\(slug).html"
        case .editions: return "editions/index.html"
        }
    }

    /// The folder the page is written in, `path` up to its last "/" ("" at the site's root),
    /// known without making the path.
    public var folder: String {
        switch self {
        case .home, .notFound: return ""
        case .section(_, let folder): return folder
        case .capability, .capabilities: return "capabilities"
        case .table, .tables: return "tables"
        case .glossary, .register, .commitments: return "reference"
        case .report: return "report"
        case .search: return "search"
        case .changes, .sectionChanges: return "changes"
        case .editions: return "editions"
        }
    }

    public static func < (a: PageID, b: PageID) -> Bool { a.path < b.path }
}

extension Register {
    public var pluralSlug: String {
        switch self {
        case .board: return "boards"
        case .partner: return "partners"
        case .operation: return "operations"
        }
    }
}

/// The relative URL from one output file to another, so the site works under any sub-path and
/// straight from disk.
public func relativeURL(from page: String, to target: String) -> String {
    // Pages sit at most a folder or two deep: compare folders without splitting strings.
    let pageFolder = page.utf8.lastIndex(of: ASCII.slash).map { page[..<$0] } ?? ""
    if !pageFolder.isEmpty, target.hasPrefix(pageFolder),
        target.utf8.dropFirst(pageFolder.utf8.count).first == ASCII.slash,
        !target.utf8.dropFirst(pageFolder.utf8.count + 1).contains(ASCII.slash)
    {
        return String(target.utf8.dropFirst(pageFolder.utf8.count + 1))!
    }
    let depth = page.utf8.reduce(0) { $0 + ($1 == ASCII.slash ? 1 : 0) }
    if depth == 0 { return target }
    if depth == 1, !target.hasPrefix(pageFolder + "/") { return "../" + target }
    let fromParts = page.split(separator: "/").dropLast()
    let toParts = target.split(separator: "/")
    var common = 0
    while common < fromParts.count, common < toParts.count - 1,
        fromParts[fromParts.startIndex + common] == toParts[common]
    {
        common += 1
    }
    let ups = Array(repeating: "..", count: fromParts.count - common)
    let rest = toParts[common...].map(String.init)
    return (ups + rest).joined(separator: "/")
}

/// The prefix that leads from a page back to the site root ("" or "../").
public func rootPrefix(of page: String) -> String {
    String(repeating: "../", count: page.split(separator: "/").count - 1)
}

extension SectionSource {
    public var page: PageID { .section(slug, in: folder) }
}
