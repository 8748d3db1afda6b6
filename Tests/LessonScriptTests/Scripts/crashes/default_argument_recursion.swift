// Regression (#15): a default argument that calls its own function recursed without end.
func f(_ n: Int = f()) -> Int { n }
print(f())
// error: recursion too deep @ 2:19
