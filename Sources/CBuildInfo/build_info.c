#include "build_info.h"

// SwiftPM has no build-time values for Swift code; a C macro set with -Xcc carries the commit into the binary.
#ifndef ESPFLASH_COMMIT
#define ESPFLASH_COMMIT ""
#endif

const char *espflash_build_commit(void) { return ESPFLASH_COMMIT; }
