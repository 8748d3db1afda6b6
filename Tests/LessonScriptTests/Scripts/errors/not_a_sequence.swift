for i in 5 { print(i) }
// error: for-in loop requires a sequence, but 'Int' is not one @ 1:10
