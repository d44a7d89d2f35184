import Foundation
import PortalBuild
import PortalLoad
import PortalSupport

/// What `portal new` can create.
public enum ScaffoldKind: String, Sendable, CaseIterable {
    /// `section` writes to `Content/sections/`, `threat` to `Content/threats/` (the SPR layout).
    case section, threat, capability, table
}

/// Files created, relative to the site root, and what the author should do next.
public struct ScaffoldResult: Sendable {
    public var created: [String]
    public var next: [String]
}

public struct ScaffoldError: Error, Sendable, CustomStringConvertible {
    /// A name that makes no slug is a usage error; anything else is not.
    public var isUsage: Bool
    public var message: String
    public var hint: String
    public var description: String { "error: \(message) (\(hint))" }
}

/// `portal new`: writes a file (two for a table) with valid front matter and a short template
/// that builds as it is, using the next free section order and paragraph number. Never
/// overwrites: if any file it would write exists, it writes none.
public func scaffold(_ kind: ScaffoldKind, name rawName: String, root: URL) -> Result<ScaffoldResult, ScaffoldError> {
    let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
    let slug = slugify(name)
    guard !slug.isEmpty else {
        return .failure(
            ScaffoldError(
                isUsage: true, message: "'\(rawName)' has no letters or digits to make a file name from",
                hint: "give a name such as \"Roads Safety\""))
    }
    let facts: SiteFacts
    switch SiteFacts.read(root: root) {
    case .failure(let error): return .failure(error)
    case .success(let value): facts = value
    }

    let files: [(path: String, text: String)]
    let next: [String]
    switch kind {
    case .section, .threat:
        let path = SitePath.inContent("\(kind == .section ? "sections" : "threats")/\(slug).md")
        files = [
            (
                path,
                sectionTemplate(
                    title: name, order: facts.nextOrder, paragraph: facts.nextParagraph, kinds: facts.kinds,
                    kind: kind == .threat && facts.kinds.contains("threat") ? "threat" : facts.kinds.first ?? "threat")
            )
        ]
        next = [
            "write the section's numbered paragraphs in \(path) (its first is \(facts.nextParagraph), its order "
                + "\(facts.nextOrder)), link it from others with [text](section:\(slug))",
            "preview with 'portal serve', then run 'portal check'",
        ]
    case .capability:
        let path = SitePath.capabilities + "/\(slug).md"
        files = [(path, capabilityTemplate(title: name))]
        next = [
            "cite it from the numbered paragraphs that rely on it: [\(name.lowercased())](capability:\(slug)); "
                + "until one does, the build warns that no paragraph cites it",
            "preview with 'portal serve', then run 'portal check'",
        ]
    case .table:
        let csv = SitePath.table(slug, "csv")
        let sidecar = SitePath.table(slug, "yaml")
        files = [
            (csv, tableCSVTemplate), (sidecar, tableSidecarTemplate(caption: name, paragraph: facts.lastParagraph)),
        ]
        next = [
            "put the report's figures in \(csv) and set 'paragraphs' in \(sidecar) to where the report states them",
            "draw it inside a paragraph with ![\(name)](table:\(slug)) on a line of its own",
            "preview with 'portal serve', then run 'portal check'",
        ]
    }

    return writeNewFiles(files, root: root, ifExists: "edit that file, or choose another name").map {
        ScaffoldResult(created: $0, next: next)
    }
}

/// Writes files that must all be new: if any is there already, none is written; if one cannot
/// be written, those written before it are removed again, so nothing is left half-made (a table
/// is its CSV and its sidecar together, a new site all its files).
func writeNewFiles(_ files: [(path: String, text: String)], root: URL, ifExists hint: String) -> Result<
    [String], ScaffoldError
> {
    let manager = FileManager.default
    if let existing = files.first(where: { manager.fileExists(atPath: root.appendingPathComponent($0.path).path) }) {
        return .failure(
            ScaffoldError(isUsage: false, message: "\(existing.path) already exists; nothing was created", hint: hint))
    }
    var created: [String] = []
    for file in files {
        let url = root.appendingPathComponent(file.path)
        do {
            try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            // Fails rather than replaces if the file appeared since the check above.
            try Data(file.text.utf8).write(to: url, options: .withoutOverwriting)
            created.append(file.path)
        } catch {
            for path in created { try? manager.removeItem(at: root.appendingPathComponent(path)) }
            return .failure(
                ScaffoldError(
                    isUsage: false, message: "could not write \(root.path)/\(file.path): \(plainMessage(error))",
                    hint: "check that the folder exists and you may write to it"))
        }
    }
    return .success(created)
}

/// What the templates need to fit into the site: numbers that are free.
private struct SiteFacts {
    var nextOrder: Int
    var nextParagraph: Int
    var lastParagraph: Int?
    var kinds: [String]

    static func read(root: URL) -> Result<SiteFacts, ScaffoldError> {
        let (site, diagnostics) = loadSite(folders: SiteFolders(root: root))
        guard let site else {
            let first = diagnostics.errors.first
            return .failure(
                ScaffoldError(
                    isUsage: false,
                    message:
                        "cannot read the site: \(first.map { "\($0.location): \($0.message)" } ?? "unknown error")",
                    hint: first?.hint ?? "run 'portal check' to see every problem"))
        }
        let orders = site.sections.map(\.order.value)
        let paragraphs = site.sections.flatMap { $0.body.paragraphs.map(\.number) }
        return .success(
            SiteFacts(
                nextOrder: (orders.max() ?? 0) + 1, nextParagraph: (paragraphs.max() ?? 0) + 1,
                lastParagraph: paragraphs.max(), kinds: site.config.sectionKinds.map(\.id)))
    }
}

/// A YAML double-quoted scalar, so any title (colons, quotes, hashes) stays one string.
private func yamlQuoted(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}

private func sectionTemplate(title: String, order: Int, paragraph: Int, kinds: [String], kind: String) -> String {
    let indent = String(repeating: " ", count: "\(paragraph). ".count)
    return """
        ---
        title: \(yamlQuoted(title))
        order: \(order)  # place in the report: sections are listed in this order
        kind: \(kind)  # one of the site's section_kinds: \(kinds.joined(separator: ", "))
        summary: "One sentence: the board's question, or what the report says about this section."
        # lead: "the lead officer's role"  # only if the report names one
        # boards: [board-id]  # ids from Content/data/boards.yaml
        # capabilities: [capability-slug]  # what this section relies on, from Content/capabilities/
        ---

        \(paragraph). Replace this with the report's first paragraph on this subject, numbered as the report
        \(indent)numbers it; paragraph numbers are unique across the report. Link what it relies on with
        \(indent)`[text](capability:slug)` and cite other paragraphs with `[paragraph 1](para:1)`.

        """
}

private func capabilityTemplate(title: String) -> String {
    """
    ---
    title: \(yamlQuoted(title))
    summary: "One sentence of what the report says about this capability."
    # level: local  # one of the site's capability_levels, only where the report says
    # threats: [section-slug]  # the sections that rely on it
    # figures:  # figures the report states, with the paragraph that states each
    #   - {label: Officers trained, value: 100, target: 120, target_label: establishment, paragraph: 1}
    ---

    Optional short narrative. The page lists every paragraph that cites this capability by itself.

    """
}

private let tableCSVTemplate = """
    Measure,First area,Second area,Total
    First measure,1,2,3
    Second measure,4,5,9

    """

private func tableSidecarTemplate(caption: String, paragraph: Int?) -> String {
    let paragraphs = paragraph.map { "[\($0)]" } ?? "[]"
    return """
        caption: \(yamlQuoted(caption))
        paragraphs: \(paragraphs)  # the report paragraphs that state these figures
        units: {}  # e.g. {Rate: "%", Amount: "£"}
        totals:  # checked on every build
          - column: Total  # in every row, Total = First area + Second area
            sum_of: [First area, Second area]

        """
}
