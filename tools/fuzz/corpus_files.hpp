// The inputs of a corpus run without an engine (replay_main.cpp, trace_corpus_main.cpp): each
// file named on the command line, and each file of a directory named there whose name ends in
// `extension` (every file for an empty one).
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

namespace fuzz {

inline std::vector<std::filesystem::path> corpus_files(int argc, char** argv,
                                                       std::string_view extension)
{
    std::vector<std::filesystem::path> files;
    for (int i = 1; i < argc; ++i) {
        std::filesystem::path named{argv[i]};
        if (!std::filesystem::is_directory(named)) {
            files.push_back(named);
            continue;
        }
        for (auto const& entry : std::filesystem::directory_iterator{named}) {
            if (extension.empty() || entry.path().extension() == extension)
                files.push_back(entry.path());
        }
    }
    return files;
}

} // namespace fuzz
