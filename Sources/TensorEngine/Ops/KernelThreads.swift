import Foundation
import COpenBLAS
import Synchronization

/// The engine's one parallelism scheme for convolution and pooling: the work is cut into
/// chunks (ranges of images or planes) that the caller and one persistent thread per further
/// core take in turn, while OpenBLAS is held to one thread, so each chunk's GEMMs run on the core
/// that prepared their operands (its column matrix is still in that core's L2) and BLAS threads
/// never compete with ours. Outside these regions OpenBLAS keeps its own thread count for
/// plain `matmul`.
enum KernelThreads {
    /// Threads a parallel region can use (the caller included): the active cores, at most 8.
    static let count = Swift.max(1, Swift.min(ProcessInfo.processInfo.activeProcessorCount, 8))

    /// Serialises kernels that use the per-slot scratch buffers: lessons run one operation at a
    /// time, but a host may run two lessons on two threads.
    static let lock = NSLock()

    /// Runs `body(chunk, slot)` for every chunk in `0..<chunks`, spread over the caller (slot 0)
    /// and the pool's threads (slots 1…); a slot runs one chunk at a time, so per-slot scratch
    /// memory is safe. With `usesBLAS`, OpenBLAS is single-threaded meanwhile. Inline when
    /// there is one chunk.
    static func run(chunks: Int, usesBLAS: Bool = true, _ body: (_ chunk: Int, _ slot: Int) -> Void) {
        if chunks <= 0 { return }
        if chunks == 1 || count == 1 {
            for chunk in 0..<chunks { body(chunk, 0) }
            return
        }
        let saved = usesBLAS ? openblas_get_num_threads() : 1
        if saved != 1 { openblas_set_num_threads(1) }
        WorkerPool.shared.run(chunks: chunks, body)
        if saved != 1 { openblas_set_num_threads(saved) }
    }

    /// Runs `body(chunk, lane, slot)` for every chunk, with the chunks cut into `lanes(for:)`
    /// fixed contiguous lanes: a lane's chunks run in increasing order on one thread at a time,
    /// whichever thread takes it. A kernel that sums across chunks keeps one accumulator per
    /// lane and adds the lanes in order, so its result is the same bits whatever the thread
    /// timing (dealing chunks to whichever slot asks made the summation order vary by run).
    static func runInLanes(chunks: Int, usesBLAS: Bool = true, _ body: (_ chunk: Int, _ lane: Int, _ slot: Int) -> Void) {
        let lanes = lanes(for: chunks)
        run(chunks: lanes, usesBLAS: usesBLAS) { lane, slot in
            for chunk in share(lane, of: chunks, parts: lanes) { body(chunk, lane, slot) }
        }
    }

    /// How many lanes `runInLanes` cuts `chunks` into: one per thread, at most one per chunk.
    static func lanes(for chunks: Int) -> Int { Swift.max(1, Swift.min(chunks, count)) }

    /// The share `part` of `0..<total` when split into `parts` contiguous parts.
    @inline(__always)
    static func share(_ part: Int, of total: Int, parts: Int) -> Range<Int> {
        (part * total / parts)..<((part + 1) * total / parts)
    }

    /// Chunks worth cutting `items` independent items into: a few per thread, so that a thread
    /// the system schedules late leaves its part to the others instead of being waited for.
    static func chunks(for items: Int, workPerItem: Int) -> Int {
        if count == 1 || items * workPerItem < (1 << 20) { return 1 }
        return Swift.max(1, Swift.min(items, 4 * count))
    }
}

/// Persistent threads for `KernelThreads.run`. A job's chunks are handed out one at a time under
/// a lock to whichever thread asks; the caller works too, and once no chunk is left it waits
/// only for threads that are in the middle of one. A thread that wakes after the job is over goes
/// back to sleep. (`DispatchQueue.concurrentPerform` was the first choice, but on Linux its pool
/// often lent no second thread to millisecond-long jobs, and a fixed share per thread made the
/// caller wait for a thread the loaded system had not yet scheduled.)
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool(threads: KernelThreads.count - 1)

    private let state = NSCondition()
    private var job: ((Int, Int) -> Void)?
    private var chunks = 0
    private var nextChunk = 0
    private let wakeups: [DispatchSemaphore]
    private let runLock = NSLock()

    /// The core the caller of the latest job ran on (-1: unknown), read by the workers to move
    /// off it.
    private let callerCore = Atomic<Int>(-1)

    /// Bumped for every job, so that a spinning thread sees it without a system call.
    private let generation = Atomic<Int>(0)

    /// Threads inside `work` (changed under `state`'s lock, read without it by the caller's spin).
    private let busy = Atomic<Int>(0)

    /// Bit `i` set: worker `i` is about to sleep or sleeping on `wakeups[i]`. The caller signals
    /// only those, and each signal is matched by exactly one wait: signalling every worker on
    /// every job let a semaphore collect a count while its thread spun, and the thread then
    /// "slept" without sleeping (a core burnt for ever), while a system call per job cost the
    /// caller microseconds of a sub-millisecond job.
    private let sleepers = Atomic<Int>(0)

    /// How long a thread keeps looking for the next job before it sleeps: back-to-back kernels
    /// (a training step, a benchmark loop) then find it running instead of waiting for the
    /// scheduler to wake it, the way OpenMP runtimes keep their threads spinning a while.
    static let spinNanoseconds: UInt64 = 2_000_000

    private init(threads: Int) {
        wakeups = (0..<Swift.max(threads, 0)).map { _ in DispatchSemaphore(value: 0) }
        for index in 0..<wakeups.count {
            // The pool lives as long as the process (`shared`), so the thread holds it strongly:
            // an unowned reference would cost a retain on every spin.
            let thread = Thread { [self] in
                var seen = 0
                let bit = 1 << index
                // A thread that took no chunk of the last job (and a new one) was not running
                // while the job ran: descheduled, or on a core that is busy. Rather than spin
                // there, it sleeps at once, so that the next job's wake-up lets the scheduler
                // place it on an idle core.
                var spinLimit: UInt64 = 0
                var avoidedCore = -1
                while true {
                    var start = DispatchTime.now().uptimeNanoseconds
                    var spins = 0
                    while self.generation.load(ordering: .acquiring) == seen {
                        spins &+= 1
                        if spins & 1023 == 0 && DispatchTime.now().uptimeNanoseconds - start >= spinLimit {
                            self.sleepers.bitwiseOr(bit, ordering: .sequentiallyConsistent)
                            if self.generation.load(ordering: .sequentiallyConsistent) != seen {
                                // A job came meanwhile: withdraw, unless its caller has already
                                // taken the bit, and so signals (that signal must be consumed).
                                let before = self.sleepers.bitwiseAnd(~bit, ordering: .sequentiallyConsistent).oldValue
                                if before & bit != 0 { break }
                            }
                            self.wakeups[index].wait()
                            start = DispatchTime.now().uptimeNanoseconds
                        }
                    }
                    seen = self.generation.load(ordering: .acquiring)
                    let core = self.callerCore.load(ordering: .relaxed)
                    if core != avoidedCore {
                        avoidedCore = core
                        CoreAffinity.pinCurrentThread(worker: index, awayFrom: core)
                    }
                    spinLimit = self.work(slot: index + 1) > 0 ? WorkerPool.spinNanoseconds : 0
                }
            }
            thread.name = "TensorEngine worker \(index + 1)"
            thread.start()
        }
    }

    /// Takes chunks until none is left; returns how many it took.
    @discardableResult
    private func work(slot: Int) -> Int {
        state.lock()
        if job == nil {
            state.unlock()
            return 0
        }
        var taken = 0
        busy.add(1, ordering: .relaxed)
        while nextChunk < chunks, let body = job {
            let chunk = nextChunk
            nextChunk += 1
            taken += 1
            state.unlock()
            // The closure is only lent for the job (withoutActuallyEscaping): no reference to
            // it may outlive the chunk, so it is fetched again for every chunk.
            do { body(chunk, slot) }
            state.lock()
        }
        if busy.subtract(1, ordering: .releasing).newValue == 0 { state.broadcast() }
        state.unlock()
        return taken
    }

    func run(chunks count: Int, _ body: (Int, Int) -> Void) {
        runLock.lock()
        defer { runLock.unlock() }
        withoutActuallyEscaping(body) { body in
            state.lock()
            job = body
            chunks = count
            nextChunk = 0
            state.unlock()
            callerCore.store(CoreAffinity.currentCore(), ordering: .relaxed)
            generation.add(1, ordering: .sequentiallyConsistent)
            let asleep = sleepers.exchange(0, ordering: .sequentiallyConsistent)
            for (index, wakeup) in wakeups.enumerated() where asleep & (1 << index) != 0 { wakeup.signal() }
            work(slot: 0)
            // The last chunks usually end within microseconds of each other: spin a little
            // before paying for a sleep and a wake-up.
            var spins = 0
            while busy.load(ordering: .acquiring) > 0 && spins < 20_000 { spins &+= 1 }
            state.lock()
            while busy.load(ordering: .acquiring) > 0 { state.wait() }
            job = nil
            state.unlock()
        }
    }
}

/// Keeps the pool's threads off the caller's core. Left to the scheduler, a freshly started or
/// freshly woken worker was often placed on the core of the thread that woke it and stayed there
/// for the first few dozen jobs of a process, so that a parallel kernel ran at one-core speed
/// (the bimodal timings of LeNet's first convolution across benchmark runs). Worker `i` is bound
/// to the `i + 1`-th allowed core after the caller's, and rebound when the caller moves. The
/// glibc calls are looked up at run time because Swift's Glibc module leaves out the GNU
/// extensions; where they are missing, nothing is pinned.
enum CoreAffinity {
    private typealias AffinityFunction = @convention(c) (pid_t, Int, UnsafeMutableRawPointer) -> Int32
    private typealias CurrentCPUFunction = @convention(c) () -> Int32

    private static let library = dlopen(nil, RTLD_NOW)
    private static let setAffinity = dlsym(library, "sched_setaffinity").map { unsafeBitCast($0, to: AffinityFunction.self) }
    private static let currentCPU = dlsym(library, "sched_getcpu").map { unsafeBitCast($0, to: CurrentCPUFunction.self) }

    /// 64-bit words of a `cpu_set_t` (1024 CPUs).
    private static let maskWords = 16

    /// The cores the process may run on, read once at start-up.
    static let allowedCores: [Int] = {
        guard let function = dlsym(library, "sched_getaffinity").map({ unsafeBitCast($0, to: AffinityFunction.self) }) else {
            return []
        }
        var mask = [UInt64](repeating: 0, count: maskWords)
        let result = mask.withUnsafeMutableBytes { function(0, $0.count, $0.baseAddress!) }
        guard result == 0 else { return [] }
        return (0..<(maskWords * 64)).filter { mask[$0 / 64] & (1 << UInt64($0 % 64)) != 0 }
    }()

    /// The core the calling thread runs on, or -1.
    @inline(__always)
    static func currentCore() -> Int {
        guard allowedCores.count > 1, let currentCPU else { return -1 }
        return Int(currentCPU())
    }

    /// Binds the calling thread (worker `worker` of the pool) to one core other than `core`;
    /// with `core` unknown (-1), lets it run anywhere allowed again.
    static func pinCurrentThread(worker: Int, awayFrom core: Int) {
        let cores = allowedCores
        guard cores.count > 1, let setAffinity else { return }
        var mask = [UInt64](repeating: 0, count: maskWords)
        if let position = cores.firstIndex(of: core) {
            let target = cores[(position + 1 + worker % (cores.count - 1)) % cores.count]
            mask[target / 64] |= 1 << UInt64(target % 64)
        } else {
            for target in cores { mask[target / 64] |= 1 << UInt64(target % 64) }
        }
        _ = mask.withUnsafeMutableBytes { setAffinity(0, $0.count, $0.baseAddress!) }
    }
}

/// (a0, b0, a1, b1, …): the lanes of `a` at even and of `b` at odd positions. Spelled out lane
/// by lane because the `evenHalf` setter compiles to a store per lane; this form becomes shuffles.
@inline(__always)
func interleave(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD16<Float> {
    SIMD16(a[0], b[0], a[1], b[1], a[2], b[2], a[3], b[3], a[4], b[4], a[5], b[5], a[6], b[6], a[7], b[7])
}

@inline(__always)
func interleave(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD32<Float> {
    SIMD32(lowHalf: interleave(a.lowHalf, b.lowHalf), highHalf: interleave(a.highHalf, b.highHalf))
}
