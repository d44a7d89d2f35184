import PortalLoad
import PortalResolve
import PortalSupport
import PortalTemplates

/// A table of figures on its own page, with its sources and a CSV download.
func tablePage(_ table: DataTable, context: RenderContext) -> BuiltPage {
    let graph = context.graph
    let page = PageID.table(table.id)
    let linker = Linker(from: page)
    var values: TemplateObject = [
        "title": .text(table.source.caption.value),
        "table_html": .text(renderDataTable(table, base: rootPrefix(of: page.path), graph: graph)),
        "paragraphs_html": .text(linker.paragraphsHTML(table.source.paragraphs.map(\.value), graph: graph)),
        "csv_href": "\(table.id).csv",
        "verified": .number(table.verifiedTotals),
        "has_verified": .bool(table.verifiedTotals > 0),
        "discrepancy_count": .number(table.discrepancies.count),
        "verified_text": .text(counted(table.verifiedTotals, "stated total", "stated totals")),
        "discrepancy_text": .text(
            table.discrepancies.count == 1
                ? "1 figure as stated does not add up"
                : "\(formatNumberText(String(table.discrepancies.count))) figures as stated do not add up"),
        "has_discrepancies": .bool(!table.discrepancies.isEmpty),
    ]
    if let slug = table.section, let section = graph.section(slug) {
        values["section_title"] = .text(section.title)
        values["section_href"] = .text(linker.href(section.page))
    }
    return BuiltPage(
        template: "table", title: table.source.caption.value, description: table.source.caption.value,
        breadcrumbs: [Crumb(title: "Figures", page: .tables)], context: values,
        sources: [table.source.csvFile, table.source.sidecarFile])
}

func tablesIndexPage(_ context: RenderContext) -> BuiltPage {
    let graph = context.graph
    let linker = Linker(from: .tables)
    let tables = graph.tables.sorted {
        ($0.source.paragraphs.first?.value ?? 0, $0.id) < ($1.source.paragraphs.first?.value ?? 0, $1.id)
    }
    return BuiltPage(
        template: "tables", title: "Figures", description: "Tables of figures stated in the report",
        context: [
            "tables": .list(
                tables.map { table -> TemplateValue in
                    var values: TemplateObject = [
                        "caption": .text(table.source.caption.value), "href": .text(linker.href(.table(table.id))),
                        "paragraphs_html": .text(
                            linker.paragraphsHTML(table.source.paragraphs.map(\.value), graph: graph)),
                    ]
                    if let slug = table.section, let section = graph.section(slug) {
                        values["section_title"] = .text(section.title)
                        values["section_href"] = .text(linker.href(section.page))
                    }
                    if let chart = table.source.chart { values["chart_title"] = .text(chart.title ?? "chart") }
                    return .object(values)
                })
        ])
}
