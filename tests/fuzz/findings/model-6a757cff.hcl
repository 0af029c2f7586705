# A finding of novasim fuzz (in-process engine, seed 1, run 1): model fired.
#   tests/fuzz/findings/model-6a757cff.hcl:10:5: error: the reference model differs: live sm objects: kernel 132, model 131
#   $t0: did not finish within 1000000000 cycles (blocked or killed)
# Reproduce: novasim hypercalls tests/fuzz/findings/model-6a757cff.hcl
thread $t1 {
}
create_pt $pt1 owner=$root_pd ec=637 ip=0xedae92f0e541faf6
create_pt $pt0 owner=$root_pd ec=1572864 ip=0x5c
thread $t0 cpu=2 {
    create_sm $sm1 owner=$root_pd
}
thread $t2 cpu=1 {
}
revoke crd=obj:$t0/1 self
