# Every hypercall the kernel implements, on its success path and on each error path a root task
# can reach, with the status (and outputs) the classic ABI prescribes. Runs on 4 CPUs without VMX.
# Root PD 32, root EC 33, root SC 34 (selectors EXC+0..2).

# create_pd: RSI owner PD, RDX the object capabilities the new PD receives (at selector 0 up).
create_pd 64 owner=32 crd=obj:32/0            -> SUCCESS
create_pd 80 owner=32 crd=null                -> SUCCESS
create_pd 64 owner=32 crd=null                -> BAD_CAP  # selector in use
create_pd 81 owner=33 crd=null                -> BAD_CAP  # owner is an EC, not a PD
create_pd 82 owner=1000 crd=null              -> BAD_CAP  # owner is the null capability

# create_ec: local (no flag) and global ECs; a UTCB page each, below USER_ADDR and unused.
create_ec 65 owner=32 utcb=0x1000 global      -> SUCCESS
create_ec 68 owner=32 utcb=0x2000 cpu=0 sp=0x9000 evt=128 -> SUCCESS
create_ec 70 owner=64 utcb=0x1000 cpu=3 global -> SUCCESS # same address, other PD
create_ec 71 owner=32 utcb=0x3000 cpu=64      -> BAD_CPU
create_ec 71 owner=34 utcb=0x3000             -> BAD_CAP  # owner is an SC
create_ec 71 owner=32 utcb=0x0 global         -> BAD_FTR  # a vCPU needs VMX
create_ec 71 owner=32 utcb=0x1000             -> BAD_PAR  # UTCB address in use
create_ec 71 owner=32 utcb=0x7fffffffd000     -> BAD_PAR  # the root UTCB
create_ec 71 owner=32 utcb=0x7ffffffff000     -> BAD_PAR  # at USER_ADDR
create_ec 65 owner=32 utcb=0x3000 global      -> BAD_CAP  # selector in use

# create_sc: only a global EC takes an SC; the QPD needs a priority 1..127 and a quantum.
create_sc 66 owner=32 ec=65 prio=1 quantum=10000 -> SUCCESS
create_sc 72 owner=32 ec=65 prio=127 quantum=1   -> SUCCESS # a second SC on the same EC
create_sc 73 owner=32 ec=68 prio=1 quantum=10000 -> BAD_CAP # local EC
create_sc 73 owner=32 ec=69 prio=1 quantum=10000 -> BAD_CAP # no EC there
create_sc 73 owner=33 ec=65 prio=1 quantum=10000 -> BAD_CAP # owner is not a PD
create_sc 73 owner=32 ec=65 prio=0 quantum=10000 -> BAD_PAR
create_sc 73 owner=32 ec=65 prio=128 quantum=10000 -> BAD_PAR
create_sc 73 owner=32 ec=65 prio=1 quantum=0     -> BAD_PAR
create_sc 66 owner=32 ec=65 prio=1 quantum=10000 -> BAD_CAP # selector in use

# create_pt: only a local EC takes portals.
create_pt 67 owner=32 ec=68 mtd=0x1 ip=0x401000 -> SUCCESS
create_pt 74 owner=32 ec=65 ip=0x401000         -> BAD_CAP  # global EC
create_pt 74 owner=32 ec=66 ip=0x401000         -> BAD_CAP  # an SC, not an EC
create_pt 67 owner=32 ec=68 ip=0x401000         -> BAD_CAP  # selector in use

# create_sm
create_sm 69 owner=32 count=1                 -> SUCCESS
create_sm 75 owner=32                         -> SUCCESS
create_sm 76 owner=67                         -> BAD_CAP  # owner is a portal
create_sm 69 owner=32                         -> BAD_CAP  # selector in use

# pt_ctrl and sc_ctrl need a capability of their own type.
pt_ctrl 67 pid=5                              -> SUCCESS
pt_ctrl 69 pid=5                              -> BAD_CAP
sc_ctrl 66                                    -> SUCCESS time=0
sc_ctrl 34                                    -> SUCCESS
sc_ctrl 65                                    -> BAD_CAP

# lookup: the full CRD of the capability at a selector, with its rights, or null.
lookup crd=obj:32/0                           -> SUCCESS crd=obj:32/0
lookup crd=obj:65/0                           -> SUCCESS crd=obj:65/0:0xd
lookup crd=obj:66/0                           -> SUCCESS crd=obj:66/0:0x1
lookup crd=obj:67/0                           -> SUCCESS crd=obj:67/0:0x3
lookup crd=obj:69/0                           -> SUCCESS crd=obj:69/0:0x3
lookup crd=obj:77/0                           -> SUCCESS crd=null
lookup crd=null                               -> SUCCESS crd=null
lookup crd=mem:0x7fffffffe/0                  -> SUCCESS crd=null # the HIP is the kernel's

# revoke: RSI the CRD whose rights go from everything derived from the root's mappings in its
# range, flag self from the root's own too. It never fails.
create_sm 78 owner=32 count=1                 -> SUCCESS
revoke crd=obj:78/0:0x1                       -> SUCCESS  # nothing derives from 78
lookup crd=obj:78/0                           -> SUCCESS crd=obj:78/0:0x3
revoke crd=obj:78/0:0x1 self                  -> SUCCESS
lookup crd=obj:78/0                           -> SUCCESS crd=obj:78/0:0x2
revoke crd=obj:78/0 self                      -> SUCCESS  # its last right: the selector empties
lookup crd=obj:78/0                           -> SUCCESS crd=null
create_sm 78 owner=32                         -> SUCCESS
revoke crd=obj:5000/4 self                    -> SUCCESS  # an empty range
revoke crd=mem:0x100/4:rw self                -> SUCCESS
revoke crd=pio:0x3f8/3:a                      -> SUCCESS
revoke crd=null                               -> SUCCESS

# A number no hypercall has.
raw rdi=0xf                                   -> BAD_HYP
