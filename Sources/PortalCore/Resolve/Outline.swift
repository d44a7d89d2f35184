import CCmarkGFM

/// Reads the structure of a section body: its numbered paragraphs and its headings.
struct Outline {
    var paragraphs: [Paragraph] = []
    var headings: [Heading] = []
    var diagnostics: [Diagnostic] = []
}

/// Top-level ordered-list items are the report's numbered paragraphs. Their number is the one the
/// author wrote (`75.`), not cmark's count from the list start, so a skipped or repeated number in
/// the source stays visible and can be reported.
func outline(of body: MarkdownBody, section: String?) -> Outline {
    var result = Outline()
    var ids = reservedPageIDs
    for block in body.document.root.children {
        if block.type == CMARK_NODE_HEADING {
            let text = block.plainText
            let id = uniqueID(headingID(text), taken: &ids)
            result.headings.append(Heading(level: block.headingLevel, text: text, id: id, node: block))
        } else if let section, block.isOrderedList {
            for item in block.children {
                let line = body.lines.line(item.startLine)
                let start = line.startIndex + max(item.startColumn - 1, 0)
                let digits = line[min(start, line.endIndex)...].prefix { $0 >= 0x30 && $0 <= 0x39 }
                guard let number = Int(String(decoding: digits, as: UTF8.self)) else { continue }
                result.paragraphs.append(
                    Paragraph(
                        number: number, section: section, node: item, location: body.location(of: item),
                        text: item.plainText))
            }
        }
    }
    return result
}

/// GitHub-style heading ids: lower case, words joined by hyphens. Ids shaped like paragraph
/// anchors (`p75`) are kept apart so the two can never collide.
func headingID(_ text: String) -> String {
    var id = ""
    var pendingHyphen = false
    for scalar in text.lowercased().unicodeScalars {
        if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
            if pendingHyphen && !id.isEmpty { id += "-" }
            id.unicodeScalars.append(scalar)
            pendingHyphen = false
        } else if scalar != "’" && scalar != "'" {
            pendingHyphen = true
        }
    }
    if id.isEmpty { id = "section" }
    if id.first == "p", id.dropFirst().allSatisfy(\.isASCIIDigit), id.count > 1 { id += "-heading" }
    return id
}

func uniqueID(_ base: String, taken: inout Set<String>) -> String {
    var candidate = base
    var counter = 2
    while taken.contains(candidate) {
        candidate = "\(base)-\(counter)"
        counter += 1
    }
    taken.insert(candidate)
    return candidate
}

/// Ids the theme's page shell uses; headings never take them.
let reservedPageIDs: Set<String> = [
    "top", "main", "main-content", "contents", "cited-in", "figures", "capabilities", "key-facts", "search",
    "site-nav", "breadcrumbs", "footer", "related", "tables", "commitments", "glossary", "boards",
]
