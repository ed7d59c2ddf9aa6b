import Foundation
import Vapor
import WegwijsApp

// The executable is thin: everything lives in WegwijsApp, which the tests import.
var environment = try Environment.detect()
try LoggingSystem.bootstrap(from: &environment)
let app = try await Application.make(environment)
do {
    try await bootstrap(app)
    try await app.execute()
    try await app.asyncShutdown()
} catch let failure as CommandFailure {
    FileHandle.standardError.write(Data((failure.description + "\n").utf8))
    try? await app.asyncShutdown()
    exit(1)
} catch {
    FileHandle.standardError.write(Data("wegwijs: \(error)\n".utf8))
    try? await app.asyncShutdown()
    exit(1)
}
