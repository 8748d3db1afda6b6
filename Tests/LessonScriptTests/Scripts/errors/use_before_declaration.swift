print(later)
let later = 1
// error: use of 'later' before its declaration @ 1:7
