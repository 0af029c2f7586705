// A deliberately non-freestanding source: the checker must reject it (see CMakeLists.txt), which
// shows that the check can fail.
extern "C" void* malloc(__SIZE_TYPE__);
void* grab()
{
    return malloc(16);
}
