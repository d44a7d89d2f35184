import Foundation
import Testing

/// Runs the real `portal` binary, as authors and CI do, to check exit codes and output.
@Suite("Command line")
struct CommandLineTests {
    static let binary = repositoryRoot.appendingPathComponent(".build/debug/portal")

    func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self)
        )
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: binary.path)))
    func successPrintsASummary() throws {
        let fixture = try SiteFixture()
        let result = try run(["build", "--root", fixture.root.path])
        #expect(result.status == 0)
        #expect(result.stdout.contains("built "))
        #expect(result.stdout.contains(" ms"))
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: binary.path)))
    func contentErrorsExitOneWithLocations() throws {
        let fixture = try SiteFixture(overriding: [
            "Content/threats/beta.md": "---\ntitle: Beta\norder: 2\nsummary: B.\n---\n\n4. [x](capability:drone).\n"
        ])
        let result = try run(["build", "--root", fixture.root.path])
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "Content/threats/beta.md:7:4: error: unknown capability 'drone' (did you mean 'drones'?)"))
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: binary.path)))
    func usageErrorsExitTwo() throws {
        #expect(try run(["build", "--no-such-option"]).status == 2)
        let help = try run(["build", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--root"))
        #expect(help.stdout.contains("--output"))
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: binary.path)))
    func outputOptionWritesElsewhere() throws {
        let fixture = try SiteFixture()
        let elsewhere = fixture.root.appendingPathComponent("site-out")
        #expect(try run(["build", "--root", fixture.root.path, "--output", elsewhere.path]).status == 0)
        #expect(FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent("index.html").path))
    }
}

extension CommandLineTests {
    @Test(.enabled(if: FileManager.default.fileExists(atPath: binary.path)))
    func checkExitCodesAndJSON() throws {
        let clean = try SiteFixture()
        #expect(try run(["check", "--root", clean.root.path]).status == 0)
        let warned = try SiteFixture(overriding: [
            "Content/capabilities/lonely.md": "---\ntitle: Lonely\nsummary: Not cited.\n---\n"
        ])
        #expect(try run(["check", "--root", warned.root.path]).status == 0)
        #expect(try run(["check", "--root", warned.root.path, "--strict"]).status == 1)
        let broken = try SiteFixture(overriding: [
            "Content/threats/beta.md": "---\ntitle: Beta\norder: 2\nsummary: B.\n---\n\n4. [x](capability:drone).\n"
        ])
        let result = try run(["check", "--root", broken.root.path, "--format", "json"])
        #expect(result.status == 1)
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(json?["errors"] as? Int == 1)
        // check writes nothing
        #expect(!FileManager.default.fileExists(atPath: broken.output.path))
    }
}
