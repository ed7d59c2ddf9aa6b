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
    var taken: [Taken] = []
    var refused: [Refused] = []
    var retired: Int = 0
}

struct CatalogExchangeError: Error, CustomStringConvertible {
    let description: String
}

/// Export and import of a municipality's catalogue as HSDS 3.0 (an array of `service` records, organisations nested).
/// Import is idempotent: a record with a known id updates that offer, never duplicates it. Every record is checked;
/// refused records are reported with their reason, the others are taken, all in one transaction. A malformed file
/// writes nothing. `replace` retires the municipality's offers that the file does not contain (a full sync).
enum CatalogExchange {
    static func export(municipalityCode: String, on db: any Database) async throws -> Data {
        guard let municipality = try await Municipality.query(on: db).filter(\.$code == municipalityCode).first() else {
            throw CatalogExchangeError(description: "Unknown municipality \(municipalityCode).")
        }
        let offers = try await Offer.query(on: db).filter(\.$municipality.$id == municipality.id!)
            .with(\.$organisation).sort(\.$name).sort(\.$id).all()
        let services = try offers.map { offer in
            HSDS.service(id: offer.id!, active: offer.status == .active, offer: try offer.draft,
                         organisation: .init(id: offer.organisation.id!, name: offer.organisation.name,
                                             description: offer.organisation.type),
                         municipalityCode: municipalityCode)
        }
        return try JSONSerialization.data(withJSONObject: services, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    static func `import`(_ data: Data, municipalityCode: String, replace: Bool, changedBy: String,
                         catalog: LocaleCatalog, locale: StaffLocale = .en, on db: any Database) async throws -> ImportReport {
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
        guard let records = parsed as? [Any] else {
            throw CatalogExchangeError(description: "The file must hold a JSON array of HSDS service records; nothing was imported.")
        }
        // Read every record first (plain values), then write in one transaction.
        let entries: [(rawID: String?, result: Result<HSDS.Record, HSDS.RecordError>)] = records.map {
            (($0 as? [String: Any])?["id"] as? String, HSDS.record(from: $0))
        }
        let ids = entries.compactMap { try? $0.result.get().id }
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
                let problems = OfferValidation.validate(record.offer)
                if let first = problems.first {
                    // The field messages of the offer form, in the reader's language.
                    let reason = problems.map { "\($0.field): \(catalog.fieldMessage($0, locale))" }.joined(separator: "; ")
                    report.refused.append(.init(index: index + 1, id: rawID, field: first.field, code: "invalid", reason: reason))
                    continue
                }
                guard seen.insert(record.id).inserted else { refuse("id", "duplicate-id"); continue }
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
                let old = existing[record.id]
                if let old, old.$municipality.id != municipalityID {
                    refuse("id", "foreign-id"); continue
                }
                let offer = old ?? Offer()
                if old == nil {
                    offer.id = record.id
                    offer.version = 1
                    offer.$municipality.id = municipalityID
                } else {
                    offer.version += 1
                }
                offer.$organisation.id = organisation!.id!
                offer.status = record.active ? .active : .retired
                offer.$updatedBy.id = nil
                try offer.apply(record.offer)
                if old == nil { created.append(offer) } else { try await offer.update(on: tx) }
                revisions.append(OfferRevision(offerID: record.id, version: offer.version, change: "import", changedBy: changedBy))
                report.taken.append(.init(index: index + 1, id: record.id, name: record.offer.name,
                                          action: old == nil ? "created" : "updated"))
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
            if replace {
                let stale = try await Offer.query(on: tx).filter(\.$municipality.$id == municipalityID)
                    .filter(\.$status == OfferStatus.active).all().filter { !seen.contains($0.id!) }
                for offer in stale {
                    offer.status = .retired
                    offer.version += 1
                    try await offer.update(on: tx)
                    try await OfferRevision(offerID: offer.id!, version: offer.version, change: "retired by sync",
                                            changedBy: changedBy).create(on: tx)
                }
                report.retired = stale.count
            }
            return report
        }
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
        @Flag(name: "replace", help: "retire offers of the municipality that the file does not contain")
        var replace: Bool
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
                let report = try await CatalogExchange.import(data, municipalityCode: code, replace: signature.replace,
                                                              changedBy: "catalog import", catalog: app.locales, on: app.db)
                for taken in report.taken { context.console.print("taken   #\(taken.index) \(taken.id.uuidString.lowercased()) \(taken.action): \(taken.name)") }
                for refused in report.refused {
                    context.console.print("refused #\(refused.index) \(refused.id ?? "-") \(refused.field): \(refused.reason)")
                }
                context.console.print("\(report.taken.count) taken, \(report.refused.count) refused, \(report.retired) retired.")
            default:
                throw CommandFailure(description: "Unknown action '\(signature.action)': use import or export.")
            }
        } catch let error as CatalogExchangeError {
            throw CommandFailure(description: error.description)
        }
    }
}
