import ArgumentParser
import Foundation
import PortalBuild
import PortalPublish
import PortalScaffold
import PortalServe
import PortalSupport

struct PublishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Check, build, and rsync the site to a folder or user@host:path.",
        discussion: """
            Runs check and build; only if both succeed does it run rsync from the output folder to \
            DESTINATION, sending only the files that changed and deleting, after the transfer, the \
            files the site no longer has. Prints each file sent or deleted and a summary. \
            --dry-run shows what would change and changes nothing at the destination. Exits 1 on \
            content errors or a missing rsync (nothing is published) and when rsync fails (its \
            --delay-updates leaves the previous files in place), 2 on a usage error or a \
            destination it refuses: / or your home folder, the site's own folder, a destination \
            starting with '-', or a folder that holds files but was not made by portal publish \
            (it has no .portal-publish marker; create one to adopt a folder published before).
            """
    )

    @OptionGroup var site: SiteOptions
    @OptionGroup var problems: DiagnosticOptions

    @Option(name: .long, help: "The folder to build and publish (default: ROOT/Public).", completion: .directory)
    var output: String?

    @Flag(name: .long, help: "Show what would be sent and deleted without changing the destination.")
    var dryRun = false

    @Flag(name: .long, help: "Compare files by content, not time: for a build from a fresh checkout (a rollback).")
    var checksum = false

    @Option(name: .long, help: "The rsync program to run: a path, or a name looked up on PATH.")
    var rsync = "rsync"

    @Argument(help: "A local folder, or user@host:path on the web server.")
    var destination: String

    func run() throws {
        let options = PublishOptions(
            build: BuildOptions(folders: site.folders(output: output)),
            destination: destination, dryRun: dryRun, checksum: checksum, rsync: rsync)
        switch publish(options) {
        case .success(let report):
            problems.print(report.build.warnings)
            print(report.build.summary)
            for line in report.lines { print(line) }
            print(report.summary)
        case .failure(.content(let diagnostics)):
            problems.print(diagnostics)
            let errors = diagnostics.errors.count
            printError(
                "publish stopped: \(errors) error\(errors == 1 ? "" : "s") in the content; nothing was published")
            throw ExitCode(1)
        case .failure(.refused(let error)):
            printError(error.description)
            throw ExitCode(2)
        case .failure(.failed(let error)):
            printError(error.description)
            throw ExitCode(1)
        }
    }
}
