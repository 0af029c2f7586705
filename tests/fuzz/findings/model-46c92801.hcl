# A finding of novasim fuzz (in-process engine, seed 11, run 15484): model fired.
#   tests/fuzz/findings/model-46c92801.hcl:9:1: error: the reference model differs: object #137 ec: references kernel 5, model 4
#   $t2: did not finish within 1000000000 cycles (blocked or killed)
#   $t20: did not finish within 1000000000 cycles (blocked or killed)
# Reproduce: novasim hypercalls tests/fuzz/findings/model-46c92801.hcl
thread $t0 {
}
create_pt $pt1 owner=$root_pd ec=1024 ip=0x1b845d907e3754ee
thread $t2 {
    create_sc $sc3 owner=$root_pd ec=$root_ec prio=128 quantum=875
}
thread $t20 {
    create_sc $sc31 owner=$root_pd ec=$root_ec prio=128 quantum=875
}
create_pt $pt4 owner=$root_pd ec=29 ip=0x442494be5e8f8aff
thread $t5 cpu=2 {
    revoke crd=obj:$t2.sc/3 self
}
