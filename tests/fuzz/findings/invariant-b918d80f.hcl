# A finding of novasim fuzz (libFuzzer, seed 404): invariant fired.
#   novasim: the invariant oracle fired (invariant: a parked SC waits on a blocked EC):
#   tests/fuzz/findings/invariant-b918d80f.hcl:10:5: error: kernel invariant broken: a parked SC waits on a blocked EC (detail 0x0)
#   $first: did not finish within 1000000000 cycles (blocked or killed)
#   $first0: did not finish within 1000000000 cycles (blocked or killed)
# Reproduce: novasim hypercalls tests/fuzz/findings/invariant-b918d80f.hcl
create_sm $gate owner=$root_pd
ec $srv owner=$root_pd
portal $pt1 ec=$srv {
    sm_down 1024
}
thread $first {
    call $pt1
}
thread $t2 {
}
thread $first0 {
    call $pt1
}
thread $t5 {
    revoke crd=obj:$t2.sc/3 self
}
