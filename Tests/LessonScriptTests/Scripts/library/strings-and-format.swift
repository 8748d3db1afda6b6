// print, String(format:) and string members.
print("a", 1, 2.5, true, separator: "|")            // expect: a|1|2.5|true
print("no newline", terminator: "")
print(" then more")                                  // expect: no newline then more
let loss = 0.034567
print(String(format: "step %3d  loss %.4f  %e", 5, loss, loss))   // expect: step   5  loss 0.0346  3.456700e-02
print(String(format: "%-8s|%8s|%5.1f%%", "left", "right", 99.95)) // expect: left    |   right|100.0%
print(String(5) + String(2.5), String(describing: [1, 2]))        // expect: 52.5 [1, 2]
let title = "LeNet-5"
print(title.count, title.lowercased(), title.hasSuffix("-5"), title.split(separator: "-"))
// expect: 7 lenet-5 true ["LeNet", "5"]
print("x".padding(toLength: 4, withPad: "ab", startingAt: 1) + "|")   // expect: xbab|
print(Int("12")! + 1, Int("twelve") == nil, Double("0.5")! * 2)
// expect: 13 true 1.0
