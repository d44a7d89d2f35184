import FlyingFox
import FlyingSocks
import Foundation
import PortalBuild
import PortalSupport

public struct ServeOptions: Sendable {
    /// What to build and where; the server serves exactly that output folder.
    public var build: BuildOptions
    /// The port on 127.0.0.1; 0 picks a free one.
    public var port: UInt16
    /// How often `Content/` and `Themes/` are looked at for changes.
    public var pollInterval: Duration
    /// What a request may send (see `FrontDoor`).
    public var limits: RequestLimits

    public init(
        build: BuildOptions, port: UInt16 = 8000, pollInterval: Duration = .milliseconds(300),
        limits: RequestLimits = RequestLimits()
    ) {
        self.build = build
        self.port = port
        self.pollInterval = pollInterval
        self.limits = limits
    }

    /// The folders whose changes trigger a rebuild.
    var watched: [URL] {
        [build.folders.content, build.folders.themes, build.folders.editions]
    }
}

/// A finished build, for the command line to report.
public struct ServeBuild: Sendable {
    public var result: Result<BuildReport, BuildFailure>
    /// The files whose change started it, relative to the root; empty for the first build.
    public var changed: [String]
}

public struct ServeError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var hint: String
    public var description: String { "error: \(message) (\(hint))" }
}

/// `portal serve`: builds the site, serves the output folder on 127.0.0.1, rebuilds when a file
/// under `Content/` or `Themes/` changes and tells open pages to reload. A failed build leaves the
/// last good site in place (the build swaps finished sites in atomically) and the pages show the
/// errors on top of it.
public actor PreviewServer {
    public let options: ServeOptions
    private let state = PreviewState()
    private let http: HTTPServer
    private let onBuild: @Sendable (ServeBuild) -> Void
    private var serverTask: Task<Void, Never>?
    private var watchTask: Task<Void, Never>?
    private var frontDoor: FrontDoor?

    public init(options: ServeOptions, onBuild: @escaping @Sendable (ServeBuild) -> Void = { _ in }) throws {
        self.options = options
        self.onBuild = onBuild
        // Loopback only: a preview of unpublished content is for the author's own browser. The
        // browser talks to the front door on the port asked for, which hands requests within
        // the limits on to FlyingFox on a free port of its own.
        let address = try sockaddr_in.inet(ip4: "127.0.0.1", port: 0)
        http = HTTPServer(
            address: address, timeout: 30, logger: .disabled,
            handler: PreviewHandler(output: options.build.output, state: state))
    }

    /// Starts listening, builds once, and starts watching; returns the port it listens on. Throws
    /// a `ServeError` when the port cannot be had, before anything is built.
    public func start() async throws -> UInt16 {
        // A wrong --root would otherwise serve an error page forever.
        let siteFile = options.build.root.appendingPathComponent(SitePath.siteFile)
        guard FileManager.default.fileExists(atPath: siteFile.path) else {
            throw ServeError(
                message: "no \(SitePath.siteFile) under \(options.build.root.path)",
                hint: SitePath.noSiteHint)
        }
        let door: FrontDoor
        do {
            door = try FrontDoor(port: options.port, limits: options.limits)
        } catch {
            throw listenError(code: error.code, message: error.message)
        }
        frontDoor = door
        let http = self.http
        let state = self.state
        serverTask = Task {
            do {
                try await http.run()
                await state.serverEnded(nil)
            } catch {
                await state.serverEnded(error)
            }
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while await !http.isListening {
            if let ended = await state.serverEnd {
                door.stop()
                throw listenError(ended.error)
            }
            guard ContinuousClock.now < deadline else {
                throw ServeError(
                    message: "the preview server did not start listening on port \(options.port)",
                    hint: "try another --port")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        guard case .ip4(_, let backend)? = await http.listeningAddress else {
            door.stop()
            throw ServeError(message: "the preview server has no address", hint: "try another --port")
        }
        door.start(backend: backend)
        let port = door.port

        // Pages asked for during this first build get the previous output, then reload.
        var snapshot = SourceSnapshot(folders: options.watched)
        await rebuild(changed: [])

        let options = self.options
        let onBuild = self.onBuild
        watchTask = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: options.pollInterval)
                var current = SourceSnapshot(folders: options.watched)
                guard current != snapshot else { continue }
                // Debounce: editors and git write several files in a burst; wait until quiet.
                while !Task.isCancelled {
                    try? await Task.sleep(for: options.pollInterval / 3)
                    let again = SourceSnapshot(folders: options.watched)
                    if again == current { break }
                    current = again
                }
                let root = options.build.root.path + "/"
                let changed = current.changes(since: snapshot).map {
                    $0.hasPrefix(root) ? String($0.dropFirst(root.count)) : $0
                }
                snapshot = current
                await Self.build(options: options, state: state, changed: changed, onBuild: onBuild)
            }
        }
        return port
    }

    /// Waits until the server stops (by `stop()`, or on an error, which is thrown).
    public func waitUntilStopped() async throws {
        await serverTask?.value
        if let ended = await state.serverEnd, let error = ended.error {
            throw ServeError(message: "the preview server stopped: \(error.localizedDescription)", hint: "restart it")
        }
    }

    public func stop() async {
        watchTask?.cancel()
        await watchTask?.value
        frontDoor?.stop()
        await http.stop()
        await serverTask?.value
    }

    /// The status the pages see now, for tests and the command line.
    public var status: BuildStatus {
        get async { await state.status }
    }

    private func rebuild(changed: [String]) async {
        await Self.build(options: options, state: state, changed: changed, onBuild: onBuild)
    }

    private static func build(
        options: ServeOptions, state: PreviewState, changed: [String], onBuild: @Sendable (ServeBuild) -> Void
    ) async {
        let result = await buildOffCooperativePool(options.build)
        await state.record(result)
        onBuild(ServeBuild(result: result, changed: changed))
    }

    private func listenError(_ error: (any Error)?) -> ServeError {
        let port = options.port
        if case .failed(_, let code, let message)? = error as? SocketError {
            return listenError(code: code, message: message)
        }
        return ServeError(
            message: "cannot listen on 127.0.0.1:\(port): \(error?.localizedDescription ?? "unknown error")",
            hint: "try another --port")
    }

    private func listenError(code: Int32, message: String) -> ServeError {
        let port = options.port
        if code == EADDRINUSE {
            return ServeError(
                message: "port \(port) on 127.0.0.1 is already in use",
                hint: "stop the other server or choose another port with --port")
        }
        if code == EACCES {
            return ServeError(
                message: "no permission to listen on port \(port)", hint: "choose a port above 1023 with --port")
        }
        return ServeError(message: "cannot listen on 127.0.0.1:\(port): \(message)", hint: "try another --port")
    }
}

/// A build blocks its thread for the whole pipeline; run it on a thread of its own so the
/// server's tasks keep answering meanwhile (Dispatch's global queue has one thread per core, which
/// other blocking work may be holding).
private func buildOffCooperativePool(_ options: BuildOptions) async -> Result<BuildReport, BuildFailure> {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: build(options)) }.start()
    }
}

/// Shared between the request handlers, the event streams and the watcher.
actor PreviewState {
    struct ServerEnd {
        var error: (any Error)?
    }

    private(set) var status = BuildStatus()
    private(set) var serverEnd: ServerEnd?

    func record(_ result: Result<BuildReport, BuildFailure>) {
        status = status.next(after: result)
    }

    func serverEnded(_ error: (any Error)?) {
        serverEnd = ServerEnd(error: error)
    }
}

/// Answers GET and HEAD from the output folder, adds the live-reload script to pages, and streams
/// build events on the reserved path.
struct PreviewHandler: HTTPHandler {
    let output: URL
    let state: PreviewState

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard request.method == .GET || request.method == .HEAD else {
            return HTTPResponse(statusCode: .methodNotAllowed, headers: HTTPHeaders([HTTPHeader("Allow"): "GET, HEAD"]))
        }
        let head = request.method == .HEAD
        let path = request.target.path(percentEncoded: true)
        if path == liveReloadEventsPath {
            return HTTPResponse(
                statusCode: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
                body: HTTPBodySequence(from: BuildEventStream(state: state)))
        }
        let status = await state.status
        switch servedPath(for: path, in: output) {
        case .file(let url):
            guard let data = servedBytes(url.path) else {
                return notFound(status: status, head: head)
            }
            return response(.ok, data: data, type: contentType(forPath: url.path), status: status, head: head)
        case .redirect(let location):
            return HTTPResponse(statusCode: .movedPermanently, headers: HTTPHeaders([.location: location]))
        case .notFound:
            return notFound(status: status, head: head)
        }
    }

    /// The site's own 404 page when it has one; the errors alone when no build has succeeded yet.
    private func notFound(status: BuildStatus, head: Bool) -> HTTPResponse {
        if case .file(let url) = servedPath(for: "/404.html", in: output),
            let data = servedBytes(url.path)
        {
            return response(.notFound, data: data, type: contentType(forPath: url.path), status: status, head: head)
        }
        if !status.succeeded {
            return response(
                .notFound, data: Data(errorOnlyPage(status).utf8), type: "text/html; charset=utf-8", status: status,
                head: head)
        }
        return response(
            .notFound, data: Data("Not found\n".utf8), type: "text/plain; charset=utf-8", status: status, head: head)
    }

    private func response(_ code: HTTPStatusCode, data: Data, type: String, status: BuildStatus, head: Bool)
        -> HTTPResponse
    {
        var body = data
        if type.hasPrefix("text/html") {
            body = Data(injectLiveReload(into: String(decoding: data, as: UTF8.self), status: status).utf8)
        }
        // Pages change under the author's hands: never let the browser keep a stale copy.
        var headers: HTTPHeaders = [.contentType: type, .cacheControl: "no-store"]
        if head {
            headers[.contentLength] = String(body.count)
            body = Data()
        }
        return HTTPResponse(statusCode: code, headers: headers, body: body)
    }
}

/// A regular file's bytes: a FIFO or device placed in the output folder would block the task
/// that opened it, and the server's tasks share a thread or two.
private func servedBytes(_ path: String) -> Data? {
    (try? readRegularFile(path).get()).map { Data($0) }
}

/// Server-Sent Events: the current build at once, then one event per finished build, and a
/// comment now and then so a closed tab's connection is noticed and dropped.
struct BuildEventStream: AsyncBufferedSequence {
    typealias Element = UInt8
    let state: PreviewState

    func makeAsyncIterator() -> Iterator { Iterator(state: state) }

    struct Iterator: AsyncBufferedIteratorProtocol {
        let state: PreviewState
        var sent: Int?
        var pending: [UInt8] = []
        var lastWrite = ContinuousClock.now

        mutating func next() async throws -> UInt8? {
            if pending.isEmpty { pending = try await nextEvent() }
            return pending.removeFirst()
        }

        mutating func nextBuffer(suggested count: Int) async throws -> [UInt8]? {
            if pending.isEmpty { pending = try await nextEvent() }
            let chunk = Array(pending.prefix(Swift.max(count, 1)))
            pending.removeFirst(chunk.count)
            return chunk
        }

        /// Waits for a build the client has not been told about; ends by cancellation when the
        /// server stops, or by a write error when the client has gone.
        private mutating func nextEvent() async throws -> [UInt8] {
            while true {
                let status = await state.status
                if status.generation != sent {
                    sent = status.generation
                    lastWrite = .now
                    return Array(buildEvent(status).utf8)
                }
                if ContinuousClock.now - lastWrite > .seconds(15) {
                    lastWrite = .now
                    return Array(": keep-alive\n\n".utf8)
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }
}
