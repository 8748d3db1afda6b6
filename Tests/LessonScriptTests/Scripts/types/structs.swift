struct Point {
    var x: Double
    var y: Double = 0
    func norm2() -> Double { x * x + y * y }
    mutating func shift(by d: Double) {
        x += d
        y += d
    }
    var sum: Double { x + y }
}
var p = Point(x: 3, y: 4)
print(p)                       // expect: Point(x: 3.0, y: 4.0)
print(p.norm2())               // expect: 25.0
var q = p                      // value semantics: a copy
q.x = 10
print(p.x, q.x)                // expect: 3.0 10.0
p.shift(by: 1)
print(p)                       // expect: Point(x: 4.0, y: 5.0)
print(p.sum)                   // expect: 9.0
let origin = Point(x: 0)
print(origin.y)                // expect: 0.0
struct Counter {
    var count = 0
    init(start: Int) { count = start }
    mutating func tick() { count += 1 }
}
var c = Counter(start: 5)
c.tick()
print(c.count)                 // expect: 6
var points = [Point(x: 1, y: 1), Point(x: 2, y: 2)]
points[1].x = 7
points[0].shift(by: 1)
print(points[1].x, points[0].y)  // expect: 7.0 2.0
