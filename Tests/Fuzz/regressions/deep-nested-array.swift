var a: [Any] = []
for i in 0..<20000 { a = [a] }
print(a)
