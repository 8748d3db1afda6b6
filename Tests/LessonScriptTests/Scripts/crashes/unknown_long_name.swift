// Regression (#15): "did you mean" was quadratic in the name's length; a long unknown name
// gets a plain error at once.
let short = 1
print(aVeryLongNameThatIsNotDeclaredAnywhereInThisScriptAtAllAndKeepsOnGoingForSure)
// error: unknown name 'aVeryLongNameThatIsNotDeclaredAnywhereInThisScriptAtAllAndKeepsOnGoingForSure' @ 4:7
