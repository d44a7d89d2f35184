import Foundation

public struct BuildOptions: Sendable {
    /// The folder holding `Content/` and `Themes/`.
    public var root: URL
    /// Where the site is written; `ROOT/Public` by default.
    public var output: URL

    public init(root: URL, output: URL? = nil) {
        self.root = root.standardizedFileURL
        self.output = (output ?? root.appendingPathComponent("Public")).standardizedFileURL
    }
}

/// What a finished build did, for its one-line summary.
public struct BuildReport: Sendable {
    public var pages: Int
    public var capabilities: Int
    public var tables: Int
    public var references: Int
    public var paragraphs: Int
    public var milliseconds: Int
    public var write: WriteSummary
    public var warnings: [Diagnostic]

    public var summary: String {
        "built \(pages) pages (\(capabilities) capabilities, \(tables) tables, \(paragraphs) paragraphs, "
            + "\(references) references) in \(milliseconds) ms: \(write.written.count) written, "
            + "\(write.unchanged) unchanged, \(write.removed.count) removed"
    }
}

/// A build that found problems in the content or could not write.
public enum BuildFailure: Error, Sendable {
    case content([Diagnostic])
    case write(String)
}

/// Load, resolve, render, write: the whole pipeline, one direction.
public func loadAndResolve(root: URL) -> (SiteGraph?, [Diagnostic]) {
    let (loaded, loadDiagnostics) = loadSite(root: root)
    guard let loaded else { return (nil, loadDiagnostics.sortedByLocation()) }
    let (graph, resolveDiagnostics) = resolveSite(loaded)
    // Load errors stop the build only after resolve, so authors see every problem at once.
    let all = (loadDiagnostics + resolveDiagnostics).sortedByLocation()
    if all.hasErrors { return (nil, all) }
    return (graph, all)
}

/// Every validation a build does, without rendering or writing anything.
public func check(root: URL) -> [Diagnostic] {
    loadAndResolve(root: root).1
}

public func build(_ options: BuildOptions) -> Result<BuildReport, BuildFailure> {
    let start = DispatchTime.now()
    let (graph, diagnostics) = loadAndResolve(root: options.root)
    guard let graph else { return .failure(.content(diagnostics)) }
    let (files, renderDiagnostics) = renderSite(graph)
    if renderDiagnostics.hasErrors { return .failure(.content((diagnostics + renderDiagnostics).sortedByLocation())) }
    let summary: WriteSummary
    do {
        summary = try writeSite(files, to: options.output)
    } catch {
        return .failure(.write("\(error)"))
    }
    let elapsed = Int((DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1_000_000)
    return .success(
        BuildReport(
            pages: files.filter { $0.path.hasSuffix(".html") }.count, capabilities: graph.capabilities.count,
            tables: graph.tables.count, references: graph.referenceCount, paragraphs: graph.paragraphIndex.count,
            milliseconds: elapsed, write: summary, warnings: (diagnostics + renderDiagnostics).warnings))
}
