import Foundation
import PortalBuild
import PortalSupport

/// What the preview server knows about the last build: a counter the open pages compare with
/// their own to decide when to reload, and the errors of the last build if it failed.
public struct BuildStatus: Sendable, Equatable {
    /// Goes up by one after every build, good or bad.
    public var generation: Int
    /// Errors of the last build; empty when it succeeded.
    public var errors: [Diagnostic]
    /// A failure to write the output, which has no place in the content.
    public var writeError: String?

    public init(generation: Int = 0, errors: [Diagnostic] = [], writeError: String? = nil) {
        self.generation = generation
        self.errors = errors
        self.writeError = writeError
    }

    public var succeeded: Bool { errors.isEmpty && writeError == nil }

    /// The status after a build that produced `result`.
    public func next(after result: Result<BuildReport, BuildFailure>) -> BuildStatus {
        switch result {
        case .success: return BuildStatus(generation: generation + 1)
        case .failure(.content(let diagnostics)):
            return BuildStatus(generation: generation + 1, errors: diagnostics.errors)
        case .failure(.write(let message)): return BuildStatus(generation: generation + 1, writeError: message)
        }
    }
}

/// The reserved path the pages' script listens on for Server-Sent Events.
public let liveReloadEventsPath = "/__portal/events"

/// One Server-Sent Event announcing a finished build.
func buildEvent(_ status: BuildStatus) -> String {
    "retry: 1000\nevent: build\ndata: {\"generation\":\(status.generation),\"ok\":\(status.succeeded)}\n\n"
}

/// Adds the live-reload script, and the error overlay when the last build failed, to a page being
/// served. Only responses are changed: the files in the output folder never contain either.
public func injectLiveReload(into html: String, status: BuildStatus) -> String {
    let snippet = (status.succeeded ? "" : errorOverlay(status)) + liveReloadScript(generation: status.generation)
    // Before the last </body> so the overlay sits on top of the page; at the end if there is none.
    if let range = html.range(of: "</body>", options: [.caseInsensitive, .backwards]) {
        return html.replacingCharacters(in: range.lowerBound..<range.lowerBound, with: snippet)
    }
    return html + snippet
}

/// Reloads the page when a build newer than the one it was served from finishes. EventSource
/// reconnects by itself, so a restarted server is picked up too.
private func liveReloadScript(generation: Int) -> String {
    """
    <script data-portal-serve>
    (function () {
      var served = \(generation);
      if (!window.EventSource) return;
      var events = new EventSource("\(liveReloadEventsPath)");
      events.addEventListener("build", function (event) {
        var build = JSON.parse(event.data);
        if (build.generation !== served) { events.close(); location.reload(); }
      });
    })();
    </script>

    """
}

/// A fixed panel listing every error with its file, line and column. Everything from the content
/// is escaped: a message quotes what the author wrote.
private func errorOverlay(_ status: BuildStatus) -> String {
    var items: [String] = []
    for error in status.errors {
        var item = "<li><code>\(escapeHTML(error.location.description))</code> \(escapeHTML(error.message))"
        if let hint = error.hint { item += " <em>(\(escapeHTML(hint)))</em>" }
        items.append(item + "</li>")
    }
    if let message = status.writeError { items.append("<li>\(escapeHTML(message))</li>") }
    let count = status.errors.count + (status.writeError == nil ? 0 : 1)
    let heading = "The build failed: \(count) error\(count == 1 ? "" : "s")"
    return """
        <div id="portal-build-errors" role="alert" style="position:fixed;inset:auto 0 0 0;z-index:2147483647;\
        max-height:60vh;overflow:auto;margin:0;padding:1rem 1.5rem;background:#fff;color:#0b0c0c;\
        border-top:6px solid #d4351c;box-shadow:0 -2px 12px rgba(0,0,0,.3);font:16px/1.4 system-ui,sans-serif">
        <h2 style="margin:0 0 .5rem;font-size:1.2rem;color:#d4351c">\(heading)</h2>
        <p style="margin:0 0 .5rem">This page is from the last good build. Fix the errors below and save; \
        the page reloads by itself.</p>
        <ul style="margin:0;padding-left:1.25rem">\(items.joined())</ul>
        </div>

        """
}

/// A page for when there is no good build to show yet: only the errors.
func errorOnlyPage(_ status: BuildStatus) -> String {
    injectLiveReload(
        into: """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Build failed</title></head>
            <body><main><h1>No site yet</h1><p>The first build failed.</p></main></body></html>
            """, status: status)
}
