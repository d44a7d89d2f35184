import Foundation
import PortalBuild
import PortalSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a request may send before the preview server reads it.
public struct RequestLimits: Sendable {
    /// The request line (`GET /path HTTP/1.1`): longer is answered 414.
    public var requestLine = 8 * 1024
    /// The whole head, request line and headers: larger is answered 431.
    public var headBytes = 64 * 1024
    /// Header lines: more is answered 431.
    public var headerCount = 100
    /// Seconds a client has to send its whole head: slower is answered 408.
    public var headSeconds = 10

    public init() {}
}

/// The socket the browser talks to. FlyingFox reads a request line or a header of any length
/// byte by byte, with no time limit, so one 8 MB request line froze `portal serve`; here each
/// connection gets a thread of its own that reads the head within the limits and a time limit,
/// answers 414, 431 or 408 itself when it breaks them, and otherwise hands the request on to
/// FlyingFox on a loopback port of its own (with `Connection: close`, so every request has its
/// head checked) and copies the answer back. A slow or hostile client holds only its own thread.
final class FrontDoor: @unchecked Sendable {
    private let listener: Int32
    let port: UInt16
    private let limits: RequestLimits
    private let lock = NSLock()
    private var stopped = false

    /// Listens on 127.0.0.1:`port` (0 picks one); throws the `errno` of a failed bind or listen.
    init(port: UInt16, limits: RequestLimits) throws(FrontDoorError) {
        self.limits = limits
        let descriptor = makeSocket()
        guard descriptor >= 0 else { throw FrontDoorError(code: errno) }
        var reuse: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = loopback(port: port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(descriptor, 128) == 0 else {
            let code = errno
            close(descriptor)
            throw FrontDoorError(code: code)
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        listener = descriptor
        self.port = UInt16(bigEndian: actual.sin_port)
    }

    /// Accepts connections on a thread of its own until `stop()`, handing good requests on to
    /// 127.0.0.1:`backend`.
    func start(backend: UInt16) {
        Thread { [self] in
            while true {
                let client = accept(listener, nil, nil)
                if client < 0 {
                    if errno == EINTR || errno == ECONNABORTED { continue }
                    return
                }
                Thread { [self] in serve(client, backend: backend) }.start()
            }
        }.start()
    }

    /// Once only: a second close could close a descriptor the process has since reused.
    func stop() {
        let first = lock.withLock {
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func serve(_ client: Int32, backend: UInt16) {
        defer { close(client) }
        var timeout = timeval(tv_sec: limits.headSeconds, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        noSignalOnClosedPeer(client)
        let head: RequestHead
        switch readHead(client, limits: limits) {
        case .head(let value): head = value
        case .closed: return
        case .refused(let status, let reason):
            refuse(client, status: status, reason: reason)
            return
        }
        let upstream = makeSocket()
        guard upstream >= 0 else { return }
        defer { close(upstream) }
        var address = loopback(port: backend)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return }
        noSignalOnClosedPeer(upstream)
        guard sendAll(upstream, head.forwarded) else { return }
        // The answer streams back as it comes (the live-reload events never end); the client
        // going away ends the copy at the next write.
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(upstream, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0, sendAll(client, buffer[0..<count]) else { return }
        }
    }

    /// Answers a request that broke a limit, then reads (and drops) what the client is still
    /// sending for a moment, so it sees the answer instead of a reset connection.
    private func refuse(_ client: Int32, status: String, reason: String) {
        let body = reason + "\n"
        let response =
            "HTTP/1.1 \(status)\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        guard sendAll(client, Array(response.utf8)) else { return }
        shutdown(client, Int32(SHUT_WR))
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let deadline = ContinuousClock.now + .seconds(2)
        while ContinuousClock.now < deadline {
            let count = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            if count <= 0 && errno != EINTR { return }
        }
    }
}

struct FrontDoorError: Error {
    var code: Int32
    var message: String { String(cString: strerror(code)) }
}

/// A request head that kept within the limits, ready to hand on.
struct RequestHead {
    /// Only what the preview handler reads: the method, the path without its query, and the
    /// version, with `Connection: close`. FlyingFox reads every byte of a head one at a time, so
    /// an 8 KB query or a hundred headers it would only skip are not handed on at all.
    var forwarded: [UInt8]
}

enum HeadReading {
    case head(RequestHead)
    /// The client went away before sending a whole head.
    case closed
    /// Answer with this status line and reason.
    case refused(String, String)
}

/// Reads a request head from a socket whose receive timeout is set, within `limits`.
func readHead(_ socket: Int32, limits: RequestLimits) -> HeadReading {
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 8_192)
    let deadline = ContinuousClock.now + .seconds(limits.headSeconds)
    while true {
        if let parsed = parseHead(received, limits: limits) { return parsed }
        // A client that trickles a byte at a time gets no more time than one that stalls.
        guard ContinuousClock.now < deadline else {
            return .refused("408 Request Timeout", "the request took too long to arrive")
        }
        let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        if count < 0 && errno == EINTR { continue }
        if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
            return .refused("408 Request Timeout", "the request took too long to arrive")
        }
        guard count > 0 else { return .closed }
        received += buffer[0..<count]
    }
}

/// The head in `bytes` if it is complete and within the limits, a refusal if it breaks one
/// (even before it is complete), or nil to read more.
func parseHead(_ bytes: [UInt8], limits: RequestLimits) -> HeadReading? {
    let lineEnd = bytes.firstIndex(of: ASCII.newline)
    if (lineEnd ?? bytes.count) > limits.requestLine {
        return .refused("414 URI Too Long", "the request line is longer than \(limits.requestLine) bytes")
    }
    var lines: [ArraySlice<UInt8>] = []
    var start = 0
    var end: Int?
    for index in bytes.indices where bytes[index] == ASCII.newline {
        var line = bytes[start..<index]
        if line.last == ASCII.carriageReturn { line = line.dropLast() }
        start = index + 1
        if line.isEmpty {
            end = start
            break
        }
        lines.append(line)
    }
    if (end ?? bytes.count) > limits.headBytes {
        return .refused(
            "431 Request Header Fields Too Large", "the request's headers are larger than \(limits.headBytes) bytes")
    }
    if lines.count - 1 > limits.headerCount {
        return .refused(
            "431 Request Header Fields Too Large", "the request has more than \(limits.headerCount) headers")
    }
    guard end != nil, let requestLine = lines.first else { return nil }
    let parts = requestLine.split(separator: ASCII.space, omittingEmptySubsequences: true)
    guard parts.count == 3 else { return .refused("400 Bad Request", "the request line is not METHOD PATH VERSION") }
    let path = parts[1].prefix { $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") }
    var forwarded = Array(parts[0]) + [ASCII.space] + Array(path) + [ASCII.space] + Array(parts[2])
    forwarded += Array("\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
    return .head(RequestHead(forwarded: forwarded))
}

private func makeSocket() -> Int32 {
    #if canImport(Glibc)
        socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
        socket(AF_INET, SOCK_STREAM, 0)
    #endif
}

private func loopback(port: UInt16) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return address
}

/// A write to a peer that has gone must fail, not end the process with SIGPIPE.
private func noSignalOnClosedPeer(_ socket: Int32) {
    #if canImport(Darwin)
        var on: Int32 = 1
        setsockopt(socket, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
    #endif
}

private func sendAll(_ socket: Int32, _ bytes: some Collection<UInt8>) -> Bool {
    let array = Array(bytes)
    var offset = 0
    #if canImport(Glibc)
        let flags = Int32(MSG_NOSIGNAL)
    #else
        let flags: Int32 = 0
    #endif
    while offset < array.count {
        let sent = array[offset...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, flags) }
        if sent < 0 && errno == EINTR { continue }
        guard sent > 0 else { return false }
        offset += sent
    }
    return true
}
