import PortalSupport

/// Transforms the renderer knows (see `Template`).
let templateTransforms: Set<String> = ["first", "last", "index", "empty", "count"]

/// Static checks of a theme's templates, run when the theme is loaded so `check` finds what
/// `build` would: partials that do not exist, partials that include themselves (directly or
/// through others, which would recurse until the stack overflows), unknown transforms, and names
/// no context of the page template ever defines. Partials are checked with the names of each
/// page template that includes them; each mistake is reported once, at its tag.
/// What a page template must show, or its pages lose what matters most: every page's content
/// (the layout), a section's numbered paragraphs, the full report's sections, a table's figures.
/// An empty or cut-down template would build "fine" and publish pages without them.
let requiredTemplateNames: [String: String] = [
    "layout": "content", "section": "body", "report": "body", "table": "table_html",
]

package func checkTemplates(_ library: TemplateLibrary, folder: String) -> [Diagnostic] {
    var checker = TemplateChecker(library: library, folder: folder)
    for (template, name) in requiredTemplateNames.sorted(by: { $0.key < $1.key }) {
        guard library.template(named: template) != nil else { continue }
        var visiting: Set<String> = []
        if !checker.shows(name, in: template, visiting: &visiting) {
            checker.report(
                .error(
                    "template-incomplete", "template '\(template)' never shows '\(name)', so its pages would lose it",
                    hint: "put {{{\(name)}}} where it belongs, or delete the file to use the built-in template",
                    at: SourceLocation(file: checker.file(template), line: 1, column: 1)))
        }
    }
    for name in library.templates.keys.sorted() {
        var path: [String] = []
        checker.findCycles(from: name, path: &path)
    }
    for name in library.templates.keys.sorted() {
        guard let names = pageTemplateNames[name] else { continue }
        var visiting: Set<String> = []
        checker.checkNames(template: name, allowed: names, visiting: &visiting)
    }
    return checker.diagnostics
}

private struct TemplateChecker {
    let library: TemplateLibrary
    let folder: String
    var diagnostics: [Diagnostic] = []
    var reported: Set<SourceLocation> = []
    var cyclesSeen: Set<[String]> = []
    var finished: Set<String> = []

    func file(_ template: String) -> String { "\(folder)/\(template).mustache" }

    mutating func report(_ diagnostic: Diagnostic) {
        if reported.insert(diagnostic.location).inserted { diagnostics.append(diagnostic) }
    }

    /// Depth-first over the partial graph; a partial already on the path closes a cycle.
    mutating func findCycles(from template: String, path: inout [String]) {
        guard !finished.contains(template), let nodes = library.template(named: template)?.nodes else { return }
        path.append(template)
        forEachPartial(nodes) { partial in
            let name = partial.source
            let at = SourceLocation(file: file(template), line: partial.line, column: partial.column)
            if library.template(named: name) == nil {
                report(
                    .error(
                        "partial-missing", "partial '\(name)' does not exist",
                        hint: didYouMean(name, in: Array(library.templates.keys))
                            ?? "create \(file(name)) or remove the tag", at: at))
            } else if let start = path.firstIndex(of: name) {
                let cycle = Array(path[start...])
                if cyclesSeen.insert(cycle.sorted()).inserted {
                    let chain = (cycle + [name]).joined(separator: " → ")
                    report(
                        .error(
                            "partial-cycle", "partial '\(name)' includes itself: \(chain)",
                            hint: "a partial cannot include itself, directly or through other partials; remove the tag",
                            at: at))
                }
            } else {
                findCycles(from: name, path: &path)
            }
        }
        path.removeLast()
        finished.insert(template)
    }

    /// Whether a template (through its sections and partials) has a tag showing `name`.
    func shows(_ name: String, in template: String, visiting: inout Set<String>) -> Bool {
        guard visiting.insert(template).inserted, let nodes = library.template(named: template)?.nodes else {
            return false
        }
        func search(_ nodes: [TemplateNode], visiting: inout Set<String>) -> Bool {
            for node in nodes {
                switch node {
                case .text: continue
                case .variable(let tag, _): if tag.parts.last == name { return true }
                case .section(_, _, let children): if search(children, visiting: &visiting) { return true }
                case .partial(let partial): if shows(name, in: partial.source, visiting: &visiting) { return true }
                }
            }
            return false
        }
        return search(nodes, visiting: &visiting)
    }

    mutating func checkNames(template: String, allowed: Set<String>, visiting: inout Set<String>) {
        guard visiting.insert(template).inserted, let nodes = library.template(named: template)?.nodes else { return }
        checkNames(nodes, in: template, allowed: allowed, visiting: &visiting)
        visiting.remove(template)
    }

    private mutating func checkNames(
        _ nodes: [TemplateNode], in template: String, allowed: Set<String>, visiting: inout Set<String>
    ) {
        for node in nodes {
            switch node {
            case .text: continue
            case .variable(let name, _): check(name, in: template, allowed: allowed)
            case .section(let name, _, let children):
                check(name, in: template, allowed: allowed)
                checkNames(children, in: template, allowed: allowed, visiting: &visiting)
            case .partial(let name): checkNames(template: name.source, allowed: allowed, visiting: &visiting)
            }
        }
    }

    private mutating func check(_ name: TemplateName, in template: String, allowed: Set<String>) {
        let at = SourceLocation(file: file(template), line: name.line, column: name.column)
        if let transform = name.transform, !templateTransforms.contains(transform) {
            report(
                .error(
                    "template-unknown-name", "'\(transform)()' is not a template transform",
                    hint: didYouMean(transform, in: Array(templateTransforms))
                        ?? "transforms are empty(), count(), first(), last() and index()", at: at))
            return
        }
        for part in name.parts where part != "." && !allowed.contains(part) {
            report(
                .error(
                    "template-unknown-name",
                    "'\(part)' is not a name this template's pages ever have, so it would always be empty",
                    hint: didYouMean(part, in: Array(allowed))
                        ?? "see Themes/default/templates for the names each page has",
                    at: at))
            return
        }
    }
}

private func forEachPartial(_ nodes: [TemplateNode], _ body: (TemplateName) -> Void) {
    for node in nodes {
        switch node {
        case .partial(let name): body(name)
        case .section(_, _, let children): forEachPartial(children, body)
        default: continue
        }
    }
}
