// Cells share globals; a later cell may redeclare a name.
var total = 0
func bump() { total += 1 }
bump()
// --- cell ---
bump()
print(total)        // expect: 2
let total2 = total * 10
// --- cell ---
let total2 = 5
print(total2)       // expect: 5
