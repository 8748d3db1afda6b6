// The last expression of a cell is displayed.
let x = 21
x * 2
// expect: => 42
// --- cell ---
print("second cell sees", x)   // expect: second cell sees 21
"text"
// expect: => text
// --- cell ---
print("no display for Void")   // expect: no display for Void
