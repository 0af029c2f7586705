// The spelling of a capability range descriptor ([C14] §3.3 in reference/nova-abi.md):
//
//   null                      the null CRD (word 0)
//   TYPE:BASE/ORDER[:PERMS]   TYPE obj|mem|pio; PERMS a mask, or letters (mem: rwx, pio: a);
//                             no PERMS means all permissions (0x1f)
//   NUMBER                    the raw word, for descriptors the structured form cannot spell
//                             (a null type with other bits set)
//
// Object bases print in decimal (they are selectors), memory and port bases in hex.
#pragma once

#include "nova/abi.hpp"
#include "program/number_text.hpp"

#include <string>
#include <string_view>

namespace hcl {

// The CRD's raw word, or what was wrong with the text.
Value_result parse_crd(std::string_view text);

// The canonical spelling: parse_crd(format_crd(c)) gives back c's word exactly.
std::string format_crd(nova::Crd crd);
void append_crd(std::string& text, nova::Crd crd);

// The part after the base, `/ORDER[:PERMS]`, of a CRD that has a type (not null): a named base
// (name_text.hpp) stands before it.
void append_crd_rest(std::string& text, nova::Crd crd);

// An object CRD with base 0 from the part after its base: `slash` is where the '/' is in `text`
// (npos: there is none). Error offsets count in `text`.
Value_result parse_object_crd_rest(std::string_view text, std::size_t slash);

} // namespace hcl
