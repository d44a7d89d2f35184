import Foundation

/// A theme: Mustache templates (compiled once per build, see `Render/Templates`) and assets.
public struct Theme: Sendable {
    public var name: String
    public var folder: String
    var library: TemplateLibrary
    /// Asset files relative to the theme's `assets/` folder, copied to `assets/` in the output.
    public var assets: [String]

    /// Templates a theme must provide; each renders one kind of page.
    public static let requiredTemplates = [
        "layout", "home", "section", "capability", "capabilities", "glossary", "table", "tables", "register",
        "commitments", "report", "search", "not-found",
    ]

    func renderBytes(_ value: TemplateValue, template: String) -> [UInt8]? {
        library.renderBytes(value, template: template)
    }
}

func loadTheme(root: URL, name: Located<String>) -> (Theme?, [Diagnostic]) {
    // The name becomes a path: `../../x` or `/etc` would read and publish files from anywhere.
    guard isValidSlug(name.value) else {
        return (
            nil,
            [
                .error(
                    "invalid-theme", "theme '\(name.value)' is not a theme name",
                    hint: "name a folder of Themes/ using lower-case letters, digits and hyphens, e.g. 'default'",
                    at: name.location)
            ]
        )
    }
    let folder = "Themes/\(name.value)"
    let themeURL = root.appendingPathComponent(folder)
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: themeURL.path, isDirectory: &isDirectory), isDirectory.boolValue
    else {
        let available =
            (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Themes").path))?
            .filter { !$0.hasPrefix(".") } ?? []
        return (
            nil,
            [
                .error(
                    "theme-missing", "theme '\(name.value)' not found in Themes/",
                    hint: didYouMean(name.value, in: available), at: name.location)
            ]
        )
    }
    // One walk of the theme decides what may be read and published; links out of it are errors.
    let walk = FolderWalk(root: root, folder: folder)
    var diagnostics = walk.diagnostics
    // The folder itself could not be read: its templates are not "missing" one by one.
    if diagnostics.contains(where: { $0.location.file == folder }) { return (nil, diagnostics) }
    var library = TemplateLibrary()
    let templatesFolder = "\(folder)/templates"
    for path in walk.files where path.hasPrefix(templatesFolder + "/") && path.hasSuffix(".mustache") {
        let file = String(path.dropFirst(templatesFolder.count + 1))
        switch SourceFile.read(root.appendingPathComponent(path), path: path) {
        case .failure(let diagnostic): diagnostics.append(diagnostic)
        case .success(let source):
            // An empty page template renders every such page blank: say so, but a theme may
            // blank a page on purpose, so it is a warning.
            if Theme.requiredTemplates.contains(String(file.dropLast(".mustache".count))),
                let empty = emptyFileDiagnostic(source, severity: .warning)
            {
                diagnostics.append(empty)
            }
            do {
                library.register(try Template(source.text), named: String(file.dropLast(".mustache".count)))
            } catch {
                diagnostics.append(
                    .error(
                        "template-invalid", "template does not parse: \(error.message)",
                        hint: "check that every {{#section}} has its {{/section}} and every tag is closed",
                        at: SourceLocation(file: path, line: error.line, column: error.column)))
            }
        }
    }
    diagnostics += checkTemplates(library, folder: templatesFolder)
    let refused = Set(walk.diagnostics.map(\.location.file))
    for template in Theme.requiredTemplates where library.template(named: template) == nil {
        // Already an error at its path (a FIFO, a link out of the theme): one mistake, one error.
        if refused.contains("\(templatesFolder)/\(template).mustache") { continue }
        diagnostics.append(
            .error(
                "template-missing", "theme '\(name.value)' has no '\(template)' template",
                hint: "create \(templatesFolder)/\(template).mustache (copy it from Themes/default)",
                at: SourceLocation(file: "\(templatesFolder)/\(template).mustache", line: 1, column: 1)))
    }
    if diagnostics.hasErrors { return (nil, diagnostics) }
    let assetsFolder = "\(folder)/assets/"
    let assets = walk.files.filter { $0.hasPrefix(assetsFolder) }.map { String($0.dropFirst(assetsFolder.count)) }
    return (Theme(name: name.value, folder: folder, library: library, assets: assets), diagnostics)
}
