print(zeros(4)[0...Int.max])
print([1][0...Int.max])
print((Int.min..<Int.max).count)
for i in 0...Int.max { break }
