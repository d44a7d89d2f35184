import Foundation
import PortalSupport

/// Text that looks like a paragraph number or a bullet to an author but that Markdown reads as
/// ordinary text: a Word bullet, a no-break space after `12.`, Arabic-Indic digits. Left alone,
/// the paragraph loses its number and anchor, or a list runs into one paragraph, silently.

/// The opening of a line shaped like a paragraph number (`12.`, `-5.`, `１２．`, `12.` and a
/// no-break space), with what keeps Markdown from reading it as one, if anything.
struct NumberMark {
    /// As written, for messages: `12.`.
    var text: String
    /// Where the mark starts: an index of the line's bytes (the whole body's, as lines are slices).
    var offset: Int
    /// The number it stands for, when its digits can be read.
    var value: Int?
    /// The number it most likely stands for: its value, or the ASCII digits it opens with.
    var guess: Int?
    /// Why Markdown does not read it as a list number; nil for an ordinary `12. `.
    var fault: (message: String, hint: String, offset: Int)?
}

private let terminators: Set<Unicode.Scalar> = [".", ")", "\u{FF0E}", "\u{FF09}"]
private let signs: Set<Unicode.Scalar> = ["-", "+", "\u{2212}", "\u{2013}"]

private func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.numericType == .decimal }
private func isInvisible(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.generalCategory == .format }
private func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
    ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
}

/// The scalars of a line from a byte index, each with its index, up to and with the first
/// white space after something else (white space it opens with is kept: a no-break space before
/// a number); at most `limit` of them, as a line may be a megabyte long.
private func scalars(of line: ArraySlice<UInt8>, from start: Int, limit: Int = 1_000) -> [(Unicode.Scalar, Int)] {
    var result: [(Unicode.Scalar, Int)] = []
    var iterator = line[start...].makeIterator()
    var decoder = UTF8()
    var offset = start
    while result.count < limit, case .scalarValue(let scalar) = decoder.decode(&iterator) {
        result.append((scalar, offset))
        offset += UTF8.width(scalar)
        if scalar.properties.isWhitespace, result.contains(where: { !$0.0.properties.isWhitespace }) { break }
    }
    return result
}

/// Reads a paragraph-number look-alike at `start` (a byte index of `line`), or nil when the
/// line does not open with one.
func numberMark(in line: ArraySlice<UInt8>, at start: Int) -> NumberMark? {
    // Most lines open with a letter: no need to decode them.
    guard start < line.endIndex else { return nil }
    let lead = line[start]
    guard lead >= UTF8Byte.firstNonASCII || isASCIIDigit(lead) || lead == ASCII.hyphen || lead == ASCII.plus else {
        return nil
    }
    let list = scalars(of: line, from: start)
    var position = 0
    // Invisible characters (a zero-width space, a stray byte-order mark) and spaces Markdown does
    // not count as indentation (a no-break space) keep cmark from seeing the number, and the
    // author from seeing why.
    func hides(_ scalar: Unicode.Scalar) -> Bool {
        isInvisible(scalar) || (!scalar.isASCII && scalar.properties.isWhitespace)
    }
    let hidden = list.first.map { hides($0.0) } == true ? list.first : nil
    while position < list.count, hides(list[position].0) { position += 1 }
    var signAt: Int?
    if position + 1 < list.count, signs.contains(list[position].0), isDigit(list[position + 1].0) {
        signAt = list[position].1
        position += 1
    }
    guard position < list.count, isDigit(list[position].0) else { return nil }
    let bodyStart = position
    while position < list.count {
        let scalar = list[position].0
        guard isDigit(scalar) || isASCIILetter(scalar) || scalar == "," || terminators.contains(scalar) else { break }
        position += 1
    }
    let body = list[bodyStart..<position]
    guard let last = body.last, terminators.contains(last.0), body.count >= 2,
        !terminators.contains(body[body.index(before: body.endIndex) - 1].0)
    else { return nil }
    let after = position < list.count ? list[position] : nil
    if let after, !after.0.properties.isWhitespace, !isInvisible(after.0) { return nil }
    let text = String(String.UnicodeScalarView(list[(signAt == nil ? bodyStart : bodyStart - 1)..<position].map(\.0)))
    var mark = NumberMark(text: text, offset: list[0].1, value: nil, fault: nil)
    let digits = body.dropLast()
    if digits.allSatisfy({ isDigit($0.0) }), digits.count <= 18 {
        mark.value = digits.reduce(0) { $0 * 10 + Int($1.0.properties.numericValue ?? 0) }
    }
    let leading = digits.prefix { ("0"..."9").contains($0.0) }
    mark.guess = mark.value ?? (leading.count <= 9 ? Int(String(String.UnicodeScalarView(leading.map(\.0)))) : nil)
    let plain = "number paragraphs with the digits 0-9, then '.' and a space, such as '12. '"
    if let hidden {
        mark.fault = (
            "\(characterName(hidden.0)) before '\(text)'",
            isInvisible(hidden.0) ? "delete it: it is invisible" : "delete it: Markdown does not read it as a space",
            hidden.1
        )
    } else if let foreign = digits.first(where: { isDigit($0.0) && !$0.0.isASCII }) {
        mark.fault = ("'\(text)' is written with \(characterName(foreign.0))", plain, foreign.1)
    } else if !last.0.isASCII {
        mark.fault = ("'\(text)' ends with \(characterName(last.0))", "end the number with '.' and a space", last.1)
    } else if let signAt {
        mark.fault = ("'\(text)' is not a paragraph number", "paragraph numbers are whole numbers from 1", signAt)
    } else if let odd = digits.first(where: { !isDigit($0.0) }) {
        mark.fault = ("'\(text)' is not a paragraph number ('\(odd.0)' is not a digit)", plain, odd.1)
    } else if digits.count > 9 {
        mark.fault = (
            "'\(text)' has \(digits.count) digits; a paragraph number has at most 9", "check the number",
            mark.offset
        )
    } else if let after, after.0 != " ", after.0 != "\t" {
        mark.fault = ("\(characterName(after.0)) after '\(text)'", "use an ordinary space", after.1)
    }
    return mark
}

/// A line opening with a character that authors mean as a bullet but Markdown does not take as
/// one: Word's `•` and a tab, `·`, `▪`, `o` and a tab, a dash.
struct BulletMark {
    var scalar: Unicode.Scalar
    var offset: Int
    /// Dashes open ordinary sentences too, so they only warn.
    var certain: Bool
    var message: String
    var hint: String
}

private let bulletCharacters: Set<Unicode.Scalar> = [
    "\u{2022}", "\u{00B7}", "\u{25AA}", "\u{25AB}", "\u{25CF}", "\u{25CB}", "\u{25E6}", "\u{2023}", "\u{2043}",
    "\u{25A0}", "\u{25A1}", "\u{25C6}", "\u{25C7}", "\u{2666}", "\u{27A2}", "\u{27A4}", "\u{25BA}", "\u{25B6}",
    "\u{2713}", "\u{2714}", "\u{2219}", "\u{30FB}",
]
private let dashes: Set<Unicode.Scalar> = ["\u{2013}", "\u{2014}", "\u{2212}", "\u{2012}"]
private let markdownBulletHint = "start each item with '- ' (a hyphen and a space), each on its own line"

/// Reads a bullet look-alike at the start of a line, after its indentation and any `>`.
func bulletMark(in line: ArraySlice<UInt8>) -> BulletMark? {
    var start = line.startIndex
    while start < line.endIndex,
        line[start] == ASCII.space || line[start] == ASCII.tab || line[start] == ASCII.greaterThan
    { start += 1 }
    guard start < line.endIndex else { return nil }
    let lead = line[start]
    // Most lines open with a letter or digit that is no bullet: no need to decode them.
    guard
        lead >= UTF8Byte.firstNonASCII || lead == ASCII.hyphen || lead == ASCII.asterisk || lead == ASCII.plus
            || lead == ASCII.lowerO
    else { return nil }
    let list = scalars(of: line, from: start, limit: 2)
    guard let (first, offset) = list.first else { return nil }
    let next = list.count > 1 ? list[1].0 : nil
    let spaceNext = next.map { $0.properties.isWhitespace } ?? true
    if bulletCharacters.contains(first) || first.properties.generalCategory == .privateUse {
        return BulletMark(
            scalar: first, offset: offset, certain: true,
            message: "\(characterName(first)) is not a Markdown bullet", hint: markdownBulletHint)
    }
    if first == "o", next == "\t" {
        return BulletMark(
            scalar: first, offset: offset, certain: true,
            message: "'o' and a tab (a Word second-level bullet) is not a Markdown bullet",
            hint: "start each item with '- ', indented under its parent item")
    }
    if first == "-" || first == "*" || first == "+", let next, spaceNext, next != " ", next != "\t" {
        return BulletMark(
            scalar: first, offset: offset + 1, certain: true,
            message: "\(characterName(next)) after '\(first)', so it is not a Markdown bullet",
            hint: "use an ordinary space")
    }
    if dashes.contains(first), spaceNext {
        return BulletMark(
            scalar: first, offset: offset, certain: false,
            message: "line starts with \(characterName(first)), which Markdown does not read as a bullet",
            hint: "if it is a list item, start it with '- '; otherwise ignore this warning")
    }
    return nil
}

/// Where a paragraph sits, for which number look-alikes matter in it.
enum NumberContext {
    /// At the top of a section file: a paragraph number would have numbered it.
    case topLevel
    /// Inside a numbered paragraph: a number opening one of its later lines ran on from above.
    case inParagraph
}

/// Look-alikes in a paragraph's lines: bullets anywhere (one problem per paragraph, however
/// many of its lines open with one), paragraph numbers where they would have numbered it.
/// `expected` gives the numbers a lost paragraph there would have: a run-on line with one is a lost
/// paragraph, any other number may be a year that opens a wrapped line, so it only warns.
func lookalikeProblems(
    in paragraph: MarkdownNode, lines: LineIndex, numbers context: NumberContext?, expected: () -> Set<Int>,
    location: (Int, Int) -> SourceLocation
) -> (problems: [Diagnostic], lost: [Int?]) {
    var problems: [Diagnostic] = []
    // The paragraphs the errors stand for, by number where it can be told, so that references
    // to them are not reported as well.
    var lost: [Int?] = []
    var bullet: (mark: BulletMark, line: Int)?
    var bulletLines = 0
    let first = paragraph.startLine
    for number in first...max(first, paragraph.endLine) {
        let whole = lines.line(number)
        let line = number == first ? whole[min(whole.startIndex + paragraph.startColumn - 1, whole.endIndex)...] : whole
        if let mark = bulletMark(in: line), mark.certain || number == first || bullet != nil {
            if bullet == nil { bullet = (mark, number) }
            if mark.scalar == bullet?.mark.scalar { bulletLines += 1 }
        }
        guard let context, number > first || context == .topLevel else { continue }
        var start = line.startIndex
        while start < line.endIndex, isBlank(line[start]) { start += 1 }
        guard let mark = numberMark(in: line, at: start) else { continue }
        let at = location(number, (mark.fault?.offset ?? mark.offset) - whole.startIndex + 1)
        if number == first {
            problems.append(
                .error(
                    "paragraph-number-invalid",
                    mark.fault?.message ?? "'\(mark.text)' is not read as a paragraph number",
                    hint: mark.fault?.hint ?? "leave a blank line before it", at: at))
            lost.append(mark.guess)
            continue
        }
        let runOn = "it runs on from the line above, so it does not start a numbered paragraph"
        let message = (mark.fault.map { $0.message + "; " } ?? "'\(mark.text)' opens a line, but ") + runOn
        let hint =
            "if it is paragraph \(mark.value.map(String.init) ?? mark.text), leave a blank line before it"
            + (mark.fault.map { " and \($0.hint)" } ?? "")
        if let value = mark.value, expected().contains(value) {
            problems.append(.error("paragraph-run-on", message, hint: hint, at: at))
            lost.append(value)
        } else {
            problems.append(.warning("paragraph-run-on", message, hint: hint, at: at))
        }
    }
    if let (mark, line) = bullet {
        let message =
            mark.message + (bulletLines > 1 ? "; \(bulletLines) lines start with it and run into one paragraph" : "")
        let at = location(line, mark.offset - lines.line(line).startIndex + 1)
        problems.append(
            mark.certain
                ? .error("bullet-invalid", message, hint: mark.hint, at: at)
                : .warning("bullet-ambiguous", message, hint: mark.hint, at: at))
    }
    return (problems, lost)
}

/// A paragraph number indented four spaces or more is an indented code block: shown as code,
/// unnumbered.
func indentedNumberProblem(_ code: MarkdownNode, lines: LineIndex, location: (Int, Int) -> SourceLocation)
    -> (problem: Diagnostic, lost: Int?)?
{
    let line = lines.line(code.startLine)
    var start = line.startIndex
    while start < line.endIndex, isBlank(line[start]) { start += 1 }
    guard let mark = numberMark(in: line, at: start) else { return nil }
    let what = mark.value.map { "paragraph \($0)" } ?? "a numbered paragraph"
    let problem = Diagnostic.error(
        "paragraph-indented", "'\(mark.text)' is indented 4 or more spaces, so it is shown as code, not as \(what)",
        hint: "remove the spaces before '\(mark.text)'", at: location(code.startLine, mark.offset - line.startIndex + 1)
    )
    return (problem, mark.guess)
}

/// U+0001 opens the portal's own placeholders, so it may not appear in a body's source.
func placeholderMarkProblem(_ text: String, file: String, firstLine: Int) -> Diagnostic? {
    var text = text
    return text.withUTF8 { bytes -> Diagnostic? in
        guard let base = bytes.baseAddress, let found = memchr(base, Int32(placeholderMark), bytes.count) else {
            return nil
        }
        let offset = UnsafeRawPointer(found) - UnsafeRawPointer(base)
        let before = UnsafeBufferPointer(rebasing: bytes[..<offset])
        let line = before.reduce(0) { $0 + ($1 == ASCII.newline ? 1 : 0) }
        let lineStart = before.lastIndex(of: ASCII.newline).map { $0 + 1 } ?? 0
        let column = bytes[lineStart..<offset].reduce(1) { $0 + (!isUTF8Continuation($1) ? 1 : 0) }
        let count = bytes.reduce(0) { $0 + ($1 == placeholderMark ? 1 : 0) }
        return .error(
            "control-character",
            "\(characterName("\u{1}")) in the text" + (count > 1 ? " (\(count) times in this file)" : ""),
            hint: "remove it; control characters cannot appear in the report",
            at: SourceLocation(file: file, line: firstLine + line, column: column))
    }
}

/// An HTML block runs to the next blank line, so a paragraph number right under one is part of
/// it. Reported like a run-on line: an error when it is the number due there.
func htmlBlockNumberProblem(
    _ html: MarkdownNode, lines: LineIndex, expected: Set<Int>, location: (Int, Int) -> SourceLocation
) -> (problem: Diagnostic, lost: Int?)? {
    guard html.endLine > html.startLine else { return nil }
    for number in (html.startLine + 1)...html.endLine {
        let line = lines.line(number)
        guard let mark = numberMark(in: line, at: line.startIndex) else { continue }
        let message = "'\(mark.text)' runs on from the HTML above, so it does not start a numbered paragraph"
        let hint = "leave a blank line before '\(mark.text)'"
        let at = location(number, mark.offset - line.startIndex + 1)
        if let value = mark.value, expected.contains(value) {
            return (.error("paragraph-run-on", message, hint: hint, at: at), value)
        }
        return (.warning("paragraph-run-on", message, hint: hint, at: at), nil)
    }
    return nil
}
