# A finding of novasim fuzz (libFuzzer, seed 407): model fired.
#   novasim: the model oracle fired (model):
#   tests/fuzz/findings/model-5c026805.hcl:13:1: error: the reference model differs: pd29 mem 0x40: only in kernel {order 2 perms 0x3 attr host|dma|guest resource 0x200 parent pd0 mem 0x0}
# Reproduce: novasim hypercalls tests/fuzz/findings/model-5c026805.hcl
ec $srv0 window=mem:0x40/4
thread $t04 cpu=2 {
    create_pt $pt26 owner=$root_pd ec=$srv0 ip=0x54
}
call $pt26
sm_up 1029
thread $t040 cpu=2 {
}
call $pt26 items=delegate(mem:0x200/2:rw,dma,guest,kernel)
