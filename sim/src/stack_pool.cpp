#include "stack_pool.hpp"

#include "stack_switch.hpp"

#include <boost/context/protected_fixedsize_stack.hpp>

#include <vector>

namespace sim {

namespace ctx = boost::context;

namespace {

class Kept_stacks {
  public:
    ~Kept_stacks()
    {
        for (Kept& k : kept_) ctx::protected_fixedsize_stack{k.bytes}.deallocate(k.stack);
    }

    // By the size asked for: the stack itself is bigger by its guard page and the rounding.
    bool take(std::size_t bytes, ctx::stack_context& out)
    {
        for (auto k = kept_.rbegin(); k != kept_.rend(); ++k) {
            if (k->bytes != bytes) continue;
            out = k->stack;
            kept_.erase(std::next(k).base());
            return true;
        }
        return false;
    }

    void keep(std::size_t bytes, ctx::stack_context& stack)
    {
        if (kept_.size() < max_kept) return kept_.push_back({bytes, stack});
        ctx::protected_fixedsize_stack{bytes}.deallocate(stack);
    }

  private:
    struct Kept {
        std::size_t bytes; // as asked of allocate()
        ctx::stack_context stack;
    };
    // More than the flows one machine of the fuzzer or a test has at once.
    static constexpr std::size_t max_kept = 64;
    std::vector<Kept> kept_;
};

thread_local Kept_stacks kept_stacks;

} // namespace

ctx::stack_context Pooled_stack::allocate()
{
    ctx::stack_context stack;
    if (!kept_stacks.take(bytes_, stack)) return ctx::protected_fixedsize_stack{bytes_}.allocate();
    stack_switch::reuse({static_cast<char*>(stack.sp) - stack.size, stack.size});
    return stack;
}

void Pooled_stack::deallocate(ctx::stack_context& stack) noexcept
{
    kept_stacks.keep(bytes_, stack);
}

} // namespace sim
