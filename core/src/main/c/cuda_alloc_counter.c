/*
 * cuda_alloc_counter.c - counts live and peak bytes of CUDA device allocations.
 *
 * WHY: the papers report torch.cuda.max_memory_allocated(), the peak of the bytes
 * libtorch's CUDA caching allocator hands to tensors. Run with the caching allocator
 * disabled (PYTORCH_NO_CUDA_MEMORY_CACHING=1), every tensor storage is one call of
 * the CUDA runtime's cudaMalloc (or cudaMallocAsync) and is returned by cudaFree (or
 * cudaFreeAsync) when the tensor dies, so the peak of the live bytes of those calls
 * is the same quantity, measured by our own code, as the CPU probe's count of
 * posix_memalign (alloc_counter.c) is on the CPU.
 *
 * HOW: loaded with LD_PRELOAD into the probe's process, it interposes
 *   cudaMalloc, cudaMallocAsync  -> forward to the next definition (libcudart);
 *                                   on success, record pointer -> size
 *   cudaFree, cudaFreeAsync      -> forget a recorded pointer, then forward
 * and exports read/reset functions that Java calls through JNA. An allocation that
 * fails is not counted; a free of a pointer we never recorded (allocated before the
 * library was loaded, or by another API) passes through uncounted.
 *
 * LIMITS: only allocations through the runtime API's dynamic symbols are seen (a
 * libcudart linked statically, the driver API's cuMemAlloc, or the caching
 * allocator's expandable segments are not); the GPU validation compares this peak
 * with torch.cuda.max_memory_allocated before a number is trusted (docs/gpu.md).
 *
 * Device allocations are few (one per tensor), so one mutex guards a pointer table
 * in mmap'd memory (no malloc inside the hooks).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>

#define EXPORT __attribute__((visibility("default")))

typedef int cuda_error;      /* cudaError_t: 0 is cudaSuccess */
typedef void *cuda_stream;   /* cudaStream_t */

typedef cuda_error (*malloc_fn)(void **, size_t);
typedef cuda_error (*free_fn)(void *);
typedef cuda_error (*malloc_async_fn)(void **, size_t, cuda_stream);
typedef cuda_error (*free_async_fn)(void *, cuda_stream);

/* ------------------------------------------------------------------------- */
/* The pointer table: open addressing, linear probing, tombstones.           */
/* ------------------------------------------------------------------------- */

#define TABLE_SLOTS (1u << 20) /* a million live device allocations */
#define EMPTY ((uintptr_t) 0)
#define TOMBSTONE ((uintptr_t) 1)

typedef struct {
    uintptr_t ptr;
    size_t size;
} slot;

static slot *table;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_size_t live_bytes;
static atomic_size_t peak_bytes;
static atomic_size_t allocations;
static atomic_size_t untracked;  /* allocations the full table could not record */

static size_t slot_of(uintptr_t p) {
    uint64_t h = (uint64_t) p * 0x9E3779B97F4A7C15ull;
    return (size_t) (h >> 44) & (TABLE_SLOTS - 1);
}

/* Called with the lock held. */
static int ensure_table(void) {
    if (table == NULL) {
        void *m = mmap(NULL, sizeof(slot) * TABLE_SLOTS, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED) {
            return 0;
        }
        table = (slot *) m;
    }
    return 1;
}

static void record(void *p, size_t size) {
    if (p == NULL) {
        return;
    }
    pthread_mutex_lock(&lock);
    if (!ensure_table()) {
        atomic_fetch_add(&untracked, 1);
        pthread_mutex_unlock(&lock);
        return;
    }
    size_t i = slot_of((uintptr_t) p);
    for (size_t n = 0; n < TABLE_SLOTS; n++, i = (i + 1) & (TABLE_SLOTS - 1)) {
        if (table[i].ptr == EMPTY || table[i].ptr == TOMBSTONE) {
            table[i].ptr = (uintptr_t) p;
            table[i].size = size;
            size_t live = atomic_fetch_add(&live_bytes, size) + size;
            size_t peak = atomic_load(&peak_bytes);
            while (live > peak && !atomic_compare_exchange_weak(&peak_bytes, &peak, live)) {
            }
            atomic_fetch_add(&allocations, 1);
            pthread_mutex_unlock(&lock);
            return;
        }
    }
    atomic_fetch_add(&untracked, 1);
    pthread_mutex_unlock(&lock);
}

static void forget(void *p) {
    if (p == NULL) {
        return;
    }
    pthread_mutex_lock(&lock);
    if (table != NULL) {
        size_t i = slot_of((uintptr_t) p);
        for (size_t n = 0; n < TABLE_SLOTS && table[i].ptr != EMPTY; n++, i = (i + 1) & (TABLE_SLOTS - 1)) {
            if (table[i].ptr == (uintptr_t) p) {
                atomic_fetch_sub(&live_bytes, table[i].size);
                table[i].ptr = TOMBSTONE;
                table[i].size = 0;
                break;
            }
        }
    }
    pthread_mutex_unlock(&lock);
}

/* ------------------------------------------------------------------------- */
/* The interposed runtime functions.                                          */
/* ------------------------------------------------------------------------- */

/* The runtime's own function behind this library, looked up once: every uncached tensor allocation passes here. A race
 * between two first calls only looks it up twice and stores the same address. */
static void *next(void **slot, const char *name) {
    void *f = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (f == NULL) {
        f = dlsym(RTLD_NEXT, name);
        __atomic_store_n(slot, f, __ATOMIC_RELEASE);
    }
    return f;
}

static void *real_malloc, *real_malloc_async, *real_free, *real_free_async;

/* cudaErrorInitializationError (3): returned where no runtime follows this library. */
#define NO_RUNTIME 3

/* Set while this thread is inside an interposed call: a runtime whose cudaMallocAsync calls cudaMalloc through its
 * own exported symbol would otherwise count one allocation twice (the test's fake runtime does exactly that). */
static __thread int inside;

EXPORT cuda_error cudaMalloc(void **p, size_t size) {
    malloc_fn real = (malloc_fn) next(&real_malloc, "cudaMalloc");
    if (real == NULL) {
        return NO_RUNTIME;
    }
    if (inside) {
        return real(p, size);
    }
    inside = 1;
    cuda_error e = real(p, size);
    if (e == 0 && p != NULL) {
        record(*p, size);
    }
    inside = 0;
    return e;
}

EXPORT cuda_error cudaMallocAsync(void **p, size_t size, cuda_stream stream) {
    malloc_async_fn real = (malloc_async_fn) next(&real_malloc_async, "cudaMallocAsync");
    if (real == NULL) {
        return NO_RUNTIME;
    }
    if (inside) {
        return real(p, size, stream);
    }
    inside = 1;
    cuda_error e = real(p, size, stream);
    if (e == 0 && p != NULL) {
        record(*p, size);
    }
    inside = 0;
    return e;
}

/* The pointer is forgotten before the real free, so that a reuse of its address by another thread's allocation
 * can never meet a stale entry. */
EXPORT cuda_error cudaFree(void *p) {
    free_fn real = (free_fn) next(&real_free, "cudaFree");
    if (real == NULL) {
        return NO_RUNTIME;
    }
    if (inside) {
        return real(p);
    }
    inside = 1;
    forget(p);
    cuda_error e = real(p);
    inside = 0;
    return e;
}

EXPORT cuda_error cudaFreeAsync(void *p, cuda_stream stream) {
    free_async_fn real = (free_async_fn) next(&real_free_async, "cudaFreeAsync");
    if (real == NULL) {
        return NO_RUNTIME;
    }
    if (inside) {
        return real(p, stream);
    }
    inside = 1;
    forget(p);
    cuda_error e = real(p, stream);
    inside = 0;
    return e;
}

/* ------------------------------------------------------------------------- */
/* What Java reads (JNA).                                                     */
/* ------------------------------------------------------------------------- */

EXPORT size_t revbench_cuda_live_bytes(void) { return atomic_load(&live_bytes); }

EXPORT size_t revbench_cuda_peak_bytes(void) { return atomic_load(&peak_bytes); }

/* Allocations recorded since the library loaded. */
EXPORT size_t revbench_cuda_allocations(void) { return atomic_load(&allocations); }

/* Allocations the table could not record: a nonzero count makes the peak a lower bound only. */
EXPORT size_t revbench_cuda_untracked(void) { return atomic_load(&untracked); }

/* Starts a new peak from the bytes live now (before a measured step). */
EXPORT void revbench_cuda_reset_peak(void) { atomic_store(&peak_bytes, atomic_load(&live_bytes)); }
