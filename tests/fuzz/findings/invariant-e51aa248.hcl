# A finding of novasim fuzz (in-process engine, seed 6, run 898): invariant fired.
#   tests/fuzz/findings/invariant-e51aa248.hcl:8:5: error: kernel invariant broken: refcount equals references (detail 0x1)
#   tests/fuzz/findings/invariant-e51aa248.hcl: error: the root EC blocked for good: the root EC waits on the host thread, but the machine stopped: idle
# Reproduce: novasim hypercalls tests/fuzz/findings/invariant-e51aa248.hcl
create_sm $gate owner=$root_pd
ec $srv
portal $pt ec=$srv {
    revoke crd=obj:$gate/24 self
}
thread $first {
    call $pt
}
