#include "kvm/guest_memory.hpp"

#include "nova/kernel.hpp"
#include "sim/physical_memory.hpp"

#include <algorithm>
#include <cstring>

namespace kvm {

namespace {
constexpr uint64_t page_bytes = 4096;
}

std::uint8_t* Guest_memory::frame_bytes(uint64_t frame) const
{
    return frame < ram_.frames() ? ram_.frame(frame) : nullptr;
}

// Drops what runs say about pages [first, end), splitting a run that sticks out on either side.
void Guest_memory::forget(uint64_t first, uint64_t end)
{
    auto it = runs_.upper_bound(first);
    if (it != runs_.begin()) --it;
    while (it != runs_.end() && it->first < end) {
        uint64_t base = it->first;
        Guest_run run = it->second;
        if (base + run.pages <= first) {
            ++it;
            continue;
        }
        it = runs_.erase(it);
        if (base < first) runs_[base] = Guest_run{first - base, run.frame, run.writable};
        uint64_t run_end = base + run.pages;
        if (run_end > end) {
            runs_[end] = Guest_run{run_end - end, run.frame + (end - base), run.writable};
        }
    }
}

void Guest_memory::add(uint64_t first, Guest_run run)
{
    runs_[first] = run;
    merge_around(first);
}

// A run joins its neighbours when pages and frames both continue and the rights match.
void Guest_memory::merge_around(uint64_t first)
{
    auto it = runs_.find(first);
    if (it != runs_.begin()) {
        auto prev = std::prev(it);
        Guest_run& p = prev->second;
        if (prev->first + p.pages == it->first && p.frame + p.pages == it->second.frame &&
            p.writable == it->second.writable) {
            p.pages += it->second.pages;
            runs_.erase(it);
            it = prev;
        }
    }
    auto next = std::next(it);
    if (next != runs_.end() && it->first + it->second.pages == next->first &&
        it->second.frame + it->second.pages == next->second.frame &&
        it->second.writable == next->second.writable) {
        it->second.pages += next->second.pages;
        runs_.erase(next);
    }
}

bool Guest_memory::refresh(nova::Kernel& kernel, nova::Pd& pd)
{
    auto before = runs_;
    for (auto [first, count] : dirty_) {
        uint64_t end = first + count;
        forget(first, end);
        for (uint64_t page = first; page < end;) {
            auto const* node =
                kernel.view_lookup(pd, nova::Crd::Type::mem, nova::Kernel::View::guest, page);
            if (node == nullptr) {
                ++page;
                continue;
            }
            uint64_t stop = std::min(end, node->end());
            bool writable = (node->perms() & nova::perm::mem_w) != 0;
            add(page, Guest_run{stop - page, node->resource() + (page - node->base()), writable});
            page = stop;
        }
    }
    dirty_.clear();
    if (runs_ == before) return false;
    ++generation_;
    return true;
}

std::uint8_t* Guest_memory::host(uint64_t gpa, bool write) const
{
    uint64_t page = gpa / page_bytes;
    auto it = runs_.upper_bound(page);
    if (it == runs_.begin()) return nullptr;
    --it;
    if (page >= it->first + it->second.pages || (write && !it->second.writable)) return nullptr;
    std::uint8_t* frame = frame_bytes(it->second.frame + (page - it->first));
    return frame == nullptr ? nullptr : frame + gpa % page_bytes;
}

bool Guest_memory::read(uint64_t gpa, void* dst, std::size_t size) const
{
    auto* out = static_cast<std::uint8_t*>(dst);
    while (size > 0) {
        std::uint8_t const* p = host(gpa, false);
        if (p == nullptr) return false;
        std::size_t chunk = std::min<std::size_t>(size, page_bytes - gpa % page_bytes);
        std::memcpy(out, p, chunk);
        out += chunk, gpa += chunk, size -= chunk;
    }
    return true;
}

bool Guest_memory::write(uint64_t gpa, void const* src, std::size_t size) const
{
    auto const* in = static_cast<std::uint8_t const*>(src);
    while (size > 0) {
        std::uint8_t* p = host(gpa, true);
        if (p == nullptr) return false;
        std::size_t chunk = std::min<std::size_t>(size, page_bytes - gpa % page_bytes);
        std::memcpy(p, in, chunk);
        in += chunk, gpa += chunk, size -= chunk;
    }
    return true;
}

} // namespace kvm
