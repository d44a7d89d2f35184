import Foundation
import PortalMarkdown
import PortalSupport

/// Load stage: reads `Content/` and the theme under a site root. Parses only; cross-checks are
/// the resolver's job. Every problem becomes a diagnostic so an author sees them all at once.
/// `edition`: load a recorded edition (its folder as `folders.root`) with the current theme and
/// its recorded dates instead of git's. `cache`: where the last build's load results are kept
/// (`LoadCache`); nil parses every file.
public func loadSite(
    folders: SiteFolders, progress: (@Sendable (BuildProgress) -> Void)? = nil, edition: EditionLoad? = nil,
    cache: LoadCache? = nil
) -> (LoadedSite?, [Diagnostic]) {
    loadSite(folders: folders, progress: progress, edition: edition, cache: cache, content: nil)
}

/// `content`: the walk of `Content/` the build already made for its stamps, so the files loaded
/// are the files stamped (nil: walked here).
package func loadSite(
    folders: SiteFolders, progress: (@Sendable (BuildProgress) -> Void)?, edition: EditionLoad?, cache: LoadCache?,
    content walked: ContentFiles?
) -> (LoadedSite?, [Diagnostic]) {
    let root = folders.root
    guard FileManager.default.fileExists(atPath: folders.fullPath(SitePath.siteFile)) else {
        return (
            nil,
            [
                .error(
                    "no-site", "no \(SitePath.siteFile) under \(root.path)", hint: SitePath.noSiteHint,
                    at: SourceLocation(file: SitePath.siteFile))
            ]
        )
    }
    // One walk of Content/ decides which files may be read at all; nothing else is opened.
    let content = walked ?? ContentFiles(root: root)
    return loadSite(folders: folders, content: content, edition: edition) { environment in
        loadSources(
            content.markdown, root: root, environment: environment,
            session: { cache?.session(environment: environment.fingerprint, paths: content.markdown) },
            progress: progress, history: { edition?.history ?? GitHistory.load(root: root.path) })
    }
}

/// Everything but the Markdown sources, which `sources` loads once the data they are parsed
/// with is known.
func loadSite(
    folders: SiteFolders, content: ContentFiles, edition: EditionLoad?,
    sources load: (SourceEnvironment) -> LoadedSources
) -> (LoadedSite?, [Diagnostic]) {
    let root = folders.root
    var diagnostics = content.diagnostics
    let config = loadConfig(root: root, files: content, diagnostics: &diagnostics)
    // Data files first: parsing Markdown uses the glossary (acronyms) and the operation names.
    let data = loadDataFiles(root: root, config: config, files: content, diagnostics: &diagnostics)
    // The tables and the Markdown sources do not depend on each other: side by side.
    let (tableFiles, refused) = (content.names(in: SitePath.tables), content.refused)
    let (sources, (tables, tableProblems)) = concurrently(
        { load(data.environment) },
        {
            var problems: [Diagnostic] = []
            return (loadTables(root: root, files: tableFiles, refused: refused, diagnostics: &problems), problems)
        })
    diagnostics += tableProblems + sources.diagnostics

    var theme: Theme?
    if let config {
        let (loaded, problems) = loadTheme(root: edition?.themeRoot ?? root, name: edition?.theme ?? config.theme)
        theme = loaded
        diagnostics += problems
    }
    guard let config, let theme else {
        // Every way of failing here reports why; should one not, the build must still not pass as fine.
        if diagnostics.hasErrors { return (nil, diagnostics) }
        return (
            nil,
            diagnostics + [
                .error(
                    "site-load-failed", "the site could not be loaded",
                    hint: "check \(SitePath.siteFile) and the theme it names",
                    at: SourceLocation(file: SitePath.siteFile, line: 1, column: 1))
            ]
        )
    }
    let failedData = failedDataFiles(&diagnostics)
    var site = LoadedSite(
        folders: folders, config: config, sections: sources.sections, capabilities: sources.capabilities,
        glossary: data.glossary, registerEntries: data.registerEntries, commitments: data.commitments, tables: tables,
        theme: theme, unloaded: sources.unloaded)
    site.failedDataFiles = failedData
    site.history = sources.history
    return (site, diagnostics)
}

/// The section and capability files, read and parsed on every core (through the load cache when
/// there is one), sorted by what they turned out to be.
struct LoadedSources {
    var sections: [SectionSource] = []
    var capabilities: [CapabilitySource] = []
    var unloaded: [UnloadedSource] = []
    var diagnostics: [Diagnostic] = []
    var history: GitHistory
}

/// `history`: git's log, run beside the parse: its process mostly waits, and Render needs only
/// its result.
func loadSources(
    _ files: [String], root: URL, environment: SourceEnvironment, session: @escaping @Sendable () -> LoadCacheSession?,
    progress: (@Sendable (BuildProgress) -> Void)?, history: @escaping @Sendable () -> GitHistory
) -> LoadedSources {
    let counter = progress.map { ProgressCounter(stage: "reading", total: files.count, report: $0) }
    let (parsed, log) = concurrently(
        {
            let session = session()
            defer { session?.finish() }
            return parallelMap(files, progress: counter) {
                loadSource(root: root, path: $0, environment: environment, cache: session)
            }
        }, history)
    var sources = LoadedSources(history: log)
    for (path, item) in zip(files, parsed) {
        sources.diagnostics += item.diagnostics
        switch item.value {
        case .section(let section)?: sources.sections.append(section)
        case .capability(let capability)?: sources.capabilities.append(capability)
        case nil: sources.unloaded.append(unloadedSource(root: root, path: path, environment: environment))
        }
    }
    return sources
}

/// The data files that failed with an error. What a broken data file should have defined is not
/// reported missing as well: without the glossary or operation names, no acronym warnings.
private func failedDataFiles(_ diagnostics: inout [Diagnostic]) -> Set<String> {
    let failed = Set(
        diagnostics.filter { $0.severity == .error && $0.location.file.hasPrefix(SitePath.data + "/") }.map(
            \.location.file)
    )
    if !failed.isDisjoint(with: [SitePath.glossary, SitePath.data(Register.operation.file)]) {
        diagnostics.removeAll { $0.code == "acronym-missing" }
    }
    return failed
}

/// What can be read of a source that failed to load: its body, unless the front matter could
/// not be split off. Read again only for failed files, and its problems already reported.
private func unloadedSource(root: URL, path: String, environment: SourceEnvironment) -> UnloadedSource {
    let isSection = sectionFolder(ofPath: path) != nil
    var body: ParsedBody?
    if case .success(let source) = readText(root: root, path: path),
        case .success(let split) = splitFrontMatter(source.text, file: path)
    {
        body = parseBody(
            split.body, file: path, firstLine: split.bodyFirstLine, numbered: isSection,
            environment: environment.body)
    }
    return UnloadedSource(file: path, slug: slug(ofFile: path), isSection: isSection, body: body)
}

/// The outcome of reading one file: a value or not, plus what was wrong with it.
package struct Loaded<Value> {
    package var value: Value?
    package var diagnostics: [Diagnostic]
}

extension Loaded: Sendable where Value: Sendable {}

/// The files under `Content/` the load may read: walked once without leaving the folder (see
/// `FolderWalk`), with an error or warning for each file portal would otherwise pass over without
/// a word: Markdown saved as `.MD` or `.markdown`, data files it does not know, files in folders
/// it does not read.
package struct ContentFiles: Sendable {
    private(set) var files: Set<String> = []
    /// Section files, then capability files, as paths relative to the root; each part sorted
    /// (as the walk lists them).
    package private(set) var markdown: [String] = []
    private var sectionCount = 0
    private(set) var diagnostics: [Diagnostic] = []
    /// Paths the walk refused with an error, so nothing reports them a second time as missing.
    var refused: Set<String> { Set(diagnostics.filter { $0.severity == .error }.map(\.location.file)) }

    static let dataFiles = ["glossary.yaml", "commitments.yaml"] + Register.allCases.map(\.file)

    package init(root: URL) {
        let walk = FolderWalk(root: root, folder: SitePath.content)
        diagnostics = walk.diagnostics
        var sections: [String] = []
        var capabilities: [String] = []
        for path in walk.files {
            // Most files are pages: sorted out by plain string tests, without splitting the path
            // (a no-op build of a 50,000-page site walks them all).
            if path.hasSuffix(".md") {
                if let folder = sectionFolder(ofPath: path),
                    !path.utf8.dropFirst(SitePath.content.utf8.count + folder.utf8.count + 2).contains(ASCII.slash)
                {
                    sections.append(path)
                    continue
                }
                if path.hasPrefix(SitePath.capabilities + "/")
                    && !path.dropFirst(SitePath.capabilities.count + 1).contains("/")
                {
                    capabilities.append(path)
                    continue
                }
            }
            if let problem = classify(path) {
                diagnostics.append(problem)
            } else {
                files.insert(path)
            }
        }
        markdown = sections + capabilities
        sectionCount = sections.count
        // A folder where a file portal reads should be: otherwise that file would seem absent.
        for path in [SitePath.siteFile] + Self.dataFiles.map(SitePath.data) {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root.path + "/" + path, isDirectory: &isDirectory),
                isDirectory.boolValue
            {
                diagnostics.append(
                    .error(
                        "not-a-file", "'\(path)' is a folder, not a file",
                        hint: "a file is expected here: move the folder away", at: SourceLocation(file: path)))
            }
        }
    }

    /// Why a file that is not a page is not read, or nil if it is one portal reads.
    private func classify(_ path: String) -> Diagnostic? {
        let (folder, name) = splitPath(path)
        let extensionName = name.lastIndex(of: ".").map { String(name[name.index(after: $0)...]) } ?? ""
        switch folder {
        case SitePath.content where name == "site.yaml": return nil
        case SitePath.capabilities,
            _ where sectionFolders.contains(where: { folder == SitePath.inContent($0) }):
            if ["md", "markdown", "mdown", "mkd"].contains(extensionName.lowercased()) {
                return misnamed(path, as: "md")
            }
            return unexpected(path, "only .md files in \(folder)/ are pages")
        case SitePath.data where Self.dataFiles.contains(name): return nil
        case SitePath.data:
            return .warning(
                "unexpected-file", "'\(path)' is not a data file portal reads, so it is not used",
                hint: didYouMean(name, in: Self.dataFiles)
                    ?? "data files are \(Self.dataFiles.joined(separator: ", "))",
                at: SourceLocation(file: path))
        case SitePath.tables:
            if extensionName == "csv" || extensionName == "yaml" { return nil }
            if ["csv", "yaml", "yml"].contains(extensionName.lowercased()) {
                return misnamed(path, as: extensionName.lowercased() == "csv" ? "csv" : "yaml")
            }
            return unexpected(path, "tables are a .csv file and its .yaml sidecar")
        default:
            return unexpected(
                path,
                "\(SitePath.content)/ holds site.yaml and the folders sections/ (or threats/), capabilities/ and data/")
        }
    }

    func contains(_ path: String) -> Bool { files.contains(path) }

    /// Where `path` is in `markdown`: a binary search of the part it would be in.
    package func position(of path: String) -> Int? {
        func search(_ range: Range<Int>) -> Int? {
            var (low, high) = (range.lowerBound, range.upperBound)
            while low < high {
                let middle = (low + high) / 2
                if markdown[middle] < path { low = middle + 1 } else { high = middle }
            }
            return low < range.upperBound && markdown[low] == path ? low : nil
        }
        return search(0..<sectionCount) ?? search(sectionCount..<markdown.count)
    }

    /// Every file Load may read but the Markdown sources (site.yaml, data, tables), sorted.
    package var readable: [String] { files.sorted() }

    /// The names of the readable files directly in a folder, sorted.
    func names(in folder: String) -> [String] {
        files.map(splitPath).filter { $0.folder == folder }.map(\.name).sorted()
    }
}

/// A walked path's folder and name (`Content/data/x.yaml`: `Content/data`, `x.yaml`), without
/// Foundation's path parsing, which was a tenth of the walk of a 10,000-page site.
private func splitPath(_ path: String) -> (folder: String, name: String) {
    guard let slash = path.lastIndex(of: "/") else { return ("", path) }
    return (String(path[..<slash]), String(path[path.index(after: slash)...]))
}

private func misnamed(_ path: String, as extensionName: String) -> Diagnostic {
    let renamed = ((path as NSString).deletingPathExtension as NSString).lastPathComponent + "." + extensionName
    return .error(
        "wrong-extension", "'\(path)' is not read: portal reads only files ending in .\(extensionName)",
        hint: "rename it to \(renamed)", at: SourceLocation(file: path))
}

private func unexpected(_ path: String, _ why: String) -> Diagnostic {
    .warning(
        "unexpected-file", "'\(path)' is not part of the site and is not used",
        hint: "\(why); move or delete it", at: SourceLocation(file: path))
}

private func readText(root: URL, path: String) -> Result<SourceFile, Diagnostic> {
    SourceFile.read(fullPath: root.path + "/" + path, path: path)
}

/// The data files, read before any Markdown because parsing uses them.
package struct DataFiles {
    var glossary: [GlossaryEntry]
    var registerEntries: [RegisterEntrySource]
    var commitments: [CommitmentSource]
    package var environment: SourceEnvironment
}

/// What every Markdown source is read with, from files read before any Markdown.
package struct SourceEnvironment: Sendable {
    var body: BodyEnvironment
    /// The ids of the site's section kinds; the first is the kind of a section without `kind:`.
    var sectionKinds: [String]
    var capabilityLevels: [String]
    /// Of everything above, by the inputs it is made from: the load cache's key for it.
    var fingerprint: UInt64
}

/// `files` is nil only for an incremental build, whose inputs a full build walked and vetted
/// and whose fingerprint says these files have not changed since.
package func loadDataFiles(root: URL, config: SiteConfig?, files: ContentFiles?, diagnostics: inout [Diagnostic])
    -> DataFiles
{
    func read<T>(_ name: String, _ what: String, _ entry: (inout FieldReader) -> T?) -> [T] {
        readDataFile(root: root, name: name, what: what, files: files, diagnostics: &diagnostics, entry)
    }
    let glossary = read("glossary.yaml", "glossary entry") { readGlossaryEntry(&$0) }
    var registerEntries: [RegisterEntrySource] = []
    for kind in Register.allCases {
        registerEntries += read(kind.file, "\(kind.rawValue) entry") { readRegisterEntry(&$0, register: kind) }
    }
    let commitments = read("commitments.yaml", "commitment") { readCommitment(&$0) }
    let sectionKinds = (config?.sectionKinds ?? SectionKind.defaults).map(\.id)
    let capabilityLevels = config?.capabilityLevels ?? SiteConfig.defaultLevels
    return DataFiles(
        glossary: glossary, registerEntries: registerEntries, commitments: commitments,
        environment: SourceEnvironment(
            body: bodyEnvironment(config: config, glossary: glossary, registerEntries: registerEntries),
            sectionKinds: sectionKinds, capabilityLevels: capabilityLevels,
            fingerprint: environmentFingerprint(
                config: config, glossary: glossary, registerEntries: registerEntries, sectionKinds: sectionKinds,
                capabilityLevels: capabilityLevels)))
}

/// What `bodyEnvironment` and the section and capability readers are made from, hashed: the
/// glossary (acronyms), the operations' ids and names, raw HTML allowed or not, the section
/// kinds and capability levels.
private func environmentFingerprint(
    config: SiteConfig?, glossary: [GlossaryEntry], registerEntries: [RegisterEntrySource], sectionKinds: [String],
    capabilityLevels: [String]
) -> UInt64 {
    var hasher = StableHasher()
    hasher.combine(config?.allowRawHTML == true ? "raw" : "escaped")
    for entry in glossary {
        hasher.combine(entry.term)
        hasher.combine(entry.expansion)
        hasher.combine(entry.paragraph.map { String($0.value) } ?? "-")
    }
    hasher.combine("operations")
    for entry in registerEntries where entry.register == .operation {
        hasher.combine(entry.id.value)
        hasher.combine(entry.name)
    }
    hasher.combine("kinds")
    for kind in sectionKinds { hasher.combine(kind) }
    hasher.combine("levels")
    for level in capabilityLevels { hasher.combine(level) }
    return hasher.value
}

/// The folders that hold report sections; each is also the URL folder of its pages. `sections`
/// is the neutral one `portal init` uses; `threats` is where the SPR report's sections live.
let sectionFolders = ["sections", "threats"]

/// The section folder a content path is in (`Content/threats/x.md` is in `threats`), if any.
package func sectionFolder(ofPath path: String) -> String? {
    sectionFolderPrefixes.first { path.hasPrefix($0.prefix) }?.folder
}

/// `Content/sections/` and `Content/threats/`, made once: every page of the walk is tested.
private let sectionFolderPrefixes = sectionFolders.map { (folder: $0, prefix: SitePath.inContent($0) + "/") }

/// Section files, then capability files, as paths relative to the root.
package func markdownSourceFiles(root: URL) -> [String] {
    ContentFiles(root: root).markdown
}

/// What the walks of `Content/` and of every theme found wrong, and the files inside linked
/// folders, as one fingerprint: an incremental build must notice a new link out of the site or
/// a stray file, which the stamps of the section files alone do not show.
package func walkFingerprint(root: URL, content: ContentFiles) -> String {
    var hasher = StableHasher()
    for diagnostic in content.diagnostics { hasher.combine(diagnostic.description) }
    let themes = (try? FileManager.default.contentsOfDirectory(atPath: root.path + "/" + SitePath.themes)) ?? []
    for theme in themes.sorted() {
        let walk = FolderWalk(root: root, folder: SitePath.theme(theme))
        for diagnostic in walk.diagnostics { hasher.combine(diagnostic.description) }
        for file in walk.files { hasher.combine(file) }
    }
    return hasher.hex
}

/// One section or capability file, loaded.
package enum SourceDocument: Sendable {
    case section(SectionSource)
    case capability(CapabilitySource)
}

/// Reads, parses and types one Markdown source. Used by full builds and by incremental builds
/// that re-read only the files that changed.
package func loadSource(root: URL, path: String, environment: SourceEnvironment) -> Loaded<SourceDocument> {
    loadSource(path: path, read: readText(root: root, path: path), environment: environment)
}

/// `read`: the file's text as read (or why it could not be), so the load cache reads a file once.
func loadSource(path: String, read: Result<SourceFile, Diagnostic>, environment: SourceEnvironment) -> Loaded<
    SourceDocument
> {
    let folder = sectionFolder(ofPath: path)
    let item = readMarkdown(read, path: path, numbered: folder != nil, environment: environment.body)
    var diagnostics = item.diagnostics
    guard let (front, body) = item.value else { return Loaded(value: nil, diagnostics: diagnostics) }
    diagnostics += body.diagnostics
    var hasher = StableHasher()
    front?.combine(into: &hasher)
    body.combineInterface(into: &hasher)
    if let folder {
        let section = readSection(
            front, body: body, path: path, folder: folder, kinds: environment.sectionKinds,
            interface: hasher.hex, diagnostics: &diagnostics)
        return Loaded(value: section.map { .section($0) }, diagnostics: diagnostics)
    }
    let capability = readCapability(
        front, body: body, path: path, levels: environment.capabilityLevels, interface: hasher.hex,
        diagnostics: &diagnostics)
    return Loaded(value: capability.map { .capability($0) }, diagnostics: diagnostics)
}

/// What every body is parsed with; built from files that are read before any Markdown.
func bodyEnvironment(config: SiteConfig?, glossary: [GlossaryEntry], registerEntries: [RegisterEntrySource])
    -> BodyEnvironment
{
    // Operation names written in capitals (Op VANGUARD) are names, not acronyms.
    let names = Set(
        registerEntries.filter { $0.register == .operation }.flatMap { entry in
            [entry.id.value.uppercased()] + entry.name.split(separator: " ").map { $0.uppercased() }
        })
    return BodyEnvironment(
        allowRawHTML: config?.allowRawHTML ?? false, abbreviations: AbbreviationIndex(glossary),
        knownAcronyms: Set(glossary.map(\.term)), names: names)
}

/// Reads a Markdown file: front matter as YAML, body parsed once by cmark into facts and HTML.
private func readMarkdown(
    _ read: Result<SourceFile, Diagnostic>, path: String, numbered: Bool, environment: BodyEnvironment
) -> Loaded<(YAMLNode?, ParsedBody)> {
    let source: SourceFile
    switch read {
    case .failure(let diagnostic): return Loaded(value: nil, diagnostics: [diagnostic])
    case .success(let file): source = file
    }
    if let empty = emptyFileDiagnostic(source, severity: .error) { return Loaded(value: nil, diagnostics: [empty]) }
    let split: FrontMatterSplit
    switch splitFrontMatter(source.text, file: path) {
    case .failure(let diagnostic): return Loaded(value: nil, diagnostics: [diagnostic])
    case .success(let value): split = value
    }
    var front: YAMLNode?
    var valueProblems: [Diagnostic] = []
    if let yaml = split.yaml {
        switch parseYAML(yaml, file: path, firstLine: split.yamlFirstLine, valueProblems: &valueProblems) {
        case .failure(let diagnostic): return Loaded(value: nil, diagnostics: [diagnostic])
        case .success(let node): front = node
        }
    }
    let body = parseBody(
        split.body, file: path, firstLine: split.bodyFirstLine, numbered: numbered, environment: environment)
    return Loaded(value: (front, body), diagnostics: valueProblems)
}

/// One diagnostic for a file with nothing but blanks in it (or, for YAML, comments), instead of
/// one per missing field.
func emptyFileDiagnostic(_ source: SourceFile, severity: Diagnostic.Severity) -> Diagnostic? {
    guard source.text.allSatisfy(\.isWhitespace) else { return nil }
    return Diagnostic(
        severity, "empty-file", "'\(source.path)' is empty",
        hint: source.path.hasSuffix(".md")
            ? "write its front matter (title, summary, ...) and text, or delete the file"
            : source.path.hasSuffix("site.yaml") ? "give the site at least a 'title: ...'" : "add to it or delete it",
        at: SourceLocation(file: source.path))
}

/// `Content/threats/serious-and-organised-crime.md` has the slug `serious-and-organised-crime`.
package func slug(ofFile path: String) -> String {
    ((path as NSString).lastPathComponent as NSString).deletingPathExtension
}

/// Slugs become file names and URL parts: keep them to lower-case letters, digits and hyphens.
func isValidSlug(_ slug: String) -> Bool {
    !slug.isEmpty && slug.first != "-" && slug.last != "-"
        && slug.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
}

private func checkSlug(_ slug: String, path: String, diagnostics: inout [Diagnostic]) -> Bool {
    if isValidSlug(slug) { return true }
    diagnostics.append(
        .error(
            "invalid-slug", "file name '\(slug)' is not a valid slug",
            hint: "rename the file using lower-case letters, digits and hyphens only",
            at: SourceLocation(file: path)))
    return false
}

private func readSection(
    _ front: YAMLNode?, body: ParsedBody, path: String, folder: String, kinds: [String], interface: String,
    diagnostics: inout [Diagnostic]
) -> SectionSource? {
    let slug = slug(ofFile: path)
    guard checkSlug(slug, path: path, diagnostics: &diagnostics) else { return nil }
    var reader = FieldReader(front, what: "front matter", at: SourceLocation(file: path))
    let title = reader.string("title", required: true)
    let order = reader.int("order", required: true)
    // Without `kind:`, a section is of the site's first kind (a threat, by default).
    let kindText = reader.string("kind")
    let kind = kindText?.value ?? kinds.first ?? "threat"
    if let kindText, !kinds.contains(kindText.value) {
        reader.diagnostics.append(
            .error(
                "invalid-value",
                "'kind' must be one of the site's section kinds (\(kinds.joined(separator: ", "))), found '\(kindText.value)'",
                hint: didYouMean(kindText.value, in: kinds) ?? "add it to section_kinds in \(SitePath.siteFile)",
                at: kindText.location))
    }
    let summary = reader.string("summary", required: true)
    let lead = reader.string("lead")
    let boards = reader.stringList("boards")
    let capabilities = reader.stringList("capabilities")
    var inspection: Inspection?
    if let node = reader.node("inspection") {
        var sub = FieldReader(node, what: "inspection", at: node.location)
        if let body = sub.string("body", required: true), let status = sub.string("status", required: true) {
            inspection = Inspection(
                body: body.value, status: status.value, date: sub.string("date")?.value, paragraph: sub.int("paragraph")
            )
        }
        sub.finish(allowed: Inspection.allowedKeys)
        reader.diagnostics += sub.diagnostics
    }
    let figures = reader.list("key_figures", what: "key figure") { readFigure(&$0) }
    reader.finish(allowed: SectionSource.allowedKeys)
    diagnostics += reader.diagnostics
    guard let title, let order else { return nil }
    return SectionSource(
        file: path, slug: slug, folder: folder, title: title, order: order, kind: kind,
        summary: summary?.value ?? "",
        lead: lead?.value, boards: boards, capabilities: capabilities, inspection: inspection, keyFigures: figures,
        body: body, interface: interface)
}

private func readCapability(
    _ front: YAMLNode?, body: ParsedBody, path: String, levels: [String], interface: String,
    diagnostics: inout [Diagnostic]
) -> CapabilitySource? {
    let slug = slug(ofFile: path)
    guard checkSlug(slug, path: path, diagnostics: &diagnostics) else { return nil }
    var reader = FieldReader(front, what: "front matter", at: SourceLocation(file: path))
    let title = reader.string("title", required: true)
    let summary = reader.string("summary", required: true)
    var level: String?
    if let text = reader.string("level") {
        if levels.contains(text.value) {
            level = text.value
        } else {
            reader.diagnostics.append(
                .error(
                    "invalid-value",
                    "'level' must be one of the site's capability levels (\(levels.joined(separator: ", "))), found '\(text.value)'",
                    hint: didYouMean(text.value, in: levels) ?? "add it to capability_levels in \(SitePath.siteFile)",
                    at: text.location))
        }
    }
    let sections = reader.stringList("threats")
    let figures = reader.list("figures", what: "figure") { readFigure(&$0) }
    let aliases = reader.stringList("aliases").map(\.value)
    reader.finish(allowed: CapabilitySource.allowedKeys)
    diagnostics += reader.diagnostics
    guard let title else { return nil }
    return CapabilitySource(
        file: path, slug: slug, title: title, summary: summary?.value ?? "", level: level, sections: sections,
        figures: figures, aliases: aliases, body: body, interface: interface)
}

private func readFigure(_ reader: inout FieldReader) -> Figure? {
    let label = reader.string("label", required: true)
    let valueText = reader.string("value", required: true)
    let unit = reader.string("unit")
    let target = reader.number("target")
    let targetLabel = reader.string("target_label")
    let paragraph = reader.int("paragraph", required: true)
    reader.finish(allowed: Figure.allowedKeys)
    guard let label, let valueText, let paragraph else { return nil }
    // Read as a table cell is, so "1,113" is a figure and "1,11,3" an error; and a unit or a
    // target that only a number can carry is an error on words, not quietly left off the page.
    let value: FigureValue
    let problem: (message: String, hint: String)?
    switch readCell(valueText.value, unit: unit?.value, column: "the figure", declareUnit: { "unit: \"\($0)\"" }) {
    case .number(let number): (value, problem) = (.number(number), nil)
    case .malformed(let message, let hint): (value, problem) = (.text(valueText.value), (message, hint))
    case .blank, .text:
        value = .text(valueText.value)
        problem =
            unit != nil || target != nil
            ? (
                "'\(valueText.value)' is not a number, so its \(unit != nil ? "unit" : "target") cannot be shown",
                "write the value as a figure, or remove '\(unit != nil ? "unit" : "target")'"
            ) : nil
    }
    if let unit, unit.value != "%" && unit.value != "£" {
        reader.diagnostics.append(
            .error(
                "invalid-value", "unit must be \"%\" or \"£\", found '\(unit.value)'",
                hint: "put other units in the label", at: unit.location))
        return nil
    }
    if let problem {
        reader.diagnostics.append(
            .error("figure-not-a-number", problem.message, hint: problem.hint, at: valueText.location))
        return nil
    }
    return Figure(
        label: label.value, value: value, unit: unit?.value, target: target?.value, targetLabel: targetLabel?.value,
        paragraph: paragraph)
}

package func loadConfig(root: URL, files: ContentFiles?, diagnostics: inout [Diagnostic]) -> SiteConfig? {
    let path = SitePath.siteFile
    // A site.yaml the walk refused (a link out of Content/, a FIFO) has its error already.
    if let files, !files.contains(path) { return nil }
    let before = diagnostics.count
    // Emptiness is reported below with what site.yaml needs, not as a plain empty file.
    let node = readYAMLFile(root: root, path: path, ifEmpty: nil, diagnostics: &diagnostics)
    // Unreadable or not YAML: that error is the one.
    if node == nil && diagnostics.count > before { return nil }
    // Empty, a list or a single value: one plain error, not a type error and a missing title too.
    guard let node, node.mapping != nil else {
        let found = node.flatMap { $0.isNull ? nil : "holds \($0.kindName), not 'key: value' lines" } ?? "is empty"
        diagnostics.append(
            .error(
                "site-config-invalid", "site.yaml \(found): it needs at least 'title:'",
                hint: "write 'key: value' lines, starting with the portal's title, e.g. 'title: Assurance Portal'",
                at: node.flatMap { $0.isNull ? nil : $0.location } ?? SourceLocation(file: path, line: 1, column: 1)))
        return nil
    }
    var reader = FieldReader(node, what: "site.yaml", at: SourceLocation(file: path))
    let title = reader.string("title", required: true)
    let organisation = reader.string("organisation")
    let language = reader.string("language")
    let theme = reader.string("theme") ?? Located("default", at: SourceLocation(file: path))
    let allowRaw = reader.bool("allow_raw_html")
    let fullReport = reader.bool("full_report")
    var report = ReportInfo()
    if let node = reader.node("report") {
        var sub = FieldReader(node, what: "report", at: node.location)
        report = ReportInfo(
            title: sub.string("title")?.value, summary: sub.string("summary")?.value, date: readDate(&sub, "date"),
            board: sub.string("board")?.value,
            recipient: sub.string("recipient")?.value, agendaItem: sub.string("agenda_item")?.value,
            meetingDate: readDate(&sub, "meeting_date")?.formatted, updates: sub.string("updates")?.value,
            updatesDate: readDate(&sub, "updates_date"), updatesParagraph: sub.int("updates_paragraph"))
        sub.finish(allowed: ReportInfo.allowedKeys)
        reader.diagnostics += sub.diagnostics
    }
    let kinds = reader.has("section_kinds") ? readSectionKinds(&reader) : SectionKind.defaults
    let levels = reader.has("capability_levels") ? readCapabilityLevels(&reader) : SiteConfig.defaultLevels
    let basePath = reader.string("base_path")
    if let basePath, !isValidBasePath(basePath.value) {
        reader.diagnostics.append(
            .error(
                "invalid-value", "'base_path' must be a path from the server's root, found '\(basePath.value)'",
                hint: "write it with a slash at each end, e.g. base_path: /spr/ (or / for the server's root)",
                at: basePath.location))
    }
    reader.finish(allowed: SiteConfig.allowedKeys)
    diagnostics += reader.diagnostics
    guard let title else { return nil }
    var config = SiteConfig(
        title: title.value, organisation: organisation?.value ?? "", language: language?.value ?? "en",
        theme: theme, allowRawHTML: allowRaw?.value ?? false, fullReport: fullReport?.value ?? true, report: report)
    config.sectionKinds = kinds
    config.capabilityLevels = levels
    config.basePath = basePath.flatMap { isValidBasePath($0.value) ? $0.value : nil }
    return config
}

/// `/spr/`: absolute, ending in a slash, and nothing that would need escaping in an address.
func isValidBasePath(_ path: String) -> Bool {
    path.hasPrefix("/") && path.hasSuffix("/") && !path.contains("//") && !path.contains("/../")
        && !path.contains("/./")
        && path.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                || "/-_.~".unicodeScalars.contains($0)
        }
}

/// `section_kinds:`, a list of `{id, label, plural, cards}`. A kind the built-in defaults know
/// (threat, context) keeps their wording for whatever it leaves out.
private func readSectionKinds(_ reader: inout FieldReader) -> [SectionKind] {
    var seen: Set<String> = []
    let kinds = reader.list("section_kinds", what: "section kind") { item -> SectionKind? in
        let id = item.string("id", required: true)
        let label = item.string("label")
        let plural = item.string("plural")
        let cards = item.bool("cards")
        item.finish(allowed: SectionKind.allowedKeys)
        guard let id else { return nil }
        guard isValidSlug(id.value) else {
            item.diagnostics.append(
                .error(
                    "invalid-slug", "section kind '\(id.value)' is not a valid id",
                    hint: "use lower-case letters, digits and hyphens only", at: id.location))
            return nil
        }
        guard seen.insert(id.value).inserted else {
            item.diagnostics.append(
                .error(
                    "duplicate-id", "section kind '\(id.value)' is listed twice",
                    hint: "keep one entry per kind", at: id.location))
            return nil
        }
        let base = SectionKind.defaults.first { $0.id == id.value }
        let name = label?.value ?? base?.label ?? id.value.replacingOccurrences(of: "-", with: " ")
        return SectionKind(
            id: id.value, label: name, plural: plural?.value ?? base?.plural ?? name + "s",
            cards: cards?.value ?? base?.cards ?? false, anchor: base?.anchor ?? id.value)
    }
    return kinds.isEmpty ? SectionKind.defaults : kinds
}

/// `capability_levels:`, the words a capability's `level:` may take, in the order they are listed.
private func readCapabilityLevels(_ reader: inout FieldReader) -> [String] {
    let levels = reader.stringList("capability_levels")
    for (index, level) in levels.enumerated() where levels[..<index].contains(where: { $0.value == level.value }) {
        reader.diagnostics.append(
            .error(
                "duplicate-id", "capability level '\(level.value)' is listed twice", hint: "list each level once",
                at: level.location))
    }
    return levels.isEmpty ? SiteConfig.defaultLevels : levels.map(\.value)
}

/// A date field (`2024-03-31`, `2024-03` or `2024`), read so every date on the site is written
/// one way ("31 March 2024").
private func readDate(
    _ reader: inout FieldReader, _ key: String,
    hint: String = "write the date as year-month-day; the site shows it as 31 March 2024"
) -> PartialDate? {
    guard let text = reader.string(key) else { return nil }
    guard let date = PartialDate(text.value) else {
        reader.diagnostics.append(
            .error(
                "invalid-date", "'\(key)' must be a date like 2024-03-31, 2024-03 or 2024, found '\(text.value)'",
                hint: hint, at: text.location))
        return nil
    }
    return date
}

/// An empty file (or only blanks) is said so with `ifEmpty`'s severity: site.yaml must say
/// something, a data file with no entries is suspicious but harmless.
func readYAMLFile(
    root: URL, path: String, ifEmpty: Diagnostic.Severity?, diagnostics: inout [Diagnostic]
) -> YAMLNode? {
    switch readText(root: root, path: path) {
    case .failure(let diagnostic):
        diagnostics.append(diagnostic)
        return nil
    case .success(let source):
        switch parseYAML(source.text, file: path, valueProblems: &diagnostics) {
        case .failure(let diagnostic):
            diagnostics.append(diagnostic)
            return nil
        case .success(let node?): return node
        case .success(nil):
            // Blanks or comments only: nothing to read, which is never what was meant (a caller
            // that says more about what the file needs passes no severity and says it itself).
            if let ifEmpty {
                diagnostics.append(emptyFileDiagnostic(SourceFile(path: path, text: ""), severity: ifEmpty)!)
            }
            return nil
        }
    }
}

/// Data files are optional: a site without operations simply has none.
private func readDataFile<T>(
    root: URL, name: String, what: String, files: ContentFiles?, diagnostics: inout [Diagnostic],
    _ read: (inout FieldReader) -> T?
) -> [T] {
    let path = SitePath.data(name)
    guard files?.contains(path) ?? FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path)
    else { return [] }
    guard let node = readYAMLFile(root: root, path: path, ifEmpty: .warning, diagnostics: &diagnostics) else {
        return []
    }
    let (values, problems) = readList(node, file: path, what: what, read)
    diagnostics += problems
    return values
}

private func readGlossaryEntry(_ reader: inout FieldReader) -> GlossaryEntry? {
    let term = reader.string("term", required: true)
    let expansion = reader.string("expansion")
    let paragraph = reader.int("paragraph")
    reader.finish(allowed: GlossaryEntry.allowedKeys)
    guard let term else { return nil }
    return GlossaryEntry(
        term: term.value, expansion: expansion?.value ?? "", paragraph: paragraph, location: term.location)
}

private func readRegisterEntry(_ reader: inout FieldReader, register kind: Register) -> RegisterEntrySource? {
    let id = reader.string("id", required: true)
    let name = reader.string("name", required: true)
    let description = kind == .operation ? reader.string("description") : nil
    let chair = kind == .board ? reader.string("chair") : nil
    let scope = kind == .board ? reader.string("level") : kind == .operation ? reader.string("scope") : nil
    let sections = reader.stringList("threats")
    let paragraphs = reader.intList("paragraphs")
    reader.finish(allowed: kind.allowedKeys)
    guard let id, let name else { return nil }
    if !isValidSlug(id.value) {
        reader.diagnostics.append(
            .error(
                "invalid-slug", "id '\(id.value)' is not a valid id",
                hint: "use lower-case letters, digits and hyphens only", at: id.location))
        return nil
    }
    return RegisterEntrySource(
        register: kind, id: id, name: name.value, description: description?.value, chair: chair?.value,
        scope: scope?.value, sections: sections, paragraphs: paragraphs)
}

private func readCommitment(_ reader: inout FieldReader) -> CommitmentSource? {
    let id = reader.string("id", required: true)
    let what = reader.string("what", required: true)
    let due = readDate(&reader, "due", hint: "put the report's own wording in 'due_text'")
    let phrase = reader.string("due_text")
    let paragraph = reader.int("paragraph", required: true)
    let section = reader.string("threat")
    let status = reader.string("status")
    reader.finish(allowed: CommitmentSource.allowedKeys)
    guard let id, let what, let paragraph else { return nil }
    return CommitmentSource(
        id: id, what: what.value, due: due, dueText: phrase?.value, paragraph: paragraph, section: section,
        status: status?.value)
}
