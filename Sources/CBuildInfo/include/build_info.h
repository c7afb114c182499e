#ifndef ESPFLASH_BUILD_INFO_H
#define ESPFLASH_BUILD_INFO_H

/// The git commit the binary was built from, as `scripts/install` passes it
/// (-Xcc -DESPFLASH_COMMIT="\"abc1234\""); "" for a plain `swift build`.
const char *espflash_build_commit(void);

#endif
