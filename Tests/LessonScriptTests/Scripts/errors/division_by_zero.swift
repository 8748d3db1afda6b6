let z = 0
print(10 / z)
// error: division by zero @ 2:7
