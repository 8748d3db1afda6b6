func f(_ n: Int = f()) -> Int { n }
print(f())
