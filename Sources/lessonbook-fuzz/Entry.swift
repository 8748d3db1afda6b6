import Foundation

#if FUZZING
/// libFuzzer's entry (built by `make fuzz` with `-sanitize=fuzzer -D FUZZING`; libFuzzer
/// provides `main`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzSetup.once
    FuzzHarness.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}

enum FuzzSetup {
    static let once: Void = FuzzHarness.configureLimits()
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

/// SwiftPM links an executable's entry as `<module>_main` (and points `main` at it), so
/// libFuzzer's own `main` is not used: this one hands over to libFuzzer's driver.
@_cdecl("lessonbook_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return runFuzzerDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
}
#else
/// Without libFuzzer: replays every file under the given folders through the harness, in
/// sorted order, and reports how many ran. A trap ends the process with the input's name on
/// stderr. `make test` runs it over the seed corpus and the regression inputs.
@main
struct ReplayMain {
    static func main() {
        FuzzHarness.configureLimits()
        let roots = CommandLine.arguments.dropFirst()
        guard !roots.isEmpty else {
            FileHandle.standardError.write(Data("usage: lessonbook-fuzz FOLDER-OR-FILE...\n".utf8))
            exit(2)
        }
        var files: [String] = []
        for root in roots {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root, isDirectory: &isFolder) else {
                FileHandle.standardError.write(Data("lessonbook-fuzz: no such file or folder: \(root)\n".utf8))
                exit(2)
            }
            if !isFolder.boolValue { files.append(root); continue }
            let enumerator = FileManager.default.enumerator(atPath: root)
            while let name = enumerator?.nextObject() as? String {
                let path = root + "/" + name
                var folder: ObjCBool = false
                if FileManager.default.fileExists(atPath: path, isDirectory: &folder), !folder.boolValue { files.append(path) }
            }
        }
        let start = Date()
        for path in files.sorted() {
            FileHandle.standardError.write(Data("replay \(path)\n".utf8))
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            data.withUnsafeBytes { FuzzHarness.run($0.bindMemory(to: UInt8.self)) }
        }
        print("lessonbook-fuzz: replayed \(files.count) inputs in \(String(format: "%.1f", Date().timeIntervalSince(start))) s, no crash")
    }
}
#endif
