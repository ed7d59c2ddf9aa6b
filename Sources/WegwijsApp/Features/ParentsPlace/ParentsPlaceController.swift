import Fluent
import Foundation
import Vapor
import WegwijsCore

/// `/ouders`: the parents' place. Public, no account, no cookies, nothing from other sites; the language is in the
/// URL. Pages are rendered once per content version (pages, catalogue) and served from memory with caching headers.
///
///   GET /ouders                         the language chooser
///   GET /ouders/:lang                   start page: the welcome package and the activity finder
///   GET /ouders/:lang/activiteiten      find an activity (?age=&theme=)
///   GET /ouders/:lang/:page             one page of the welcome package
struct ParentsPlaceController: RouteCollection {
    static let finderPath = "activiteiten"
    /// At most this many activities on one page: it stays light on a phone (and under 100 KB).
    static let finderPageSize = 20
    /// Browsers and proxies may keep a page for a minute; the ETag lets them check cheaply after that.
    static let cacheControl = "public, max-age=60"

    func boot(routes: any RoutesBuilder) throws {
        let ouders = routes.grouped("ouders")
        ouders.get(use: chooser)
        ouders.get(":lang", use: home)
        ouders.get(":lang", ":page", use: page)
    }

    // MARK: routes

    func chooser(_ request: Request) async throws -> Response {
        try await cached(request, key: "chooser") { content, _ in
            (.ok, try await render(request, "parents/chooser", ChooserContext(layout: layout(content, "nl", title: content.ui("chooseLanguage", "nl"), request: request), languages: languageLinks(content, current: nil, slug: nil))))
        }
    }

    func home(_ request: Request) async throws -> Response {
        let language = request.parameters.get("lang") ?? ""
        let content = request.application.parentContent
        guard content.isLanguage(language) else { return try await unknownLanguage(request) }
        return try await cached(request, key: "home/\(language)") { content, municipality in
            let cards = try await pageCards(request, content, language)
            let context = HomeContext(layout: layout(content, language, title: content.ui("siteName", language), request: request,
                                                     municipality: municipality?.name),
                                      intro: content.ui("home.intro", language), pages: cards,
                                      finderHref: "/ouders/\(language)/\(Self.finderPath)")
            return (.ok, try await render(request, "parents/home", context))
        }
    }

    func page(_ request: Request) async throws -> Response {
        let language = request.parameters.get("lang") ?? ""
        let slug = request.parameters.get("page") ?? ""
        let content = request.application.parentContent
        guard content.isLanguage(language) else { return try await unknownLanguage(request) }
        if slug == Self.finderPath { return try await finder(request, language: language) }
        return try await cached(request, key: "page/\(language)/\(slug)") { content, municipality in
            guard let spec = content.page(slug),
                  let source = try await request.parentPages.page(slug, language: ParentContent.sourceLanguage) else {
                return (.notFound, try await notFound(request, content, language, municipality: municipality))
            }
            let translation = language == ParentContent.sourceLanguage ? source
                : try await request.parentPages.page(slug, language: language)
            let shown = translation ?? source
            let state = translation?.state(sourceRevision: source.revision) ?? .missing
            let offers = try await offersFor(request, themes: spec.themes, language: language, municipality: municipality,
                                             limit: 6)
            let translations = try await request.offerTranslations.of(offers.compactMap(\.id), language: language)
            let context = PageContext(
                layout: layout(content, language, title: shown.title, request: request, municipality: municipality?.name),
                slug: slug, title: shown.title, iconAlt: shown.iconAlt,
                // A missing translation shows the Dutch text, marked as Dutch.
                textLang: translation == nil ? ParentContent.sourceLanguage : language,
                textDir: translation == nil ? "ltr" : (Languages.rightToLeft.contains(language) ? "rtl" : "ltr"),
                blocks: TextBlock.parse(shown.body),
                draft: state != .source && state != .reviewed,
                whereTitle: content.ui("page.whereTitle", language, ["municipality": municipality?.name ?? ""]),
                offers: offers.map { card($0, language: language, content: content, translation: $0.id.flatMap { translations[$0] }) })
            return (.ok, try await render(request, "parents/page", context))
        }
    }

    private func finder(_ request: Request, language: String) async throws -> Response {
        let content = request.application.parentContent
        let wanted = FinderQuery(request, content: content)
        return try await cached(request, key: "finder/\(language)/\(wanted.key)") { content, municipality in
            var filter = OfferFilter()
            switch wanted.language {
            case .mine:
                filter.language = language
                filter.bridged = true
            case .givenIn(let code):
                filter.language = code
            case .any:
                break
            }
            filter.age = wanted.age
            filter.theme = wanted.theme
            filter.postcode = wanted.postcode
            var offers: [Offer] = [], total = 0
            if let municipality, let id = municipality.id {
                (offers, total) = try await request.publicCatalogue.activeOffers(
                    filter, municipalityID: id, offset: (wanted.page - 1) * Self.finderPageSize, limit: Self.finderPageSize)
            }
            let translations = try await request.offerTranslations.of(offers.compactMap(\.id), language: language)
            let pages = max(1, (total + Self.finderPageSize - 1) / Self.finderPageSize)
            func href(page: Int) -> String {
                "/ouders/\(language)/\(Self.finderPath)" + wanted.query(page: page)
            }
            let context = FinderContext(
                layout: layout(content, language, title: content.ui("finder.title", language), request: request,
                               municipality: municipality?.name),
                action: "/ouders/\(language)/\(Self.finderPath)",
                ages: (0...18).map { Choice(value: String($0), label: String($0), selected: $0 == wanted.age) },
                themes: Theme.allCodes.map { Choice(value: $0, label: content.label("theme", $0, language), selected: $0 == wanted.theme) }
                    .sorted { $0.label < $1.label },
                languages: [.init(value: FinderQuery.anyLanguage, label: content.ui("finder.languageAny", language), lang: nil,
                                  selected: wanted.language == .any)]
                    + content.languages.map { .init(value: $0.code, label: $0.name, lang: $0.code, selected: wanted.language == .givenIn($0.code)) },
                postcode: wanted.postcodeText,
                postcodeError: wanted.postcodeInvalid ? content.ui("finder.postcodeInvalid", language) : nil,
                countText: content.ui("finder.count", language, ["count": String(total)]),
                pageText: pages > 1 ? content.ui("finder.page", language, ["page": String(min(wanted.page, pages)), "pages": String(pages)]) : nil,
                previousHref: wanted.page > 1 && wanted.page <= pages ? href(page: wanted.page - 1) : nil,
                nextHref: wanted.page < pages ? href(page: wanted.page + 1) : nil,
                offers: offers.map { card($0, language: language, content: content, translation: $0.id.flatMap { translations[$0] }) })
            return (.ok, try await render(request, "parents/finder", context))
        }
    }

    /// An unknown language: the chooser, with 404, so nobody lands on a blank page.
    private func unknownLanguage(_ request: Request) async throws -> Response {
        try await cached(request, key: "unknown-language") { content, _ in
            (.notFound, try await render(request, "parents/chooser",
                                         ChooserContext(layout: layout(content, "nl", title: content.ui("chooseLanguage", "nl"), request: request),
                                                        languages: languageLinks(content, current: nil, slug: nil),
                                                        unknownLanguage: true)))
        }
    }

    private func notFound(_ request: Request, _ content: ParentContent, _ language: String, municipality: Municipality?) async throws -> ByteBuffer {
        let cards = try await pageCards(request, content, language)
        return try await render(request, "parents/notfound", HomeContext(
            layout: layout(content, language, title: content.ui("notFound.title", language), request: request,
                           municipality: municipality?.name),
            intro: content.ui("notFound.text", language), pages: cards, finderHref: "/ouders/\(language)/\(Self.finderPath)"))
    }

    /// The welcome package's pages in `language`, in the order of `pages.json`.
    private func pageCards(_ request: Request, _ content: ParentContent, _ language: String) async throws -> [PageCard] {
        let bySlug = try await request.parentPages.inLanguage(language)
        return content.pages.compactMap { spec in
            bySlug[spec.slug].map { PageCard(slug: spec.slug, href: "/ouders/\(language)/\(spec.slug)", title: $0.title,
                                             summary: $0.summary, iconAlt: $0.iconAlt) }
        }
    }

    // MARK: caching

    /// Serves the page for `key` from memory while neither the pages nor the catalogue changed, with an ETag and
    /// `Cache-Control: public`. Answers 304 when the browser already has this version.
    private func cached(_ request: Request, key: String,
                       _ make: @escaping @Sendable (ParentContent, Municipality?) async throws -> (HTTPStatus, ByteBuffer)) async throws -> Response {
        let versions = try await request.parentsPlaceVersions()
        let pagesVersion = versions[ContentVersion.parentPages] ?? 0
        let catalogueVersion = versions[ContentVersion.catalogue] ?? 0
        // Both versions in one number for the cache: they only grow, so the pair is unique as long as each stays
        // under 2^32 changes.
        let version = pagesVersion << 32 | (catalogueVersion & 0xFFFF_FFFF)
        let content = request.application.parentContent
        let code = request.application.storage[AppConfigKey.self]?.parentsMunicipality ?? "GM9901"
        let rendered = try await request.application.parentPageCache.value(key, version: version) {
            let municipality = try await request.tenancy.municipality(code: code)
            let (status, body) = try await make(content, municipality)
            return RenderedParentPage(status: status, body: body)
        }
        let etag = "\"\(pagesVersion)-\(catalogueVersion)-\(key.utf8.reduce(UInt32(2166136261)) { ($0 ^ UInt32($1)) &* 16777619 })\""
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .cacheControl, value: Self.cacheControl)
        headers.replaceOrAdd(name: .eTag, value: etag)
        if rendered.status == .ok, request.headers.first(name: .ifNoneMatch) == etag {
            return Response(status: .notModified, headers: headers)
        }
        headers.contentType = .html
        return Response(status: rendered.status, headers: headers, body: .init(buffer: rendered.body))
    }

    private func render(_ request: Request, _ template: String, _ context: some Encodable) async throws -> ByteBuffer {
        try await request.view.render(template, context).get().data
    }

    // MARK: building the contexts

    private func layout(_ content: ParentContent, _ language: String, title: String, request: Request,
                        municipality: String? = nil, slug: String? = nil) -> ParentLayout {
        var ui: [String: String] = [:]
        for key in content.files[ParentContent.sourceLanguage]?.ui.keys ?? [:].keys {
            // Leaf reads dictionary keys without dots: `nav.home` becomes `nav_home`.
            ui[key.replacingOccurrences(of: ".", with: "_")] = content.ui(key, language, ["municipality": municipality ?? ""])
        }
        let path = request.url.path
        let rest = path.split(separator: "/").dropFirst(2).joined(separator: "/")
        return ParentLayout(lang: language, dir: Languages.rightToLeft.contains(language) ? "rtl" : "ltr", title: title,
                            ui: ui, homeHref: "/ouders/\(language)", finderHref: "/ouders/\(language)/\(Self.finderPath)",
                            languages: languageLinks(content, current: language, slug: rest.isEmpty ? nil : rest))
    }

    private func languageLinks(_ content: ParentContent, current: String?, slug: String?) -> [LanguageLink] {
        content.languages.map {
            LanguageLink(code: $0.code, name: $0.name, dir: $0.dir,
                         href: "/ouders/\($0.code)" + (slug.map { "/" + $0 } ?? ""), current: $0.code == current)
        }
    }

    /// Where to go: active offers on the page's themes, those in the reader's language (or bridged to it) first.
    private func offersFor(_ request: Request, themes: [String], language: String, municipality: Municipality?,
                           limit: Int) async throws -> [Offer] {
        guard let id = municipality?.id else { return [] }
        let offers = try await request.publicCatalogue.activeOffers(onAnyOf: themes, municipalityID: id, limit: 200)
        func reaches(_ offer: Offer) -> Bool { offer.bridges || ((try? offer.draft.languages.contains(language)) ?? false) }
        return Array((offers.filter(reaches) + offers.filter { !reaches($0) }).prefix(limit))
    }

    private func card(_ offer: Offer, language: String, content: ParentContent, translation: OfferTranslation?) -> OfferCard {
        OfferCard(offer: offer, language: language, content: content, translation: translation)
    }
}
