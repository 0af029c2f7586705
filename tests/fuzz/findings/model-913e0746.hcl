# A finding of novasim fuzz (libFuzzer, seed 412, the 30-minute campaign of 2026-12-02): model fired.
#   novasim: the model oracle fired (model):
#   tests/fuzz/findings/model-913e0746.hcl:8:1: error: the reference model differs: pd29 obj 0x403: only in kernel {order 0 perms 0x1 attr none resource #36 ec parent pd29 obj 0x401}
# Reproduce: novasim hypercalls tests/fuzz/findings/model-913e0746.hcl
ec $srv
thread $t52 {
}
portal 31 ec=$srv {
}
slot $back
portal $pt ec=$srv {
    ec_ctrl $root_ec
    reply items=delegate(obj:$t52/0:0x1)
}
call $pt window=obj:$back/0
