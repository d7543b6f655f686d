// Minimal stand-in for ankerl::unordered_dense (https://github.com/martinus/unordered_dense),
// which the mediasoup worker includes as <ankerl/unordered_dense.h> but which cannot be fetched
// on this network (not in Debian, npm or the local pip index).
//
// The worker only uses ankerl::unordered_dense::map, ::set and ::hash, so these map onto
// std::unordered_map / std::unordered_set. They behave the same for the worker's purposes
// (lookup, insert, erase, iterate); they are just slower than the real open-addressing tables.
#ifndef MEDIASOUP_OFFLINE_ANKERL_UNORDERED_DENSE_H
#define MEDIASOUP_OFFLINE_ANKERL_UNORDERED_DENSE_H

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace ankerl::unordered_dense
{
	namespace detail
	{
		// Finalizer of the 64-bit "splitmix" generator: spreads every input bit over the whole
		// result. std::hash of an integer is the identity in libstdc++, which is a poor hash for
		// keys such as pointers (low bits always zero). The worker also calls hash<T>{}(x)
		// directly and folds the results into its own combined hashes, so a well mixed value
		// matters there too.
		constexpr std::uint64_t Mix(std::uint64_t x) noexcept
		{
			x ^= x >> 30U;
			x *= UINT64_C(0xbf58476d1ce4e5b9);
			x ^= x >> 27U;
			x *= UINT64_C(0x94d049bb133111eb);
			x ^= x >> 31U;

			return x;
		}
	} // namespace detail

	// Same shape as the real library's hash: a stateless functor, default-constructible, usable
	// both as the hasher of map/set and directly (hash<uint16_t>{}(port)).
	template<typename T, typename Enable = void>
	struct hash
	{
		std::size_t operator()(const T& value) const
		  noexcept(noexcept(std::hash<T>{}(std::declval<const T&>())))
		{
			// Types without a cheap integer form (std::string, ...): mix std::hash's result.
			return static_cast<std::size_t>(detail::Mix(static_cast<std::uint64_t>(std::hash<T>{}(value))));
		}
	};

	// Integers, enums (srtp_err_status_t, FBS enums, ...) and pointers: mix the value itself.
	template<typename T>
	struct hash<T, std::enable_if_t<std::is_integral_v<T> || std::is_enum_v<T> || std::is_pointer_v<T>>>
	{
		std::size_t operator()(const T& value) const noexcept
		{
			if constexpr (std::is_pointer_v<T>)
			{
				return static_cast<std::size_t>(
				  detail::Mix(static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(value))));
			}
			else if constexpr (std::is_enum_v<T>)
			{
				return static_cast<std::size_t>(detail::Mix(
				  static_cast<std::uint64_t>(static_cast<std::underlying_type_t<T>>(value))));
			}
			else
			{
				return static_cast<std::size_t>(detail::Mix(static_cast<std::uint64_t>(value)));
			}
		}
	};

	// The real map takes (Key, T, Hash, KeyEqual, AllocatorOrContainer, Bucket); the worker only
	// ever passes the first three, so the extra parameters are kept as plain allocator slots.
	template<
	  typename Key,
	  typename T,
	  typename Hash      = hash<Key>,
	  typename KeyEqual  = std::equal_to<Key>,
	  typename Allocator = std::allocator<std::pair<const Key, T>>>
	using map = std::unordered_map<Key, T, Hash, KeyEqual, Allocator>;

	template<
	  typename Key,
	  typename Hash      = hash<Key>,
	  typename KeyEqual  = std::equal_to<Key>,
	  typename Allocator = std::allocator<Key>>
	using set = std::unordered_set<Key, Hash, KeyEqual, Allocator>;
} // namespace ankerl::unordered_dense

#endif
