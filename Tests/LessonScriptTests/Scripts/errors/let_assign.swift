let x = 1
x = 2
// error: cannot assign to value: 'x' is a 'let' constant @ 2:1
