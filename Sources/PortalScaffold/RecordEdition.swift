import Foundation
import PortalBuild
import PortalLoad
import PortalSupport

/// `portal edition ID`: records the current `Content/` as edition ID, so later edits make the
/// next edition. The files are copied whole into `Editions/<id>/Content/` beside a manifest
/// (`edition.yaml`) of their SHA-256 hashes and "last updated" dates, written into a hidden
/// folder first and renamed into place, so an edition is either recorded whole or not at all.
/// Only content that builds cleanly is recorded: an edition must build for as long as it is kept.
public func recordEdition(
    folders: SiteFolders, id rawID: String, title: String?, date: String?
) -> Result<ScaffoldResult, ScaffoldError> {
    let id = rawID.trimmingCharacters(in: .whitespaces)
    if let problem = editionIDProblem(id) {
        return .failure(ScaffoldError(isUsage: true, message: problem, hint: "use the paper's month, e.g. 2023-12"))
    }
    if let date, PartialDate(date) == nil {
        return .failure(
            ScaffoldError(isUsage: true, message: "'\(date)' is not a date", hint: "write --date as year-month-day"))
    }
    let target = folders.editions.appendingPathComponent(id)
    if FileManager.default.fileExists(atPath: target.path) {
        return .failure(
            ScaffoldError(
                isUsage: false, message: "edition '\(id)' is already recorded in \(SitePath.editions)/\(id)",
                hint: "a recorded edition never changes; choose another id for this one"))
    }
    let (graph, diagnostics) = checkedSite(folders: folders)
    let problems = diagnostics.errors
    guard let graph, problems.isEmpty else {
        return .failure(
            ScaffoldError(
                isUsage: false,
                message: problems.first.map {
                    "the content has \(problems.count) error\(problems.count == 1 ? "" : "s"), first: \($0)"
                } ?? "the site could not be loaded",
                hint: "run 'portal check', fix them, then record the edition"))
    }
    var files: [EditionFile] = []
    var copies: [(path: String, bytes: [UInt8])] = []
    switch contentToRecord(folders: folders) {
    case .failure(let path):
        return .failure(ScaffoldError(isUsage: false, message: "could not read \(path)", hint: "check its permissions"))
    case .success(let read):
        files = read.map(\.file)
        copies = read.map { ($0.file.path, $0.bytes) }
    }
    // The report's own title and date from site.yaml are the defaults for the edition's.
    let report = graph.config.report
    let info = EditionInfo(id: id, title: title ?? report.title, date: date ?? report.date?.iso)
    copies.append(("edition.yaml", Array(editionManifestText(info, files: files).utf8)))
    let staging = folders.editions.appendingPathComponent(".\(id).recording")
    do {
        try? FileManager.default.removeItem(at: staging)
        for file in copies {
            let url = staging.appendingPathComponent(file.path)
            try createFolders(url.deletingLastPathComponent().path)
            try writeFileBytes(file.bytes, to: url.path)
        }
        try renamePath(staging.path, to: target.path)
    } catch {
        try? FileManager.default.removeItem(at: staging)
        return .failure(
            ScaffoldError(
                isUsage: false, message: "could not record edition '\(id)': \(error)",
                hint: "check that you may write to \(SitePath.editions)/"))
    }
    return .success(
        ScaffoldResult(
            created: ["\(SitePath.editions)/\(id)/ (\(files.count) files and edition.yaml)"],
            next: [
                "commit it: git add \(SitePath.editions)/\(id) && git commit -m 'Record edition \(id)'",
                "edit \(SitePath.content)/ for the next paper; 'portal build' publishes this one under editions/\(id)/",
            ]))
}

/// The manifest, written by hand so it reads as the README describes and needs no YAML emitter.
func editionManifestText(_ info: EditionInfo, files: [EditionFile]) -> String {
    var text = """
        # Recorded by 'portal edition \(info.id)'. This edition is frozen: the build checks every file
        # below against its SHA-256 and refuses a changed one. Write the next paper in Content/.
        id: \(yamlQuoted(info.id))

        """
    if let title = info.title { text += "title: \(yamlQuoted(title))\n" }
    if let date = info.date { text += "date: \(yamlQuoted(date))\n" }
    text += "files:\n"
    for file in files {
        text += "  - path: \(yamlQuoted(file.path))\n    sha256: \(file.sha256)\n"
        if let updated = file.updated {
            text += "    updated: \(yamlQuoted(updated.date.iso))\n    author: \(yamlQuoted(updated.author))\n"
        }
    }
    return text
}

/// A YAML double-quoted scalar.
private func yamlQuoted(_ text: String) -> String {
    var quoted = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": quoted += "\\\""
        case "\\": quoted += "\\\\"
        case "\n": quoted += "\\n"
        case "\t": quoted += "\\t"
        default:
            if scalar.value < UInt32(ASCII.space) || scalar.value == UInt32(ASCII.delete) {
                quoted +=
                    "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            } else {
                quoted.unicodeScalars.append(scalar)
            }
        }
    }
    return quoted + "\""
}
