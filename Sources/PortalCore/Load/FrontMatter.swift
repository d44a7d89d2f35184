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
func splitFrontMatter(_ text: String, file: String) -> Result<FrontMatterSplit, Diagnostic> {
    guard text.hasPrefix("---\n") || text == "---" else {
        return .success(FrontMatterSplit(yaml: nil, yamlFirstLine: 1, body: text, bodyFirstLine: 1))
    }
    var lineNumber = 1
    var yamlLines: [Substring] = []
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)[...]
    lines = lines.dropFirst()
    while let line = lines.first {
        lines = lines.dropFirst()
        lineNumber += 1
        if line.trimmingTrailingSpaces() == "---" || line.trimmingTrailingSpaces() == "..." {
            return .success(
                FrontMatterSplit(
                    yaml: yamlLines.joined(separator: "\n"), yamlFirstLine: 2,
                    body: lines.joined(separator: "\n"), bodyFirstLine: lineNumber + 1))
        }
        yamlLines.append(line)
    }
    return .failure(
        .error(
            "front-matter-unclosed", "front matter starts with '---' but is never closed",
            hint: "add a line '---' after the last front matter field", at: SourceLocation(file: file, line: 1)))
}

extension Substring {
    func trimmingTrailingSpaces() -> Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)] == " " || self[index(before: end)] == "\t" {
            end = index(before: end)
        }
        return self[startIndex..<end]
    }
}
