import Fluent
import Foundation
import SQLKit
import WegwijsCore

/// The demand behind the procurement checklist: how many active families with at least one open need there are, per
/// language, per theme, per language and theme, and with a father or a mother per language. Aggregate queries only
/// (COUNT DISTINCT families, grouped by codes): no family's id, name or answers leaves the database. The same SQL on
/// SQLite and PostgreSQL.
enum ProcurementDemand {
    static func load(municipalityID: UUID, on database: any Database) async throws -> (demand: Demand, families: Int) {
        guard let sql = database as? any SQLDatabase else { return (Demand(), 0) }
        let open = "EXISTS (SELECT 1 FROM family_needs n WHERE n.family_id = f.id AND n.status = 'open')"
        var demand = Demand()
        for row in try await sql.raw("""
            SELECT fl.code AS language, COUNT(DISTINCT f.id) AS n
            FROM families f JOIN family_languages fl ON fl.family_id = f.id
            WHERE f.municipality_id = \(bind: municipalityID) AND f.status = 'active' AND \(unsafeRaw: open)
            GROUP BY fl.code
            """).all() {
            demand.languages[try row.decode(column: "language", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        for row in try await sql.raw("""
            SELECT n.theme AS theme, COUNT(DISTINCT n.family_id) AS n
            FROM family_needs n JOIN families f ON f.id = n.family_id
            WHERE n.municipality_id = \(bind: municipalityID) AND n.status = 'open' AND f.status = 'active'
            GROUP BY n.theme
            """).all() {
            demand.themes[try row.decode(column: "theme", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        for row in try await sql.raw("""
            SELECT fl.code AS language, n.theme AS theme, COUNT(DISTINCT n.family_id) AS n
            FROM family_needs n JOIN families f ON f.id = n.family_id JOIN family_languages fl ON fl.family_id = n.family_id
            WHERE n.municipality_id = \(bind: municipalityID) AND n.status = 'open' AND f.status = 'active'
            GROUP BY fl.code, n.theme
            """).all() {
            let key = Demand.key(language: try row.decode(column: "language", as: String.self),
                                 theme: try row.decode(column: "theme", as: String.self))
            demand.languageThemes[key] = try row.decode(column: "n", as: Int.self)
        }
        for row in try await sql.raw("""
            SELECT ml.code AS language, m.gender AS gender, COUNT(DISTINCT m.family_id) AS n
            FROM family_members m JOIN member_spoken_languages ml ON ml.member_id = m.id JOIN families f ON f.id = m.family_id
            WHERE m.municipality_id = \(bind: municipalityID) AND m.role = 'parent' AND m.gender IN ('male', 'female')
              AND f.status = 'active' AND \(unsafeRaw: open)
            GROUP BY ml.code, m.gender
            """).all() {
            let language = try row.decode(column: "language", as: String.self), n = try row.decode(column: "n", as: Int.self)
            if try row.decode(column: "gender", as: String.self) == Gender.male.rawValue { demand.fathers[language] = n }
            else { demand.mothers[language] = n }
        }
        let total = try await sql.raw("""
            SELECT COUNT(DISTINCT n.family_id) AS n FROM family_needs n JOIN families f ON f.id = n.family_id
            WHERE n.municipality_id = \(bind: municipalityID) AND n.status = 'open' AND f.status = 'active'
            """).first()
        return (demand, try total?.decode(column: "n", as: Int.self) ?? 0)
    }
}
