// The C library's allocator settings, for the senderscore command alone.
#ifndef SENDERSCORE_CMALLOC_SHIM_H
#define SENDERSCORE_CMALLOC_SHIM_H

#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif

// Fixes glibc's mmap threshold (the size from which an allocation gets pages of its own, given
// back to the system when freed) at its default of 128 KiB. Left dynamic, glibc raises it to the
// largest block freed so far, after which large arrays come from the heap and their pages stay
// with the process once freed. Does nothing with another C library.
static inline void cmalloc_keep_large_allocations_mapped(void) {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
}

// Gives the free pages of every arena back to the system (glibc's malloc_trim, which since 2.8
// returns whole free pages anywhere in the heap, not only at its top). Does nothing with another
// C library.
static inline void cmalloc_release_free_memory(void) {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

#endif
