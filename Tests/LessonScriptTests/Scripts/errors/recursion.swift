func down(_ n: Int) -> Int { down(n + 1) }
print(down(0))
// error: recursion too deep @ 1:30
