import PortalLoad
import PortalResolve
import PortalSupport
import PortalTemplates

/// `editions/index.html`: every edition of the report, newest first, the current one at the top.
func editionsPage(_ context: RenderContext) -> BuiltPage {
    let graph = context.graph
    let from = PageID.editions.path
    let report = graph.config.report
    var current: TemplateObject = [
        "edition_title": .text(report.title ?? graph.config.title), "edition_is_current": .bool(true),
        "edition_href": .text(relativeURL(from: from, to: PageID.home.path)),
    ]
    if let date = report.date {
        current["edition_date"] = .text(date.formatted)
        current["edition_date_iso"] = .text(date.iso)
    }
    if !graph.editions.recorded.isEmpty {
        current["edition_changes_href"] = .text(relativeURL(from: from, to: changesPath))
    }
    var rows: [TemplateValue] = [.object(current)]
    for (position, recorded) in graph.editions.recorded.enumerated().reversed() {
        let info = recorded.info
        var row: TemplateObject = [
            "edition_id": .text(info.id), "edition_title": .text(info.title ?? info.id),
            "edition_is_current": .bool(false),
            "edition_href": .text(relativeURL(from: from, to: info.folder + PageID.home.path)),
        ]
        if let date = info.date.flatMap(PartialDate.init) {
            row["edition_date"] = .text(date.formatted)
            row["edition_date_iso"] = .text(date.iso)
        }
        if position > 0 { row["edition_changes_href"] = .text(relativeURL(from: from, to: info.folder + changesPath)) }
        rows.append(.object(row))
    }
    return BuiltPage(
        template: "editions", title: "Editions",
        description: "Every edition of the report the board has received, newest first",
        context: [
            "editions": .list(rows),
            "edition_count_text": .text(counted(rows.count, "edition", "editions")),
        ], sources: [])
}

/// Where an edition's "what changed" overview is, from its own root.
let changesPath = "changes/index.html"

/// The banner on every page of a recorded edition: which one it is, the same page in the current
/// edition (its overview where the current one has no such page) and the list of editions.
func editionBanner(for page: PageID, graph: SiteGraph) -> TemplateObject? {
    guard let info = graph.editions.building else { return nil }
    // From the edition's root (`editions/<id>/`) the site's root is two folders up.
    let toSiteRoot = rootPrefix(of: page.path) + "../../"
    let same = graph.editions.currentPages.contains(page.path)
    var banner: TemplateObject = [
        "banner_name": .text(info.title == nil ? "edition \(info.id)" : info.name),
        "banner_current_href": .text(toSiteRoot + (same ? page.path : PageID.home.path)),
        "banner_current_label": .text(same ? "this page" : "the overview"),
        "banner_editions_href": .text(toSiteRoot + PageID.editions.path),
    ]
    if let date = info.date.flatMap(PartialDate.init) {
        banner["banner_date"] = .text(date.formatted)
        banner["banner_date_iso"] = .text(date.iso)
    }
    if graph.editions.previous != nil {
        banner["banner_changes_href"] = .text(relativeURL(from: page.path, to: changesPath))
    }
    return banner
}
