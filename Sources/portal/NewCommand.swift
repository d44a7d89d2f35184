import ArgumentParser
import Foundation
import PortalBuild
import PortalPublish
import PortalScaffold
import PortalServe
import PortalSupport

struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create a section, capability or table from a template that builds as it is.",
        discussion: """
            portal new section NAME writes Content/sections/<slug>.md with the next free order and \
            paragraph number (portal new threat NAME the same in Content/threats/); portal new capability NAME writes Content/capabilities/<slug>.md; \
            portal new table NAME writes Content/data/tables/<slug>.csv and its .yaml sidecar. The \
            slug is NAME in lower case with hyphens. Never overwrites: exits 1 if a file exists.
            """
    )

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case section, threat, capability, table
    }

    @OptionGroup var site: SiteOptions

    @Argument(help: "What to create: section, threat, capability or table.")
    var kind: Kind

    @Argument(help: "Its title, for example \"Roads Safety\" (quotes optional).")
    var name: [String]

    func run() throws {
        guard let scaffoldKind = ScaffoldKind(rawValue: kind.rawValue) else { throw ExitCode(2) }
        switch scaffold(scaffoldKind, name: name.joined(separator: " "), root: site.rootURL) {
        case .success(let result):
            for path in result.created { print("created \(path)") }
            for step in result.next { print("next: \(step)") }
        case .failure(let error):
            printError(error.description)
            throw ExitCode(error.isUsage ? 2 : 1)
        }
    }
}
