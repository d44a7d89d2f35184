import CCmarkGFM
import Foundation
import PortalLoad
import PortalMarkdown
import PortalSupport

/// Link schemes authors write: `[armed policing](capability:armed-policing)`.
enum ReferenceScheme: String, CaseIterable {
    case capability, threat, section, table, para, board, operation, partner, edition
}

/// Where a Markdown body lives, to resolve its relative links and same-page fragments.
struct LinkContext {
    var body: ParsedBody
    var page: PageID
    /// Set for report sections: the paragraphs and headings `#...` fragments may point at.
    var section: String?
}

/// Everything the resolver knows about ids, for checking references and suggesting fixes.
struct ReferenceIndex {
    var sections: [String: (paragraphs: Set<Int>, headings: Set<String>, file: String)]
    var capabilities: [String: String]  // slug -> file
    var tables: Set<String>
    var registerEntries: [Register: Set<String>]
    var paragraphs: [Int: String]
    /// Sections with a paragraph number that could not be read (the file failed to load first, or
    /// a number such as `1e3.`): any number may be theirs, so none is reported unknown (the
    /// file's own error says why).
    var unread: Set<String> = []
    /// Every section that failed to load: its heading ids are not known for certain, so
    /// fragments into it are not checked.
    var unloaded: Set<String> = []

    /// The recorded editions this one may cite (`edition:2023-12/para:75`): for each, where each
    /// paragraph number's page is, from the site's root.
    var editions: [String: [Int: String]] = [:]

    /// Data files with errors (`Content/data/boards.yaml`): ids they should define are not
    /// reported unknown while they do.
    var failedData: Set<String> = []

    func mayBeMissing(_ kind: Register) -> Bool { failedData.contains(SitePath.data(kind.file)) }
    func mayBeMissing(table id: String) -> Bool {
        failedData.contains(SitePath.table(id, "csv")) || failedData.contains(SitePath.table(id, "yaml"))
    }

    /// Whether fragments into a section are checked: not when it has errors that hide its ids.
    func checksFragments(of slug: String) -> Bool { !unloaded.contains(slug) && !unread.contains(slug) }

    /// Paragraphs whose numbers were not read (each one an error) still count as there, or as
    /// anywhere in their section when their number cannot be told.
    mutating func registerLost(in sources: [SectionSource]) {
        for source in sources {
            for number in source.body.lostParagraphs {
                guard let number else {
                    unread.insert(source.slug)
                    continue
                }
                sections[source.slug]?.paragraphs.insert(number)
                if paragraphs[number] == nil { paragraphs[number] = source.slug }
            }
        }
    }

    /// Sources that failed to load still answer for their slugs and what numbers and headings
    /// could be read, so one broken front matter line is one error, not one per reference.
    mutating func register(_ failed: [UnloadedSource]) {
        for source in failed {
            guard source.isSection else {
                capabilities[source.slug] = capabilities[source.slug] ?? source.file
                continue
            }
            guard sections[source.slug] == nil else { continue }
            unloaded.insert(source.slug)
            guard let body = source.body else {
                unread.insert(source.slug)
                sections[source.slug] = ([], [], source.file)
                continue
            }
            var ids = UniqueIDs()
            sections[source.slug] = (
                Set(body.paragraphs.map(\.number)), Set(body.headings.map { ids.claim($0.baseID) }), source.file
            )
            for paragraph in body.paragraphs where paragraphs[paragraph.number] == nil {
                paragraphs[paragraph.number] = source.slug
            }
        }
    }

    /// The page of a known section: its URL folder is the content folder of its file.
    func sectionPage(_ slug: String) -> PageID {
        .section(slug, in: sections[slug].flatMap { sectionFolder(ofPath: $0.file) } ?? "threats")
    }
}

struct ResolvedLinks {
    var targets: [LinkTarget?] = []
    /// In link order; the resolver gathers every body's into one table.
    var citations: [(thing: CitedThing, citation: Citation)] = []
    var diagnostics: [Diagnostic] = []
    var count = 0
}

/// Resolves every link and image of a body from the facts parsing read off cmark's tree.
func resolveLinks(in context: LinkContext, index: ReferenceIndex) -> ResolvedLinks {
    var result = ResolvedLinks()
    for link in context.body.links {
        switch resolveReference(link.url, isImage: link.isImage, context: context, index: index, at: link.location) {
        case .failure(let diagnostic):
            result.diagnostics.append(diagnostic)
            result.targets.append(nil)
        case .success(let (target, thing)):
            result.targets.append(target)
            result.count += 1
            if link.isImage, !link.hasText {
                result.diagnostics.append(
                    .warning(
                        "image-alt-missing", "image has no alternative text",
                        hint: "write a short description between the brackets: ![description](...)", at: link.location))
            }
            if let thing {
                result.citations.append(
                    (thing, Citation(page: context.page, paragraph: link.paragraph, location: link.location)))
            }
        }
    }
    return result
}

/// Resolves one link destination. Returns the target and the thing it cites, if any (for
/// backlinks). Reads the address as UTF-8: a large report has a hundred thousand links.
func resolveReference(
    _ url: String, isImage: Bool, context: LinkContext, index: ReferenceIndex, at location: SourceLocation
) -> Result<(LinkTarget, CitedThing?), Diagnostic> {
    if url.utf8.first == ASCII.hash {
        return resolveSamePage(fragment: String(url.dropFirst()), context: context, index: index, at: location)
    }
    guard let colon = url.utf8.firstIndex(of: ASCII.colon), isScheme(url[..<colon]) else {
        return resolveRelative(url, context: context, index: index, at: location)
    }
    let written = url[..<colon]
    let schemeName = written.utf8.contains(where: isASCIIUppercase) ? written.lowercased() : String(written)
    if externalSchemes.contains(schemeName) {
        if isImage {
            return .failure(
                .error(
                    "external-image", "images must not load from outside the site",
                    hint: "intranet pages load nothing from outside; link to it instead", at: location))
        }
        return .success((.external(url), nil))
    }
    guard let scheme = ReferenceScheme(rawValue: schemeName) else {
        return .failure(
            .error(
                "unknown-scheme", "unknown link scheme '\(schemeName):'",
                hint: didYouMean(schemeName, in: ReferenceScheme.allCases.map(\.rawValue) + ["https"]), at: location))
    }
    if isImage && scheme != .table {
        return .failure(
            .error(
                "invalid-embed", "only tables can be embedded with ![...](table:id)",
                hint: "use a link [text](\(url)) instead", at: location))
    }
    let (id, fragment) = schemeTarget(url[url.index(after: colon)...])
    return resolveScheme(scheme, id: id, fragment: fragment, isImage: isImage, index: index, at: location)
}

/// `#fragment`: checked against this section's ids when it has them for certain.
private func resolveSamePage(
    fragment: String, context: LinkContext, index: ReferenceIndex, at location: SourceLocation
) -> Result<(LinkTarget, CitedThing?), Diagnostic> {
    if let section = context.section, let info = index.sections[section], index.checksFragments(of: section),
        let problem = checkFragment(fragment, in: info, page: "this page", at: location)
    {
        return .failure(problem)
    }
    return .success((.fragment(fragment), nil))
}

/// What follows `scheme:`: the id, percent-decoded, and the fragment after a `#`.
private func schemeTarget(_ written: Substring) -> (id: String, fragment: String?) {
    var id = String(written)
    var fragment: String?
    if let hash = id.utf8.firstIndex(of: ASCII.hash) {
        fragment = String(id[id.index(after: hash)...])
        id = String(id[..<hash])
    }
    if id.utf8.contains(ASCII.percent) { id = id.removingPercentEncoding ?? id }
    return (id, fragment)
}

/// `section:`, `capability:`, `table:`, `para:`, `edition:` and the registers' schemes, each
/// checked against what the site has.
private func resolveScheme(
    _ scheme: ReferenceScheme, id rest: String, fragment: String?, isImage: Bool, index: ReferenceIndex,
    at location: SourceLocation
) -> Result<(LinkTarget, CitedThing?), Diagnostic> {
    switch scheme {
    case .threat, .section:
        guard let info = index.sections[rest] else {
            return .failure(unknown("section", rest, in: Array(index.sections.keys), at: location))
        }
        if let fragment, index.checksFragments(of: rest),
            let problem = checkFragment(fragment, in: info, page: rest, at: location)
        {
            return .failure(problem)
        }
        return .success((.page(index.sectionPage(rest), fragment: fragment), .section(rest)))
    case .capability:
        guard index.capabilities[rest] != nil else {
            return .failure(unknown("capability", rest, in: Array(index.capabilities.keys), at: location))
        }
        if let fragment {
            return .failure(noFragment("capability", fragment, at: location))
        }
        return .success((.page(.capability(rest), fragment: nil), .capability(rest)))
    case .table:
        guard index.tables.contains(rest) else {
            if index.mayBeMissing(table: rest) { return .success((.page(.table(rest), fragment: nil), nil)) }
            return .failure(unknown("table", rest, in: Array(index.tables), at: location))
        }
        if let fragment { return .failure(noFragment("table", fragment, at: location)) }
        return .success((isImage ? .embedTable(rest) : .page(.table(rest), fragment: nil), .table(rest)))
    case .para:
        return resolveParagraph(rest, fragment: fragment, index: index, at: location)
    case .edition:
        if let fragment { return .failure(noFragment("edition", fragment, at: location)) }
        return resolveEditionReference(rest, index: index, at: location)
    case .board, .operation, .partner:
        return resolveRegisterEntry(
            Register(rawValue: scheme.rawValue)!, rest, fragment: fragment, index: index, at: location)
    }
}

/// `para:75` or `para:p75`.
private func paragraphNumber(_ written: String) -> Int? {
    Int(written.hasPrefix("p") ? String(written.dropFirst()) : written)
}

/// `para:N`: the section that has paragraph N, or, while a section's numbers could not be read,
/// that section.
private func resolveParagraph(
    _ rest: String, fragment: String?, index: ReferenceIndex, at location: SourceLocation
) -> Result<(LinkTarget, CitedThing?), Diagnostic> {
    if let number = paragraphNumber(rest), index.paragraphs[number] == nil, let section = index.unread.first {
        return .success((.page(index.sectionPage(section), fragment: "p\(number)"), nil))
    }
    guard let number = paragraphNumber(rest), let section = index.paragraphs[number] else {
        return .failure(
            .error(
                "unknown-paragraph", "there is no paragraph \(rest) in the report",
                hint: "paragraph references are numbers such as 'para:12'", at: location))
    }
    if let fragment { return .failure(noFragment("paragraph", fragment, at: location)) }
    return .success((.page(index.sectionPage(section), fragment: "p\(number)"), .section(section)))
}

/// `board:id`, `operation:id`, `partner:id`: an entry of that register.
private func resolveRegisterEntry(
    _ kind: Register, _ rest: String, fragment: String?, index: ReferenceIndex, at location: SourceLocation
) -> Result<(LinkTarget, CitedThing?), Diagnostic> {
    let ids = index.registerEntries[kind] ?? []
    guard ids.contains(rest) else {
        if index.mayBeMissing(kind) { return .success((.page(.register(kind), fragment: nil), nil)) }
        return .failure(unknown(kind.rawValue, rest, in: Array(ids), at: location, file: SitePath.data(kind.file)))
    }
    if let fragment { return .failure(noFragment(kind.rawValue, fragment, at: location)) }
    return .success((.page(.register(kind), fragment: "\(kind.rawValue)-\(rest)"), .registerEntry(kind, rest)))
}

/// `edition:ID` (that edition's overview) or `edition:ID/para:N` (its paragraph N, as that
/// edition numbered it).
private func resolveEditionReference(_ rest: String, index: ReferenceIndex, at location: SourceLocation)
    -> Result<(LinkTarget, CitedThing?), Diagnostic>
{
    let parts = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
    let id = String(parts[0])
    guard let paragraphs = index.editions[id] else {
        let known = index.editions.keys.sorted()
        return .failure(
            .error(
                "unknown-edition", "there is no recorded edition '\(id)' before this one",
                hint: didYouMean(id, in: known)
                    ?? (known.isEmpty
                        ? "record an edition with 'portal edition ID' before citing it"
                        : "recorded before this one: \(known.joined(separator: ", "))"),
                at: location))
    }
    let folder = "editions/\(id)/"
    guard parts.count == 2 else { return .success((.edition(folder + PageID.home.path, fragment: nil), nil)) }
    let target = parts[1]
    let digits =
        target.hasPrefix("para:p") ? target.dropFirst(6) : target.hasPrefix("para:") ? target.dropFirst(5) : nil
    guard let digits, let number = Int(digits) else {
        return .failure(
            .error(
                "invalid-edition-reference", "cannot read '\(target)' in 'edition:\(rest)'",
                hint: "cite a paragraph of an edition as 'edition:\(id)/para:75', or the edition as 'edition:\(id)'",
                at: location))
    }
    guard let page = paragraphs[number] else {
        return .failure(
            .error(
                "unknown-paragraph", "edition '\(id)' has no paragraph \(number)",
                hint: "paragraph numbers are those of that edition: see editions/\(id)/", at: location))
    }
    return .success((.edition(folder + page, fragment: "p\(number)"), nil))
}

private func isScheme(_ text: Substring) -> Bool {
    guard let first = text.unicodeScalars.first, ("a"..."z").contains(first) || ("A"..."Z").contains(first) else {
        return false
    }
    return text.unicodeScalars.allSatisfy {
        ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "+" || $0 == "-"
            || $0 == "."
    }
}

private func checkFragment(
    _ fragment: String, in info: (paragraphs: Set<Int>, headings: Set<String>, file: String), page: String,
    at location: SourceLocation
) -> Diagnostic? {
    if fragment.isEmpty || fragment == "top" { return nil }
    if fragment.first == "p", let number = Int(fragment.dropFirst()) {
        if info.paragraphs.contains(number) { return nil }
        return .error(
            "unknown-paragraph", "paragraph \(number) is not on \(page)",
            hint: "use 'para:\(number)' to link a paragraph wherever it is", at: location)
    }
    if info.headings.contains(fragment) { return nil }
    return .error(
        "unknown-fragment", "'#\(fragment)' is not a paragraph or heading on \(page)",
        hint: didYouMean(fragment, in: Array(info.headings), listing: false) ?? "paragraph anchors look like '#p75'",
        at: location)
}

private func unknown(
    _ what: String, _ id: String, in candidates: [String], at location: SourceLocation, file: String? = nil
)
    -> Diagnostic
{
    .error(
        "unknown-reference", "unknown \(what) '\(id)'",
        hint: didYouMean(id, in: candidates) ?? (file.map { "add it to \($0)" }), at: location)
}

private func noFragment(_ what: String, _ fragment: String, at location: SourceLocation) -> Diagnostic {
    .error(
        "unknown-fragment", "a \(what) reference cannot have a fragment ('#\(fragment)')",
        hint: "remove '#\(fragment)'", at: location)
}

/// Relative links to other Markdown files (`../capabilities/jesip.md`) become links to their pages.
private func resolveRelative(_ url: String, context: LinkContext, index: ReferenceIndex, at location: SourceLocation)
    -> Result<(LinkTarget, CitedThing?), Diagnostic>
{
    var path = url
    var fragment: String?
    if let hash = path.firstIndex(of: "#") {
        fragment = String(path[path.index(after: hash)...])
        path = String(path[..<hash])
    }
    if path.contains("%") { path = path.removingPercentEncoding ?? path }
    guard path.hasSuffix(".md"), !path.hasPrefix("/") else {
        return .failure(
            .error(
                "invalid-link", "cannot resolve link '\(url)'",
                hint: "link pages with a scheme such as 'capability:armed-policing' or a relative '.md' path",
                at: location))
    }
    let directory = (context.body.file as NSString).deletingLastPathComponent
    let target = normalisePath(directory + "/" + path)
    // A page's file name is its slug, so the target is found without scanning every page.
    let targetSlug = slug(ofFile: target)
    if let info = index.sections[targetSlug], info.file == target {
        let slug = targetSlug
        if let fragment, index.checksFragments(of: slug),
            let problem = checkFragment(fragment, in: info, page: slug, at: location)
        {
            return .failure(problem)
        }
        return .success((.page(index.sectionPage(slug), fragment: fragment), .section(slug)))
    }
    if index.capabilities[targetSlug] == target {
        let slug = targetSlug
        if let fragment { return .failure(noFragment("capability", fragment, at: location)) }
        return .success((.page(.capability(slug), fragment: nil), .capability(slug)))
    }
    return .failure(
        .error(
            "unknown-reference", "no page is built from '\(target)'",
            hint: "check the path; links are relative to \(context.body.file)", at: location))
}

/// Resolves `.` and `..` in a slash-separated path.
func normalisePath(_ path: String) -> String {
    var parts: [Substring] = []
    for part in path.split(separator: "/") {
        if part == "." || part.isEmpty { continue }
        if part == ".." {
            if !parts.isEmpty { parts.removeLast() }
            continue
        }
        parts.append(part)
    }
    return parts.joined(separator: "/")
}
