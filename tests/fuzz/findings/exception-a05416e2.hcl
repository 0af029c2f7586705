# A finding of novasim fuzz (in-process engine, seed 6, run 1605): exception fired.
#   an exception left the runner: map::at
# Reproduce: novasim hypercalls tests/fuzz/findings/exception-a05416e2.hcl
portal $p0 ec=51 {
}
thread $t1 cpu=2 {
}
revoke crd=obj:$t1/2
sm_down 64
create_ec $ec2 owner=$root_pd utcb=0x2b000
raw
raw
portal $p1 ec=$ec2 {
}
revoke crd=obj:$t1/24 self
