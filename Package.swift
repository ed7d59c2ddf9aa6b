// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "wegwijs",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "wegwijs", targets: ["wegwijs"]),
        .library(name: "WegwijsCore", targets: ["WegwijsCore"]),
        .library(name: "WegwijsApp", targets: ["WegwijsApp"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/mattpolzin/OpenAPIKit.git", from: "6.4.0"),
    ],
    targets: [
        .target(name: "WegwijsCore", dependencies: []),
        .target(
            name: "WegwijsApp",
            dependencies: [
                "WegwijsCore",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
            ]
        ),
        .executableTarget(name: "wegwijs", dependencies: ["WegwijsApp"]),
        .testTarget(name: "WegwijsCoreTests", dependencies: ["WegwijsCore"]),
        .testTarget(
            name: "WegwijsAppTests",
            dependencies: [
                "WegwijsApp",
                .product(name: "VaporTesting", package: "vapor"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
