import PortalSupport

/// A Markdown file split into its YAML front matter and its body.
struct FrontMatterSplit {
    var yaml: String?
    /// 1-based line of the front matter's first line (after the opening `---`).
    var yamlFirstLine: Int
    var body: String
    /// 1-based line of the body's first line in the file, to map cmark positions back.
    var bodyFirstLine: Int
}

/// Front matter is a block between `---` lines at the very top of the file, as in Hugo and Zola.
/// Scans UTF-8 bytes line by line and stops at the closing line, so the body is never split.
func splitFrontMatter(_ text: String, file: String) -> Result<FrontMatterSplit, Diagnostic> {
    guard text.hasPrefix("---\n") || text == "---" else {
        return .success(FrontMatterSplit(yaml: nil, yamlFirstLine: 1, body: text, bodyFirstLine: 1))
    }
    let utf8 = text.utf8
    var lineStart = utf8.index(utf8.startIndex, offsetBy: 4, limitedBy: utf8.endIndex) ?? utf8.endIndex
    let yamlStart = lineStart
    var lineNumber = 2
    while lineStart < utf8.endIndex {
        let lineEnd = utf8[lineStart...].firstIndex(of: ASCII.newline) ?? utf8.endIndex
        var trimmedEnd = lineEnd
        while trimmedEnd > lineStart,
            isBlank(utf8[utf8.index(before: trimmedEnd)])
        {
            trimmedEnd = utf8.index(before: trimmedEnd)
        }
        let line = utf8[lineStart..<trimmedEnd]
        if line.elementsEqual("---".utf8) || line.elementsEqual("...".utf8) {
            let yamlEnd = lineStart > yamlStart ? utf8.index(before: lineStart) : yamlStart
            let bodyStart = lineEnd < utf8.endIndex ? utf8.index(after: lineEnd) : lineEnd
            return .success(
                FrontMatterSplit(
                    yaml: String(text[yamlStart..<yamlEnd]), yamlFirstLine: 2, body: String(text[bodyStart...]),
                    bodyFirstLine: lineNumber + 1))
        }
        lineNumber += 1
        lineStart = lineEnd < utf8.endIndex ? utf8.index(after: lineEnd) : lineEnd
    }
    return .failure(
        .error(
            "front-matter-unclosed", "front matter starts with '---' but is never closed",
            hint: "add a line '---' after the last front matter field", at: SourceLocation(file: file, line: 1)))
}
