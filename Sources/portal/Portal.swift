import ArgumentParser
import Foundation
import PortalBuild
import PortalPublish
import PortalScaffold
import PortalServe
import PortalSupport

@main
struct Portal: ParsableCommand {
    /// Exit codes as documented: 0 success, 1 content errors, 2 usage errors. ArgumentParser's
    /// own usage code (64) is mapped to 2, the convention most command-line tools follow.
    static func main() {
        // ArgumentParser reads `-e sh -c x` as bundled short flags, finds the `h` and prints help
        // with exit 0; portal has no bundled flags, so anything longer than `-x` that is not a
        // `--long` option is a usage error (a destination cannot start with '-' either).
        let arguments = Array(CommandLine.arguments.dropFirst())
        for argument in arguments.prefix(while: { $0 != "--" })
        where argument.hasPrefix("-") && !argument.hasPrefix("--") && argument.count > 2 {
            printError(
                "error: '\(argument)' is not an option (portal has no short options but -h; "
                    + "a folder whose name starts with '-' is written ./\(argument))")
            Foundation.exit(2)
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                printError(fullMessage(for: error))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "portal",
        abstract:
            "Compile a board assurance report (Markdown and data files) into a checked, cross-linked static website.",
        discussion: """
            Authors write Markdown and data files in Content/; portal checks every reference and \
            figure and writes plain HTML into Public/, ready to publish with rsync.
            """,
        subcommands: [
            InitCommand.self, BuildCommand.self, CheckCommand.self, ServeCommand.self, NewCommand.self,
            PublishCommand.self, EditionCommand.self,
        ],
        defaultSubcommand: nil
    )
}

/// Options every command that reads a site shares.
struct SiteOptions: ParsableArguments {
    @Option(name: .long, help: "The folder holding Content/ and Themes/.", completion: .directory)
    var root: String = "."

    var rootURL: URL { URL(fileURLWithPath: root, isDirectory: true) }

    /// The site's folders, made once here from `--root` and `--output` and passed down.
    func folders(output: String?) -> SiteFolders {
        SiteFolders(root: rootURL, output: output.map { URL(fileURLWithPath: $0, isDirectory: true) })
    }
}

/// How many problems the terminal shows: one cause left unfixed can bring hundreds.
struct DiagnosticOptions: ParsableArguments {
    @Option(name: .long, help: "Stop listing problems after this many errors (0: list all).")
    var maxErrors: Int = 20

    func validate() throws {
        guard maxErrors >= 0 else { throw ValidationError("--max-errors must be 0 or more") }
    }

    /// Prints diagnostics to standard error, capped.
    func print(_ diagnostics: [Diagnostic]) {
        for line in diagnosticLines(diagnostics, maxErrors: maxErrors) { printError(line) }
    }
}

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build the site from Content/ into the output folder.",
        discussion: """
            Exits 0 on success with a one-line summary, 1 when the content has errors (each printed \
            as path:line:column: error: message), 2 on a usage error. A failed build leaves the \
            previous output untouched.
            """
    )

    @OptionGroup var site: SiteOptions
    @OptionGroup var problems: DiagnosticOptions

    @Option(name: .long, help: "Where to write the site (default: ROOT/Public).", completion: .directory)
    var output: String?

    @Flag(name: .long, help: "Ignore the last build's cache (.portal-cache) and build everything.")
    var full = false

    @Flag(name: .long, help: "Print how long each stage of a full build took.")
    var timings = false

    func run() throws {
        var options = BuildOptions(folders: site.folders(output: output), incremental: !full)
        options.exitsAfterBuild = true
        let terminal = TerminalProgress()
        if let terminal {
            options.progress = { @Sendable progress in terminal.show(progress) }
        }
        let result = build(options)
        terminal?.clear()
        switch result {
        case .success(let report):
            problems.print(report.warnings)
            print(report.summary)
            if timings, let stages = report.timings { print("stages: \(stages)") }
        case .failure(.content(let diagnostics)):
            problems.print(diagnostics)
            let errors = diagnostics.errors.count
            printError("build failed: \(errors) error\(errors == 1 ? "" : "s"); the previous output is unchanged")
            throw ExitCode(1)
        case .failure(.write(let message)):
            printError(message)
            throw ExitCode(1)
        }
    }
}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the content without writing anything.",
        discussion: """
            Runs every validation of a build: references, front matter, required fields, table \
            totals, paragraph numbers, orphan capabilities, acronyms missing from the glossary, \
            images without alternative text, empty sections. Exits 0 when clean, 1 on errors \
            (or on warnings with --strict).
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @OptionGroup var site: SiteOptions
    @OptionGroup var problems: DiagnosticOptions

    @Option(name: .long, help: "Output format: text (path:line:column: ...) or json (never capped).")
    var format: Format = .text

    @Flag(name: .long, help: "Fail on warnings too.")
    var strict = false

    func run() throws {
        let diagnostics = check(root: site.rootURL)
        switch format {
        case .json: print(diagnosticsJSON(diagnostics))
        case .text:
            problems.print(diagnostics)
            let errors = diagnostics.errors.count
            let warnings = diagnostics.warnings.count
            print("checked: \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
        }
        if diagnostics.hasErrors || (strict && !diagnostics.isEmpty) { throw ExitCode(1) }
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
