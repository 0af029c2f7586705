# A finding of novasim fuzz (in-process engine, seed 1000): assertion fired.
#   novasim: kernel assertion failed: ec->partner == nullptr && ec->caller == nullptr && ec->waiting_on == nullptr at /work/wt-fuzz/kernel_core/src/kernel.cpp:120
# Reproduce: novasim hypercalls tests/fuzz/findings/assertion-2c44ad24.hcl
create_sm $gate owner=$root_pd
ec $srv
portal $pt1 ec=$srv {
    sm_down 1024
}
thread $first prio=2 {
    call $pt1
}
revoke crd=obj:$srv/9 self
