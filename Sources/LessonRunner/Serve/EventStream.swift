import FlyingFox
import FlyingSocks
import Foundation

/// The bytes of a Server-Sent Events stream, as FlyingFox sends a chunked body: each event
/// is written as soon as it is yielded.
struct EventStream: AsyncBufferedSequence, Sendable {
    typealias Element = UInt8
    let events: AsyncStream<[UInt8]>

    func makeAsyncIterator() -> Iterator { Iterator(events: events.makeAsyncIterator()) }

    struct Iterator: AsyncBufferedIteratorProtocol {
        var events: AsyncStream<[UInt8]>.Iterator
        mutating func next() async throws -> UInt8? { fatalError("read with nextBuffer(suggested:)") }
        mutating func nextBuffer(suggested count: Int) async throws -> [UInt8]? { await events.next() }
    }

    /// One event's bytes: `event: NAME` and its data line.
    static func event(_ name: String, data: String) -> [UInt8] {
        Array("event: \(name)\ndata: \(data)\n\n".utf8)
    }
}
