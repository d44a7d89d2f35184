import ArgumentParser
import Foundation
import PortalScaffold
import PortalSupport

struct EditionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edition",
        abstract: "Record the current content as an edition the site keeps readable.",
        discussion: """
            portal edition 2023-12 copies Content/ into Editions/2023-12/ with a manifest of every \
            file's SHA-256 (edition.yaml). Every later build publishes it under editions/2023-12/ \
            with the same layout, checks it is unchanged, and shows what changed since it. Only \
            content with no errors is recorded; an id already recorded is refused. Exits 0 on \
            success, 1 when the content has errors or the edition exists, 2 on a usage error.
            """
    )

    @OptionGroup var site: SiteOptions

    @Argument(help: "The edition's id, for example 2023-12: its folder and part of its addresses.")
    var id: String

    @Option(name: .long, help: "Its title (default: the report's title in site.yaml).")
    var title: String?

    @Option(name: .long, help: "The date it was presented, year-month-day (default: the report's date).")
    var date: String?

    func run() throws {
        switch recordEdition(folders: site.folders(output: nil), id: id, title: title, date: date) {
        case .success(let result):
            for path in result.created { print("recorded \(path)") }
            for step in result.next { print("next: \(step)") }
        case .failure(let error):
            printError(error.description)
            throw ExitCode(error.isUsage ? 2 : 1)
        }
    }
}
