import Foundation

/// Load stage: reads `Content/` and the theme under a site root. Parses only; cross-checks are
/// the resolver's job. Every problem becomes a diagnostic so an author sees them all at once.
public func loadSite(root: URL, progress: (@Sendable (BuildProgress) -> Void)? = nil) -> (LoadedSite?, [Diagnostic]) {
    var diagnostics: [Diagnostic] = []
    let content = root.appendingPathComponent("Content")
    guard FileManager.default.fileExists(atPath: content.appendingPathComponent("site.yaml").path) else {
        return (
            nil,
            [
                .error(
                    "no-site", "no Content/site.yaml under \(root.path)",
                    hint: "run portal from the folder that holds Content/ and Themes/, or pass --root",
                    at: SourceLocation(file: "Content/site.yaml"))
            ]
        )
    }

    let config = loadConfig(root: root, diagnostics: &diagnostics)
    // Data files first: parsing Markdown uses the glossary (acronyms) and the operation names.
    let data = loadDataFiles(root: root, config: config, diagnostics: &diagnostics)
    let tables = loadTables(root: root, diagnostics: &diagnostics)

    // Markdown files are the bulk of the work: read and parse them on every core.
    let files = markdownSourceFiles(root: root)
    let counter = progress.map { ProgressCounter(stage: "reading", total: files.count, report: $0) }
    let parsed = parallelMap(files, progress: counter) { path in
        loadSource(root: root, path: path, environment: data.environment)
    }
    var sections: [SectionSource] = []
    var capabilities: [CapabilitySource] = []
    for item in parsed {
        diagnostics += item.diagnostics
        switch item.value {
        case .section(let section)?: sections.append(section)
        case .capability(let capability)?: capabilities.append(capability)
        case nil: break
        }
    }
    let glossary = data.glossary
    let entities = data.entities
    let commitments = data.commitments

    var theme: Theme?
    if let config {
        let (loaded, problems) = loadTheme(root: root, name: config.theme)
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
                    hint: "check Content/site.yaml and the theme it names",
                    at: SourceLocation(file: "Content/site.yaml", line: 1, column: 1))
            ]
        )
    }
    let site = LoadedSite(
        root: root.path, config: config, sections: sections, capabilities: capabilities, glossary: glossary,
        entities: entities, commitments: commitments, tables: tables, theme: theme)
    return (site, diagnostics)
}

/// The outcome of reading one file: a value or not, plus what was wrong with it.
struct Loaded<Value> {
    var value: Value?
    var diagnostics: [Diagnostic]
}

extension Loaded: Sendable where Value: Sendable {}

private func markdownFiles(root: URL, folder: String) -> [String] {
    listFiles(under: root.appendingPathComponent(folder))
        .filter { $0.hasSuffix(".md") && !$0.contains("/") }
        .map { "\(folder)/\($0)" }
}

private func readText(root: URL, path: String) -> Result<SourceFile, Diagnostic> {
    SourceFile.read(fullPath: root.path + "/" + path, path: path)
}

/// The data files, read before any Markdown because parsing uses them.
struct DataFiles {
    var glossary: [GlossaryEntry]
    var entities: [EntitySource]
    var commitments: [CommitmentSource]
    var environment: BodyEnvironment
}

func loadDataFiles(root: URL, config: SiteConfig?, diagnostics: inout [Diagnostic]) -> DataFiles {
    let glossary = readDataFile(root: root, name: "glossary.yaml", what: "glossary entry", diagnostics: &diagnostics) {
        readGlossaryEntry(&$0)
    }
    var entities: [EntitySource] = []
    for kind in EntityKind.allCases {
        entities += readDataFile(root: root, name: kind.file, what: "\(kind.rawValue) entry", diagnostics: &diagnostics)
        {
            readEntity(&$0, kind: kind)
        }
    }
    let commitments = readDataFile(
        root: root, name: "commitments.yaml", what: "commitment", diagnostics: &diagnostics
    ) { readCommitment(&$0) }
    return DataFiles(
        glossary: glossary, entities: entities, commitments: commitments,
        environment: bodyEnvironment(config: config, glossary: glossary, entities: entities))
}

/// Section files, then capability files, as paths relative to the root.
func markdownSourceFiles(root: URL) -> [String] {
    markdownFiles(root: root, folder: "Content/threats") + markdownFiles(root: root, folder: "Content/capabilities")
}

/// One section or capability file, loaded.
enum SourceDocument: Sendable {
    case section(SectionSource)
    case capability(CapabilitySource)
}

/// Reads, parses and types one Markdown source. Used by full builds and by incremental builds
/// that re-read only the files that changed.
func loadSource(root: URL, path: String, environment: BodyEnvironment) -> Loaded<SourceDocument> {
    let item = readMarkdown(
        root: root, path: path, numbered: path.hasPrefix("Content/threats/"), environment: environment)
    var diagnostics = item.diagnostics
    guard let (front, body) = item.value else { return Loaded(value: nil, diagnostics: diagnostics) }
    diagnostics += body.diagnostics
    var hasher = StableHasher()
    front?.combine(into: &hasher)
    body.combineInterface(into: &hasher)
    if path.hasPrefix("Content/threats/") {
        let section = readSection(front, body: body, path: path, interface: hasher.hex, diagnostics: &diagnostics)
        return Loaded(value: section.map { .section($0) }, diagnostics: diagnostics)
    }
    let capability = readCapability(front, body: body, path: path, interface: hasher.hex, diagnostics: &diagnostics)
    return Loaded(value: capability.map { .capability($0) }, diagnostics: diagnostics)
}

/// What every body is parsed with; built from files that are read before any Markdown.
func bodyEnvironment(config: SiteConfig?, glossary: [GlossaryEntry], entities: [EntitySource]) -> BodyEnvironment {
    // Operation names written in capitals (Op VANGUARD) are names, not acronyms.
    let names = Set(
        entities.filter { $0.kind == .operation }.flatMap { entity in
            [entity.id.value.uppercased()] + entity.name.split(separator: " ").map { $0.uppercased() }
        })
    return BodyEnvironment(
        allowRawHTML: config?.allowRawHTML ?? false, abbreviations: AbbreviationIndex(glossary),
        knownAcronyms: Set(glossary.map(\.term)), names: names)
}

/// Reads a Markdown file: front matter as YAML, body parsed once by cmark into facts and HTML.
private func readMarkdown(root: URL, path: String, numbered: Bool, environment: BodyEnvironment) -> Loaded<
    (YAMLNode?, ParsedBody)
> {
    let source: SourceFile
    switch readText(root: root, path: path) {
    case .failure(let diagnostic): return Loaded(value: nil, diagnostics: [diagnostic])
    case .success(let file): source = file
    }
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

/// `Content/threats/serious-and-organised-crime.md` has the slug `serious-and-organised-crime`.
func slug(ofFile path: String) -> String {
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
    _ front: YAMLNode?, body: ParsedBody, path: String, interface: String, diagnostics: inout [Diagnostic]
) -> SectionSource? {
    let slug = slug(ofFile: path)
    guard checkSlug(slug, path: path, diagnostics: &diagnostics) else { return nil }
    var reader = FieldReader(front, what: "front matter", at: SourceLocation(file: path))
    let title = reader.string("title", required: true)
    let order = reader.int("order", required: true)
    let kindText = reader.string("kind")
    var kind = SectionKind.threat
    if let kindText {
        if let value = SectionKind(rawValue: kindText.value) {
            kind = value
        } else {
            reader.diagnostics.append(
                .error(
                    "invalid-value", "'kind' must be 'threat' or 'context', found '\(kindText.value)'",
                    hint: didYouMean(kindText.value, in: ["threat", "context"]), at: kindText.location))
        }
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
        file: path, slug: slug, title: title, order: order, kind: kind, summary: summary?.value ?? "",
        lead: lead?.value, boards: boards, capabilities: capabilities, inspection: inspection, keyFigures: figures,
        body: body, interface: interface)
}

private func readCapability(
    _ front: YAMLNode?, body: ParsedBody, path: String, interface: String, diagnostics: inout [Diagnostic]
) -> CapabilitySource? {
    let slug = slug(ofFile: path)
    guard checkSlug(slug, path: path, diagnostics: &diagnostics) else { return nil }
    var reader = FieldReader(front, what: "front matter", at: SourceLocation(file: path))
    let title = reader.string("title", required: true)
    let summary = reader.string("summary", required: true)
    var level: CapabilityLevel?
    if let text = reader.string("level") {
        level = CapabilityLevel(rawValue: text.value)
        if level == nil {
            reader.diagnostics.append(
                .error(
                    "invalid-value", "'level' must be local, regional or national, found '\(text.value)'",
                    hint: didYouMean(text.value, in: CapabilityLevel.allCases.map(\.rawValue)), at: text.location))
        }
    }
    let threats = reader.stringList("threats")
    let figures = reader.list("figures", what: "figure") { readFigure(&$0) }
    let aliases = reader.stringList("aliases").map(\.value)
    reader.finish(allowed: CapabilitySource.allowedKeys)
    diagnostics += reader.diagnostics
    guard let title else { return nil }
    return CapabilitySource(
        file: path, slug: slug, title: title, summary: summary?.value ?? "", level: level, threats: threats,
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

func loadConfig(root: URL, diagnostics: inout [Diagnostic]) -> SiteConfig? {
    let path = "Content/site.yaml"
    let before = diagnostics.count
    let node = readYAMLFile(root: root, path: path, diagnostics: &diagnostics)
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
            title: sub.string("title")?.value, board: sub.string("board")?.value,
            recipient: sub.string("recipient")?.value, agendaItem: sub.string("agenda_item")?.value,
            meetingDate: sub.string("meeting_date")?.value, updates: sub.string("updates")?.value,
            updatesParagraph: sub.int("updates_paragraph"))
        sub.finish(allowed: ReportInfo.allowedKeys)
        reader.diagnostics += sub.diagnostics
    }
    reader.finish(allowed: SiteConfig.allowedKeys)
    diagnostics += reader.diagnostics
    guard let title else { return nil }
    return SiteConfig(
        title: title.value, organisation: organisation?.value ?? "", language: language?.value ?? "en",
        theme: theme, allowRawHTML: allowRaw?.value ?? false, fullReport: fullReport?.value ?? true, report: report)
}

private func readYAMLFile(root: URL, path: String, diagnostics: inout [Diagnostic]) -> YAMLNode? {
    switch readText(root: root, path: path) {
    case .failure(let diagnostic):
        diagnostics.append(diagnostic)
        return nil
    case .success(let source):
        switch parseYAML(source.text, file: path, valueProblems: &diagnostics) {
        case .failure(let diagnostic):
            diagnostics.append(diagnostic)
            return nil
        case .success(let node): return node
        }
    }
}

/// Data files are optional: a site without operations simply has none.
private func readDataFile<T>(
    root: URL, name: String, what: String, diagnostics: inout [Diagnostic], _ read: (inout FieldReader) -> T?
) -> [T] {
    let path = "Content/data/\(name)"
    guard FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path) else { return [] }
    guard let node = readYAMLFile(root: root, path: path, diagnostics: &diagnostics) else { return [] }
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

private func readEntity(_ reader: inout FieldReader, kind: EntityKind) -> EntitySource? {
    let id = reader.string("id", required: true)
    let name = reader.string("name", required: true)
    let description = kind == .operation ? reader.string("description") : nil
    let chair = kind == .board ? reader.string("chair") : nil
    let scope = kind == .board ? reader.string("level") : kind == .operation ? reader.string("scope") : nil
    let threats = reader.stringList("threats")
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
    return EntitySource(
        kind: kind, id: id, name: name.value, description: description?.value, chair: chair?.value,
        scope: scope?.value, threats: threats, paragraphs: paragraphs)
}

private func readCommitment(_ reader: inout FieldReader) -> CommitmentSource? {
    let id = reader.string("id", required: true)
    let what = reader.string("what", required: true)
    let dueText = reader.string("due")
    let phrase = reader.string("due_text")
    let paragraph = reader.int("paragraph", required: true)
    let threat = reader.string("threat")
    reader.finish(allowed: CommitmentSource.allowedKeys)
    var due: PartialDate?
    if let dueText {
        due = PartialDate(dueText.value)
        if due == nil {
            reader.diagnostics.append(
                .error(
                    "invalid-date", "'due' must be a date like 2024-03-31, 2024-03 or 2024, found '\(dueText.value)'",
                    hint: "put the report's own wording in 'due_text'", at: dueText.location))
        }
    }
    guard let id, let what, let paragraph else { return nil }
    return CommitmentSource(
        id: id, what: what.value, due: due, dueText: phrase?.value, paragraph: paragraph, threat: threat)
}
