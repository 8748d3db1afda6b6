// Regression (#15): `$2147483648` made 2^31 parameter slots even though never called.
let f = { $2147483648 }
// error: anonymous closure argument '$2147483648' is out of range @ 2:11
