# A finding of novasim fuzz (in-process engine, seed 5, run 4072): invariant fired.
#   tests/fuzz/findings/invariant-4222c66f.hcl:7:5: error: kernel invariant broken: refcount equals references (detail 0x2)
#   tests/fuzz/findings/invariant-4222c66f.hcl: error: the root EC blocked for good: the root EC waits on the host thread, but the machine stopped: idle
# Reproduce: novasim hypercalls tests/fuzz/findings/invariant-4222c66f.hcl
create_sm $sm0 owner=$root_pd
thread $t1 {
    revoke crd=obj:$root_pd/2 self
}
