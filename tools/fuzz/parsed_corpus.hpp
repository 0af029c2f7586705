// The programs of the inputs a mutator was given, kept parsed. An engine mutates each corpus
// entry many times over a campaign, and parsing the entry again each time was a quarter of a
// mutation's cost. Entries are kept by their exact text, the least recently used one going
// first once `capacity` are kept (a corpus of thousands fits: a program is tens of KiB).
#pragma once

#include "program/program.hpp"

#include <cstddef>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>

namespace fuzz {

class Parsed_corpus {
  public:
    explicit Parsed_corpus(std::size_t capacity) : capacity_{capacity} {}

    // The program `text` parses to, or nullptr when it is not a program (also remembered).
    // Valid until the next call.
    hcl::Program const* program(std::string_view text);
    std::size_t size() const { return entries_.size(); }

  private:
    struct Entry {
        std::string text;
        bool parses{false};
        hcl::Program program;
    };
    std::size_t capacity_;
    std::list<Entry> entries_; // most recently used first
    std::unordered_map<std::string_view, std::list<Entry>::iterator> by_text_;
};

// This thread's, as the mutators use it.
Parsed_corpus& parsed_corpus();

} // namespace fuzz
