// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "AssurancePortal",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "portal", targets: ["portal"])
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
        // cmark-gfm's table of extension characters, pinned so parses can run on every core
        // (ARCHITECTURE.md, "cmark's extension table is pinned").
        .target(name: "CPortalSystem"),
        // One target per stage, so the compiler keeps data flowing one way: each imports only the
        // stages before it (ARCHITECTURE.md has the picture).
        .target(name: "PortalSupport", dependencies: ["CPortalSystem"]),
        .target(name: "PortalTemplates", dependencies: ["PortalSupport"]),
        .target(name: "PortalMarkdown", dependencies: ["PortalSupport", "CCmarkGFM", "CPortalSystem"]),
        .target(
            name: "PortalLoad",
            dependencies: [
                "PortalSupport", "PortalTemplates", "PortalMarkdown", .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(name: "PortalResolve", dependencies: ["PortalSupport", "PortalMarkdown", "PortalLoad"]),
        .target(
            name: "PortalRender",
            dependencies: ["PortalSupport", "PortalTemplates", "PortalMarkdown", "PortalLoad", "PortalResolve"]
        ),
        .target(name: "PortalWrite", dependencies: ["PortalSupport", "PortalRender"]),
        // Incremental builds are a mode of the build, so they live in its target.
        .target(
            name: "PortalBuild",
            dependencies: [
                "PortalSupport", "PortalMarkdown", "PortalLoad", "PortalResolve", "PortalRender", "PortalWrite",
            ]
        ),
        .target(
            name: "PortalServe",
            dependencies: ["PortalSupport", "PortalBuild", .product(name: "FlyingFox", package: "FlyingFox")]
        ),
        .target(name: "PortalPublish", dependencies: ["PortalSupport", "PortalWrite", "PortalBuild"]),
        .target(name: "PortalScaffold", dependencies: ["PortalSupport", "PortalLoad", "PortalBuild"]),
        .executableTarget(
            name: "portal",
            dependencies: [
                "PortalSupport", "PortalBuild", "PortalServe", "PortalPublish", "PortalScaffold",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // jemalloc (Debian's libjemalloc-dev) in place of glibc's malloc: a build makes millions
            // of small allocations on two threads, and profiling showed glibc's bookkeeping taking
            // a sixth of a 10,000-page build.
            linkerSettings: [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]
        ),
        .testTarget(
            name: "PortalCoreTests",
            dependencies: [
                "PortalSupport", "PortalTemplates", "PortalMarkdown", "PortalLoad", "PortalResolve", "PortalRender",
                "PortalWrite", "PortalBuild", "PortalServe", "PortalPublish", "PortalScaffold",
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
