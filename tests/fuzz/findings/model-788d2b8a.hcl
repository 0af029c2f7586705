# A finding of novasim fuzz (in-process engine, seed 12, run 32297): model fired.
#   tests/fuzz/findings/model-788d2b8a.hcl:5:1: error: the reference model differs: object #137 ec: references kernel 3, model 2
#   $t0: did not finish within 1000000000 cycles (blocked or killed)
# Reproduce: novasim hypercalls tests/fuzz/findings/model-788d2b8a.hcl
thread $t0 cpu=1 {
}
create_sm $sm0 owner=$root_pd count=1
sm_down $sm0
revoke crd=obj:$sm0/9 self
