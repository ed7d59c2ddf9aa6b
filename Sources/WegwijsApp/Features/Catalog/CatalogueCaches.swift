import Vapor

/// The catalogue's remembered pages: the staff API list and the public HSDS services list.
struct CatalogueCaches: Sendable {
    let offerPages: DerivedCache<ByteBuffer>
    let hsdsPages: DerivedCache<ByteBuffer>

    init(enabled: Bool = true) {
        // The version is kept by the database for every writer, so no time limit is needed.
        offerPages = DerivedCache(ttl: .infinity, capacity: 500, enabled: enabled)
        hsdsPages = DerivedCache(ttl: .infinity, capacity: 500, enabled: enabled)
    }
}

extension Application {
    private struct CatalogueCachesKey: StorageKey { typealias Value = CatalogueCaches }
    var catalogueCaches: CatalogueCaches {
        get { storage[CatalogueCachesKey.self] ?? CatalogueCaches(enabled: false) }
        set { storage[CatalogueCachesKey.self] = newValue }
    }
}
