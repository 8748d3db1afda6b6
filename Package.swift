// swift-tools-version:5.10
import PackageDescription
import Foundation

// Release builds target the CPU level named by LESSONBOOK_TARGET_CPU, which the Makefile sets
// from /proc/cpuinfo: skylake-avx512 (the x86-64-v4 level) on AVX-512 machines such as this
// project's, haswell (x86-64-v3: AVX2 + FMA) without AVX-512, x86-64 otherwise; swiftc does not
// accept the "x86-64-vN" names themselves. Without a target swiftc emits SSE-only code for
// SIMD loops; with AVX-512 a SIMD16<Float> is one zmm register and the convolution kernels keep
// their sums in the 32 of them (LeNet's second convolution runs about a third faster than with
// AVX2). A plain `swift build -c release` targets x86-64, so its binary runs on any x86-64 CPU
// (one built for skylake-avx512 dies with SIGILL on a CPU without AVX-512); `make` picks the
// machine's own level and prints it.
let targetCPU = ProcessInfo.processInfo.environment["LESSONBOOK_TARGET_CPU"] ?? "x86-64"
let releaseCPU: [SwiftSetting] = [
    .unsafeFlags(["-target-cpu", targetCPU], .when(configuration: .release)),
]

let package = Package(
    name: "lessonbook",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "lessonbook", targets: ["lessonbook"]),
        .executable(name: "lessonbook-bench", targets: ["lessonbook-bench"]),
        .executable(name: "lessonbook-fuzz", targets: ["lessonbook-fuzz"]),
        .library(name: "TensorEngine", targets: ["TensorEngine"]),
        .library(name: "LessonScript", targets: ["LessonScript"]),
        .library(name: "LessonRunner", targets: ["LessonRunner"]),
    ],
    dependencies: [
        // The command-line front end.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // The HTTP server of `lessonbook serve` (README: "Writing lessons with the live preview").
        .package(url: "https://github.com/swhitty/FlyingFox", exact: "0.27.1"),
    ],
    targets: [
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CCmark", path: "Sources/CCmark", pkgConfig: "libcmark-gfm",
                       providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .target(name: "TensorEngine", dependencies: ["COpenBLAS", "CZlib"], swiftSettings: releaseCPU),
        // The interpreter's frames live behind pointers; run-time exclusivity checks on them cost
        // two thirds of a tight loop. Debug builds (and so `swift test`) keep the checks.
        .target(name: "LessonScript", dependencies: ["TensorEngine"], swiftSettings: releaseCPU + [
            .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
        ]),
        .target(name: "LessonRunner", dependencies: ["LessonScript", "TensorEngine", "CCmark", "CZlib",
                                                    .product(name: "FlyingFox", package: "FlyingFox")],
                swiftSettings: releaseCPU),
        .executableTarget(name: "lessonbook", dependencies: [
            "LessonRunner",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: releaseCPU),
        .executableTarget(name: "lessonbook-bench", dependencies: [
            "TensorEngine", "LessonScript", "LessonRunner",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: releaseCPU),
        // The fuzz target: replays a corpus by default; `make fuzz` builds it with libFuzzer.
        .executableTarget(name: "lessonbook-fuzz", dependencies: ["TensorEngine", "LessonScript", "LessonRunner"],
                          swiftSettings: releaseCPU),
        .testTarget(name: "TensorEngineTests", dependencies: ["TensorEngine"]),
        .testTarget(name: "LessonScriptTests", dependencies: ["LessonScript"],
                    exclude: ["Scripts"]),
        .testTarget(name: "LessonRunnerTests", dependencies: ["LessonRunner"],
                    exclude: ["Fixtures"]),
    ]
)
