let x = 1
print(max(x,
          2)
// error: expected ')' to close the call started at 2:6 @ 3:13
