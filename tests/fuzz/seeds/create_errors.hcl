# Every error status of the create hypercalls, in the kernel's order of checks.
create_ec $e0 owner=$root_pd utcb=0x1000 cpu=4          -> BAD_CPU   # 4 CPUs: 0..3
create_ec $e1 owner=$root_pd utcb=0x0                   -> BAD_FTR   # a vCPU needs VMX
create_ec $e2 owner=$root_pd utcb=0x7ffffffff000        -> BAD_PAR   # not below user_addr
create_ec $e3 owner=$root_pd utcb=0x1000 global         -> SUCCESS
create_ec $e4 owner=$root_pd utcb=0x1000                -> BAD_PAR   # UTCB already mapped
create_ec $e5 owner=$root_sc utcb=0x2000                -> BAD_CAP   # owner is no PD
create_sc $c0 owner=$root_pd ec=$e3 prio=0 quantum=100  -> BAD_PAR
create_sc $c1 owner=$root_pd ec=$e3 prio=128 quantum=100 -> BAD_PAR
create_sc $c2 owner=$root_pd ec=$e3 prio=5 quantum=0    -> BAD_PAR
create_ec $local owner=$root_pd utcb=0x3000             -> SUCCESS
create_sc $c3 owner=$root_pd ec=$local prio=5 quantum=100 -> BAD_CAP # a local EC takes no SC
create_pt $p0 owner=$root_pd ec=$e3 ip=0x1000           -> BAD_CAP   # a global EC takes no portal
create_sm 64 owner=$root_pd                             -> SUCCESS
create_sm 64 owner=$root_pd                             -> BAD_CAP   # the selector is taken
