import PortalLoad
import PortalResolve
import PortalSupport

/// Bar charts drawn at build time as inline SVG, from the same verified figures as the table they
/// sit beside. Each bar carries its value as text and each series its own pattern and legend entry,
/// so no meaning rests on colour; a sentence beside the chart says what it shows.

/// One figure of a chart: the number as stated (nil: not stated) and its unit.
struct ChartValue: Equatable {
    var number: Number?
    var unit: String?

    var text: String { number.map { withUnit($0.formatted, unit: unit) } ?? "not stated" }
}

/// What a chart draws: groups of bars, one bar per series in each group.
struct ChartData {
    var title: String
    var groups: [String]
    var series: [String]
    /// `values[group][series]`.
    var values: [[ChartValue]]
}

/// The figures a table's `chart:` selects, with the units the sidecar gives their columns.
func chartData(_ table: DataTable, spec: ChartSpec) -> ChartData {
    let source = table.source
    let header = source.header.map(\.value)
    let rowLabels = spec.rows.isEmpty ? source.rows.map { $0[0].value } : spec.rows
    let columnNames =
        spec.columns.isEmpty
        ? header.indices.dropFirst().filter { table.numericColumns[$0] }.map { header[$0] } : spec.columns
    func value(row label: String, column name: String) -> ChartValue {
        guard let row = source.rows.firstIndex(where: { $0[0].value == label }),
            let column = header.firstIndex(of: name), column < source.readings[row].count
        else { return ChartValue(number: nil, unit: nil) }
        return ChartValue(number: source.readings[row][column].number, unit: source.units[name]?.value)
    }
    let byRows = spec.groups == .rows
    let groups = byRows ? rowLabels : columnNames
    let series = byRows ? columnNames : rowLabels
    let values = groups.map { group in
        series.map { item in byRows ? value(row: group, column: item) : value(row: item, column: group) }
    }
    return ChartData(title: spec.title ?? source.caption.value, groups: groups, series: series, values: values)
}

/// The sentences beside a chart: the comparison it was drawn for (one per group when each group
/// compares two series), or every figure in turn.
func chartSummary(_ data: ChartData, spec: ChartSpec) -> [String] {
    guard let (nameA, nameB) = spec.compare else {
        return data.series.indices.map { index in
            let items = data.groups.indices.map { "\(data.groups[$0]) \(data.values[$0][index].text)" }
            return "\(data.series[index]): \(joinedList(items))."
        }
    }
    func sentence(_ a: ChartValue, _ b: ChartValue, group: String?) -> String {
        let prefix = group.map { "\($0): " } ?? ""
        guard let numberA = a.number, let numberB = b.number else {
            if a.number == nil && b.number == nil { return "\(prefix)\(nameA) and \(nameB) not stated." }
            return a.number == nil
                ? "\(prefix)\(nameB) \(b.text); \(nameA) not stated."
                : "\(prefix)\(nameA) \(a.text); \(nameB) not stated."
        }
        let gap = gapText(numberA, numberB, unit: a.unit ?? b.unit, words: spec.gapWords)
        guard let template = spec.summary else {
            return "\(prefix)\(nameA) \(a.text) against \(nameB) \(b.text), \(gap)."
        }
        return fillTemplate(template, ["a": a.text, "b": b.text, "gap": gap, "group": group ?? ""])
    }
    if data.series.count == 1 {
        // The comparison is between two bars of the single series.
        guard let indexA = data.groups.firstIndex(of: nameA), let indexB = data.groups.firstIndex(of: nameB) else {
            return []
        }
        return [sentence(data.values[indexA][0], data.values[indexB][0], group: nil)]
    }
    guard let indexA = data.series.firstIndex(of: nameA), let indexB = data.series.firstIndex(of: nameB) else {
        return []
    }
    // A series the report never states is said once, not once per group.
    if data.values.allSatisfy({ $0[indexA].number == nil }) {
        let items = data.groups.indices.map { "\(data.groups[$0]) \(data.values[$0][indexB].text)" }
        return ["\(nameB): \(joinedList(items)).", "\(nameA): not stated in the report."]
    }
    return data.groups.indices.map {
        sentence(data.values[$0][indexA], data.values[$0][indexB], group: data.groups[$0])
    }
}

/// "14 below", "3,500 more", "4.3 percentage points above", "the same".
func gapText(_ a: Number, _ b: Number, unit: String?, words: (lower: String, higher: String)) -> String {
    let difference = b - a
    if difference.value == 0 { return "the same" }
    let size = difference.value > 0 ? difference : Number(value: -difference.value, decimals: difference.decimals)
    let amount = unit == "%" ? "\(size.formatted) percentage points" : withUnit(size.formatted, unit: unit)
    return "\(amount) \(difference.value > 0 ? words.lower : words.higher)"
}

func fillTemplate(_ template: String, _ values: [String: String]) -> String {
    var output = ""
    var name: String?
    for character in template {
        if character == "{" {
            if let pending = name { output += "{" + pending }
            name = ""
        } else if character == "}", let pending = name {
            output += values[pending] ?? "{\(pending)}"
            name = nil
        } else if name != nil {
            name!.append(character)
        } else {
            output.append(character)
        }
    }
    if let pending = name { output += "{" + pending }
    return output
}

/// Geometry in SVG user units; the chart scales with its box, so text stays in proportion.
private enum ChartLayout {
    static let width = 320.0
    static let fontSize = 15.0
    static let lineHeight = 18.0
    static let barHeight = 17.0
    static let barGap = 4.0
    static let groupGap = 14.0
    /// Room to the right of the longest bar for its value.
    static let valueRoom = 80.0
    static let legendRow = 20.0
    /// Average glyph width of a system sans-serif, to wrap labels (SVG text does not wrap).
    static let averageGlyph = 0.56
}

/// The chart as inline SVG: `role="img"`, named by `labelledBy`, described by `describedBy`.
/// `id` prefixes the pattern ids, which must be unique on the page.
func chartSVG(_ data: ChartData, id: String, labelledBy: String, describedBy: String) -> String {
    typealias L = ChartLayout
    let maximum = data.values.flatMap { $0 }.compactMap { $0.number?.double }.max() ?? 0
    let scale = maximum > 0 ? (L.width - L.valueRoom) / maximum : 0
    let charsPerLine = Int(L.width / (L.fontSize * L.averageGlyph))
    var body = ""
    var y = 0.0
    let multiSeries = data.series.count > 1
    if multiSeries {
        // Legend: one row per series, so long names never collide.
        for (index, name) in data.series.enumerated() {
            body += "<rect x=\"0\" y=\"\(svgNumber(y + 2))\" width=\"14\" height=\"14\" \(barStyle(index, id: id))/>"
            body +=
                "<text x=\"20\" y=\"\(svgNumber(y + 14))\" class=\"chart-legend\">\(escapeHTML(name))</text>\n"
            y += L.legendRow
        }
        y += L.groupGap / 2
    }
    for (groupIndex, group) in data.groups.enumerated() {
        for line in wrapWords(group, width: charsPerLine) {
            y += L.lineHeight
            body += "<text x=\"0\" y=\"\(svgNumber(y - 4))\" class=\"chart-label\">\(escapeHTML(line))</text>\n"
        }
        y += 3
        for (seriesIndex, value) in data.values[groupIndex].enumerated() {
            let textY = svgNumber(y + L.barHeight - 3.5)
            if let number = value.number {
                let length = max(number.double, 0) * scale
                body +=
                    "<rect x=\"0\" y=\"\(svgNumber(y))\" width=\"\(svgNumber(length))\" height=\"\(svgNumber(L.barHeight))\" \(barStyle(seriesIndex, id: id))/>"
                body +=
                    "<text x=\"\(svgNumber(length + 6))\" y=\"\(textY)\" class=\"chart-value\">\(escapeHTML(value.text))</text>\n"
            } else {
                body += "<text x=\"0\" y=\"\(textY)\" class=\"chart-missing\">Not stated in the report</text>\n"
            }
            y += L.barHeight + L.barGap
        }
        if groupIndex + 1 < data.groups.count { y += L.groupGap }
    }
    let height = svgNumber(y + 2)
    var defs = ""
    if multiSeries {
        defs =
            "<defs><pattern id=\"\(id)-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
            + "<rect width=\"6\" height=\"6\" class=\"chart-hatch-ground\"/><rect width=\"3\" height=\"6\" class=\"chart-hatch-line\"/></pattern></defs>\n"
    }
    return "<svg class=\"chart-svg\" viewBox=\"0 0 \(svgNumber(L.width)) \(height)\" width=\"\(svgNumber(L.width))\" "
        + "height=\"\(height)\" role=\"img\" aria-labelledby=\"\(labelledBy)\" aria-describedby=\"\(describedBy)\">\n"
        + defs + body + "</svg>\n"
}

/// Series 1 solid, series 2 hatched, series 3 outlined; then round again (the legend and the
/// value labels still tell them apart).
private func barStyle(_ index: Int, id: String) -> String {
    switch index % 3 {
    case 0: return "class=\"chart-bar chart-bar-1\""
    case 1: return "class=\"chart-bar chart-bar-2\" fill=\"url(#\(id)-hatch)\""
    default: return "class=\"chart-bar chart-bar-3\""
    }
}

/// A coordinate with at most one decimal place, the same on every machine.
func svgNumber(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    let sign = tenths < 0 ? "-" : ""
    let magnitude = abs(tenths)
    return magnitude % 10 == 0 ? "\(sign)\(magnitude / 10)" : "\(sign)\(magnitude / 10).\(magnitude % 10)"
}

/// Greedy word wrap to `width` characters; a longer word gets a line of its own.
func wrapWords(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ") {
        if line.isEmpty {
            line = String(word)
        } else if line.count + 1 + word.count <= width {
            line += " " + word
        } else {
            lines.append(line)
            line = String(word)
        }
    }
    if !line.isEmpty || lines.isEmpty { lines.append(line) }
    return lines
}

/// A table's chart with its title and summary sentence. `id` must be unique on the page.
func chartFigureHTML(_ table: DataTable, spec: ChartSpec, id: String, withDataTable: Bool = false) -> String {
    let data = chartData(table, spec: spec)
    let sentences = chartSummary(data, spec: spec)
    var html = "<figure class=\"chart\" id=\"\(id)\">\n"
    html += "<figcaption class=\"chart-title\" id=\"\(id)-title\">\(escapeHTML(data.title))</figcaption>\n"
    html += chartSVG(data, id: id, labelledBy: "\(id)-title", describedBy: "\(id)-summary")
    if sentences.count > 1 {
        html += "<ul class=\"chart-summary\" id=\"\(id)-summary\">\n"
        html += sentences.map { "<li>\(escapeHTML($0))</li>\n" }.joined()
        html += "</ul>\n"
    } else {
        html += "<p class=\"chart-summary\" id=\"\(id)-summary\">\(escapeHTML(sentences.first ?? ""))</p>\n"
    }
    if withDataTable { html += chartDataTableHTML(data, id: id) }
    html += "</figure>\n"
    return html
}

/// The charted figures as a small table, for a chart shown away from its full table.
func chartDataTableHTML(_ data: ChartData, id: String) -> String {
    var html = "<div class=\"table-scroll\" role=\"region\" aria-labelledby=\"\(id)-data\" tabindex=\"0\">\n"
    html += "<table class=\"chart-data\">\n<caption id=\"\(id)-data\">Figures in the chart"
    html += "<span class=\"visually-hidden\">: \(escapeHTML(data.title))</span></caption>\n<thead>\n<tr>"
    html += "<td></td>"
    for name in data.series { html += "<th scope=\"col\" class=\"num\">\(escapeHTML(name))</th>" }
    html += "</tr>\n</thead>\n<tbody>\n"
    for (index, group) in data.groups.enumerated() {
        html += "<tr><th scope=\"row\">\(escapeHTML(group))</th>"
        for value in data.values[index] {
            html +=
                value.number == nil
                ? "<td class=\"num\"><span class=\"not-stated\">[x]</span></td>"
                : "<td class=\"num\">\(escapeHTML(value.text))</td>"
        }
        html += "</tr>\n"
    }
    html += "</tbody>\n</table>\n</div>\n"
    return html
}
