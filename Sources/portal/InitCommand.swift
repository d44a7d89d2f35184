import ArgumentParser
import Foundation
import PortalBuild
import PortalPublish
import PortalScaffold
import PortalServe
import PortalSupport

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Start a new site: a small report in placeholder words that builds as it is.",
        discussion: """
            portal init DIR writes DIR/Content/ with a commented site.yaml, a context section and a \
            threat section with numbered paragraphs, a capability, a table with a checked total and \
            a chart, and one entry in each data file. The default theme is built into portal, so no \
            Themes/ folder is needed; --theme also copies it to DIR/Themes/default/ to edit. Never \
            overwrites: exits 1, writing nothing, if any file it would write exists.
            """
    )

    @Argument(help: "The folder to create the site in (default: the current folder).", completion: .directory)
    var directory: String = "."

    @Flag(name: .long, help: "Also copy the built-in theme into Themes/default/ to edit.")
    var theme = false

    func validate() throws {
        if directory.hasPrefix("-") { throw ValidationError("'\(directory)' is not a folder name") }
    }

    func run() throws {
        let root = URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL
        switch initSite(at: root, copyTheme: theme) {
        case .success(let result):
            print("created a new site in \(root.path) (\(result.created.count) files)")
            for step in result.next { print("next: \(step)") }
        case .failure(let error):
            printError(error.description)
            throw ExitCode(1)
        }
    }
}
