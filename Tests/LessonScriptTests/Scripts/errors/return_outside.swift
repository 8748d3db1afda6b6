return 3
// error: return invalid outside of a func @ 1:1
