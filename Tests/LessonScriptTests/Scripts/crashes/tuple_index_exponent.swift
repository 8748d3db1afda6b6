// Regression (#14): `t.1e0` parsed as the tuple index 0.
let t = (10, 20)
print(t.1)  // a syntax error stops the whole cell before it runs
print(t.1e0)
// error: expected a tuple index (a whole number such as 0 or 1) after '.', found '1e0' @ 4:9
