// kCompact<V>: the back end asks the kernels for small code over speed (`V::compact`, false
// when the back end does not say). A one-lane back end gains little from four-way unrolled
// loops and register-resident soft-max variants, and its targets (Cortex-M4/M7/M33) count flash
// in kilobytes; the kernels then keep one copy of each loop body, with the same results.
#pragma once

#include <type_traits>

namespace lastlayer::kernels {

template <class V, class = void>
struct CompactTrait : std::false_type {};
template <class V>
struct CompactTrait<V, std::void_t<decltype(V::compact)>> : std::bool_constant<V::compact> {};

template <class V>
inline constexpr bool kCompact = CompactTrait<V>::value;

}  // namespace lastlayer::kernels
