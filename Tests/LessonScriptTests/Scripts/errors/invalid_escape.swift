let s = "a\qb"
// error: invalid escape sequence in literal @ 1:11
