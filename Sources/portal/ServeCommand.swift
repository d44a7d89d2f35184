import ArgumentParser
import Foundation
import PortalBuild
import PortalPublish
import PortalScaffold
import PortalServe
import PortalSupport

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Preview the site on 127.0.0.1, rebuilding and reloading the browser as you edit.",
        discussion: """
            Builds the site into the output folder and serves it at http://127.0.0.1:PORT/. When a \
            file under Content/ or Themes/ changes, it rebuilds and the open page reloads by itself. \
            A failed build keeps the last good site and shows its errors (file, line, column and \
            message) on the page. Press Ctrl-C to stop. Exits 1 when the port is in use.
            """
    )

    @OptionGroup var site: SiteOptions
    @OptionGroup var problems: DiagnosticOptions

    @Option(name: .long, help: "Where to build the site (default: ROOT/Public).", completion: .directory)
    var output: String?

    @Option(name: .long, help: "The port to listen on at 127.0.0.1 (0 picks a free one).")
    var port: UInt16 = 8000

    func run() throws {
        let options = ServeOptions(
            build: BuildOptions(folders: site.folders(output: output)),
            port: port)
        do {
            try runBlocking {
                let server = try PreviewServer(options: options) { [problems] in
                    report($0, output: options.build.output, problems: problems)
                }
                let port = try await server.start()
                print("serving \(options.build.output.path) at http://127.0.0.1:\(port)/ (Ctrl-C to stop)")
                fflush(nil)
                try await server.waitUntilStopped()
            }
        } catch let error as ServeError {
            printError(error.description)
            throw ExitCode(1)
        }
    }
}

/// One line per build as it happens, with the errors in the build's own format.
private func report(_ build: ServeBuild, output: URL, problems: DiagnosticOptions) {
    // A checkout can touch hundreds of files: name a few.
    let named = build.changed.prefix(3).joined(separator: ", ")
    let more = build.changed.count > 3 ? " and \(build.changed.count - 3) more" : ""
    let cause = build.changed.isEmpty ? "" : "\(named)\(more) changed: "
    switch build.result {
    case .success(let report):
        problems.print(report.warnings)
        print(cause + report.summary)
    case .failure(.content(let diagnostics)):
        problems.print(diagnostics)
        let errors = diagnostics.errors.count
        // The build swaps in whole sites only, so whatever the output folder holds is the last good one.
        let serving =
            FileManager.default.fileExists(atPath: output.appendingPathComponent("index.html").path)
            ? "still serving the last good build" : "the browser shows the errors until a build succeeds"
        printError(cause + "build failed: \(errors) error\(errors == 1 ? "" : "s"); \(serving)")
    case .failure(.write(let message)):
        printError(cause + message)
    }
    fflush(nil)  // the log may be piped: show each build as it happens
}

/// The root command is synchronous, so an async command blocks the main thread on a semaphore
/// while its work runs on the task pool.
private func runBlocking(_ body: @escaping @Sendable () async throws -> Void) throws {
    let semaphore = DispatchSemaphore(value: 0)
    let outcome = Outcome()
    Task {
        do { try await body() } catch { outcome.set(error) }
        semaphore.signal()
    }
    semaphore.wait()
    if let error = outcome.error { throw error }
}

private final class Outcome: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: (any Error)?

    func set(_ error: any Error) { lock.withLock { stored = error } }
    var error: (any Error)? { lock.withLock { stored } }
}
