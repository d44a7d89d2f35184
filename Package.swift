// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "AssurancePortal",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "portal", targets: ["portal"]),
        .library(name: "PortalCore", targets: ["PortalCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // The preview server (`portal serve`): no dependencies of its own, so clean builds stay fast.
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.0"),
    ],
    targets: [
        // cmark-gfm from Debian's packages, found through pkg-config.
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        // One system call Swift's Glibc module does not expose: an atomic directory swap.
        .target(name: "CPortalSystem"),
        .target(
            name: "PortalCore",
            dependencies: [
                "CCmarkGFM",
                "CPortalSystem",
                .product(name: "Yams", package: "Yams"),
                .product(name: "FlyingFox", package: "FlyingFox"),
            ]
        ),
        .executableTarget(
            name: "portal",
            dependencies: [
                "PortalCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // jemalloc (Debian's libjemalloc-dev) in place of glibc's malloc: a build makes millions
            // of small allocations on two threads, and profiling showed glibc's bookkeeping taking
            // a sixth of a 10,000-page build.
            linkerSettings: [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]
        ),
        .testTarget(
            name: "PortalCoreTests",
            dependencies: ["PortalCore"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
