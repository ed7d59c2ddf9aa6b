import Crypto
import Fluent
import Foundation
import Vapor
import WegwijsCore

/// What an import did, record by record.
struct ImportReport: Content {
    struct Taken: Content {
        let index: Int
        let id: UUID
        let name: String
        /// `created` or `updated`.
        let action: String
        /// Taken without a Wegwijs theme (or description): stored as `OfferStatus.toClassify`, not yet offered.
        var toClassify: Bool = false
    }
    struct Refused: Content {
        /// The record's place in the file, counted from 1.
        let index: Int
        let id: String?
        let field: String
        let code: String
        /// In the reader's language.
        let reason: String
    }
    /// A value of a taken record that was left out, shortened or replaced, and why; the record itself was taken.
    struct Warning: Content {
        let index: Int
        let id: String
        let name: String
        let field: String
        /// `import.why.<code>`.
        let code: String
        /// `dropped`, `defaulted`, `truncated`, `toClassify` or `kept` (`HSDS.FieldIssue.Outcome`).
        let outcome: String
        let value: String?
        /// Why and what was done, in the reader's language.
        let reason: String
    }
    /// An offer a full synchronisation retires (or would retire).
    struct Named: Content {
        let id: UUID
        let name: String
    }
    var taken: [Taken] = []
    var refused: [Refused] = []
    var retired: Int = 0
    var warnings: [Warning] = []
    /// How many taken offers wait to be classified.
    var toClassify: Int = 0
    var retiredOffers: [Named] = []
    var created: Int = 0
    var updated: Int = 0
    /// True when nothing was written: the dry run of a full synchronisation.
    var dryRun: Bool = false
    /// What the import creates, updates and retires, as a digest: the confirmation of a dry run performs only the
    /// plan that was shown.
    var plan: String = ""
}

struct CatalogExchangeError: Error, CustomStringConvertible {
    let description: String
}

/// How an import writes.
enum ImportMode: Sendable, Equatable {
    /// Writes (one transaction).
    case apply
    /// Works out everything in a transaction that is rolled back: what it would do, nothing written.
    case dryRun
    /// Writes only if the plan is still the one of the dry run (`ImportReport.plan`); else answers a new dry run.
    case confirm(plan: String)
}

/// Export and import of a municipality's catalogue as HSDS 3.0 (an array of `service` records, organisations nested;
/// one record on its own is taken as a list of one). Import is idempotent: a record with a known id updates that
/// offer, never duplicates it. Every record is read leniently: a value Wegwijs cannot use (a latitude of 100, a
/// postcode that is not Dutch, an age of 100, a `javascript:` address) is left out with a warning naming the record
/// and the field, and the record is kept; a record without a Wegwijs theme is kept as "to classify". Only a record
/// without id or name, or with contradicting references, is refused. All in one transaction; a file that is not
/// JSON writes nothing. `replace` retires the municipality's offers that the file does not contain (a full sync).
enum CatalogExchange {
    static func export(municipalityCode: String, on db: any Database) async throws -> Data {
        guard let municipality = try await Municipality.query(on: db).filter(\.$code == municipalityCode).first() else {
            throw CatalogExchangeError(description: "Unknown municipality \(municipalityCode).")
        }
        let offers = try await Offer.query(on: db).filter(\.$municipality.$id == municipality.id!)
            .with(\.$organisation).sort(\.$name).sort(\.$id).all()
        let translations = try await OfferTranslations(on: db).all(of: offers.compactMap(\.id))
        let services = try offers.map { offer in
            // An offer waiting to be classified goes out as active: read back, it waits again (it has no theme).
            var service = HSDS.service(id: offer.id!, active: offer.status != .retired, offer: try offer.draft,
                                       organisation: .init(id: offer.organisation.id!, name: offer.organisation.name,
                                                           description: offer.organisation.type),
                                       municipalityCode: municipalityCode)
            if let texts = translations[offer.id!], !texts.isEmpty {
                service[HSDS.translationsKey] = texts.map { ["language": $0.language, "name": $0.name, "description": $0.description] }
            }
            return service
        }
        return try JSONSerialization.data(withJSONObject: services, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    /// The file's records as compact JSON (no line breaks): what the confirmation form of a dry run carries, byte for
    /// byte the same after a browser's round trip (forms turn line breaks into CR LF).
    static func compact(_ data: Data) throws -> Data {
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: data) } catch {
            throw CatalogExchangeError(description: "The file is not valid JSON; nothing was imported.")
        }
        guard parsed is [Any] || parsed is [String: Any] else {
            throw CatalogExchangeError(description: "The file must hold a JSON array of HSDS service records; nothing was imported.")
        }
        return try JSONSerialization.data(withJSONObject: parsed, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    /// SHA-256 of some bytes, in hex.
    static func digest(_ data: Data) -> String { SHA256.hash(data: data).hexString }

    /// Carries a dry run's report out of the transaction it rolls back.
    private struct RolledBack: Error { let report: ImportReport }

    static func `import`(_ data: Data, municipalityCode: String, replace: Bool, changedBy: String,
                         catalog: LocaleCatalog, locale: StaffLocale = .en, mode: ImportMode = .apply,
                         on db: any Database) async throws -> ImportReport {
        guard let municipality = try await Municipality.query(on: db).filter(\.$code == municipalityCode).first(),
              let municipalityID = municipality.id else {
            throw CatalogExchangeError(description: "Unknown municipality \(municipalityCode).")
        }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw CatalogExchangeError(description: "The file is not valid JSON; nothing was imported.")
        }
        // One service on its own (as Open Referral's examples are) is a list of one.
        guard let records = parsed as? [Any] ?? (parsed as? [String: Any]).map({ [$0] }) else {
            throw CatalogExchangeError(description: "The file must hold a JSON array of HSDS service records; nothing was imported.")
        }
        // Read every record first (plain values), then write in one transaction.
        let entries: [(rawID: String?, result: Result<HSDS.Record, HSDS.RecordError>)] = records.map {
            (($0 as? [String: Any])?["id"] as? String, HSDS.record(from: $0))
        }
        let ids = entries.compactMap { try? $0.result.get().id }
        let translationsRead = records.map { HSDS.translations(in: $0) }
        do {
            return try await db.writeTransaction { tx in
                var report = ImportReport()
                var seen = Set<UUID>()
                var organisations = try await Organisation.query(on: tx).filter(\.$municipality.$id == municipalityID).all()
                // The offers the file names that exist already, fetched in chunks rather than one by one.
                var existing: [UUID: Offer] = [:]
                for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
                    for offer in try await Offer.query(on: tx).filter(\.$id ~~ chunk).all() { existing[offer.id!] = offer }
                }
                var created: [Offer] = []
                var revisions: [OfferRevision] = []
                var translations: [(offerID: UUID, text: HSDS.Translation)] = []
                for (index, entry) in entries.enumerated() {
                    let rawID = entry.rawID
                    func refuse(_ field: String, _ code: String, _ value: String? = nil) {
                        var reason = catalog.text("import.reason.\(code)", locale)
                        if let value { reason += ": \(value)" }
                        report.refused.append(.init(index: index + 1, id: rawID, field: field, code: code, reason: reason))
                    }
                    let record: HSDS.Record
                    switch entry.result {
                    case .failure(let error): refuse(error.field, error.code, error.value); continue
                    case .success(let value): record = value
                    }
                    guard seen.insert(record.id).inserted else { refuse("id", "duplicate-id"); continue }
                    let old = existing[record.id]
                    if let old, old.$municipality.id != municipalityID {
                        refuse("id", "foreign-id"); continue
                    }
                    // The organisation: by id, else by name, else a new organisation of the municipality.
                    var organisation = organisations.first { $0.id == record.organisationID }
                        ?? organisations.first { $0.name == record.organisationName }
                    if organisation == nil {
                        guard let name = record.organisationName else { refuse("organization", "missing"); continue }
                        if let id = record.organisationID, try await Organisation.find(id, on: tx) != nil {
                            refuse("organization_id", "foreign-organisation"); continue
                        }
                        let added = Organisation(id: record.organisationID, municipalityID: municipalityID, name: name,
                                                 kind: OfferKind(rawValue: record.offer.kind) ?? .formal, type: .other)
                        try await added.create(on: tx)
                        organisations.append(added)
                        organisation = added
                    }
                    var issues = record.issues
                    var incoming = record.offer
                    if !record.hasWegwijsAttributes, let old, let before = try? old.draft, !before.themes.isEmpty {
                        incoming = HSDS.keepingClassification(incoming, from: before)
                        issues.append(.init(field: "attributes", code: "no-classification", value: nil, outcome: .kept))
                    }
                    let (draft, fitting) = HSDS.fitted(incoming)
                    issues += fitting
                    let (texts, textIssues) = translationsRead[index]
                    issues += textIssues
                    translations += texts.map { (record.id, $0) }
                    for issue in issues {
                        var reason = catalog.text("import.why.\(issue.code)", locale)
                        if let value = issue.value { reason = "\(value): \(reason)" }
                        reason += " — " + catalog.text("import.outcome.\(issue.outcome.rawValue)", locale)
                        report.warnings.append(.init(index: index + 1, id: record.id.uuidString.lowercased(), name: draft.name,
                                                     field: issue.field, code: issue.code, outcome: issue.outcome.rawValue,
                                                     value: issue.value, reason: reason))
                    }
                    let offer = old ?? Offer()
                    if old == nil {
                        offer.id = record.id
                        offer.version = 1
                        offer.$municipality.id = municipalityID
                    } else {
                        offer.version += 1
                    }
                    let waits = record.active && HSDS.needsClassification(draft)
                    offer.$organisation.id = organisation!.id!
                    offer.status = !record.active ? .retired : waits ? .toClassify : .active
                    offer.$updatedBy.id = nil
                    try offer.apply(draft)
                    if old == nil { created.append(offer) } else { try await offer.update(on: tx) }
                    revisions.append(OfferRevision(offerID: record.id, version: offer.version, change: "import", changedBy: changedBy))
                    report.taken.append(.init(index: index + 1, id: record.id, name: draft.name,
                                              action: old == nil ? "created" : "updated", toClassify: waits))
                    if waits { report.toClassify += 1 }
                }
                // New offers and all revisions in multi-row inserts.
                for chunk in stride(from: 0, to: created.count, by: 200) {
                    try await Array(created[chunk..<min(chunk + 200, created.count)]).create(on: tx)
                }
                for chunk in stride(from: 0, to: revisions.count, by: 500) {
                    try await Array(revisions[chunk..<min(chunk + 500, revisions.count)]).create(on: tx)
                }
                // The lists of every offer created or changed (retiring below changes none).
                let written = Set(revisions.map(\.$offer.id))
                try await OfferCodes.store(Array(existing.values.filter { written.contains($0.id!) }) + created, on: tx)
                // Translations come in as drafts: a key person of this municipality reviews them. An unchanged text
                // keeps its review.
                let store = OfferTranslations(on: tx)
                let translated = Array(Set(translations.map(\.offerID)))
                var stored: [UUID: [OfferTranslation]] = [:]
                for chunk in stride(from: 0, to: translated.count, by: 500) {
                    stored.merge(try await store.all(of: Array(translated[chunk..<min(chunk + 500, translated.count)])),
                                 uniquingKeysWith: { first, _ in first })
                }
                for (offerID, text) in translations {
                    let row = stored[offerID]?.first { $0.language == text.language }
                        ?? OfferTranslation(offerID: offerID, language: text.language)
                    try await store.saveText(row, name: text.name, description: text.description, by: changedBy)
                }
                if replace {
                    let stale = try await Offer.query(on: tx).filter(\.$municipality.$id == municipalityID)
                        .filter(\.$status != OfferStatus.retired).sort(\.$name).sort(\.$id).all()
                        .filter { !seen.contains($0.id!) }
                    for offer in stale {
                        offer.status = .retired
                        offer.version += 1
                        try await offer.update(on: tx)
                        try await OfferRevision(offerID: offer.id!, version: offer.version, change: "retired by sync",
                                                changedBy: changedBy).create(on: tx)
                    }
                    report.retired = stale.count
                    report.retiredOffers = stale.map { .init(id: $0.id!, name: $0.name) }
                }
                report.created = report.taken.filter { $0.action == "created" }.count
                report.updated = report.taken.count - report.created
                report.plan = plan(report)
                switch mode {
                case .apply: return report
                case .dryRun:
                    report.dryRun = true
                    throw RolledBack(report: report)
                case .confirm(let shown):
                    // Something changed since the dry run (another editor, another import): show the new plan.
                    guard shown == report.plan else {
                        report.dryRun = true
                        throw RolledBack(report: report)
                    }
                    return report
                }
            }
        } catch let rolledBack as RolledBack {
            return rolledBack.report
        }
    }

    /// The digest of what an import creates, updates, retires and leaves to classify.
    static func plan(_ report: ImportReport) -> String {
        var lines = report.taken.map { "\($0.action) \($0.id.uuidString.lowercased())\($0.toClassify ? " to-classify" : "")" }
        lines += report.retiredOffers.map { "retired \($0.id.uuidString.lowercased())" }
        return digest(Data(lines.sorted().joined(separator: "\n").utf8))
    }
}

/// `wegwijs catalog export FILE --municipality CODE` and `wegwijs catalog import FILE --municipality CODE [--replace]`.
struct CatalogCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "import | export")
        var action: String
        @Argument(name: "file")
        var file: String
        @Option(name: "municipality", help: "CBS code, e.g. GM9901")
        var municipality: String?
        @Flag(name: "replace", help: "retire offers of the municipality that the file does not contain (shows a dry run unless --yes)")
        var replace: Bool
        @Flag(name: "yes", help: "with --replace: perform the full synchronisation instead of showing its dry run")
        var yes: Bool
    }

    var help: String { "Exports or imports a municipality's catalogue as HSDS 3.0 JSON." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let code = signature.municipality else { throw CommandFailure(description: "--municipality CODE is required") }
        try await prepareDatabase(app)
        try await app.autoMigrate()
        do {
            switch signature.action {
            case "export":
                let data = try await CatalogExchange.export(municipalityCode: code, on: app.db)
                try data.write(to: URL(fileURLWithPath: signature.file))
                context.console.print("Exported the catalogue of \(code) to \(signature.file).")
            case "import":
                guard let data = FileManager.default.contents(atPath: signature.file) else {
                    throw CommandFailure(description: "Cannot read \(signature.file).")
                }
                // A full synchronisation retires what the file lacks: it first shows what it would do (nothing
                // written) and is performed only when asked again with --yes.
                let dryRun = signature.replace && !signature.yes
                let report = try await CatalogExchange.import(data, municipalityCode: code, replace: signature.replace,
                                                              changedBy: "catalog import", catalog: app.locales,
                                                              mode: dryRun ? .dryRun : .apply, on: app.db)
                let verb = dryRun ? "would be " : ""
                for taken in report.taken {
                    let state = taken.toClassify ? " (to classify)" : ""
                    context.console.print("taken   #\(taken.index) \(taken.id.uuidString.lowercased()) \(verb)\(taken.action)\(state): \(taken.name)")
                }
                for warning in report.warnings {
                    context.console.print("warning #\(warning.index) \(warning.id) \(warning.field): \(warning.reason)")
                }
                for refused in report.refused {
                    context.console.print("refused #\(refused.index) \(refused.id ?? "-") \(refused.field): \(refused.reason)")
                }
                for offer in report.retiredOffers {
                    context.console.print("retired \(offer.id.uuidString.lowercased()) \(verb)retired: \(offer.name)")
                }
                context.console.print("\(report.taken.count) taken (\(report.toClassify) to classify), \(report.warnings.count) warnings, \(report.refused.count) refused, \(report.retired) retired.")
                if dryRun {
                    context.console.print("Dry run: nothing was changed. Run again with --yes to perform this full synchronisation.")
                }
            default:
                throw CommandFailure(description: "Unknown action '\(signature.action)': use import or export.")
            }
        } catch let error as CatalogExchangeError {
            throw CommandFailure(description: error.description)
        }
    }
}
