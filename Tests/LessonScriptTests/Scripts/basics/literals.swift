// Literals and how print shows values.
print("tab\tquote\" backslash\\ unicode \u{00E9}")  // expect: tab	quote" backslash\ unicode é
let name = "world"
print("hello, \(name)! \(1 + 2) \([1, 2])")       // expect: hello, world! 3 [1, 2]
print(["a", "b"])          // expect: ["a", "b"]
print(["a": 1])            // expect: ["a": 1]
print([String: Int]())     // expect: [:]
print((1, "x"))            // expect: (1, "x")
print((x: 1, y: 2.5))      // expect: (x: 1, y: 2.5)
print(nil as Int?)         // expect: nil
print(0..<3, 1...4)        // expect: 0..<3 1...4
print([1.0, 2.5])          // expect: [1.0, 2.5]
let poem = """
    roses
      are red
    """
print(poem)
// expect: roses
// expect:   are red
/* a block comment /* nested */ still comment */
print(true, false)         // expect: true false
