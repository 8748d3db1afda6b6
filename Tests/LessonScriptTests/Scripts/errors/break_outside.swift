break
// error: 'break' is only allowed inside a loop @ 1:1
