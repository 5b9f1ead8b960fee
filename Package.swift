// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "senderscore",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "SenderScoreKit", targets: ["SenderScoreKit"]),
        .executable(name: "senderscore", targets: ["senderscore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // GSL through pkg-config; `make deps` installs it on Debian.
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),
        // zlib, for `run --trials-out FILE.gz`; Debian's Swift toolchain needs it too.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // The C library's allocator settings (glibc's mmap threshold), for the command.
        .systemLibrary(name: "CMalloc"),
        .target(
            name: "SenderScoreKit",
            dependencies: ["CGSL", "CZlib", .product(name: "Yams", package: "Yams")]
        ),
        .executableTarget(
            name: "senderscore",
            dependencies: [
                "SenderScoreKit",
                "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "_TestSupport",
            dependencies: ["SenderScoreKit"],
            path: "Tests/_TestSupport"
        ),
        .testTarget(
            name: "SenderScoreKitTests",
            dependencies: ["SenderScoreKit", "_TestSupport"]
        ),
        .testTarget(
            name: "senderscoreTests",
            dependencies: ["senderscore", "_TestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
