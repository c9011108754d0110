// Thread-per-output mean; see reduce_mean.cuh.
#include "reduce_mean.cuh"

namespace {

template <typename T>
__device__ __forceinline__ void reduce_mean(const ReduceMeanParams& p) {
    const int ON = p.rn ? 1 : p.N, OH = p.rh ? 1 : p.H, OW = p.rw ? 1 : p.W, OC = p.rc ? 1 : p.C;
    const i64 idx = global_index();
    if (idx >= (i64)ON * OH * OW * OC) return;
    const int oc = (int)(idx % OC);
    int pix = (int)(idx / OC);
    const int ow = pix % OW;
    pix /= OW;
    const int oh = pix % OH;
    const int on = pix / OH;
    const T* in = (const T*)p.in;
    float sum = 0.f;
    const int n1 = p.rn ? p.N : on + 1, h1 = p.rh ? p.H : oh + 1, w1 = p.rw ? p.W : ow + 1, c1 = p.rc ? p.C : oc + 1;
    for (int n = p.rn ? 0 : on; n < n1; n++)
        for (int h = p.rh ? 0 : oh; h < h1; h++)
            for (int w = p.rw ? 0 : ow; w < w1; w++) {
                const i64 base = ((i64)(n * p.H + h) * p.W + w) * p.in_cs;
                for (int c = p.rc ? 0 : oc; c < c1; c++) sum += load_f(in, base + c);
            }
    const float count = (float)(p.rn ? p.N : 1) * (p.rh ? p.H : 1) * (p.rw ? p.W : 1) * (p.rc ? p.C : 1);
    store_f((T*)p.out, ((i64)(on * OH + oh) * OW + ow) * p.out_cs + oc, sum / count);
}

}  // namespace

#define SRENGINE_REDUCE_MEAN(T)                                                                           \
    extern "C" __global__ void __launch_bounds__(256) reduce_mean_##T(const ReduceMeanParams p) {      \
        reduce_mean<T>(p);                                                                                \
    }

SRENGINE_REDUCE_MEAN(f32)
SRENGINE_REDUCE_MEAN(f16)
SRENGINE_REDUCE_MEAN(bf16)
