import Foundation
import Testing

@testable import PortalBuild
@testable import PortalLoad
@testable import PortalMarkdown
@testable import PortalPublish
@testable import PortalRender
@testable import PortalResolve
@testable import PortalScaffold
@testable import PortalServe
@testable import PortalSupport
@testable import PortalTemplates
@testable import PortalWrite

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `portal serve` end to end over real sockets: a server on a free port per test, requests sent
/// byte for byte as written (a URL library would normalise `/../` away before sending).
@Suite("Serve")
struct ServeTests {
    /// A fixture site with a running preview server; stop it at the end of the test.
    struct Running {
        let fixture: SiteFixture
        let server: PreviewServer
        let port: UInt16

        init(_ fixture: SiteFixture) async throws {
            self.fixture = fixture
            server = try PreviewServer(options: ServeOptions(build: BuildOptions(root: fixture.root), port: 0))
            port = try await server.start()
        }

        func get(_ target: String) async throws -> HTTPReply {
            try await httpGet(port: port, target: target)
        }

        /// Polls a page until it satisfies `condition`; returns it with the time that took.
        func poll(_ target: String, within limit: Duration = .seconds(2), until condition: (HTTPReply) -> Bool)
            async throws -> (HTTPReply, Duration)
        {
            let clock = ContinuousClock()
            let start = clock.now
            var reply = try await get(target)
            while !condition(reply) && clock.now - start < limit {
                try await Task.sleep(for: .milliseconds(25))
                reply = try await get(target)
            }
            return (reply, clock.now - start)
        }
    }

    @Test func servesPagesWithTheReloadScriptOnlyInResponses() async throws {
        let running = try await Running(try SiteFixture())
        let home = try await running.get("/")
        #expect(home.status == 200)
        #expect(home.headers["content-type"] == "text/html; charset=utf-8")
        #expect(home.body.contains("data-portal-serve"))
        #expect(home.body.contains("/__portal/events"))
        #expect(!home.body.contains("portal-build-errors"))
        let page = try await running.get("/threats/alpha.html")
        #expect(page.status == 200)
        #expect(page.body.contains("Alpha threat"))
        let css = try await running.get("/assets/site.css")
        #expect(css.status == 200)
        #expect(css.headers["content-type"] == "text/css; charset=utf-8")
        #expect(!css.body.contains("data-portal-serve"))
        let folder = try await running.get("/threats")
        #expect(folder.status == 301)
        #expect(folder.headers["location"] == "/threats/")
        // The output folder itself never holds the script: it is added as pages are served.
        #expect(!(try running.fixture.read("index.html")).contains("data-portal-serve"))
        await running.server.stop()
    }

    @Test func pathsThatEscapeTheOutputFolderAre404() async throws {
        let running = try await Running(try SiteFixture())
        let output = running.fixture.output
        // Links inside the output that point out of it: to a file and to the site root.
        try FileManager.default.createSymbolicLink(
            atPath: output.appendingPathComponent("leak.yaml").path,
            withDestinationPath: running.fixture.root.appendingPathComponent("Content/site.yaml").path)
        try FileManager.default.createSymbolicLink(
            atPath: output.appendingPathComponent("up").path, withDestinationPath: running.fixture.root.path)
        let escapes = [
            "/../Content/site.yaml", "/%2e%2e/Content/site.yaml", "/%2E%2E%2FContent%2Fsite.yaml",
            "/..%2fContent/site.yaml", "/threats/../../Content/site.yaml", "/threats/%2e%2e/%2e%2e/Content/site.yaml",
            "/threats/..%2F..%2FContent%2Fsite.yaml", "/%252e%252e/Content/site.yaml", "/./../Content/site.yaml",
            "//etc/passwd", "/..%5cContent%5csite.yaml", "/index.html%00.css", "/leak.yaml", "/up/Content/site.yaml",
        ]
        for target in escapes {
            let reply = try await running.get(target)
            #expect(reply.status == 404, "\(target) answered \(reply.status)")
            #expect(!reply.body.contains("organisation: Test Constabulary"), "\(target) leaked site.yaml")
        }
        // Normalising that stays inside is fine.
        #expect(try await running.get("/threats/../index.html").status == 200)
        await running.server.stop()
    }

    @Test func anEditShowsWithinTwoSeconds() async throws {
        let running = try await Running(try SiteFixture())
        #expect(try await running.get("/threats/alpha.html").body.contains("Alpha threat"))
        let source = try String(
            contentsOf: running.fixture.root.appendingPathComponent("Content/threats/alpha.md"), encoding: .utf8)
        try running.fixture.write(
            source.replacingOccurrences(of: "title: Alpha threat", with: "title: Alpha edited threat"),
            to: "Content/threats/alpha.md")
        let (page, elapsed) = try await running.poll("/threats/alpha.html") { $0.body.contains("Alpha edited threat") }
        #expect(page.body.contains("Alpha edited threat"))
        #expect(elapsed < .seconds(2))
        await running.server.stop()
    }

    @Test func aBrokenEditShowsTheErrorsOverTheLastGoodPage() async throws {
        let running = try await Running(try SiteFixture())
        let good = try await running.get("/threats/beta.html")
        #expect(good.body.contains("Beta threat"))
        try running.fixture.write(
            "---\ntitle: Beta threat\norder: 2\nsummary: Beta.\n---\n\n4. [x](capability:drone<b>).\n",
            to: "Content/threats/beta.md")
        let (broken, _) = try await running.poll("/threats/beta.html") { $0.body.contains("portal-build-errors") }
        #expect(broken.status == 200)
        #expect(broken.body.contains("portal-build-errors"))
        // The last good page is still the one served, with the overlay on top.
        #expect(broken.body.contains("Beta threat"))
        #expect(broken.body.contains("<code>Content/threats/beta.md:7:4</code>"))
        #expect(!broken.body.contains("drone<b>"))
        #expect(await running.server.status.succeeded == false)

        try running.fixture.write(
            "---\ntitle: Beta threat\norder: 2\nsummary: Beta fixed.\n---\n\n4. Beta relies on [drones](capability:drones).\n",
            to: "Content/threats/beta.md")
        let (fixed, _) = try await running.poll("/threats/beta.html") { !$0.body.contains("portal-build-errors") }
        #expect(!fixed.body.contains("portal-build-errors"))
        #expect(fixed.body.contains("Beta fixed."))
        await running.server.stop()
    }

    @Test func theEventStreamAnnouncesEachBuild() async throws {
        let running = try await Running(try SiteFixture())
        let stream = try RawConnection(port: running.port)
        try stream.send("GET /__portal/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        let first = try await stream.read { $0.contains("\"generation\":1,\"ok\":true") }
        #expect(first.contains("text/event-stream"))
        try running.fixture.write(
            "---\ntitle: Drones\nsummary: Unmanned aircraft, edited.\nlevel: local\nthreats: [alpha]\n---\n",
            to: "Content/capabilities/drones.md")
        let second = try await stream.read { $0.contains("\"generation\":2") }
        #expect(second.contains("event: build"))
        stream.close()
        await running.server.stop()
    }

    @Test func aPortInUseIsAnErrorBeforeAnythingIsBuilt() async throws {
        let running = try await Running(try SiteFixture())
        let other = try SiteFixture()
        let second = try PreviewServer(options: ServeOptions(build: BuildOptions(root: other.root), port: running.port))
        do {
            _ = try await second.start()
            Issue.record("a second server started on a port in use")
        } catch let error as ServeError {
            #expect(error.description.contains("port \(running.port) on 127.0.0.1 is already in use"))
            #expect(!error.description.contains("\n"))
        }
        #expect(!FileManager.default.fileExists(atPath: other.output.path))
        await running.server.stop()
    }

    @Test func aFolderWithoutASiteIsAnError() async throws {
        let empty = scratchFolder("portal-empty")
        let server = try PreviewServer(options: ServeOptions(build: BuildOptions(root: empty), port: 0))
        await #expect(throws: ServeError.self) { _ = try await server.start() }
        #expect(!FileManager.default.fileExists(atPath: empty.path))
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: CommandLineTests.binary.path)))
    func theCommandExitsOneWhenThePortIsInUse() async throws {
        let running = try await Running(try SiteFixture())
        let other = try SiteFixture()
        let result = try await runOffPool {
            try CommandLineTests().run(["serve", "--root", other.root.path, "--port", String(running.port)])
        }
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "error: port \(running.port) on 127.0.0.1 is already in use (stop the other server or choose another port with --port)\n"
        )
        await running.server.stop()
    }

    /// Sends `head` on a thread of its own (it may be megabytes the server stops reading) and
    /// returns the status line of the answer.
    func statusLine(port: UInt16, sending head: String) async throws -> String {
        // The server may close while megabytes are still being sent: a failed write, not SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let connection = try RawConnection(port: port)
        let sent = DispatchSemaphore(value: 0)
        Thread {
            try? connection.send(head)
            sent.signal()
        }.start()
        // Closed only once the sender is done, so it never writes into a reused descriptor.
        defer {
            sent.wait()
            connection.close()
        }
        let reply = try await connection.read { $0.contains("\r\n") }
        return reply.components(separatedBy: "\r\n").first ?? ""
    }

    @Test func anOverlongRequestLineIs414AndTheServerStaysUp() async throws {
        let running = try await Running(try SiteFixture())
        let line = "GET /" + String(repeating: "a", count: 8 * 1024 * 1024) + " HTTP/1.1\r\n\r\n"
        #expect(try await statusLine(port: running.port, sending: line) == "HTTP/1.1 414 URI Too Long")
        #expect(try await running.get("/").status == 200)
        await running.server.stop()
    }

    @Test func oversizedOrTooManyHeadersAre431() async throws {
        let running = try await Running(try SiteFixture())
        let large = (0..<80).map { "X-Filler-\($0): " + String(repeating: "b", count: 1000) }.joined(separator: "\r\n")
        let many = (0..<101).map { "X-\($0): 1" }.joined(separator: "\r\n")
        for headers in [large, many] {
            let head = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\(headers)\r\n\r\n"
            #expect(
                try await statusLine(port: running.port, sending: head)
                    == "HTTP/1.1 431 Request Header Fields Too Large")
        }
        // Within the limits: a request line of 8,000 bytes and 99 headers.
        let allowed = (0..<98).map { "X-\($0): 1" }.joined(separator: "\r\n")
        let target = "/?" + String(repeating: "q", count: 7_900)
        let head = "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(allowed)\r\nConnection: close\r\n\r\n"
        #expect(try await statusLine(port: running.port, sending: head) == "HTTP/1.1 200 OK")
        await running.server.stop()
    }

    @Test func aSlowClientDoesNotBlockOthersAndTimesOut() async throws {
        let fixture = try SiteFixture()
        var limits = RequestLimits()
        limits.headSeconds = 3
        let server = try PreviewServer(
            options: ServeOptions(build: BuildOptions(root: fixture.root), port: 0, limits: limits))
        let port = try await server.start()
        let slow = try RawConnection(port: port)
        defer { slow.close() }
        try slow.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        let clock = ContinuousClock()
        let start = clock.now
        #expect(try await httpGet(port: port, target: "/").status == 200)
        #expect(clock.now - start < .seconds(2))
        let answer = try await slow.read { $0.contains("\r\n") }
        #expect(answer.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
        #expect(try await httpGet(port: port, target: "/").status == 200)
        await server.stop()
    }

    @Test func aFIFOInTheOutputFolderIsNotFoundAndBlocksNothing() async throws {
        let running = try await Running(try SiteFixture())
        #expect(mkfifo(running.fixture.output.appendingPathComponent("pipe.html").path, 0o644) == 0)
        #expect(try await running.get("/pipe.html").status == 404)
        #expect(try await running.get("/").status == 200)
        await running.server.stop()
    }

    @Test func headsAreHandedOnWithConnectionClose() {
        let limits = RequestLimits()
        guard
            case .head(let head)? = parseHead(
                Array(
                    "GET /threats/?q=1 HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\nKeep-Alive: 5\r\n\r\nrest".utf8),
                limits: limits)
        else {
            Issue.record("a complete head must parse")
            return
        }
        #expect(
            String(decoding: head.forwarded, as: UTF8.self)
                == "GET /threats/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        #expect(parseHead(Array("GET / HTTP/1.1\r\nHost: x\r\n".utf8), limits: limits) == nil)
        guard case .refused(let status, _)? = parseHead(Array("GARBAGE\r\n\r\n".utf8), limits: limits) else {
            Issue.record("a request line without a path must be refused")
            return
        }
        #expect(status == "400 Bad Request")
    }
}

@Suite("Serve paths and pages")
struct ServedPathTests {
    @Test func pathsMapInsideTheFolderOnly() throws {
        let fixture = try SiteFixture()
        guard case .success = fixture.build() else {
            Issue.record("fixture did not build")
            return
        }
        let output = fixture.output
        let index = output.appendingPathComponent("index.html").resolvingSymlinksInPath().path
        #expect(servedPath(for: "/", in: output) == .file(URL(fileURLWithPath: index)))
        #expect(servedPath(for: "/index.html", in: output) == .file(URL(fileURLWithPath: index)))
        #expect(servedPath(for: "/threats/./../index.html", in: output) == .file(URL(fileURLWithPath: index)))
        #expect(servedPath(for: "/threats", in: output) == .redirect("/threats/"))
        for escape in ["/..", "/../", "/%2e%2e/", "/a/../../", "relative.html", "/%zz", "/x%00"] {
            #expect(servedPath(for: escape, in: output) == .notFound, "\(escape)")
        }
    }

    @Test func contentTypesForWhatASiteHolds() {
        #expect(contentType(forPath: "a/b.html") == "text/html; charset=utf-8")
        #expect(contentType(forPath: "site.css") == "text/css; charset=utf-8")
        #expect(contentType(forPath: "search.js") == "text/javascript; charset=utf-8")
        #expect(contentType(forPath: "logo.svg") == "image/svg+xml")
        #expect(contentType(forPath: "logo.PNG") == "image/png")
        #expect(contentType(forPath: "t.csv") == "text/csv; charset=utf-8")
        #expect(contentType(forPath: "index.json") == "application/json")
        #expect(contentType(forPath: "blob") == "application/octet-stream")
    }

    @Test func theOverlayEscapesWhatTheAuthorWrote() {
        let status = BuildStatus(
            generation: 3,
            errors: [
                .error(
                    "x", "unknown capability '<script>alert(1)</script>'", hint: "did you mean \"a&b\"?",
                    at: SourceLocation(file: "Content/threats/<x>.md", line: 7, column: 4))
            ])
        let page = injectLiveReload(into: "<html><body><p>page</p></body></html>", status: status)
        #expect(page.contains("<code>Content/threats/&lt;x&gt;.md:7:4</code>"))
        #expect(page.contains("unknown capability &#39;&lt;script&gt;alert(1)&lt;/script&gt;&#39;"))
        #expect(page.contains("did you mean &quot;a&amp;b&quot;?"))
        #expect(!page.contains("<script>alert"))
        #expect(page.hasSuffix("</body></html>"))
        #expect(page.contains("var served = 3;"))
        let good = injectLiveReload(into: "<p>no body tag</p>", status: BuildStatus(generation: 1))
        #expect(good.hasPrefix("<p>no body tag</p><script data-portal-serve>"))
        #expect(!good.contains("portal-build-errors"))
    }
}

/// What a server answered.
struct HTTPReply {
    var status: Int
    /// Header names in lower case.
    var headers: [String: String]
    var body: String
}

/// One GET with `Connection: close`, read to the end.
func httpGet(port: UInt16, target: String) async throws -> HTTPReply {
    try await runOffPool {
        let connection = try RawConnection(port: port)
        defer { connection.close() }
        try connection.send("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        return parseReply(try connection.readToEnd())
    }
}

private func parseReply(_ text: String) -> HTTPReply {
    let parts = text.components(separatedBy: "\r\n\r\n")
    let head = parts.first ?? ""
    let lines = head.components(separatedBy: "\r\n")
    let status = lines.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
    var headers: [String: String] = [:]
    for line in lines.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return HTTPReply(status: status, headers: headers, body: parts.dropFirst().joined(separator: "\r\n\r\n"))
}

/// Blocking calls get a thread of their own: never one of the few that run tasks, nor one of
/// Dispatch's shared ones, both of which the server under test needs.
func runOffPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

struct SocketFailure: Error, CustomStringConvertible {
    var description: String
}

/// A plain TCP connection to 127.0.0.1, with a receive timeout so a test can never hang.
final class RawConnection: @unchecked Sendable {
    private let descriptor: Int32
    private var received = Data()

    init(port: UInt16, timeoutSeconds: Int = 5) throws {
        #if canImport(Glibc)
            descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw SocketFailure(description: "socket() failed") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            closeDescriptor(descriptor)
            throw SocketFailure(description: "connect to port \(port) failed")
        }
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard sent > 0 else { throw SocketFailure(description: "send failed") }
            offset += sent
        }
    }

    /// Reads until the peer closes the connection.
    func readToEnd() throws -> String {
        while try receiveSome() {}
        return String(decoding: received, as: UTF8.self)
    }

    /// Reads until what has arrived satisfies `condition` (or the receive timeout passes).
    func read(until condition: @escaping @Sendable (String) -> Bool) async throws -> String {
        try await runOffPool {
            while !condition(String(decoding: self.received, as: UTF8.self)) {
                guard try self.receiveSome() else { break }
            }
            return String(decoding: self.received, as: UTF8.self)
        }
    }

    /// One read; false at the end of the stream.
    private func receiveSome() throws -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16_384)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count < 0 { throw SocketFailure(description: "receive failed or timed out") }
        received.append(contentsOf: buffer[0..<count])
        return count > 0
    }

    func close() {
        closeDescriptor(descriptor)
    }
}

private func closeDescriptor(_ descriptor: Int32) {
    #if canImport(Glibc)
        _ = Glibc.close(descriptor)
    #else
        _ = Darwin.close(descriptor)
    #endif
}
