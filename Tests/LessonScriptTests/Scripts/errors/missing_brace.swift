func f() {
    print(1)
// error: expected '}' to close the body of 'f' started at 1:10 @ 2:13
