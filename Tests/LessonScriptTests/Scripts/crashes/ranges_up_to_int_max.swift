// Regression (#14): closed ranges, slices and counts up to Int.max overflowed.
let t = zeros(4)
print(t[0...Int.max].shape) // expect: [4]
let loader = DataLoader(TensorDataset(zeros(4, 2), tensor([0, 1, 0, 1])), batchSize: Int.max)
for (x, y) in loader { print(x.shape) } // expect: [4, 2]
print((0...Int.max).contains(5)) // expect: true
print((Int.min..<Int.max).count)
// error: count: the range -9223372036854775808..<9223372036854775807 has more elements than an Int can count @ 7:7
