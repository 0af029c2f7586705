# A finding of the fuzz.libfuzzer.smoke test (NOVASIM_SEED=1), a mutant of model-5c026805.hcl:
#   model fired.
#   input.hcl:4:5: error: the reference model differs: pd29 mem 0x40: only in kernel {order 2 perms 0x3 attr host|dma|guest resource 0x200 parent pd0 mem 0x0}
#   The root's call took its items to the portal of no handler while $t04 ran on CPU 2; $t04's next
#   hypercall was judged before the root's call returned.
# Reproduce: novasim hypercalls tests/fuzz/findings/model-5c026805-b.hcl
ec $srv0 window=mem:0x40/4
thread $t04 cpu=2 {
    create_pt $pt26 owner=$root_pd ec=$srv0 ip=0x54
    create_pt $pt260 owner=$root_pd ec=$srv0 ip=0x54
}
call $pt26
sm_up 1029
thread $t040 cpu=2 {
}
call $pt26 xlt=pio:0x60/2 items=delegate(mem:0x200/2:rw,dma,guest,kernel)
