/*
 * alloc_counter.c - counts live and peak bytes of aligned heap allocations.
 *
 * WHY: libtorch allocates every CPU tensor storage with posix_memalign (64-byte
 * alignment, 2 MiB for large blocks when transparent huge pages are on). Counting
 * exactly those allocations gives a repeatable "allocator peak" on the CPU, the
 * analogue of torch.cuda.max_memory_allocated(). Process-level numbers (VmHWM,
 * mallinfo) are blurred by glibc reusing memory, so they are not precise enough.
 *
 * HOW: this library is loaded with LD_PRELOAD into a forked JVM. It interposes
 *   posix_memalign, aligned_alloc, memalign  -> forward to the next definition,
 *                                               record pointer -> size
 *   free, realloc                            -> forget a recorded pointer first,
 *                                               then forward
 * and exports read/reset functions that Java calls through JNA.
 *
 * Plain malloc/calloc are deliberately NOT interposed: they are not tensor storage,
 * they are the JVM's hottest path, and leaving them alone means dlsym() (which may
 * calloc) can never recurse into us while we resolve the real functions.
 *
 * Robustness rules, because the JVM, glibc and libtorch all run on top of this:
 *  - no malloc from inside the hooks: the pointer table lives in mmap'd memory;
 *  - free() of a pointer we never returned passes straight through, and two cheap
 *    filters (no tracked pointer alive / pointer less aligned than any tracked one)
 *    skip the table for nearly all of the JVM's frees;
 *  - a pointer is removed from the table BEFORE the real free, so another thread
 *    cannot be handed the same address and insert it while the stale entry exists;
 *  - the table is split into independently locked shards so threads rarely contend;
 *  - fork() is made safe with pthread_atfork (all shard locks taken around fork).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#define EXPORT __attribute__((visibility("default")))

/* ------------------------------------------------------------------------- */
/* The real allocator functions (the next definitions after this library).    */
/* ------------------------------------------------------------------------- */

typedef int (*posix_memalign_fn)(void **, size_t, size_t);
typedef void *(*aligned_alloc_fn)(size_t, size_t);
typedef void *(*memalign_fn)(size_t, size_t);
typedef void (*free_fn)(void *);
typedef void *(*realloc_fn)(void *, size_t);

static _Atomic(posix_memalign_fn) real_posix_memalign;
static _Atomic(aligned_alloc_fn) real_aligned_alloc;
static _Atomic(memalign_fn) real_memalign;
static _Atomic(free_fn) real_free;
static _Atomic(realloc_fn) real_realloc;

/* glibc's own entry points: used only while dlsym() itself is running on this
 * thread (it may free or, in theory, memalign), so resolution can never recurse. */
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

static __thread int resolving __attribute__((tls_model("initial-exec")));

static void resolve(void) {
    if (atomic_load_explicit(&real_free, memory_order_acquire) != NULL) return;
    /* Several threads may race here; dlsym is idempotent, so that is harmless. */
    resolving = 1;
    posix_memalign_fn pm = (posix_memalign_fn)dlsym(RTLD_NEXT, "posix_memalign");
    aligned_alloc_fn aa = (aligned_alloc_fn)dlsym(RTLD_NEXT, "aligned_alloc");
    memalign_fn ma = (memalign_fn)dlsym(RTLD_NEXT, "memalign");
    realloc_fn ra = (realloc_fn)dlsym(RTLD_NEXT, "realloc");
    free_fn fr = (free_fn)dlsym(RTLD_NEXT, "free");
    atomic_store_explicit(&real_posix_memalign, pm, memory_order_release);
    atomic_store_explicit(&real_aligned_alloc, aa, memory_order_release);
    atomic_store_explicit(&real_memalign, ma, memory_order_release);
    atomic_store_explicit(&real_realloc, ra ? ra : __libc_realloc, memory_order_release);
    /* free last: it is the "resolved" flag tested above. */
    atomic_store_explicit(&real_free, fr ? fr : __libc_free, memory_order_release);
    resolving = 0;
}

/* ------------------------------------------------------------------------- */
/* Counters.                                                                 */
/* ------------------------------------------------------------------------- */

static atomic_llong live_bytes;
static atomic_llong peak_bytes;
static atomic_llong alloc_count;   /* tracked allocations ever */
static atomic_llong live_entries;  /* tracked pointers alive now: free()'s fast exit */
/* Smallest actual alignment (lowest set address bit) of any tracked pointer.
 * A pointer with a lower set bit cannot be tracked: free()'s second fast exit.
 * Starts at 2^62 so nothing passes before the first tracked allocation. */
static atomic_uintptr_t min_align = (uintptr_t)1 << 62;

static void add_live(long long delta) {
    long long now = atomic_fetch_add(&live_bytes, delta) + delta;
    if (delta <= 0) return;
    long long p = atomic_load(&peak_bytes);
    /* The peak is the maximum over the sequence of live values, in the order
     * the atomic add serialises them. */
    while (now > p && !atomic_compare_exchange_weak(&peak_bytes, &p, now)) {
    }
}

/* ------------------------------------------------------------------------- */
/* Pointer -> size table: sharded, open addressing, linear probing with       */
/* backward-shift deletion (no tombstones), grown with mmap.                  */
/* ------------------------------------------------------------------------- */

#define SHARD_BITS 6
#define NSHARDS (1u << SHARD_BITS)
#define INITIAL_CAPACITY 1024u

typedef struct {
    uintptr_t key; /* 0 = empty */
    size_t size;
} entry_t;

typedef struct {
    pthread_mutex_t lock;
    entry_t *slots;
    size_t capacity; /* power of two, or 0 before first use */
    size_t used;
    char pad[64];    /* keep neighbouring shard locks off one cache line */
} shard_t;

/* Statically initialised locks: no init call, so the table works even for the
 * very first allocation made before our constructor runs. */
static shard_t shards[NSHARDS] = {[0 ... NSHARDS - 1] = {.lock = PTHREAD_MUTEX_INITIALIZER}};

static inline uint64_t hash_ptr(uintptr_t p) {
    /* Fibonacci hashing; low 4 bits are always zero for heap pointers. */
    return (uint64_t)(p >> 4) * 0x9E3779B97F4A7C15ull;
}

static inline shard_t *shard_of(uint64_t h) { return &shards[h >> (64 - SHARD_BITS)]; }

static entry_t *map_slots(size_t capacity) {
    void *m = mmap(NULL, capacity * sizeof(entry_t), PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return m == MAP_FAILED ? NULL : (entry_t *)m; /* anonymous memory is zeroed */
}

/* Caller holds s->lock. Returns 0 when the table could not be grown. */
static int grow(shard_t *s) {
    size_t ncap = s->capacity ? s->capacity * 2 : INITIAL_CAPACITY;
    entry_t *n = map_slots(ncap);
    if (n == NULL) return 0;
    for (size_t i = 0; i < s->capacity; i++) {
        entry_t e = s->slots[i];
        if (e.key == 0) continue;
        size_t j = (size_t)hash_ptr(e.key) & (ncap - 1);
        while (n[j].key != 0) j = (j + 1) & (ncap - 1);
        n[j] = e;
    }
    if (s->slots) munmap(s->slots, s->capacity * sizeof(entry_t));
    s->slots = n;
    s->capacity = ncap;
    return 1;
}

static void track(void *ptr, size_t size) {
    if (ptr == NULL) return;
    uintptr_t key = (uintptr_t)ptr;
    uint64_t h = hash_ptr(key);
    shard_t *s = shard_of(h);
    long long replaced = -1;

    pthread_mutex_lock(&s->lock);
    if ((s->used + 1) * 2 > s->capacity && !grow(s)) {
        /* Out of memory for bookkeeping: leave this block uncounted rather
         * than break the program. (Practically unreachable.) */
        pthread_mutex_unlock(&s->lock);
        return;
    }
    size_t mask = s->capacity - 1, i = (size_t)h & mask;
    while (s->slots[i].key != 0 && s->slots[i].key != key) i = (i + 1) & mask;
    if (s->slots[i].key == key) {
        /* Only possible if a tracked block was released behind our back (e.g. by
         * a libc-internal call): the new block replaces the stale record. */
        replaced = (long long)s->slots[i].size;
    } else {
        s->slots[i].key = key;
        s->used++;
    }
    s->slots[i].size = size;
    pthread_mutex_unlock(&s->lock);

    /* Publish the alignment filter before the pointer can reach any free(). */
    uintptr_t a = key & (~key + 1), m = atomic_load(&min_align);
    while (a < m && !atomic_compare_exchange_weak(&min_align, &m, a)) {
    }
    if (replaced >= 0) {
        add_live(-replaced);
    } else {
        atomic_fetch_add(&live_entries, 1);
    }
    atomic_fetch_add(&alloc_count, 1);
    add_live((long long)size);
}

/* Removes ptr from the table; returns its size, or -1 when it was not tracked. */
static long long untrack(void *ptr) {
    uintptr_t key = (uintptr_t)ptr;
    if (key == 0 || atomic_load_explicit(&live_entries, memory_order_acquire) == 0) return -1;
    if ((key & (atomic_load_explicit(&min_align, memory_order_relaxed) - 1)) != 0) return -1;
    uint64_t h = hash_ptr(key);
    shard_t *s = shard_of(h);
    long long size = -1;

    pthread_mutex_lock(&s->lock);
    if (s->capacity != 0) {
        size_t mask = s->capacity - 1, i = (size_t)h & mask;
        while (s->slots[i].key != 0 && s->slots[i].key != key) i = (i + 1) & mask;
        if (s->slots[i].key == key) {
            size = (long long)s->slots[i].size;
            /* Backward-shift deletion keeps every probe chain unbroken. */
            size_t j = i;
            for (;;) {
                s->slots[i].key = 0;
                for (;;) {
                    j = (j + 1) & mask;
                    if (s->slots[j].key == 0) goto done;
                    size_t home = (size_t)hash_ptr(s->slots[j].key) & mask;
                    /* move slot j back to i unless its home lies cyclically in (i, j] */
                    if (i <= j ? (i < home && home <= j) : (i < home || home <= j)) continue;
                    break;
                }
                s->slots[i] = s->slots[j];
                i = j;
            }
        done:
            s->used--;
        }
    }
    pthread_mutex_unlock(&s->lock);

    if (size >= 0) {
        atomic_fetch_sub(&live_entries, 1);
        add_live(-size);
    }
    return size;
}

/* Bootstrap arena: serves aligned allocations that arrive while dlsym() is
 * resolving on this thread (glibc does not do this today; this is insurance).
 * Its blocks are never returned to libc and never counted. */
static char bootstrap[64 * 1024] __attribute__((aligned(4096)));
static atomic_size_t bootstrap_used;

static void *bootstrap_alloc(size_t align, size_t size) {
    if (align < sizeof(void *)) align = sizeof(void *);
    size_t cur = atomic_load(&bootstrap_used);
    for (;;) {
        size_t start = (cur + align - 1) & ~(align - 1);
        if (align > 4096 || start + size > sizeof bootstrap || start + size < start) return NULL;
        if (atomic_compare_exchange_weak(&bootstrap_used, &cur, start + size)) return bootstrap + start;
    }
}

static inline int in_bootstrap(void *p) {
    return (char *)p >= bootstrap && (char *)p < bootstrap + sizeof bootstrap;
}

/* ------------------------------------------------------------------------- */
/* Interposed functions.                                                     */
/* ------------------------------------------------------------------------- */

EXPORT int posix_memalign(void **out, size_t align, size_t size) {
    if (resolving) {
        void *p = bootstrap_alloc(align, size);
        if (p == NULL) return ENOMEM;
        *out = p;
        return 0;
    }
    resolve();
    posix_memalign_fn fn = atomic_load_explicit(&real_posix_memalign, memory_order_acquire);
    int rc;
    if (fn != NULL) {
        rc = fn(out, align, size);
    } else { /* no next definition (cannot happen with glibc): emulate it */
        void *p = NULL;
        rc = (align % sizeof(void *)) != 0 || (align & (align - 1)) != 0 ? EINVAL
             : (p = __libc_memalign(align, size)) == NULL ? ENOMEM : 0;
        if (rc == 0) *out = p;
    }
    if (rc == 0) track(*out, size);
    return rc;
}

EXPORT void *aligned_alloc(size_t align, size_t size) {
    if (resolving) return bootstrap_alloc(align, size);
    resolve();
    aligned_alloc_fn fn = atomic_load_explicit(&real_aligned_alloc, memory_order_acquire);
    void *p = fn ? fn(align, size) : __libc_memalign(align, size);
    track(p, size);
    return p;
}

EXPORT void *memalign(size_t align, size_t size) {
    if (resolving) return bootstrap_alloc(align, size);
    resolve();
    memalign_fn fn = atomic_load_explicit(&real_memalign, memory_order_acquire);
    void *p = fn ? fn(align, size) : __libc_memalign(align, size);
    track(p, size);
    return p;
}

EXPORT void free(void *ptr) {
    if (ptr == NULL || in_bootstrap(ptr)) return;
    if (resolving) {
        __libc_free(ptr);
        return;
    }
    resolve();
    untrack(ptr);
    atomic_load_explicit(&real_free, memory_order_acquire)(ptr);
}

/* Interposed only so that a tracked block can never outlive its record: libtorch
 * never reallocs its storage, but any other caller of an aligned allocator might. */
EXPORT void *realloc(void *ptr, size_t size) {
    if (resolving) return __libc_realloc(ptr, size);
    resolve();
    realloc_fn fn = atomic_load_explicit(&real_realloc, memory_order_acquire);
    if (ptr != NULL && in_bootstrap(ptr)) {
        /* Move a bootstrap block into the real heap (its size is unknown, so copy
         * what can be copied without reading past the arena). */
        void *n = fn(NULL, size);
        if (n != NULL) {
            size_t avail = (size_t)(bootstrap + sizeof bootstrap - (char *)ptr);
            memcpy(n, ptr, size < avail ? size : avail);
        }
        return n;
    }
    long long old = untrack(ptr);
    void *n = fn(ptr, size);
    /* The resized block is an ordinary malloc block, not aligned storage: it stays
     * untracked. If realloc failed, the old block is still alive: count it again. */
    if (n == NULL && old >= 0 && size != 0) track(ptr, (size_t)old);
    return n;
}

/* ------------------------------------------------------------------------- */
/* fork safety: hold every shard lock across fork so the child never inherits  */
/* a lock owned by a thread that does not exist there.                          */
/* ------------------------------------------------------------------------- */

static void before_fork(void) {
    for (unsigned i = 0; i < NSHARDS; i++) pthread_mutex_lock(&shards[i].lock);
}

static void after_fork(void) {
    for (unsigned i = NSHARDS; i-- > 0;) pthread_mutex_unlock(&shards[i].lock);
}

__attribute__((constructor)) static void alloc_counter_init(void) {
    resolve();
    pthread_atfork(before_fork, after_fork, after_fork);
}

/* ------------------------------------------------------------------------- */
/* Exported API (called from Java through JNA).                              */
/* ------------------------------------------------------------------------- */

EXPORT long long revbench_alloc_live(void) { return atomic_load(&live_bytes); }

EXPORT long long revbench_alloc_peak(void) { return atomic_load(&peak_bytes); }

EXPORT void revbench_alloc_reset_peak(void) { atomic_store(&peak_bytes, atomic_load(&live_bytes)); }

EXPORT long long revbench_alloc_count(void) { return atomic_load(&alloc_count); }

/* 1 only when the process really calls our posix_memalign, i.e. the library was
 * preloaded (or otherwise placed first in the global scope). A copy merely
 * dlopen'ed by JNA would count nothing, and must say so instead of reporting 0. */
static int own_marker;

EXPORT int revbench_alloc_active(void) {
    /* The global posix_memalign must live in this very file (same load base as
     * a static of ours). Comparing with &posix_memalign would not do: inside a
     * shared object that address is itself resolved through the global scope. */
    void *global = dlsym(RTLD_DEFAULT, "posix_memalign");
    Dl_info g, self;
    if (global == NULL || !dladdr(global, &g) || !dladdr(&own_marker, &self)) return 0;
    return g.dli_fbase == self.dli_fbase && atomic_load(&real_free) != NULL &&
           atomic_load(&real_posix_memalign) != NULL;
}
