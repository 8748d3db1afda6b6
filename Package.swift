// swift-tools-version:5.10
import PackageDescription

// Release builds target Haswell, the x86-64-v3 level (AVX2 + FMA); swiftc does not accept
// the name "x86-64-v3" itself. Without it swiftc emits
// SSE-only code for SIMD loops. Every machine of this project's kind supports it.
let releaseCPU: [SwiftSetting] = [
    .unsafeFlags(["-target-cpu", "haswell"], .when(configuration: .release)),
]

let package = Package(
    name: "lessonbook",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "lessonbook", targets: ["lessonbook"]),
        .executable(name: "lessonbook-bench", targets: ["lessonbook-bench"]),
        .library(name: "TensorEngine", targets: ["TensorEngine"]),
        .library(name: "LessonScript", targets: ["LessonScript"]),
        .library(name: "LessonRunner", targets: ["LessonRunner"]),
    ],
    dependencies: [
        // The command-line front end; the only Swift package dependency.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CCmark", path: "Sources/CCmark", pkgConfig: "libcmark",
                       providers: [.apt(["libcmark-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .target(name: "TensorEngine", dependencies: ["COpenBLAS", "CZlib"], swiftSettings: releaseCPU),
        // The interpreter's frames live behind pointers; run-time exclusivity checks on them cost
        // two thirds of a tight loop. Debug builds (and so `swift test`) keep the checks.
        .target(name: "LessonScript", dependencies: ["TensorEngine"], swiftSettings: releaseCPU + [
            .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
        ]),
        .target(name: "LessonRunner", dependencies: ["LessonScript", "TensorEngine", "CCmark", "CZlib"],
                swiftSettings: releaseCPU),
        .executableTarget(name: "lessonbook", dependencies: [
            "LessonRunner",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: releaseCPU),
        .executableTarget(name: "lessonbook-bench", dependencies: [
            "TensorEngine", "LessonScript", "LessonRunner",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: releaseCPU),
        .testTarget(name: "TensorEngineTests", dependencies: ["TensorEngine"]),
        .testTarget(name: "LessonScriptTests", dependencies: ["LessonScript"],
                    exclude: ["Scripts"]),
        .testTarget(name: "LessonRunnerTests", dependencies: ["LessonRunner"],
                    exclude: ["Fixtures"]),
    ]
)
