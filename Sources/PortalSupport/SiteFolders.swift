import Foundation

/// The site's folders, worked out once from the command line's `--root` and `--output` and
/// handed down whole, so no stage turns a path back into a URL or rebuilds one from a string.
public struct SiteFolders: Sendable, Equatable {
    /// The folder holding `Content/` and `Themes/`.
    public var root: URL
    /// Where the site is written; `ROOT/Public` by default.
    public var output: URL

    public init(root: URL, output: URL? = nil) {
        self.root = root.standardizedFileURL
        self.output = (output ?? root.appendingPathComponent("Public")).standardizedFileURL
    }

    public var content: URL { root.appendingPathComponent(SitePath.content) }
    public var themes: URL { root.appendingPathComponent(SitePath.themes) }
    /// Recorded editions, each a frozen `Content/` (`portal edition`).
    public var editions: URL { root.appendingPathComponent(SitePath.editions) }
    /// What incremental builds keep between builds (git-ignored, outside the output).
    public var cache: URL { root.appendingPathComponent(".portal-cache") }

    /// Where a path relative to the root (as diagnostics print it) is on disk.
    package func fullPath(_ relative: String) -> String { root.path + "/" + relative }
}

/// Paths relative to the site root, spelled as diagnostics print them (`Content/site.yaml`):
/// the one place that names the site's folders.
package enum SitePath {
    package static let content = "Content"
    package static let themes = "Themes"
    package static let siteFile = "Content/site.yaml"
    package static let data = "Content/data"
    package static let tables = "Content/data/tables"
    package static let capabilities = "Content/capabilities"
    package static let glossary = "Content/data/glossary.yaml"
    package static let commitments = "Content/data/commitments.yaml"
    package static let editions = "Editions"

    /// A recorded edition's manifest: `Editions/<id>/edition.yaml`.
    package static func editionManifest(_ id: String) -> String { editions + "/" + id + "/edition.yaml" }

    /// What to do when the root holds no site (for `portal build` and `portal serve` alike).
    package static let noSiteHint = "run portal from the folder that holds \(content)/ and \(themes)/, or pass --root"

    /// `Content/<relative>`.
    package static func inContent(_ relative: String) -> String { content + "/" + relative }
    /// A data file: `Content/data/<name>`.
    package static func data(_ name: String) -> String { data + "/" + name }
    /// A table's file: `Content/data/tables/<id>.<ext>`.
    package static func table(_ id: String, _ ext: String) -> String { tables + "/" + id + "." + ext }
    /// A theme's folder: `Themes/<name>`.
    package static func theme(_ name: String) -> String { themes + "/" + name }
}
