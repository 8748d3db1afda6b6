let s = "abc
print(s)
// error: unterminated string literal @ 1:9
