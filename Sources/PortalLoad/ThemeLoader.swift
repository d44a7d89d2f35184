import Foundation
import PortalSupport
import PortalTemplates

/// A theme: Mustache templates (compiled once per build, see `PortalTemplates`) and assets.
///
/// The default theme is built into the tool (`BuiltInTheme.swift`); a site's own
/// `Themes/<name>/` folder overrides it file by file, as Hugo's lookup order does, so a new site
/// needs no theme folder and a site that changes one template carries only that template.
public struct Theme: Sendable {
    public var name: String
    /// The site's own folder for this theme (`Themes/<name>`), which may not exist.
    public var folder: String
    var library: TemplateLibrary
    /// Asset files, relative to `assets/`, with their bytes: copied to `assets/` in the output.
    public var assets: [ThemeAsset]

    /// Templates a theme must provide; each renders one kind of page.
    public static let requiredTemplates = [
        "layout", "home", "section", "capability", "capabilities", "glossary", "table", "tables", "register",
        "commitments", "report", "search", "not-found", "editions",
    ]

    /// The name diagnostics give a file of the built-in theme, which has no path on disk.
    static let builtInFolder = "(built-in theme)"

    package func renderBytes(_ value: TemplateValue, template: String, capacity: Int = 32_768) -> [UInt8]? {
        library.renderBytes(value, template: template, capacity: capacity)
    }
}

public struct ThemeAsset: Sendable {
    public var path: String
    public var bytes: [UInt8]
}

/// One file of a theme: where it came from (for diagnostics) and its text.
struct ThemeFile {
    var path: String
    var displayPath: String
    var bytes: [UInt8]
}

/// The theme's files: the built-in default's, each replaced by the site's own where it has one.
/// `Themes/default/` of this repository is the built-in theme's source, so here the two agree.
/// The site's folder is read through one `FolderWalk`, which never leaves it (links out, loops and
/// FIFOs are errors there), so nothing from outside the theme is ever read or published.
func themeFiles(root: URL, name: String) -> (files: [ThemeFile], siteFolderExists: Bool, walk: FolderWalk?) {
    let folder = SitePath.theme(name)
    var byPath: [String: ThemeFile] = [:]
    for file in builtInThemeFiles {
        byPath[file.path] = ThemeFile(
            path: file.path, displayPath: "\(Theme.builtInFolder)/\(file.path)", bytes: Array(file.text.utf8))
    }
    var isDirectory: ObjCBool = false
    let exists =
        FileManager.default.fileExists(atPath: root.appendingPathComponent(folder).path, isDirectory: &isDirectory)
        && isDirectory.boolValue
    guard exists else { return (byPath.values.sorted { $0.path < $1.path }, false, nil) }
    let walk = FolderWalk(root: root, folder: folder)
    for displayPath in walk.files {
        let path = String(displayPath.dropFirst(folder.count + 1))
        guard path.hasPrefix("templates/") || path.hasPrefix("assets/") else { continue }
        // Read when used: a file that cannot be read is reported where it is needed.
        byPath[path] = ThemeFile(path: path, displayPath: displayPath, bytes: [])
    }
    return (byPath.values.sorted { $0.path < $1.path }, true, walk)
}

func loadTheme(root: URL, name: Located<String>) -> (Theme?, [Diagnostic]) {
    if let problem = themeNameProblem(name) { return (nil, [problem]) }
    let folder = SitePath.theme(name.value)
    let (files, siteFolderExists, walk) = themeFiles(root: root, name: name.value)
    // Only the default theme is built in; any other name must be a folder of the site's.
    guard siteFolderExists || name.value == "default" else { return (nil, [missingTheme(name, root: root)]) }
    // One walk of the theme decides what may be read and published; links out of it are errors.
    var diagnostics = walk?.diagnostics ?? []
    // The folder itself could not be read: its templates are not "missing" one by one.
    if diagnostics.contains(where: { $0.location.file == folder }) { return (nil, diagnostics) }
    var library = TemplateLibrary()
    var assets: [ThemeAsset] = []
    for file in files {
        let isTemplate = file.path.hasPrefix("templates/") && file.path.hasSuffix(".mustache")
        guard isTemplate || file.path.hasPrefix("assets/"),
            let (bytes, text) = readThemeFile(
                file, isTemplate: isTemplate, root: root, folder: folder, diagnostics: &diagnostics)
        else { continue }
        if !isTemplate {
            assets.append(ThemeAsset(path: String(file.path.dropFirst("assets/".count)), bytes: bytes))
            continue
        }
        let templateName = String(file.path.dropFirst("templates/".count).dropLast(".mustache".count))
        do {
            library.register(try Template(text ?? ""), named: templateName)
        } catch {
            diagnostics.append(
                .error(
                    "template-invalid", "template does not parse: \(error.message)",
                    hint: "check that every {{#section}} has its {{/section}} and every tag is closed",
                    at: SourceLocation(file: file.displayPath, line: error.line, column: error.column)))
        }
    }
    diagnostics += checkTemplates(library, folder: "\(folder)/templates")
    if diagnostics.hasErrors { return (nil, diagnostics) }
    return (Theme(name: name.value, folder: folder, library: library, assets: assets), diagnostics)
}

/// The name becomes a path: `../../x` or `/etc` would read and publish files from anywhere.
private func themeNameProblem(_ name: Located<String>) -> Diagnostic? {
    guard !isValidSlug(name.value) else { return nil }
    return .error(
        "invalid-theme", "theme '\(name.value)' is not a theme name",
        hint: "name a folder of Themes/ using lower-case letters, digits and hyphens, e.g. 'default'",
        at: name.location)
}

private func missingTheme(_ name: Located<String>, root: URL) -> Diagnostic {
    let available =
        (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(SitePath.themes).path))?
        .filter { !$0.hasPrefix(".") } ?? []
    return .error(
        "theme-missing", "theme '\(name.value)' not found in Themes/",
        hint: didYouMean(name.value, in: available + ["default"])
            ?? "use the built-in theme (theme: default) or create Themes/\(name.value)/",
        at: name.location)
}

/// A theme file's bytes, and a template's text: the site's own file read from disk (a template
/// checked as UTF-8 and, for a page template, for being empty), or the built-in one. Nil when it
/// cannot be read (reported).
private func readThemeFile(
    _ file: ThemeFile, isTemplate: Bool, root: URL, folder: String, diagnostics: inout [Diagnostic]
) -> (bytes: [UInt8], text: String?)? {
    let url = root.appendingPathComponent(file.displayPath)
    guard file.displayPath.hasPrefix(folder + "/") else {
        return (file.bytes, isTemplate ? String(decoding: file.bytes, as: UTF8.self) : nil)
    }
    guard isTemplate else {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            diagnostics.append(
                .error("unreadable-file", "cannot read theme asset", at: SourceLocation(file: file.displayPath)))
            return nil
        }
        return ([UInt8](data), nil)
    }
    switch SourceFile.read(url, path: file.displayPath) {
    case .failure(let diagnostic):
        diagnostics.append(diagnostic)
        return nil
    case .success(let source):
        // An empty page template renders every such page blank: say so, but a theme may blank a
        // page on purpose, so it is a warning.
        let name = String(file.path.dropFirst("templates/".count).dropLast(".mustache".count))
        if Theme.requiredTemplates.contains(name), let empty = emptyFileDiagnostic(source, severity: .warning) {
            diagnostics.append(empty)
        }
        return (file.bytes, source.text)
    }
}
