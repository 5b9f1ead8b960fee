// The C bridge to zlib, for gzip output. Only SenderScoreKit/Output imports this module.
#ifndef SENDERSCORE_CZLIB_SHIM_H
#define SENDERSCORE_CZLIB_SHIM_H

#include <zlib.h>

#endif
